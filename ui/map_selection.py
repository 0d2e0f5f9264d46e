"""What a word map remembers between reruns: the clicked word, and the part zoomed into.

Streamlit gives a chart whose figure changed (a search highlights words, k changes) a new
identity, and its selection starts empty: the click the chart reported once must be kept here,
until another click or Clear the selection. A zoom is a range of the map's coordinates, so it is
kept with the map it was made on and means nothing on another. Keys start with the page's
prefix (`word_map_`, `projection_map_`).
"""

from __future__ import annotations

import streamlit as st

from ui.markup import md


def remembered_click(prefix: str, clicked: int | None, words) -> int | None:
    """The row of the selected word: a click just reported, else the last one remembered."""
    s = st.session_state
    reported = words[clicked] if clicked is not None else None
    if reported != s.get(f"{prefix}_seen_click"):  # a new click, or the chart's reset
        s[f"{prefix}_seen_click"] = reported
        if reported is not None:
            s[f"{prefix}_clicked"] = reported
    kept = s.get(f"{prefix}_clicked")
    return words.index(kept) if kept in words else None


def clear_button(prefix: str, words) -> None:
    """Clear the selection, under the map, while a remembered click is on it."""
    kept = st.session_state.get(f"{prefix}_clicked")
    if kept in words:
        st.button(f"Clear the selection: {md(kept)}", key=f"{prefix}_clear",
                  on_click=_forget, args=(prefix,))


def _forget(prefix: str) -> None:
    st.session_state[f"{prefix}_clicked"] = None


def signature(frame, title: str) -> str:
    """Which map a zoom was made on (its title, size and where its points are)."""
    return (f"{title}|{len(frame)}|{float(frame['x'].sum()):.6g}|"
            f"{float(frame['y'].sum()):.6g}")


def current_zoom(prefix: str, sign: str):
    """(x0, x1, y0, y1) zoomed into on this map, or None."""
    zoom = st.session_state.get(f"{prefix}_zoom") or {}
    return tuple(zoom["range"]) if zoom.get("map") == sign else None


def selection_region(event) -> tuple[float, float, float, float] | None:
    """(x0, x1, y0, y1) of the box dragged, or around the lasso drawn; None for a click.

    >>> selection_region({"selection": {"box": [{"x": [3, 1], "y": [0, 2]}], "lasso": []}})
    (1.0, 3.0, 0.0, 2.0)
    >>> selection_region({"selection": {"box": [], "lasso": [{"x": [0, 4, 2], "y": [1, 1, 5]}]}})
    (0.0, 4.0, 1.0, 5.0)
    >>> selection_region({"selection": {"points": [{"x": 1}], "box": [], "lasso": []}}) is None
    True
    """
    selection = (event or {}).get("selection") or {}
    for shape in list(selection.get("box") or []) + list(selection.get("lasso") or []):
        xs, ys = shape.get("x") or [], shape.get("y") or []
        try:
            xs, ys = [float(v) for v in xs], [float(v) for v in ys]
        except (TypeError, ValueError):
            return None
        if len(xs) >= 2 and len(ys) >= 2 and min(xs) < max(xs) and min(ys) < max(ys):
            return min(xs), max(xs), min(ys), max(ys)
    return None


def zoom_button(where, prefix: str, region, sign: str) -> None:
    """Zoom in here: redraw just `region` of the map, its words labelled at that zoom."""
    where.button("Zoom in here", key=f"{prefix}_zoom_in", on_click=_zoom,
                 args=(prefix, region, sign),
                 help="Redraw the map showing only this box, its words labelled where they "
                      "fit at that zoom (Whole map comes back).")


def _zoom(prefix: str, region, sign: str | None) -> None:
    st.session_state[f"{prefix}_zoom"] = (None if region is None else
                                          {"range": tuple(region), "map": sign})


def zoomed_note(prefix: str, inside: int, total: int) -> None:
    """What a zoomed map shows, and the way back."""
    st.info(f"Zoomed in: {inside:,} of the map's {total:,} words are in this part, labelled "
            "where their labels fit at this zoom. Drag a box again to zoom further.",
            icon=":material/zoom_in:")
    st.button("Whole map", key=f"{prefix}_zoom_out", on_click=_zoom, args=(prefix, None, None))
