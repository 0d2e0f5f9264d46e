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
from tests.browser.test_room import join_room, press_train, start_room, wait_for_metric
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


def test_the_app_works_through_nginx(topology, person):
    # Replica A here; the room test below works through both.
    proxy, replicas = topology
    replica = "A"
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


def test_a_room_spans_replicas(topology, person):
    presenter, ada, grace = person("B"), person("A"), person("B")
    code = start_room(presenter, sweep=("Vocabulary size", "20, 50"))
    join_room(ada, code, "Ada")
    join_room(grace, code, "Grace")
    # The presenter's board (replica B) learns of the attendee on replica A by itself.
    joined = wait_for_metric(presenter, "Attendees", "2")
    for attendee in (ada, grace):
        press_train(attendee)
    for attendee in (ada, grace):
        attendee.wait_for_text("Final accuracy", timeout=300)
        attendee.assert_no_exception()
    posted = wait_for_metric(presenter, "Runs", "2")
    runs = presenter.read_table(presenter.widget("room_board_runs"))
    assert sorted(zip(runs["Name"], runs["Vocabulary size"])) == [("Ada", "20"), ("Grace", "50")]
    presenter.assert_no_exception()
    presenter.screenshot("replicas-room-board-on-b")
    print(f"\nroom across replicas: the board on B showed A's attendee {joined:.1f} s after "
          f"the join, both runs {posted:.1f} s after the last training ended")
