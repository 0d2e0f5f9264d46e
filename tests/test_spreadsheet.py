"""Every CSV the app writes is safe to open in a spreadsheet, and reads back as it was typed."""

import pandas as pd
import pytest

from explorer.reviews import read_reviews_csv, reviews_to_csv
from explorer.spreadsheet import frame_to_csv, restore_cell, safe_cell
from explorer.weights import projector_files

HOSTILE = ['=HYPERLINK("http://example.invalid","click me")', "+cmd|' /C calc'!A0",
           "@SUM(A1:A2)", "-2+3", "'=already quoted", "''@twice", "=", "\t=tab"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_and_comes_back(cell):
    safe = safe_cell(cell)
    assert safe.startswith("'")
    assert restore_cell(safe) == cell


@pytest.mark.parametrize("cell", ["awesome food", "it's fine", "'quoted'", "3 stars", ""])
def test_ordinary_cells_are_left_alone(cell):
    assert safe_cell(cell) == cell
    assert restore_cell(cell) == cell


def test_no_written_cell_starts_with_a_formula_character():
    frame = pd.DataFrame({"word": HOSTILE, "x": range(len(HOSTILE))})
    rows = frame_to_csv(frame).splitlines()[1:]
    for row in rows:
        cell = row.lstrip('"')
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert frame_to_csv(pd.DataFrame({"x": [1.5, -2.0]})).splitlines()[1:] == ["1.5", "-2.0"]


def test_reviews_round_trip_through_download_and_upload():
    typed = ["=HYPERLINK(\"http://example.invalid\",\"click me\")", "+cmd|' /C calc'!A0",
             "@SUM(A1:A2)", "'=already quoted", "-great food", "plain and good", "\r=CR"]
    table = pd.DataFrame({"text": typed, "label": [0, 1, 0, 1, 0, 1, 0]})
    data = reviews_to_csv(table)
    for line in data.decode().splitlines()[1:]:
        assert not line.lstrip('"').startswith(("=", "+", "-", "@")), line
    back, _ = read_reviews_csv(data)
    # The carriage return is trimmed like any surrounding white space; the rest is as typed.
    assert back["text"].tolist() == typed[:-1] + ["=CR"]
    assert back["label"].tolist() == table["label"].tolist()
    again, _ = read_reviews_csv(reviews_to_csv(back))
    assert again.equals(back)


def test_projector_metadata_is_safe_too():
    import numpy as np
    labels = ["(padding)", "=cmd", "good"]
    _, metadata = projector_files(np.zeros((3, 2)), labels)
    assert metadata.splitlines() == ["'=cmd", "good"]
