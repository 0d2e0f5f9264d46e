"""The Train page's "Runs side by side": the runs' curves and final numbers in percent, and two
runs compared on their embeddings (explorer/runs.py). Keys: `train_compare_*`."""

from __future__ import annotations

import streamlit as st

from explorer.charts.runs import runs_chart, shared_neighbours_chart
from explorer.errors import InputError
from explorer.runs import (ACCURACY_FORMAT, DEFAULT_TOPN, TOPN, neighbours_side_by_side,
                           runs_table)
from ui import state
from ui.markup import md_message

EMBEDDINGS = "train_compare_embeddings"  # run label → {"weights", "word_ids"}
# Tables kept for the comparison: larger runs are compared on their numbers only.
MAX_KEPT_NUMBERS = 2_000_000


def remember_embedding(run) -> None:
    """Keep the run's Embedding table (no copy) for comparing it with later runs."""
    s = st.session_state
    kept = s.setdefault(EMBEDDINGS, {})
    if run.weights_after.size <= MAX_KEPT_NUMBERS:
        kept[run.label] = {"weights": run.weights_after,
                           "word_ids": run.encoded.encoder.word_ids}


def runs_side_by_side(runs: list[dict]) -> None:
    if len(runs) < 2:
        return
    st.subheader("Runs side by side", divider="gray")
    st.plotly_chart(runs_chart(runs), width="stretch")
    table = runs_table(runs)
    config = {c: st.column_config.NumberColumn(
        c, format=ACCURACY_FORMAT if "accuracy" in c else "%.4g")
              for c in table.columns if c not in ("run", "epochs")}
    st.dataframe(table, column_config=config, hide_index=True, width="stretch",
                 placeholder="—", key="train_runs_table")
    _compare_embeddings(runs)


def _compare_embeddings(runs: list[dict]) -> None:
    s = st.session_state
    labels = [r["label"] for r in runs]
    kept = s.get(EMBEDDINGS, {})
    for stale in [k for k in kept if k not in labels]:
        del kept[stale]  # runs no longer compared give their tables back
    choices = [label for label in labels if label in kept]
    if len(choices) < 2:
        return
    st.markdown("**Two runs' embeddings**: each word's nearest words in run A beside run B.")
    state.remember({"train_compare_a": choices[-2], "train_compare_b": choices[-1],
                    "train_compare_topn": DEFAULT_TOPN})
    state.keep_among("train_compare_a", choices, choices[-2])
    state.keep_among("train_compare_b", choices, choices[-1])
    c1, c2, c3 = st.columns([3, 3, 1])
    a = c1.selectbox("Run A", choices, key="train_compare_a")
    b = c2.selectbox("Run B", choices, key="train_compare_b")
    low, high = TOPN.widget
    topn = c3.number_input("Nearest", min_value=low, max_value=high, step=1,
                           key="train_compare_topn")
    try:
        table = neighbours_side_by_side(kept[a], kept[b], topn=int(topn))
    except InputError as error:
        st.warning(md_message(error))
        return
    st.dataframe(table, hide_index=True, width="stretch", key="train_compare_table")
    st.plotly_chart(shared_neighbours_chart(table, topn=int(topn)), width="stretch")
    st.caption(f"{int((table['shared'] == int(topn)).sum())} of {len(table)} words keep all "
               f"their {int(topn)} nearest words; {int((table['shared'] == 0).sum())} share none.")
