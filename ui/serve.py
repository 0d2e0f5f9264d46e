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
    "ui.common", "ui.persistence", "ui.server_tuning", "ui.state",
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


def main(argv: list[str]) -> int:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
