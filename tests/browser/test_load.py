"""A workshop room on one server: many browser sessions at once, each with its own work.

Eight sessions each add a review with a word no other session has and press Train at the same
moment; the server trains as many at a time as it has cores and queues the rest; all of them
finish, each shows only its own words, a ninth visitor's first page still comes up within 5 s,
and the server's memory stays bounded. The shipped GloVe vectors are loaded
once per server process, however many sessions use them.

Each test starts a server of its own, so that memory is measured from a known start and nothing
the other browser tests did is counted. The eight-session test takes minutes on two cores: it
runs with `make loadtest`; the GloVe test takes about a minute and runs in every `make test`.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import psutil
import pytest

from tests.browser import CONNECTED, AppPage, add_review
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, app_location, start_server
from ui.common import TRAINING_SLOTS

pytestmark = pytest.mark.browser

# One made-up word per session, so that any word seen in another session's page is a leak.
SESSION_WORDS = ["zebra", "quokka", "narwhal", "axolotl", "pangolin", "okapi", "wombat", "tapir"]
MEMORY_LIMIT_BYTES = 1.5 * 1024**3
NINTH_FIRST_PAGE_SECONDS = 5.0
TRAINING_TIMEOUT = 900.0  # eight trainings share two cores with eight live charts
GLOVE_MATRIX_BYTES = 400_000 * 50 * 4


@dataclass
class MemorySampler:
    """Resident memory of a process and its children, sampled in a background thread."""

    pid: int
    every: float = 0.2
    samples: list[tuple[float, int]] = field(default_factory=list)

    def rss(self) -> int:
        root = psutil.Process(self.pid)
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    @contextmanager
    def running(self):
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                self.samples.append((time.monotonic(), self.rss()))
                stop.wait(self.every)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()

    @property
    def peak(self) -> int:
        return max(rss for _, rss in self.samples)


@pytest.fixture(scope="module")
def room_server(browser):
    with start_server(name="server-load", **app_location()) as running:
        yield running


@dataclass
class RoomBrowser:
    """A second Chromium for the room's eight sessions, whose processes can be put behind the
    server and the visitor's browser: in a workshop each person's browser runs on their own
    machine, while here all of them share the server's two cores."""

    browser: object
    pids: set[int]

    def step_back(self, niceness: int = 19, *, sessions: bool = False) -> int:
        """Lower the priority of every process of this browser (and, with `sessions`, of their
        sessions' scheduling groups: see _step_back_groups); return how many there were."""
        processes = []
        for pid in self.pids:
            try:
                root = psutil.Process(pid)
                processes += [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        for process in processes:
            try:
                process.nice(niceness)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        if sessions:
            _step_back_groups(processes, niceness)
        return len(processes)


def _step_back_groups(processes, niceness: int) -> None:
    """Lower the priority of these processes' scheduling groups too, where Linux groups them.

    Playwright starts each Chromium in a session of its own, and with autogroups on
    (/proc/sys/kernel/sched_autogroup_enabled, as here) the kernel first shares the CPU
    fairly between sessions, and a process's nice only counts inside its session: the room's
    tabs at nice 19 still took a full session's share from the server (room of ten: 41 CPU
    seconds to the app's 29). A session's own nice is set in /proc/<pid>/autogroup. Only after
    the clicks: a tab that far behind took up to 30 s to take its click on a busy machine, and
    the room would not press Train at once.
    """
    groups = {}
    for process in processes:
        try:
            with open(f"/proc/{process.pid}/autogroup") as group:
                groups.setdefault(group.read().split()[0], process.pid)
        except OSError:  # no autogroups here, or the process ended
            pass
    for pid in groups.values():
        try:
            with open(f"/proc/{pid}/autogroup", "w") as group:
                group.write(str(niceness))
        except OSError:
            pass


def _session(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


def _chromium_pids() -> set[int]:
    """Chromium processes started by this test process (never anyone else's)."""
    found = set()
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name().lower():
                found.add(process.pid)
        except psutil.NoSuchProcess:
            pass
    return found


@pytest.fixture(scope="module")
def room_browser(browser):
    before = _chromium_pids()
    second = browser.browser_type.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                         headless=True)
    # Playwright starts each browser in a session of its own: a process the first browser
    # started meanwhile is in one of its sessions, and is not the room's.
    theirs = {_session(pid) for pid in before}
    try:
        yield RoomBrowser(second, {pid for pid in _chromium_pids() - before
                                   if _session(pid) not in theirs})
    finally:
        second.close()


@pytest.fixture
def sessions(browser, room_browser, room_server):
    """Factory for sessions on the load test's own server, each in its own browser context:
    `sessions()` in the room's browser, `sessions(visitor=True)` in the test session's one."""
    contexts = []

    def make(*, visitor: bool = False) -> AppPage:
        context = (browser if visitor else room_browser.browser).new_context(viewport=VIEWPORT)
        contexts.append(context)
        return AppPage(context.new_page(), room_server.base_url, timeout=TRAINING_TIMEOUT)

    yield make
    for context in contexts:
        context.close()


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1024**2:.0f} MB"


def words_on(app: AppPage) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", app.text().lower()))


def leaked(app: AppPage, own: str) -> set[str]:
    return (words_on(app) & set(SESSION_WORDS)) - {own}


# Each tab notes, with the time, every text its progress bar shows; the test reads them at the
# end. Reading the page from the test while it draws a chart each epoch slows the browser down.
_RECORD_PROGRESS_JS = """() => {
  window.__progress = [];
  new MutationObserver(() => {
    const bar = document.querySelector('[data-testid="stProgress"]');
    const text = bar ? bar.textContent.trim() : '';
    const seen = window.__progress;
    if (text && (!seen.length || seen[seen.length - 1][1] !== text)) seen.push([Date.now(), text]);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def first_page(app: AppPage) -> tuple[float, str]:
    """Open the app's first page; return the seconds until it is drawn, and where they went."""
    started = time.perf_counter()
    app.page.goto(app.base_url + "/", wait_until="domcontentloaded")
    loaded = time.perf_counter() - started
    app.page.wait_for_selector(CONNECTED, state="attached", timeout=1000 * app.timeout)
    connected = time.perf_counter() - started
    app.wait()
    seconds = time.perf_counter() - started
    return seconds, (f"HTML at {loaded:.1f} s, websocket connected at {connected:.1f} s, "
                     f"page drawn at {seconds:.1f} s")


def server_first_page_seconds(base_url: str) -> float:
    """Seconds for the server alone to run a new session's first page: a websocket client that
    asks for the page as the browser does and waits for the run to finish, drawing nothing."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    import websockets  # a dependency of streamlit

    async def run() -> float:
        started = time.perf_counter()
        url = base_url.replace("http", "ws", 1) + "/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as socket:
            await socket.send(BackMsg(rerun_script=ClientState(query_string="")).SerializeToString())
            while True:
                message = ForwardMsg()
                message.ParseFromString(await socket.recv())
                if message.WhichOneof("type") == "script_finished":
                    return time.perf_counter() - started

    # Playwright's sync API owns this thread's event loop; the client gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result(timeout=300)


def plain_get_seconds(url: str) -> float:
    """Seconds for the server to answer a plain HTTP GET, with no browser involved."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def progress_texts(app: AppPage) -> list[tuple[float, str]]:
    """(when, text) of every text the tab's progress bar showed, browser clock in ms."""
    return app.page.evaluate("() => window.__progress")


def epoch_times(app: AppPage) -> dict[int, float]:
    """Epoch number → when the tab showed it (seconds, browser clock)."""
    found = {}
    for stamp, text in progress_texts(app):
        match = re.search(r"epoch (\d+) / ", text)
        if match:
            found.setdefault(int(match.group(1)), stamp / 1000)
    return found


@pytest.mark.load
def test_eight_sessions_train_at_once_each_with_its_own_reviews(sessions, room_server,
                                                               room_browser):
    sampler = MemorySampler(room_server.pid)
    started = time.perf_counter()
    with sampler.running():
        apps = []
        for word in SESSION_WORDS:
            app = sessions()
            app.open("")
            add_review(app, f"{word} {word}")
            app.wait_for_text("11 reviews: 6 negative, 5 positive.")
            app.navigate("train")
            app.page.evaluate(_RECORD_PROGRESS_JS)
            apps.append(app)
        prepared = time.perf_counter()
        # The same first page with the eight sessions open but idle: what the machine gives now.
        room_browser.step_back()
        idle_seconds, idle_steps = first_page(sessions(visitor=True))
        idle_server_seconds = server_first_page_seconds(room_server.base_url)

        # Everyone presses Train within a moment of each other.
        for app in apps:
            app._run_count()  # install the run counter, as rerun_after does
            app.widget("train_start").locator("button").click()
        clicked = time.perf_counter()

        # A latecomer opens the app while the room trains.
        http_seconds = plain_get_seconds(room_server.base_url + "/")
        server_seconds = server_first_page_seconds(room_server.base_url)
        ninth = sessions(visitor=True)
        ninth_seconds, ninth_steps = first_page(ninth)
        ninth.screenshot("load-ninth-session")
        ninth.assert_no_exception()
        ninth_words = words_on(ninth)
        still_training = sum(app.script_state() != "notRunning" for app in apps)

        results = []
        for app in apps:
            app.wait_for_text("Final accuracy", timeout=TRAINING_TIMEOUT)
            results.append(app.metrics())
        finished = time.perf_counter()

    for index, (app, word) in enumerate(zip(apps, SESSION_WORDS)):
        app.assert_no_exception()
        assert results[index]["Epochs run"] == "100 / 100", (word, results[index])
        assert re.fullmatch(r"\d+\.\d\d%", results[index]["Final accuracy"]), results[index]
        epochs = sorted(epoch_times(app))
        # A busy browser draws several updates at once, so some epochs go unseen, even the last.
        assert epochs and epochs[0] <= 10 and len(epochs) >= 5, (word, epochs)
    apps[0].screenshot("load-session-0-train")

    # The server trains TRAINING_SLOTS at a time (ui/common.py); the others showed their place
    # in line until their turn came, and their training then started by itself.
    waited = [word for app, word in zip(apps, SESSION_WORDS)
              if any(text.startswith("Waiting for a turn") for _, text in progress_texts(app))]
    assert len(apps) <= TRAINING_SLOTS or waited, (
        "Eight trainings started at once; the server should have let at most "
        f"{TRAINING_SLOTS} run and queued the rest.")
    assert still_training >= 1, "Training was over before the ninth session opened."

    # Each session sees its own word on every page, and never another session's.
    for app, word in zip(apps, SESSION_WORDS):
        assert leaked(app, word) == set(), (word, leaked(app, word))
        app.navigate("weights")
        app.assert_no_exception()
        weights = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
        named = set(re.findall(r"[^\W\d_]+", " ".join(weights["words"]).lower()))
        assert word in named, f"Session {word!r} lost its own word: {sorted(named)}"
        assert not named & (set(SESSION_WORDS) - {word}), (word, named & set(SESSION_WORDS))
        app.navigate("encode")
        ids = app.read_table(app.page.locator('[data-testid="stDataFrame"]').nth(2))
        named = set(re.findall(r"[^\W\d_]+", " ".join(ids["words"]).lower()))
        assert word in named and not named & (set(SESSION_WORDS) - {word}), (word, named)
        app.navigate("")
        table = app.read_table(app.page.locator('[class*="st-key-reviews_editor_"]'))
        assert table["text"].tolist()[-1] == f"{word} {word}"
        assert len(table) == 11
    apps[-1].screenshot("load-session-7-reviews")

    # Training alone gives the same numbers as training beside seven others: nothing was shared.
    alone = apps[0]
    alone.navigate("train")
    with alone.rerun_after(timeout=TRAINING_TIMEOUT):
        alone.widget("train_start").locator("button").click()
    alone.wait_for_text("Runs side by side", timeout=TRAINING_TIMEOUT)
    again = alone.metrics()
    assert (again["Final loss"], again["Final accuracy"]) == (
        results[0]["Final loss"], results[0]["Final accuracy"])

    print(f"\nload: 8 sessions prepared in {prepared - started:.1f} s, clicks took "
          f"{clicked - prepared:.1f} s, all trained {finished - clicked:.1f} s after the clicks; "
          f"ninth first page {ninth_seconds:.1f} s ({ninth_steps}) with {still_training} still "
          f"training, {idle_seconds:.1f} s with all idle; the HTML to a plain GET in "
          f"{http_seconds:.2f} s while training; the first page's script run alone (no "
          f"browser) {server_seconds:.2f} s while training, {idle_server_seconds:.2f} s idle; "
          f"{len(waited)} of {len(apps)} sessions waited for a turn; server peak "
          f"{mb(sampler.peak)}, at start {mb(sampler.samples[0][1])}.")
    # A ninth visitor's first page within 5 s while the room trains, in the visitor's browser.
    # It shares the server's two cores (a visitor's laptop would not); the room's own browser is
    # put behind both, as the room's browsers run on the room's laptops.
    assert ninth_seconds <= NINTH_FIRST_PAGE_SECONDS, (
        f"A ninth session's first page took {ninth_seconds:.1f} s while eight sessions trained "
        f"(limit {NINTH_FIRST_PAGE_SECONDS:.0f} s): {ninth_steps}; {idle_seconds:.1f} s with all "
        f"idle; the server's script run {server_seconds:.2f} s. Machine load "
        f"{psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} CPUs.")
    assert not ninth_words & set(SESSION_WORDS), ninth_words & set(SESSION_WORDS)
    assert sampler.peak < MEMORY_LIMIT_BYTES, (
        f"The server used up to {mb(sampler.peak)} resident (limit {mb(MEMORY_LIMIT_BYTES)}).")


def mapped_regions(pid: int, folder) -> dict[str, int]:
    """How many separate mappings of each file under `folder` the process holds.

    Adjacent pieces of one mapping (the kernel may split a region) count once.
    """
    regions: dict[str, int] = {}
    last: dict[str, tuple[int, int]] = {}  # path → (end address, end offset) of its last piece
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or not parts[5].strip().startswith(str(folder)):
            continue
        path = parts[5].strip()
        start, end = (int(x, 16) for x in parts[0].split("-"))
        offset = int(parts[2], 16)
        if last.get(path) != (start, offset):
            regions[path] = regions.get(path, 0) + 1
        last[path] = (end, offset + end - start)
    return regions


GLOVE_SESSIONS = 10
GLOVE_SERVER_LIMIT_BYTES = 700 * 1024**2  # issue 4: GloVe loaded and 10 sessions open


def test_the_glove_vectors_exist_once_however_many_sessions_use_them(browser, tmp_path):
    from explorer.vectors import CACHE_DIR_VARIABLE, cache_dir

    # The vectors' fast cache in a folder of its own, so that its mappings can be told apart.
    cache = tmp_path / "cache"
    contexts = []
    with start_server(name="server-glove-sessions", env={CACHE_DIR_VARIABLE: str(cache)},
                      **app_location()) as server:
        sampler = MemorySampler(server.pid)
        at_start = sampler.rss()
        after = []
        try:
            with sampler.running():
                for index in range(GLOVE_SESSIONS):
                    context = browser.new_context(viewport=VIEWPORT)
                    contexts.append(context)
                    app = AppPage(context.new_page(), server.base_url, timeout=120)
                    app.open("analogy")
                    app.wait_for_text("man : king :: woman : queen")
                    app.assert_no_exception()
                    after.append(sampler.rss())
            app.screenshot("load-glove-tenth-session")
            regions = mapped_regions(server.pid, cache)
        finally:
            for context in contexts:
                context.close()
    assert cache_dir() != cache  # the test's own folder was used by the server, not this process
    per_session = (after[-1] - after[0]) / (GLOVE_SESSIONS - 1)
    print(f"\nglove: server {mb(at_start)} at start, {mb(after[0])} with one session on the "
          f"Analogy page, {mb(after[-1])} with {GLOVE_SESSIONS} ({mb(per_session)} per extra "
          f"session); peak {mb(sampler.peak)}; mapped files {regions}.")
    assert regions, f"The server maps no file of the vectors cache {cache}."
    assert all(count == 1 for count in regions.values()), (
        f"A vectors file is mapped more than once: {regions}")
    assert per_session < GLOVE_MATRIX_BYTES / 4, (
        f"Each extra session on the Analogy page added {mb(per_session)} to the server "
        f"(one copy of the GloVe matrix is {mb(GLOVE_MATRIX_BYTES)}): {[mb(r) for r in after]}.")
    assert sampler.peak < GLOVE_SERVER_LIMIT_BYTES, (
        f"The server used up to {mb(sampler.peak)} with GloVe loaded and {GLOVE_SESSIONS} "
        f"sessions open (limit {mb(GLOVE_SERVER_LIMIT_BYTES)}).")


# --- a noisy neighbour ------------------------------------------------------------------------

NOISY_MEMORY_LIMIT_BYTES = 2 * 1024**3
NOISY_PAGE_SECONDS = 5.0


def worst_link() -> str:
    """The largest settings the widgets and links allow, with as many reviews as a link holds."""
    from dataclasses import asdict

    import pandas as pd

    from explorer.model import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_OUTPUT_DIM, ModelSettings
    from explorer.text import MAX_LENGTH, MAX_VOCAB_SIZE, EncodeSettings
    from explorer.workspace import QUERY_PARAM, settings_to_query

    encode = asdict(EncodeSettings(vocab_size=MAX_VOCAB_SIZE, max_length=MAX_LENGTH))
    model = asdict(ModelSettings(output_dim=MAX_OUTPUT_DIM, head="lstm", epochs=MAX_EPOCHS,
                                 batch_size=MAX_BATCH_SIZE))
    best = None
    for n in (400, 300, 200, 100, 50):
        reviews = pd.DataFrame({"text": [f"word{i} other{i * 7} thing{i * 13}" for i in range(n)],
                                "label": [i % 2 for i in range(n)]})
        query = settings_to_query(reviews=reviews, class_names=["negative", "positive"],
                                  encode_settings=encode, model_settings=model,
                                  embedding_start="random")
        if query is not None:
            best = query[QUERY_PARAM]
            break
    assert best is not None
    return best


def biggest_vectors_upload(path) -> int:
    """A vectors file just under the upload box's limit, of well-formed 300-d lines."""
    from explorer.vectors import UPLOAD_LIMIT_MB

    line_values = " ".join(["0.1"] * 300)
    with open(path, "w") as out:
        size, i = 0, 0
        while size < (UPLOAD_LIMIT_MB - 1) * 10**6:
            line = f"w{i} {line_values}\n"
            out.write(line)
            size += len(line)
            i += 1
    return size


@pytest.mark.load
def test_a_noisy_neighbour_cannot_stop_eight_trainings(browser, room_browser, tmp_path):
    vectors_file = tmp_path / "huge_vectors.txt"
    vectors_bytes = biggest_vectors_upload(vectors_file)
    link = worst_link()
    with start_server(name="server-noisy", **app_location()) as server:
        sampler = MemorySampler(server.pid)
        contexts = []

        def session(chromium) -> AppPage:
            context = chromium.new_context(viewport=VIEWPORT)
            contexts.append(context)
            return AppPage(context.new_page(), server.base_url, timeout=TRAINING_TIMEOUT)

        try:
            with sampler.running():
                room = []
                for _ in SESSION_WORDS:
                    app = session(room_browser.browser)
                    app.open("train")
                    room.append(app)
                room_browser.step_back()
                for app in room:
                    app._run_count()
                    app.widget("train_start").locator("button").click()
                clicked = time.perf_counter()

                noisy = session(browser)
                timings = {}
                started = time.perf_counter()
                noisy.open("?w=" + link)
                timings["worst link, Reviews"] = time.perf_counter() - started
                for page in ("encode", "train", "weights", "projection"):
                    started = time.perf_counter()
                    noisy.navigate(page)
                    timings[f"worst link, {page}"] = time.perf_counter() - started
                    noisy.assert_no_exception()
                    if page == "train":  # the model is refused, naming what to lower
                        assert "parameters" in noisy.text(), noisy.text()[-800:]
                noisy.navigate("vectors")
                label = noisy.widget("vectors_source").locator("label").filter(
                    has_text="Upload a file")
                with noisy.rerun_after():
                    label.click()
                started = time.perf_counter()
                field = noisy.widget("vectors_upload").locator('input[type="file"]')
                with noisy.rerun_after(timeout=300):
                    field.set_input_files(str(vectors_file))
                noisy.wait_for_text(f"now use {vectors_file.name}", timeout=300)
                timings["largest vectors upload"] = time.perf_counter() - started
                noisy.assert_no_exception()

                results = []
                for app in room:
                    app.wait_for_text("Final accuracy", timeout=TRAINING_TIMEOUT)
                    results.append(app.metrics())
                finished = time.perf_counter()
                page_times = []
                for app in room:
                    started = time.perf_counter()
                    app.navigate("weights")
                    page_times.append(time.perf_counter() - started)
                    app.assert_no_exception()
        finally:
            for context in contexts:
                context.close()

    print(f"\nnoisy neighbour: {vectors_bytes / 1e6:.0f} MB vectors upload and the worst link; "
          f"noisy pages {', '.join(f'{k} {v:.1f} s' for k, v in timings.items())}; the eight "
          f"trained {finished - clicked:.1f} s after the clicks; their Weights pages "
          f"{max(page_times):.1f} s at most; server peak {mb(sampler.peak)}.")
    for result in results:
        assert result["Epochs run"] == "100 / 100", result
    assert max(page_times) <= NOISY_PAGE_SECONDS, page_times
    assert sampler.peak < NOISY_MEMORY_LIMIT_BYTES, mb(sampler.peak)


# --- a workshop room of thirty ----------------------------------------------------------------

# Thirty, as the issue asks; EXPLORER_LOAD_ATTENDEES=10 runs a smaller room the same way (for
# profiling outside the quiet window: the targets are the thirty's).
ROOM_ATTENDEES = int(os.environ.get("EXPLORER_LOAD_ATTENDEES", "30"))
ROOM_VALUES = list(range(10, 10 * ROOM_ATTENDEES + 1, 10))  # one vocabulary size per attendee
ROOM_SWEEP = ("Vocabulary size", f"10..{ROOM_VALUES[-1]} step 10")
ROOM_RUNS_SECONDS = 90.0  # every run on the board this long after the clicks
BOARD_REDRAW_SECONDS = 1.0
ROOM_FIRST_PAGE_SECONDS = 5.0
ROOM_MEMORY_LIMIT_BYTES = 2 * 1024**3
ROOM_TIMEOUT = 900.0

# The presenter's tab notes how long each redraw of the board takes: from the moment the page
# says a run started (the fragment's timer fired) to the moment it is over and drawn.
_RECORD_REDRAWS_JS = """() => {
  window.__redraws = [];
  const app = document.querySelector('[data-testid="stApp"]');
  let started = null;
  new MutationObserver(() => {
    const now = app.getAttribute('data-test-script-state');
    if (now === 'running' && started === null) started = performance.now();
    if (now === 'notRunning' && started !== null) {
      // With the Runs metric as drawn, so a slow redraw can be matched to a new run.
      const runs = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(m => m.innerText.startsWith('Runs'));
      window.__redraws.push([Date.now(), (performance.now() - started) / 1000,
                             runs ? runs.innerText.trim().split(/\\s+/).pop() : '']);
      started = null;
    }
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@contextmanager
def room_topology(kind: str, pg_cluster=None):
    """("one": one server process | "two": two replicas behind nginx on one PostgreSQL):
    yields (base URL, pids of the app processes)."""
    import tempfile

    from tests.browser.conftest import free_port
    from tests.nginx_proxy import start_nginx

    with ExitStack() as stack:
        if kind == "one":
            env = {"EXPLORER_DATA_DIR": stack.enter_context(tempfile.TemporaryDirectory())}
            server = stack.enter_context(start_server(name="server-room-load", env=env,
                                                      **app_location()))
            yield server.base_url, [server.pid]
            return
        env = {"EXPLORER_DATABASE_URL": pg_cluster.new_database("room_load")}
        servers = [stack.enter_context(start_server(name=f"server-room-load-{n}", env=env,
                                                    **app_location())) for n in "ab"]
        proxy = stack.enter_context(start_nginx(
            [s.base_url.removeprefix("http://") for s in servers], port=free_port()))
        yield proxy.base_url, [s.pid for s in servers]


def slowest_redraws(redrawn: list[tuple[float, float, str]], count: int = 6) -> str:
    """The `count` slowest board redraws as "at s: seconds (runs)", marked * where the redraw
    drew a run count the one before it did not."""
    new_run = {index for index in range(1, len(redrawn))
               if redrawn[index][2] != redrawn[index - 1][2]}
    slowest = sorted(range(len(redrawn)), key=lambda index: -redrawn[index][1])[:count]
    return ", ".join(f"{redrawn[i][0]:.0f}: {redrawn[i][1]:.2f} ({redrawn[i][2]}"
                     f"{'*' if i in new_run else ''})" for i in sorted(slowest))


def total_rss(pids: list[int]) -> int:
    return sum(MemorySampler(pid).rss() for pid in pids)


# A path prefix: py-spy (`py-spy record --gil`, not a requirement: `pip install py-spy`) records
# each app process from the clicks until every run is on the board, to <prefix>.<pid>.txt.
PROFILE_VARIABLE = "EXPLORER_LOAD_PYSPY"


@contextmanager
def profiled(pids: list[int]):
    """py-spy on the app processes for the block, when PROFILE_VARIABLE names where to write."""
    import shutil
    import signal
    import subprocess
    import sys
    from pathlib import Path

    prefix = os.environ.get(PROFILE_VARIABLE)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not prefix:
        yield
        return
    spies = [subprocess.Popen([spy, "record", "--gil", "--threads", "--rate", "50",
                               "--format", "raw", "--output", f"{prefix}.{pid}.txt",
                               "--pid", str(pid)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for pid in pids]
    try:
        yield
    finally:
        for process in spies:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)


def _with_children(pids) -> set[psutil.Process]:
    found = set()
    for pid in pids:
        try:
            root = psutil.Process(pid)
            found |= {root, *root.children(recursive=True)}
        except psutil.NoSuchProcess:
            pass
    return found


def _cpu_seconds(processes) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def cpu_split(app_pids: list[int], room_pids: set[int]) -> dict[str, float]:
    """CPU seconds (user + system) so far: the app processes, the room's (niced) Chromium, the
    presenter's and the visitor's Chromium, and the whole machine."""
    room = _with_children(room_pids)
    machine = psutil.cpu_times()
    return {"app": _cpu_seconds(_with_children(app_pids)), "room tabs": _cpu_seconds(room),
            "presenter and visitor tabs": _cpu_seconds(_with_children(_chromium_pids()) - room),
            "machine": machine.user + machine.nice + machine.system}


@pytest.fixture(params=["one", "two"], ids=["one-server", "two-replicas-behind-nginx"])
def room_kind(request):
    if request.param == "two":
        from tests.nginx_proxy import require_nginx

        require_nginx()
        return "two", request.getfixturevalue("pg_cluster")
    return "one", None


@pytest.mark.load
@pytest.mark.timeout(3600)  # thirty people join one by one first: minutes on a busy machine
def test_a_room_of_thirty_sweeps_vocabulary_size_and_the_board_keeps_up(browser, room_browser,
                                                                        room_kind):
    from tests.browser.test_room import join_room, start_room, wait_for_metric

    kind, pg_cluster = room_kind
    contexts = []

    def person(chromium, base_url) -> AppPage:
        context = chromium.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return AppPage(context.new_page(), base_url, timeout=ROOM_TIMEOUT)

    with room_topology(kind, pg_cluster) as (base_url, pids):
        samples: list[int] = []
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                samples.append(total_rss(pids))
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        profile = ExitStack()  # py-spy from the clicks to every run on the board, if asked
        try:
            started = time.perf_counter()
            presenter = person(browser, base_url)
            code = start_room(presenter, sweep=ROOM_SWEEP)
            attendees = []
            for index in range(ROOM_ATTENDEES):
                attendee = person(room_browser.browser, base_url)
                join_room(attendee, code, f"Attendee {index + 1:02d}")
                attendee.navigate("train")
                attendees.append(attendee)
            wait_for_metric(presenter, "Attendees", str(ROOM_ATTENDEES), timeout=120)
            prepared = time.perf_counter()
            room_browser.step_back()
            presenter.page.evaluate(_RECORD_REDRAWS_JS)

            profile.enter_context(profiled(pids))
            cpu_before = cpu_split(pids, room_browser.pids)
            clicked_at, first_click = time.time(), time.perf_counter()
            for attendee in attendees:  # everyone presses Train within a moment
                attendee._run_count()
                # The event itself: a pointer click waits for the (busy) tab to say the button
                # is stable, which took over 30 s for some of thirty tabs on two cores.
                attendee.widget("train_start").locator("button").dispatch_event(
                    "click", timeout=1000 * ROOM_TIMEOUT)
            clicked = time.perf_counter()
            room_browser.step_back(sessions=True)  # the attendees' laptops are not the server

            # A latecomer opens the app while the room trains.
            latecomer_seconds, latecomer_steps = first_page(person(browser, base_url))
            on_board = wait_for_metric(presenter, "Runs", str(ROOM_ATTENDEES),
                                       timeout=ROOM_TIMEOUT)
            all_runs, all_runs_at = time.perf_counter() - first_click, time.time()
            cpu_used = {name: seconds - cpu_before[name]
                        for name, seconds in cpu_split(pids, room_browser.pids).items()}
            profile.close()
            room_browser.step_back(0, sessions=True)  # the screenshots below need the tabs back
            presenter.wait()
            presenter.screenshot(f"load-room-board-{kind}")
            attendees[0].screenshot(f"load-room-attendee-{kind}")
            # While the room trains: from the clicks until every run is on the board (not the
            # screenshots' redraws below, which lay the charts out again at full-page size).
            redrawn = [(when / 1000 - clicked_at, seconds, runs_drawn) for when, seconds, runs_drawn
                       in presenter.page.evaluate("() => window.__redraws")
                       if clicked_at <= when / 1000 <= all_runs_at]
            redraws = [seconds for _, seconds, _ in redrawn]
            runs = presenter.read_table(presenter.widget("room_board_runs"))
            presenter.assert_no_exception()
        finally:
            profile.close()
            stop.set()
            sampler.join()
            for context in contexts:
                context.close()

    redraws.sort()
    median = redraws[len(redraws) // 2] if redraws else float("nan")
    # Where the time went: each run's own training time, as the board lists it.
    run_seconds = sorted(float(v) for v in runs["Time (s)"])
    print(f"\nroom load ({kind}): {ROOM_ATTENDEES} attendees joined and on the Train page in "
          f"{prepared - started:.0f} s; the clicks took {clicked - first_click:.1f} s; every run "
          f"on the board {all_runs:.1f} s after the first click (the board counted them "
          f"{on_board:.1f} s after the 31st visitor's page); {len(redraws)} board redraws while "
          f"training: median {median:.2f} s, max {max(redraws, default=float('nan')):.2f} s; "
          f"31st visitor's first page {latecomer_seconds:.1f} s ({latecomer_steps}); app RSS "
          f"peak {mb(max(samples))} (at start {mb(samples[0])}); the runs' own training "
          f"times: median {run_seconds[len(run_seconds) // 2]:.1f} s, sum {sum(run_seconds):.0f} "
          f"s; CPU seconds from the first click to every run on the board: "
          f"{', '.join(f'{name} {seconds:.0f}' for name, seconds in cpu_used.items())} (of "
          f"{all_runs * psutil.cpu_count():.0f}); machine load "
          f"{psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} CPUs. The slowest redraws "
          f"(s after the first click: seconds, runs drawn; * a new run): "
          f"{slowest_redraws(redrawn)}.")
    assert sorted(runs["Vocabulary size"], key=int) == [str(v) for v in ROOM_VALUES]
    assert len(set(runs["Name"])) == ROOM_ATTENDEES
    assert all_runs <= ROOM_RUNS_SECONDS, f"every run on the board after {all_runs:.1f} s"
    assert redraws and max(redraws) < BOARD_REDRAW_SECONDS, redraws[-5:]
    assert latecomer_seconds <= ROOM_FIRST_PAGE_SECONDS, latecomer_steps
    assert max(samples) < ROOM_MEMORY_LIMIT_BYTES, mb(max(samples))
