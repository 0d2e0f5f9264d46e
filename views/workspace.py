"""Save & restore: your work lives in the page address while it is small, and in a workspace file always."""

import streamlit as st

from explorer.errors import InputError
from explorer.workspace import MAX_FILE_BYTES, MAX_QUERY_CHARS
from ui import pages, persistence, training_session
from ui.common import class_names, upload_box_mb
from ui.markup import md, md_message

STARTS = {"random": "random values", "glove_frozen": "GloVe, frozen", "glove_tuned": "GloVe, fine-tuned"}


def render() -> None:
    s = st.session_state
    names = class_names()
    run = training_session.current_run()
    st.title("Save & restore")
    st.caption(
        "A refresh, a lost connection or a restarted server starts a new session. Your reviews "
        "and settings come back from the page address; once you have trained, the server keeps "
        "your trained model and runs under the address's `work=` id, so they come back too. A "
        "workspace file you download here keeps everything on your own disk, to open again on "
        "this computer or another."
    )
    if s.get("workspace_message"):
        st.success(s.pop("workspace_message"), icon=":material/check_circle:")
    st.subheader("In the page address", divider="gray")
    address_status(len(s.reviews), has_model=run is not None)
    st.subheader("Download a workspace file", divider="gray")
    download(names, run)
    st.subheader("Open a workspace file", divider="gray")
    open_file()
    pages.link(pages.REVIEWS, "Back to your reviews")


def address_status(n_reviews: int, *, has_model: bool) -> None:
    """What the page address holds now, and what a refresh would bring back."""
    status = persistence.url_status()
    if status == "saved":
        st.success(
            f"Your {n_reviews} reviews, the class names and the settings are in this page's "
            "address: a refresh brings them back, and the address opens them in any other "
            "browser. Copy it from the address bar to share your work.", icon=":material/link:")
    elif status == "default":
        st.info("You have the starting sample and settings, so the address stays plain. As soon "
                "as you change something, the address keeps it.", icon=":material/link:")
    elif status == "too_big":
        st.warning(
            f"Your work is too big for the page address (over {MAX_QUERY_CHARS:,} characters, "
            "even compressed), so the address holds none of it and a refresh would start over "
            "with the sample. Download a workspace file below to keep it.",
            icon=":material/link_off:")
    else:
        st.warning(
            "A review without a class cannot be saved, so the address still holds your last "
            "complete table. Give every review a class on the Reviews page.",
            icon=":material/link_off:")
    if has_model:
        # Since runs survive a refresh (ui/saved_work.py) the model is kept on the server too;
        # this said "only the workspace file keeps it", which a refresh proved wrong.
        st.caption("The trained model itself is not in the address: the server keeps it under "
                   "the address's `work=` id (unused work is removed after some days), and a "
                   "workspace file keeps it on your disk.")


def download(names, run) -> None:
    """What a workspace file would hold, and the button that downloads it."""
    n_reviews = len(st.session_state.reviews)
    settings = persistence.current_settings()
    encoding, model_settings = settings["encode_settings"], settings["model_settings"]
    st.markdown(
        f"- **{n_reviews} reviews**, classes **{md(names[0])}** (0) and **{md(names[1])}** (1)\n"
        f"- **encoding**: {encoding['method']}, vocabulary size {encoding['vocab_size']}, "
        f"max length {encoding['max_length']}, padding {encoding['padding']}, "
        f"truncating {encoding['truncating']}\n"
        f"- **model**: {model_settings['head']} head, output dimension "
        f"{model_settings['output_dim']}, "
        f"{model_settings['optimizer']} at {model_settings['learning_rate']:g}, "
        f"{model_settings['epochs']} epochs, batch size {model_settings['batch_size']}, "
        f"validation split {model_settings['validation_split']:g}, seed {model_settings['seed']}, "
        f"embedding starting from "
        f"{STARTS.get(settings['embedding_start'], settings['embedding_start'])}\n"
        + (f"- **trained model**: {md(run.label or 'unnamed')}, {run.epochs_run} epochs, "
           f"{run.totals['total']:,} weights" if run is not None else "- no trained model yet")
    )
    include = st.checkbox("Include the trained model (every weight, to predict and read its "
                          "weights after opening)", value=True, key="workspace_include_model",
                          disabled=run is None)
    try:
        data = persistence.workspace_bytes(include_model=include)
    except InputError as error:
        st.warning(md_message(error), icon=":material/warning:")
        data = None
    st.download_button(
        "Download the workspace file", data or b"", file_name="embedding-explorer-workspace.json",
        mime="application/json", key="workspace_download", disabled=data is None,
        icon=":material/download:", on_click="ignore")
    if data is not None:
        st.caption(f"{len(data) / 1024:,.1f} KB of JSON: plain data, no code.")


def open_file() -> None:
    """The upload box that replaces the session's work with a workspace file's."""
    s = st.session_state
    upload = st.file_uploader(
        "Open a workspace file saved by Embedding Explorer. It replaces your reviews, settings "
        "and trained model.", type=["json"], key="workspace_upload",
        max_upload_size=upload_box_mb(MAX_FILE_BYTES))
    if upload is not None and s.get("workspace_upload_done") != upload.file_id:
        # Each file is opened once; later reruns must not undo what the user changed since.
        s.workspace_upload_done = upload.file_id
        try:
            with st.spinner("Opening the file (a trained model is rebuilt with TensorFlow)…"):
                opened = persistence.open_workspace(upload)
        except InputError as error:
            s.workspace_upload_error = f"{md(upload.name)}: {md_message(error)}"
        else:
            s.workspace_upload_error = None
            s.workspace_message = f"Opened {md(upload.name)}: {md_message(opened)}"
            st.rerun()
    if s.get("workspace_upload_error"):
        st.error(s.workspace_upload_error, icon=":material/block:")


if __name__ == "__main__":
    render()
