"""`python -m ui.serve [streamlit options]`: `streamlit run app.py`, with the first page's
modules imported before the server starts answering.

Streamlit imports what app.py needs only when the first visitor arrives, so the first visitor
after a server start waited for pandas, pyarrow and our own modules (about 0.5 s of a first page
that should take under 2 s). Importing them here moves that wait to the server's start, before
it reports itself ready, as `gunicorn --preload` does. `make run` and the tests start the app
this way; a plain `streamlit run app.py` works too, only with a slower first page.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
# What the Reviews page (the default page) and the router import on a first visit, including
# the parts of pandas and pyarrow they load lazily (CSV writing, DataFrame → Arrow);
# tests/test_serve.py fails when a first visit still imports something from these packages.
FIRST_PAGE_MODULES = (
    "pandas", "pyarrow", "numpy", "pandas.io.formats.csvs", "pyarrow.pandas_compat",
    "pyarrow.vendored.version", "streamlit.material_icon_names",
    "streamlit.runtime.scriptrunner.magic_funcs",
    "streamlit.elements.widgets.data_editor", "streamlit.elements.arrow",
    "explorer.reviews", "explorer.workspace", "explorer.model",
    "ui.common", "ui.pages", "ui.persistence", "ui.room_state", "ui.server_tuning", "ui.state",
)


def preload() -> list[str]:
    """Import the first page's modules; return any that could not be (the page will say why)."""
    missing = []
    for name in FIRST_PAGE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def allowed_hosts(address: str, extra: str = "") -> list[str]:
    """The Host names a browser may use to reach a server bound to `address`.

    Streamlit accepts any Host header unless `server.allowedHosts` is set, so a page elsewhere
    could point its own domain name at this machine (DNS rebinding) and drive the app from a
    visitor's browser. Bound to this machine only, the names are this machine's; bound to every
    address (a workshop room, `make run HOST=0.0.0.0`), they are also the machine's own names and
    the addresses of its network interfaces, which is what a room types. `extra` adds names,
    comma-separated (EXPLORER_ALLOWED_HOSTS), e.g. a DNS name the room uses.

    Example:
        >>> allowed_hosts("localhost")
        ['localhost', '127.0.0.1', '::1']
    """
    names = list(LOCAL_NAMES)
    if address not in LOCAL_NAMES:
        names += [address] if address not in ANY_ADDRESS else _machine_names()
    names += [name.strip() for name in extra.split(",") if name.strip()]
    return list(dict.fromkeys(name.lower() for name in names))


def _machine_names() -> list[str]:
    import socket

    names = [socket.gethostname(), socket.getfqdn()]
    for host in {socket.gethostname(), socket.getfqdn()}:
        try:
            names += [info[4][0] for info in socket.getaddrinfo(host, None)]
        except OSError:
            pass
    return names + _interface_addresses()


def _interface_addresses() -> list[str]:
    # The IPv4 address of every network interface (Linux: the SIOCGIFADDR ioctl), without
    # sending anything anywhere; elsewhere the host name's addresses above have to do.
    import socket
    import struct

    try:
        import fcntl
    except ImportError:
        return []
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                reply = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
            except OSError:
                continue  # no IPv4 address on this interface
            found.append(socket.inet_ntoa(reply[20:24]))
    return found


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str]) -> int:
    preload()
    from streamlit.web import cli

    from ui.server_tuning import serve_static_from_memory

    serve_static_from_memory()

    if _option(argv, "--server.allowedHosts") is None:
        address = _option(argv, "--server.address") or "localhost"
        hosts = allowed_hosts(address, os.environ.get("EXPLORER_ALLOWED_HOSTS", ""))
        argv = [*argv, *(part for host in hosts for part in ("--server.allowedHosts", host))]
        print("Answering browsers that reach this server as: " + ", ".join(hosts), flush=True)
    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
