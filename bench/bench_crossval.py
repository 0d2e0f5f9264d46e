"""Speed of k-fold cross-validation (issue 13): k=5 on the 240-review sample against five bare
`model.fit` calls, measured interleaved in this process after one unmeasured warm-up round.

- ours: `explorer.validation.cross_validate(..., k=5)` as the Train page calls it, everything
  included (building the model, the five folds' fits on the seeded tf.data pipeline, scoring
  each fold's held-out reviews);
- the reference: five models built with `explorer.model.build_model` (not timed), each fitted
  once with a bare `model.fit(x, y, epochs, batch_size, verbose=0)` on the numpy rows of one
  fold's training reviews; only the five fit calls are timed.

Settings: the app's defaults (EncodeSettings(), ModelSettings(): 100 epochs, batch 32).
"""

from __future__ import annotations

import os
import statistics
import time

REPEATS = 2  # each round trains 10 models of 100 epochs; more would not fit a shared machine
FOLDS = 5
RATIO_TARGET = 1.3
SAMPLE = "240 mixed reviews"


def _data():
    import numpy as np

    from explorer.model import ModelSettings
    from explorer.reviews import load_sample, validate_reviews
    from explorer.text import EncodeSettings, encode

    texts, labels = validate_reviews(load_sample(SAMPLE))
    return encode(texts, EncodeSettings()), np.asarray(labels, dtype=np.float32), ModelSettings()


def ours(encoded, labels, settings) -> float:
    from explorer.validation import cross_validate

    started = time.perf_counter()
    result = cross_validate(encoded, labels, settings=settings, k=FOLDS)
    seconds = time.perf_counter() - started
    if len(result.accuracies) != FOLDS:
        raise RuntimeError(f"cross_validate ran {len(result.accuracies)} folds, not {FOLDS}")
    return seconds


def bare_fits(encoded, labels, settings) -> float:
    from sklearn.model_selection import StratifiedKFold

    from explorer.model import build_model

    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=settings.seed)
    total = 0.0
    for train_idx, _ in folds.split(encoded.padded, labels):
        model = build_model(vocab_size=encoded.encoder.vocab_size,
                            max_length=encoded.settings.max_length, settings=settings)
        started = time.perf_counter()
        model.fit(encoded.padded[train_idx], labels[train_idx], epochs=settings.epochs,
                  batch_size=settings.batch_size, verbose=0)
        total += time.perf_counter() - started
    return total


def run() -> list[dict]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    encoded, labels, settings = _data()
    measures = {"ours": ours, "bare": bare_fits}
    for measure in measures.values():  # warm-up: TensorFlow's first traces count for no side
        measure(encoded, labels, settings)
    times = {name: [] for name in measures}
    for repeat in range(REPEATS):
        order = list(measures) if repeat % 2 == 0 else list(measures)[::-1]
        for name in order:
            times[name].append(measures[name](encoded, labels, settings))
    mine, reference = statistics.median(times["ours"]), statistics.median(times["bare"])
    ratio = mine / reference
    return [{"name": f"k-fold k={FOLDS}, 240 reviews, {settings.epochs} epochs",
             "median_s": mine, "reference": f"{FOLDS} bare model.fit calls",
             "reference_median_s": reference, "ratio": ratio,
             "target": f"<= {RATIO_TARGET} x bare fits", "ok": ratio <= RATIO_TARGET}]


if __name__ == "__main__":
    for row in run():
        print(row)
