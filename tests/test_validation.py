"""Held-out reviews, the confusion matrix and k-fold cross-validation (explorer/validation.py)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import StratifiedKFold

from explorer.errors import InputError
from explorer.model import ModelSettings, prepare, split_indices, train
from explorer.text import EncodeSettings, encode
from explorer.validation import (CrossValidation, _batches, check_folds, confusion,
                                 cross_validate, held_out)

TEXTS = ["good food", "great food", "lovely place", "bad service", "awful service",
         "rude staff"]
LABELS = [1, 1, 1, 0, 0, 0]
ENCODING = EncodeSettings(method="vocabulary", vocab_size=20, max_length=3)
SETTINGS = ModelSettings(output_dim=4, epochs=4, learning_rate=0.05, batch_size=2, seed=3)


def test_held_out_reviews_with_their_probability_and_whether_each_was_right():
    settings = ModelSettings(output_dim=4, epochs=3, validation_split=0.34, seed=0)
    run = train(prepare(encode(TEXTS, ENCODING), LABELS, settings=settings))
    table = held_out(run, TEXTS)
    _, val_idx = split_indices(np.array(LABELS), validation_split=0.34, seed=0)
    assert table["review"].tolist() == [TEXTS[i] for i in val_idx]
    assert table["class"].tolist() == [LABELS[i] for i in val_idx]
    assert sorted(table["class"]) == [0, 1]  # one of each class
    expected = np.asarray(run.model(run.encoded.padded[val_idx])).reshape(-1)
    assert table["probability"].tolist() == pytest.approx(expected.tolist(), abs=1e-7)
    assert (table["predicted"] == (table["probability"] >= 0.5)).all()
    assert (table["right"] == (table["predicted"] == table["class"])).all()
    assert held_out(run)["review"].tolist() == [TEXTS[i] for i in val_idx]  # words, same here


def test_a_run_without_a_split_has_no_held_out_reviews():
    run = prepare(encode(TEXTS, ENCODING), LABELS, settings=SETTINGS)
    assert held_out(run).empty


def test_the_confusion_matrix_counts_actual_against_predicted():
    table = pd.DataFrame({"class": [0, 0, 1, 1, 1], "predicted": [0, 1, 1, 1, 0]})
    matrix = confusion(table, ("bad", "good"))
    assert matrix.loc["actual bad"].tolist() == [1, 1]
    assert matrix.loc["actual good"].tolist() == [1, 2]
    assert matrix.columns.tolist() == ["predicted bad", "predicted good"]


def test_k_larger_than_the_smaller_class_gets_a_message():
    labels = [1, 1, 1, 1, 0, 0]
    assert check_folds(2, labels) == 2
    with pytest.raises(InputError, match=r"^`k` must be at most 2, the number of reviews of the "
                                         r"smaller class \(bad\), .* Received: k=3"):
        check_folds(3, labels, ("bad", "good"))
    with pytest.raises(InputError, match=r"`k` must be between 2 and 20. Received: k=1"):
        check_folds(1, labels)


def test_each_fold_equals_a_freshly_built_model_on_that_fold():
    encoded = encode(TEXTS, ENCODING)
    found = cross_validate(encoded, LABELS, settings=SETTINGS, k=3)
    labels = np.asarray(LABELS, dtype=np.float32)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SETTINGS.seed)
    expected = []
    for train_idx, val_idx in folds.split(encoded.padded, labels):
        model = prepare(encoded, labels, settings=SETTINGS).model
        model.fit(_batches(encoded.padded[train_idx], labels[train_idx], SETTINGS),
                  epochs=SETTINGS.epochs, verbose=0, shuffle=False)
        expected.append(model.evaluate(encoded.padded[val_idx], labels[val_idx], verbose=0,
                                       return_dict=True))
    assert found.accuracies == [e["accuracy"] for e in expected]
    assert found.losses == [e["loss"] for e in expected]
    assert found.fold_sizes == [2, 2, 2]


def test_mean_and_standard_deviation_of_the_folds():
    result = CrossValidation(accuracies=[0.5, 1.0, 0.75, 0.75], losses=[0.0] * 4)
    assert result.mean == 0.75
    assert result.std == pytest.approx(np.sqrt((0.0625 + 0.0625) / 4))


def test_folds_report_progress_and_are_seeded():
    seen = []
    encoded = encode(TEXTS, ENCODING)
    first = cross_validate(encoded, LABELS, settings=SETTINGS, k=2,
                           on_fold=lambda n, k, acc: seen.append((n, k)))
    assert seen == [(1, 2), (2, 2)]
    again = cross_validate(encoded, LABELS, settings=SETTINGS, k=2)
    assert first.accuracies == again.accuracies and first.losses == again.losses
