"""A Streamlit default that costs every session on a shared server, turned off once per process.

After each script run Streamlit calls `keras.backend.clear_session()` once Keras is imported
(`script_runner._clean_problem_modules`). That runs a full garbage collection and empties
TensorFlow's kernel cache while holding the GIL: ~0.3-0.5 s in which no other session is
answered, after every rerun of every session (the Projection page's epoch slider took 0.6 s to
redraw, 0.01 s of it our code). Keras 3 keeps its model-building state per thread and Streamlit
starts a new thread for each run, so there is nothing left for it to clear. The app draws no
matplotlib figures, the hook's only other work. (`runner.postScriptGC = false` in
.streamlit/config.toml drops the other full collection Streamlit runs after each script.)
"""

from __future__ import annotations

import threading

from streamlit.runtime.scriptrunner import script_runner


def _no_cleanup() -> None:
    """Nothing of ours needs clearing between runs."""


def skip_keras_clear_session() -> bool:
    """Replace Streamlit's post-run cleanup; False when this Streamlit version has no such hook
    (then nothing is changed, and tests/test_server_tuning.py says so)."""
    if not hasattr(script_runner, "_clean_problem_modules"):
        return False
    script_runner._clean_problem_modules = _no_cleanup
    return True


# --- memory of replaced models and ended sessions ---------------------------------------------

SWEEP_EVERY_S = 10.0
_sweeper: list = []
_model_dropped = threading.Event()
_frozen: list = []


def freeze_imports() -> bool:
    """Once per process, after importing Keras: keep what is alive now out of every collection.

    A Keras model dies in reference cycles, so only the cyclic collector frees it, and with
    TensorFlow loaded each full collection walks ~360,000 objects: 0.2-0.3 s with the GIL held,
    the whole room waiting. `gc.freeze()` moves today's objects (the imported modules, almost
    all of them) to a generation the collector skips: a collection then takes ~0.03 s.
    Call it before the first model is built, so no model of a session is frozen with them.
    """
    import gc

    if _frozen:
        return False
    _frozen.append(True)
    import keras  # noqa: F401  (with its backend: the objects worth freezing)

    gc.collect()
    gc.freeze()
    quicker_switches()
    return True


SWITCH_INTERVAL_S = 0.001  # Python's default is 0.005


def quicker_switches() -> None:
    """Once Keras is loaded, trainings can run: have a thread that holds the GIL hand it on
    after 1 ms instead of 5. The server's own thread answers every browser, and it gives the
    GIL up at each read and write of a socket; each time it took the GIL back it waited up to
    5 ms behind a training (2 MB over HTTP beside two trainings: median 31 ms, 7 ms at 0.5 ms),
    which a new visitor's page, made of many files and messages, paid for seconds."""
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL_S)


def model_dropped() -> None:
    """A session let go of a trained model (a new run replaced it): collect it soon.

    Without this each run of a 5-million-weight model left ~80-125 MB of cyclic garbage that
    Python's automatic collection reached only much later. The sweeper collects it off the
    page's thread, so the page that trained answers at once.
    """
    _model_dropped.set()


def sweep_ended_sessions() -> bool:
    """Start (once per process) a thread that gives dropped models' memory back to the system.

    Streamlit drops a closed tab's session state after `server.disconnectedSessionTTL`, but with
    the post-script collection off (see above) its models can wait in reference cycles, and the
    C allocator keeps freed pages. When the number of sessions has fallen or a session dropped a
    model (`model_dropped`), the thread drops ended sessions' lazy downloads, collects cycles and
    asks glibc to return free pages (malloc_trim). Otherwise it sleeps, so it costs the room nothing while everyone works.
    """
    if _sweeper:
        return False
    thread = threading.Thread(target=_sweep_forever, name="explorer-sweeper", daemon=True)
    _sweeper.append(thread)
    thread.start()
    return True


def _sweep_forever() -> None:
    seen, sweeps_left = 0, 0
    while True:
        dropped = _model_dropped.wait(SWEEP_EVERY_S)
        _model_dropped.clear()
        try:
            count = _session_count()
        except Exception:  # no runtime (tests, bare mode): only dropped models to sweep
            count = seen
        if dropped or count < seen:
            # Now and on the next tick: a dropped run is still held by its page's lazy downloads
            # until that script run ends, and a session leaves the list before it is torn down.
            sweeps_left = 2
        if sweeps_left:
            sweeps_left -= 1
            drop_ended_sessions_downloads()
            release_memory()
        seen = count


def _session_count() -> int:
    from streamlit.runtime import Runtime

    return len(Runtime.instance()._session_mgr.list_sessions())


def drop_ended_sessions_downloads() -> None:
    """Let go of the download buttons' callables of sessions that have ended.

    A download built lazily (`st.download_button(data=callable)`) keeps its callable, and with it
    the run it closes over, in Streamlit's media file manager while a session refers to it. A
    closed tab's session is kept for `disconnectedSessionTTL` and then dropped from storage
    without being shut down, so its references are never cleared: each closed tab kept its runs'
    models alive for good (probe on the server: two 5-million-weight models after the tab closed,
    held by TrainResult <- closure <- MediaFileManager._deferred_callables). Here the references
    of every session no longer listed are cleared and the orphans swept.
    """
    from streamlit.runtime import Runtime

    try:
        runtime = Runtime.instance()
        live = {info.session.id for info in runtime._session_mgr.list_sessions()}
        manager = runtime.media_file_mgr
        for session_id in list(manager._files_by_session_and_coord):
            if session_id not in live:
                manager.clear_session_refs(session_id)
        manager.remove_orphaned_files()
    except Exception:  # no runtime (tests, bare mode), or a Streamlit that changed these names
        pass


def release_memory() -> None:
    """Collect reference cycles, then return the allocator's free pages to the system."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): the collection is what we can do
        pass


# --- Streamlit's own files, from memory -------------------------------------------------------

IMMUTABLE = "public, immutable, max-age=31536000"  # as Streamlit marks its content-hashed files
# Already compressed, or not worth it: sent as they are.
INCOMPRESSIBLE = (".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".gz", ".br")


class StaticFromMemory:
    """ASGI middleware: Streamlit's content-hashed files (`/static/...`) answered from memory,
    gzipped once per process for browsers that accept it.

    Streamlit serves them with Starlette's FileResponse: an open, a stat and every 64 KB read is
    a hop to a worker thread and back to the event loop, each waiting for the GIL behind the
    trainings, and the bytes go out uncompressed (Streamlit does not gzip them, as it would on
    every request). A first page fetches 128 of them, 4.6 MB: py-spy on a room of ten training
    put one latecomer's files at 3.3 s of the server thread's 9.7 GIL-seconds. From memory, a
    file is one send, and the 128 are 1.5 MB gzipped. Only the files Streamlit ships are served,
    by their exact path; anything else (pages, other methods, ranges, a base URL path) goes to
    Streamlit untouched.
    """

    def __init__(self, app, *, directory=None):
        from pathlib import Path

        from streamlit import file_util

        self.app = app
        root = Path(directory or file_util.get_static_dir())
        self._files = {"/" + path.relative_to(root).as_posix(): path
                       for path in (root / "static").rglob("*") if path.is_file()}
        self._answers: dict[str, tuple[bytes, bytes | None, str]] = {}

    async def __call__(self, scope, receive, send):
        path = scope.get("path") if scope["type"] == "http" else None
        if (path not in self._files or scope.get("method") not in ("GET", "HEAD")
                or _header(scope, b"range") is not None):
            await self.app(scope, receive, send)
            return
        answer = self._answers.get(path)
        if answer is None:
            import anyio

            answer = await anyio.to_thread.run_sync(self._load, path)
        plain, packed, content_type = answer
        gzip_ok = packed is not None and b"gzip" in (_header(scope, b"accept-encoding") or b"")
        body = packed if gzip_ok else plain
        headers = [(b"content-type", content_type.encode()), (b"cache-control", IMMUTABLE.encode()),
                   (b"content-length", str(len(body)).encode()), (b"vary", b"accept-encoding")]
        if gzip_ok:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body",
                    "body": body if scope["method"] == "GET" else b""})

    def _load(self, path: str) -> tuple[bytes, bytes | None, str]:
        import gzip
        import mimetypes

        file = self._files[path]
        plain = file.read_bytes()
        packed = None
        if not file.name.endswith(INCOMPRESSIBLE):
            packed = gzip.compress(plain, compresslevel=6, mtime=0)
            if len(packed) > 0.9 * len(plain):
                packed = None
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):  # as Starlette's FileResponse says it
            content_type += "; charset=utf-8"
        answer = self._answers[path] = (plain, packed, content_type)
        return answer


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None


def serve_static_from_memory() -> bool:
    """Put StaticFromMemory in the app Streamlit builds, just inside its path-security check;
    False when this Streamlit builds its app otherwise (then nothing is changed)."""
    try:
        from starlette.middleware import Middleware
        from streamlit.web.server.starlette import starlette_app
    except ImportError:
        return False
    original = getattr(starlette_app, "create_streamlit_middleware", None)
    if original is None or getattr(original, "with_static_from_memory", False):
        return False

    def with_static_from_memory():
        middleware = original()
        middleware.insert(1, Middleware(StaticFromMemory))  # after PathSecurityMiddleware
        return middleware

    with_static_from_memory.with_static_from_memory = True
    starlette_app.create_streamlit_middleware = with_static_from_memory
    return True
