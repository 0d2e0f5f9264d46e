"""The server a room reaches: only its own host names may drive it, and no error detail leaks."""

import base64
import os
import socket
from urllib.parse import urlparse

import pytest

from ui.serve import allowed_hosts

pytestmark = pytest.mark.browser


def handshake_status(base_url: str, host: str) -> int:
    """The HTTP status of a WebSocket handshake on Streamlit's stream, sent with `host`."""
    port = urlparse(base_url).port
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        status_line = connection.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


def test_a_websocket_from_a_foreign_host_name_is_refused(server):
    port = urlparse(server.base_url).port
    assert handshake_status(server.base_url, f"127.0.0.1:{port}") == 101
    assert handshake_status(server.base_url, f"localhost:{port}") == 101
    for foreign in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
        assert handshake_status(server.base_url, foreign) != 101, foreign


def test_a_room_server_answers_to_its_own_addresses_only():
    hosts = allowed_hosts("0.0.0.0", "room.example, Other.Example")
    assert {"localhost", "127.0.0.1", "room.example", "other.example"} <= set(hosts)
    assert socket.gethostname().lower() in hosts
    assert "*" not in hosts and "evil.example" not in hosts
    assert allowed_hosts("192.168.1.20") == ["localhost", "127.0.0.1", "::1", "192.168.1.20"]


def test_error_details_never_reach_the_browser():
    from streamlit import config
    config.get_config_options(force_reparse=True)
    assert config.get_option("client.showErrorDetails") == "none"


def test_the_server_takes_no_upload_larger_than_the_largest_upload_box():
    from streamlit import config

    from explorer.reviews import MAX_UPLOAD_BYTES
    from explorer.vectors import UPLOAD_LIMIT_MB
    from explorer.workspace import MAX_FILE_BYTES
    from ui.common import upload_box_mb
    config.get_config_options(force_reparse=True)
    largest = max(UPLOAD_LIMIT_MB, upload_box_mb(MAX_UPLOAD_BYTES), upload_box_mb(MAX_FILE_BYTES))
    assert config.get_option("server.maxUploadSize") == largest
    # A workspace the app writes (up to MAX_FILE_BYTES) always fits its own upload box.
    assert upload_box_mb(MAX_FILE_BYTES) * 10**6 >= MAX_FILE_BYTES
