"""A room larger than one server: two app replicas behind nginx, run for real.

The topology of deploy/compose.yaml without containers: Debian's nginx runs deploy/nginx.conf
(only its `listen` and upstream `server` lines replaced, tests/nginx_proxy.py) in front of two
`python -m ui.serve` processes on free local ports, which share one PostgreSQL database
(tests/pg.py's throwaway cluster, EXPLORER_DATABASE_URL). Each browser context is one person:
its route cookie keeps it on one replica, and the websocket, reruns and uploads all go through
nginx to that replica; a room's board, read from the database, is the same on both.
"""

from __future__ import annotations

import re
import time
import urllib.request
from contextlib import ExitStack

import pytest

from tests.browser import AppPage
from tests.browser.conftest import VIEWPORT, app_location, free_port, start_server
from tests.nginx_proxy import ROUTE_COOKIE, require_nginx, start_nginx

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def topology(browser, pg_cluster):
    """nginx on a free port in front of replicas A and B, both on one new PostgreSQL database;
    yields (proxy, {"A": server, "B": server})."""
    require_nginx()
    env = {"EXPLORER_DATABASE_URL": pg_cluster.new_database("replicas")}
    with ExitStack() as stack:
        replicas = {name: stack.enter_context(start_server(name=f"replica-{name.lower()}",
                                                           env=env, **app_location()))
                    for name in ("A", "B")}
        backends = [server.base_url.removeprefix("http://") for server in replicas.values()]
        proxy = stack.enter_context(start_nginx(backends, port=free_port()))
        yield proxy, replicas


@pytest.fixture
def person(browser, topology):
    """Factory: `person("A")` is a new browser context whose route cookie leads to replica A."""
    proxy, replicas = topology
    routes = proxy.routes_to_each()
    contexts = []

    def make(replica: str) -> AppPage:
        address = replicas[replica].base_url.removeprefix("http://")
        context = browser.new_context(viewport=VIEWPORT)
        context.add_cookies([{"name": ROUTE_COOKIE, "value": routes[address],
                              "url": proxy.base_url}])
        contexts.append(context)
        return AppPage(context.new_page(), proxy.base_url, timeout=120)

    yield make
    for context in contexts:
        context.close()


def replica_of(proxy, replicas, address: str) -> str:
    return next(name for name, server in replicas.items()
                if server.base_url.removeprefix("http://") == address)


def test_a_browser_gets_a_route_cookie_and_stays_on_one_replica(topology):
    proxy, replicas = topology
    with urllib.request.urlopen(proxy.base_url + "/", timeout=30) as response:
        cookie = response.headers.get("Set-Cookie", "")
        assert response.status == 200
    assert re.fullmatch(rf"{ROUTE_COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax", cookie)
    route = cookie.split(";")[0].split("=", 1)[1]
    # The same cookie: the same replica, every time; no new cookie once it is sent.
    seen = {proxy.replica_for(route) for _ in range(10)}
    assert len(seen) == 1
    request = urllib.request.Request(proxy.base_url + "/",
                                     headers={"Cookie": f"{ROUTE_COOKIE}={route}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get("Set-Cookie") is None
    # Different browsers are spread over both replicas.
    assert sorted(replica_of(proxy, replicas, a) for a in proxy.routes_to_each()) == ["A", "B"]


def wait_for_log(proxy, replicas, replica: str, path: str, timeout: float = 10.0) -> set:
    """(replica, status, path) of each request nginx logged for `replica`, once `path` is in."""
    deadline = time.monotonic() + timeout
    while True:
        found = {(replica_of(proxy, replicas, address), status, line.split()[1].split("?")[0])
                 for _cookie, address, status, line in proxy.routes()
                 if address in addresses(replicas)}
        mine = {entry for entry in found if entry[0] == replica}
        if any(entry[2] == path for entry in mine) or time.monotonic() > deadline:
            return mine
        time.sleep(0.1)


def addresses(replicas) -> list[str]:
    return [server.base_url.removeprefix("http://") for server in replicas.values()]


def big_reviews_csv(rows: int = 30_000) -> bytes:
    """A valid reviews file of about 2 MB: above nginx's default body limit of 1 MB."""
    lines = [f"review number {i} says the food was {'good' if i % 2 else 'bad'} today,{i % 2}"
             for i in range(rows)]
    return ("text,label\n" + "\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("replica", ["A", "B"])
def test_the_app_works_through_nginx_on_either_replica(topology, person, replica):
    proxy, replicas = topology
    app = person(replica)
    seconds = app.open("")
    app.wait_for_text("10 reviews: 5 negative, 5 positive.")
    app.assert_no_exception()
    # A rerun through the proxy: an upload (Streamlit's XSRF check, nginx's body limit) and
    # the page it redraws.
    data = big_reviews_csv()
    field = app.widget("reviews_upload").locator('input[type="file"]')
    with app.rerun_after():
        field.set_input_files(files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": data}])
    app.wait_for_text("Loaded 30000 reviews from big.csv.")
    app.assert_no_exception()
    app.screenshot(f"replicas-reviews-on-{replica.lower()}")
    app.navigate("encode")
    app.assert_no_exception()

    app.page.close()  # nginx logs a websocket when it closes
    mine = wait_for_log(proxy, replicas, replica, "/_stcore/stream")
    assert (replica, "101", "/_stcore/stream") in mine, sorted(mine)
    assert any(path.startswith("/_stcore/upload_file") and status.startswith("2")
               for _, status, path in mine), sorted(mine)
    print(f"\nreplica {replica}: first page through nginx in {seconds:.1f} s, "
          f"{len(data) / 1e6:.1f} MB upload accepted")


def start_room(presenter: AppPage) -> str:
    """The presenter starts a room with the page's defaults; returns its code."""
    presenter.open("room")
    with presenter.rerun_after():
        presenter.button("Start a room").click()
    presenter.page.locator("div.room-code").wait_for(timeout=60_000)
    presenter.wait()
    return presenter.page.locator("div.room-code").inner_text().strip()


def join_room(attendee: AppPage, code: str, name: str) -> None:
    attendee.open(f"room?room={code}")
    attendee.widget("room_join_name").locator("input").fill(name)
    with attendee.rerun_after():
        attendee.button("Join").click()
    attendee.wait_for_text(f"You are in room {code}")


def wait_for_metric(app: AppPage, label: str, value: str, timeout: float = 60.0) -> float:
    """Wait until the page shows metric `label` = `value` without being touched; the seconds."""
    started = time.monotonic()
    while app.metrics().get(label) != value:
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{label} stayed {app.metrics().get(label)!r}, not {value!r}, "
                                 f"for {timeout:.0f} s: {app.metrics()}")
        app.page.wait_for_timeout(200)
    return time.monotonic() - started


def test_a_room_spans_replicas(topology, person):
    presenter, ada = person("B"), person("A")
    code = start_room(presenter)
    join_room(ada, code, "Ada")
    # The presenter's board (replica B) learns of the attendee on replica A by itself.
    seconds = wait_for_metric(presenter, "Attendees", "1")
    presenter.assert_no_exception()
    ada.assert_no_exception()
    print(f"\nroom across replicas: the board on B showed A's attendee {seconds:.1f} s later")
