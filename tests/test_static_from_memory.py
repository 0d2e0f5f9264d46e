"""Streamlit's own files answered from memory, gzipped once (ui.server_tuning.StaticFromMemory):
what a browser gets is the file, byte for byte, and anything that is not one of the shipped
files goes to Streamlit as before."""

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

from ui.server_tuning import IMMUTABLE, StaticFromMemory


def site(tmp_path):
    """A static folder like Streamlit's: index.html and static/{js,media}/ files."""
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "media").mkdir()
    (tmp_path / "index.html").write_text("<html>index</html>")
    script = ("export const words = [" + ", ".join(f'"w{i}"' for i in range(5000)) + "];\n")
    (tmp_path / "static" / "js" / "index.abc123.js").write_text(script)
    (tmp_path / "static" / "media" / "font.woff2").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "secret.txt").write_text("not under static/")
    return tmp_path


def get(app, path, *, method="GET", headers=()):
    """(status, headers as a dict, body, whether Streamlit's own app answered)."""
    passed = []

    async def streamlit(scope, receive, send):
        passed.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"from streamlit"})

    app.app = streamlit
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path,
             "headers": [(k.encode(), v.encode()) for k, v in headers]}
    # On a thread of its own: the browser tests' Playwright keeps an event loop running on this
    # one for the whole session, and asyncio.run() refuses to start inside it.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body, bool(passed)


def test_a_script_arrives_gzipped_to_a_browser_that_accepts_it_and_plain_otherwise(tmp_path):
    root = site(tmp_path)
    app = StaticFromMemory(None, directory=root)
    original = (root / "static" / "js" / "index.abc123.js").read_bytes()
    for _ in range(2):  # the first answer reads the file, the next comes from memory
        status, headers, body, passed = get(app, "/static/js/index.abc123.js",
                                            headers=[("accept-encoding", "gzip, deflate, br")])
        assert (status, passed) == (200, False)
        assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == original
        assert len(body) < len(original) / 3
        assert headers["content-length"] == str(len(body))
        assert headers["cache-control"] == IMMUTABLE
        assert headers["content-type"] in ("text/javascript; charset=utf-8",
                                           "application/javascript")
    status, headers, body, _ = get(app, "/static/js/index.abc123.js")
    assert body == original and "content-encoding" not in headers
    assert headers["content-length"] == str(len(original))


def test_a_font_is_sent_as_it_is_and_head_sends_no_body(tmp_path):
    root = site(tmp_path)
    app = StaticFromMemory(None, directory=root)
    font = (root / "static" / "media" / "font.woff2").read_bytes()
    _, headers, body, _ = get(app, "/static/media/font.woff2", headers=[("accept-encoding", "gzip")])
    assert body == font and "content-encoding" not in headers
    status, headers, body, passed = get(app, "/static/js/index.abc123.js", method="HEAD")
    assert (status, body, passed) == (200, b"", False) and int(headers["content-length"]) > 0


def test_everything_else_goes_to_streamlit(tmp_path):
    app = StaticFromMemory(None, directory=site(tmp_path))
    for path, method, headers in [
            ("/", "GET", ()), ("/index.html", "GET", ()), ("/train", "GET", ()),
            ("/static/js/missing.js", "GET", ()), ("/static/js/", "GET", ()),
            ("/static/../secret.txt", "GET", ()), ("/static/js/../../secret.txt", "GET", ()),
            ("/secret.txt", "GET", ()), ("/STATIC/js/index.abc123.js", "GET", ()),
            ("/static/js/index.abc123.js", "POST", ()),
            ("/static/js/index.abc123.js", "GET", [("range", "bytes=0-10")])]:
        status, _, body, passed = get(app, path, method=method, headers=headers)
        assert passed and body == b"from streamlit", (path, method, headers)


def test_the_app_streamlit_builds_has_it_just_inside_the_path_check():
    from streamlit.web.server.starlette import starlette_app
    from streamlit.web.server.starlette.starlette_path_security_middleware import (
        PathSecurityMiddleware)

    from ui import server_tuning

    original = starlette_app.create_streamlit_middleware
    try:
        assert server_tuning.serve_static_from_memory()
        assert not server_tuning.serve_static_from_memory()  # once
        classes = [m.cls for m in starlette_app.create_streamlit_middleware()]
        assert classes[:2] == [PathSecurityMiddleware, StaticFromMemory]
    finally:
        starlette_app.create_streamlit_middleware = original
