"""Every page of the app, defined once: the menu (app.py's `st.navigation`) and every link read
these. Adding a page is one line below; its script in views/ defines `render()`.

A page is a script in views/ that defines `def render() -> None:` and ends with

    if __name__ == "__main__":
        render()

so importing it runs nothing, and Streamlit runs it as the page (it executes a page's file as
`__main__`). Why files and not `st.Page(render)`: AppTest's `switch_page` opens file pages
only, and a callable would make the router import every page's modules (Plotly, the charts) on
a visitor's first page, which ui.serve keeps light (tests/test_serve.py).

Why `View` and not `st.Page` objects kept here: an `st.Page` needs a running script to be built,
and `st.navigation` marks the page it returns as runnable on the object itself, so one object
shared by every session could be marked by one session and run by another. A `View` is plain
data, shared safely; `View.page()` makes this run's `st.Page`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

# The menu's groups, in the order they appear.
YOUR_REVIEWS = "Your reviews"
GLOVE_VECTORS = "GloVe vectors"
YOUR_WORK = "Your work"


@dataclass(frozen=True)
class View:
    """One page: its script, its name and icon in the menu, its address, its menu group."""

    script: str  # relative to app.py, e.g. "views/train.py"
    title: str
    icon: str
    url_path: str  # the address: http://host/<url_path>
    group: str
    default: bool = False  # the page a visitor lands on

    def page(self) -> st.Page:
        """This run's `st.Page` for the view (see the module docstring for why not kept)."""
        return st.Page(self.script, title=self.title, icon=self.icon, url_path=self.url_path,
                       default=self.default)


ALL: list[View] = []  # in menu order


def _add(*args, **kwargs) -> View:
    view = View(*args, **kwargs)
    ALL.append(view)
    return view


REVIEWS = _add("views/reviews.py", "Reviews", ":material/edit_note:", "reviews", YOUR_REVIEWS,
               default=True)
ENCODE = _add("views/encode.py", "Encode", ":material/pin:", "encode", YOUR_REVIEWS)
TRAIN = _add("views/train.py", "Train", ":material/model_training:", "train", YOUR_REVIEWS)
WEIGHTS = _add("views/weights.py", "Weights", ":material/grid_on:", "weights", YOUR_REVIEWS)
PROJECTION = _add("views/projection.py", "Projection", ":material/scatter_plot:", "projection",
                  YOUR_REVIEWS)
VECTORS = _add("views/vectors.py", "Vectors", ":material/dataset:", "vectors", GLOVE_VECTORS)
ANALOGY = _add("views/analogy.py", "Analogy", ":material/compare_arrows:", "analogy",
               GLOVE_VECTORS)
WORD_MAP = _add("views/word_map.py", "Neighbours & word maps", ":material/hub:", "word-map",
                GLOVE_VECTORS)
WORD_AXES = _add("views/word_axes.py", "Word axes", ":material/straighten:", "word-axes",
                 GLOVE_VECTORS)
BENCHMARK = _add("views/benchmark.py", "Analogy benchmark", ":material/quiz:", "benchmark",
                 GLOVE_VECTORS)
WORKSPACE = _add("views/workspace.py", "Save & restore", ":material/save:", "workspace",
                 YOUR_WORK)
ROOM = _add("views/room.py", "Room", ":material/groups:", "room", YOUR_WORK)


def navigation() -> dict[str, list[st.Page]]:
    """The menu for `st.navigation`: this run's pages, by group, in the order of ALL."""
    groups: dict[str, list[st.Page]] = {}
    for view in ALL:
        groups.setdefault(view.group, []).append(view.page())
    return groups


def link(view: View, label: str | None = None, *, icon: str | None = None, where=None,
         **kwargs) -> None:
    """`st.page_link` to `view` (in `where`, e.g. a column; else the page): the page's own
    title and icon unless `label` and `icon` are given."""
    (st if where is None else where).page_link(view.page(), label=label, icon=icon, **kwargs)


_LAST_SHOWN = "_pages_last_shown"  # session key: the url path of the page drawn last


def open_at_top(page: st.Page) -> None:
    """Scroll the main column to its top when `page` replaces another page.

    Streamlit keeps the column's scroll offset across a page change; the new page starts at
    its top only when the old page's elements are cleared before the new ones arrive and the
    column shrinks, which a busy server does not promise (CI saw the Train page, after "Next:
    train a model", still scrolled where the Encode page had been). The script runs once, when
    its element first appears; the page's path in it makes each change a new element.
    """
    before = st.session_state.get(_LAST_SHOWN)
    st.session_state[_LAST_SHOWN] = page.url_path
    if before is None or before == page.url_path:
        return
    # In the sidebar, under the menu, where its empty element adds no gap to the page itself.
    st.sidebar.html(f"<script>/* {page.url_path} */ document.querySelector("
                    "'[data-testid=\"stMain\"]')?.scrollTo(0, 0);</script>",
                    unsafe_allow_javascript=True)
