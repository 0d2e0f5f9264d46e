"""Reviews: the labelled examples the model learns from. Type them, load a sample, or upload a CSV."""

import pandas as pd
import streamlit as st

from explorer.errors import InputError
from explorer.reviews import (DEFAULT_CLASS_NAMES, MAX_UPLOAD_BYTES, load_sample, read_reviews_csv, reviews_to_csv,
                              sample_files, validate_reviews)
from ui import pages, reviews_state, state
from ui.common import class_names, upload_box_mb
from ui.markup import md, md_message

# The editor sends every cell to the browser; a set with more text than this is shown a window
# at a time instead, read-only (edit it in a spreadsheet, or a smaller set here).
MAX_EDITABLE_TEXT_CHARS = 8_000_000
WINDOW_ROWS = 1_000


def render() -> None:
    names = class_names()
    state.remember(dict(zip(reviews_state.CLASS_KEYS, names)))
    reviews_state.take_pending_names()

    st.title("Reviews")
    st.caption(
        "An Embedding layer learns one vector per word from labelled examples. Start with the ten "
        "restaurant reviews every Keras tutorial uses, or type, load or upload your own."
    )
    if st.session_state.get(reviews_state.MESSAGE):
        st.success(st.session_state.pop(reviews_state.MESSAGE))

    # The class names are read before the table, whose class column offers them; their boxes
    # are drawn below it, so that the table, the first thing a visitor needs, is drawn first.
    names, names_problem = typed_class_names(names)

    st.subheader("Your reviews", divider="gray")
    reviews_table(names)
    add_review_form(names)

    st.subheader("Class names", divider="gray")
    left, right = st.columns(2)
    left.text_input("Name of class 0", key="reviews_class_0", persist_state="session", max_chars=40)
    right.text_input("Name of class 1", key="reviews_class_1", persist_state="session", max_chars=40)
    if names_problem:
        st.warning(names_problem)

    st.subheader("Load", divider="gray")
    load_buttons()
    upload_box(names)

    readiness(st.session_state.reviews, names)


def replace_reviews(reviews: pd.DataFrame, new_names=None, *, message: str) -> None:
    """Swap in a whole new table and draw the page again so every widget shows it."""
    reviews_state.replace(reviews, new_names, message=message)
    st.rerun()


def typed_class_names(names: tuple[str, str]) -> tuple[tuple[str, str], str | None]:
    """The class names typed in their boxes, made the session's when they are usable; else the
    previous names and what is wrong with the typed ones."""
    typed = tuple(st.session_state[key].strip() for key in reviews_state.CLASS_KEYS)
    if not all(typed) or typed[0].casefold() == typed[1].casefold():
        return names, ("The two classes need two different, non-empty names; the previous names "
                       f"({md(repr(names[0]))} and {md(repr(names[1]))}) stay until then.")
    if typed != names:
        st.session_state.class_names = names = typed
        reviews_state.redraw_table()
    return names, None


def class_column(labels, names) -> list:
    """Each label as its class name for the table (None for a row without a class yet)."""
    return [names[int(v)] if str(v) in ("0", "1") else None for v in labels]


def reviews_table(names: tuple[str, str]) -> None:
    """The reviews, editable in place (or a read-only window of a very large set); edits are
    the session's reviews at once."""
    saved = st.session_state.reviews
    text_chars = int(saved["text"].astype(str).str.len().sum()) if len(saved) else 0
    if text_chars > MAX_EDITABLE_TEXT_CHARS:
        reviews_window(saved, names, text_chars=text_chars)
        return
    editor_key = reviews_state.editor_key()
    if editor_key not in st.session_state:
        # A fresh editor (first visit, back from another page, or a new table): show the saved
        # table. Explicit dtypes: an empty column would otherwise be float, which the text
        # editor refuses.
        st.session_state.reviews_shown = pd.DataFrame({
            "text": pd.Series(saved["text"].astype(str).tolist(), dtype=object),
            "class": pd.Series(class_column(saved["label"], names), dtype=object),
        }).set_axis(pd.RangeIndex(1, len(saved) + 1))  # row numbers as messages count them, from 1
    edited = st.data_editor(
        st.session_state.reviews_shown, key=editor_key, num_rows="dynamic", hide_index=False,
        width="stretch",
        column_config={
            "text": st.column_config.TextColumn("review", width="large"),
            "class": st.column_config.SelectboxColumn("class", options=list(names), width="small"),
        },
    )
    by_name = {name: label for label, name in enumerate(names)}
    st.session_state.reviews = pd.DataFrame({
        "text": edited["text"].fillna("").astype(str).tolist(),
        "label": [by_name.get(c, c) for c in edited["class"]],
    })


def reviews_window(saved: pd.DataFrame, names, *, text_chars: int) -> None:
    st.info(f"{len(saved):,} reviews with {text_chars / 1e6:,.1f} million characters of text: too "
            "many to edit in the browser, so they are shown here a window at a time. Download "
            "the table, edit it in a spreadsheet and upload it again, or load a smaller set.")
    state.remember({"reviews_first_shown": 1})
    st.session_state.reviews_first_shown = min(st.session_state.reviews_first_shown, len(saved))
    first = st.number_input(f"First review shown ({WINDOW_ROWS:,} at a time)", min_value=1,
                            max_value=len(saved), step=WINDOW_ROWS, key="reviews_first_shown") - 1
    window = saved.iloc[first:first + WINDOW_ROWS]
    st.dataframe(pd.DataFrame({
        "review": window["text"].astype(str).str.slice(0, 500).tolist(),
        "class": class_column(window["label"], names),
    }, index=pd.RangeIndex(first + 1, first + 1 + len(window))), width="stretch")


def add_review_form(names) -> None:
    with st.form("reviews_add_form", clear_on_submit=True, border=False):
        text_col, class_col, button_col = st.columns([6, 2, 1], vertical_alignment="bottom")
        # No example review as a placeholder: one that reads positive beside a class box showing
        # the first class suggested that the box had followed the text.
        new_text = text_col.text_input("Add a review", key="reviews_new_text",
                                       placeholder="Type a review, then choose its class")
        new_class = class_col.selectbox("Class of this review", names, key="reviews_new_class")
        if button_col.form_submit_button("Add", key="reviews_add", width="stretch"):
            if new_text.strip():
                row = pd.DataFrame({"text": [new_text.strip()], "label": [names.index(new_class)]})
                replace_reviews(pd.concat([st.session_state.reviews, row]),
                                message="Added the review at the end of the table.")
            else:
                st.warning("Type a review before pressing Add.")


def load_buttons() -> None:
    columns = st.columns(len(sample_files()) + 1)
    for column, name in zip(columns, sample_files()):
        slug = name.split()[0].lower()
        if column.button(f"Load: {name}", key=f"reviews_load_{slug}", width="stretch"):
            replace_reviews(load_sample(name), DEFAULT_CLASS_NAMES,
                            message=f"Loaded the sample: {name}.")


def upload_box(names) -> None:
    s = st.session_state
    upload = st.file_uploader("Upload a CSV with columns text,label (labels 0/1 or two class names; "
                              f"up to {MAX_UPLOAD_BYTES // 10**6} MB)",
                              type=["csv", "txt", "tsv"], key="reviews_upload",
                              max_upload_size=upload_box_mb(MAX_UPLOAD_BYTES))
    if upload is not None and s.get("reviews_upload_done") != upload.file_id:
        # Each upload is read once; later reruns must not undo the user's edits.
        s.reviews_upload_done = upload.file_id
        try:
            table, new_names = read_reviews_csv(upload.getvalue(), class_names=names)
        except InputError as error:
            s[reviews_state.UPLOAD_ERROR] = f"{md(upload.name)}: {md_message(error)}"
        else:
            if len(table) == 0:
                s[reviews_state.UPLOAD_ERROR] = (
                    f"{md(upload.name)} has a header but no reviews under it: add rows of "
                    "text,label to the file, or load a sample.")
            else:
                s[reviews_state.UPLOAD_ERROR] = None
                replace_reviews(table, new_names,
                                message=f"Loaded {len(table)} reviews from {md(upload.name)}.")
    if s.get(reviews_state.UPLOAD_ERROR):
        st.error(s[reviews_state.UPLOAD_ERROR] + " Your table below is unchanged.")


def readiness(reviews: pd.DataFrame, names) -> None:
    """Whether the reviews are ready to encode, the way on, and the download."""
    try:
        _, labels = validate_reviews(reviews, class_names=names)
    except InputError as error:
        st.warning(f"Not ready to encode yet: {md_message(error)}")
    else:
        counts = [int((labels == c).sum()) for c in (0, 1)]
        st.success(f"{len(labels)} reviews: {counts[0]} {md(names[0])}, {counts[1]} {md(names[1])}. "
                   "Next: see how they become numbers.")
        pages.link(pages.ENCODE, "Go to Encode")

    try:
        csv_bytes = reviews_to_csv(reviews, class_names=names)
    except InputError:
        csv_bytes = None  # a row without a class cannot be written as 0/1 yet
    st.download_button("Download the table as CSV", csv_bytes or b"", file_name="reviews.csv",
                       mime="text/csv", key="reviews_download", disabled=csv_bytes is None)


if __name__ == "__main__":
    render()
