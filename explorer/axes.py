"""Axes you choose: map words on word directions such as `he - she` and `good - bad`.

An axis is an expression of words joined by + and -: `he - she`, `king + woman - man`, or a
single word. Its direction is gensim's mean of the signed unit vectors (the same as
`analogy.mean_direction`), and a word's coordinate on it is the cosine between the word and
that direction:

    d = sum(unit(p) for p in positive) - sum(unit(n) for n in negative)
    coordinate(w) = unit(w) · d / |d|          (between -1 and 1)

This is the TensorFlow Embedding Projector's Custom projection with cosine, and whatlies'
`EmbeddingSet.plot(x_axis, y_axis, axis_metric="cosine_similarity")` on `emb[p] - emb[n]`,
except that the words are unit-normed before they are added (as gensim's `most_similar`
does): a frequent word's long vector would otherwise outweigh the others. A single word gives
plain similarity to it.

A `-` inside a word is part of it ("well-known"); an operator is a `+` or `-` at the start or end
of a word or standing alone, so `he - she`, `he -she` and `-she` work, while `he-she` is one
word (the message for an unknown `he-she` suggests writing `he - she`).
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from explorer.analogy import mean_direction, neighbours
from explorer.errors import InputError, check_int
from explorer.vectors import UnknownWordError, Vectors

MAX_AXIS_WORDS = 20  # an axis of more words than this is a list, not a direction
MAX_POINTS = 10_000  # the word map's own limit: more points than a scatter shows readably
_SPLIT = re.compile(r"\s+")


@dataclasses.dataclass(frozen=True)
class Axis:
    """A parsed axis: the words added and the words subtracted, in vocabulary spelling.

    >>> Axis(("he",), ("she",)).text
    'he − she'
    """

    positive: tuple[str, ...]
    negative: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The axis as a person writes it, with a true minus sign."""
        text = " + ".join(self.positive)
        for word in self.negative:
            text += f" − {word}" if text else f"− {word}"
        return text

    @property
    def words(self) -> tuple[str, ...]:
        return self.positive + self.negative


class UnknownAxisWordError(UnknownWordError):
    """An axis word not in the vocabulary; `field` names the axis, `suggestions` the spellings."""

    def __init__(self, field: str, error: UnknownWordError, vocabulary_size: int, hint: str = ""):
        super().__init__(error.word, error.suggestions, vocabulary_size)
        self.field = field
        self.args = (f"{field}: {self.args[0]}{hint}",)


def parse_axis(text, *, field: str = "axis", two_poles: bool = False) -> Axis:
    """Split an axis expression into the words added and the words subtracted.

    >>> parse_axis("he - she")
    Axis(positive=('he',), negative=('she',))
    >>> parse_axis("king + woman -man")
    Axis(positive=('king', 'woman'), negative=('man',))

    Args:
        text: the expression, e.g. "he - she", "good", "-bad + evil".
        field: what messages call this axis (the page's control, e.g. "x axis").
        two_poles: when True, the axis needs a word on each side (a bias direction such as
            `he - she`); a single word or a plain sum is refused.

    Returns:
        An Axis with the words as typed (looked up later by `axis_direction`).
    """
    if not isinstance(text, str):
        raise InputError(f"`{field}` must be text such as 'he - she'. Received: {field}={_quoted(text)}")
    positive, negative = [], []
    sign, pending = None, False  # pending: a word was read and no operator came after it yet
    for token in _tokens(text):
        if token in "+-":
            if sign is not None:
                raise InputError(f"`{field}` has two signs in a row. Received: {field}={_quoted(text)} "
                                 "(write words joined by + and -, e.g. 'he - she').")
            sign, pending = token, False
            continue
        if pending:
            raise InputError(
                f"`{field}` needs + or - between words. Received: {field}={_quoted(text)} (for a "
                f"direction write e.g. 'he - she'; for a list of words use the points box).")
        (negative if sign == "-" else positive).append(token)
        sign, pending = None, True
    if sign is not None and (positive or negative):
        raise InputError(f"`{field}` ends with a sign. Received: {field}={_quoted(text)} "
                         "(add the word after it).")
    return _checked(field, text, positive, negative, two_poles)


def _quoted(text, limit: int = 80) -> str:
    """The text as the message quotes it, cut after `limit` characters: a pasted paragraph
    made the message as long as the paragraph."""
    if isinstance(text, str) and len(text) > limit:
        return repr(text[:limit]) + f"... ({len(text):,} characters)"
    return repr(text)


def _tokens(text: str):
    """Words and the operators + and -, a `-` inside a word left to the word."""
    for chunk in _SPLIT.split(text.strip()):
        lead = []
        while chunk and chunk[0] in "+-":
            lead.append(chunk[0])
            chunk = chunk[1:]
        tail = []
        while chunk and chunk[-1] in "+-":
            tail.append(chunk[-1])
            chunk = chunk[:-1]
        yield from lead
        if chunk:
            yield chunk
        yield from reversed(tail)


def _checked(field, text, positive, negative, two_poles) -> Axis:
    count = len(positive) + len(negative)
    if count == 0:
        example = "'he - she'" if two_poles else "'he - she' or 'good'"
        raise InputError(f"`{field}` is empty. Type a direction such as {example}.")
    if count > MAX_AXIS_WORDS:
        raise InputError(f"`{field}` may hold at most {MAX_AXIS_WORDS} words. Received: "
                         f"{count} words.")
    if two_poles and not (positive and negative):
        raise InputError(
            f"`{field}` needs a word on each side of a minus sign, e.g. 'he - she'. "
            f"Received: {field}={_quoted(text)}")
    lowered = {w.lower() for w in negative}
    both = [w for w in positive if w.lower() in lowered]
    if both:
        raise InputError(f"`{field}` has {both[0]!r} on both sides of the minus sign; remove it "
                         f"from one side. Received: {field}={_quoted(text)}")
    return Axis(tuple(positive), tuple(negative))


def axis_direction(vectors: Vectors, axis: Axis, *, field: str = "axis") -> tuple[Axis, np.ndarray]:
    """The axis in vocabulary spelling and its unit direction (float32).

    Raises UnknownAxisWordError (a KeyError, with spelling suggestions) for a word the vectors
    do not hold, and InputError when the words cancel out (no direction is left).
    """
    rows = {}
    for word in axis.words:
        try:
            rows[word] = vectors.row(word)
        except UnknownWordError as error:
            raise UnknownAxisWordError(field, error, len(vectors), _hyphen_hint(vectors, word))
    pos = [rows[w] for w in axis.positive]
    neg = [rows[w] for w in axis.negative]
    if set(pos) & set(neg):  # two spellings of one word ("He - he")
        raise InputError(f"`{field}` has the same word on both sides of the minus sign. "
                         f"Received: {field}={axis.text!r}")
    direction = mean_direction(vectors, pos, neg)
    if not np.any(direction):
        raise InputError(f"`{field}` has no direction: its words' vectors cancel out (or have "
                         f"length 0). Received: {field}={axis.text!r}")
    spelled = Axis(tuple(vectors.words[r] for r in pos), tuple(vectors.words[r] for r in neg))
    return spelled, direction


def _hyphen_hint(vectors: Vectors, word: str) -> str:
    parts = [p for p in word.split("-") if p]
    if len(parts) > 1 and all(p in vectors for p in parts):
        return f" To subtract, put spaces around the minus sign: {' - '.join(parts)!r}."
    return ""


def coordinates(vectors: Vectors, rows, direction: np.ndarray) -> np.ndarray:
    """Cosine of each of `rows` with the unit `direction` (float32; a zero row gives 0)."""
    return vectors.unit(rows) @ direction


def axis_map(vectors: Vectors, words, x_axis: Axis, y_axis: Axis | None = None, *,
             rows=None) -> pd.DataFrame:
    """Words placed by their cosine with one or two axes.

    >>> v = Vectors.from_arrays(["he", "she", "king", "queen"],
    ...                         [[1, 0, 1], [-1, 0, 1], [1, 1, 0], [-1, 1, 0]])
    >>> axis_map(v, ["king", "queen"], parse_axis("he - she")).round(4)
        word       x
    0   king  0.7071
    1  queen -0.7071

    Args:
        vectors: the vectors.
        words: the points, in vocabulary spelling (see `point_words`).
        x_axis: the horizontal axis.
        y_axis: the vertical axis; None for a one-axis projection (the bias view).
        rows: the words' rows, when known (`Points.rows`): saves looking each word up.

    Returns:
        DataFrame with columns word, x (and y), one row per word, in the order given.
    """
    words = list(words)
    if not words:
        raise InputError("The map has no points: type some words, or pick a word's neighbours "
                         "or the most frequent words.")
    x_axis, x_dir = axis_direction(vectors, x_axis, field="x axis")
    rows = [vectors.row(w) for w in words] if rows is None else list(rows)
    directions = [x_dir]
    if y_axis is not None:
        directions.append(axis_direction(vectors, y_axis, field="y axis")[1])
    # One copy of the rows at unit length, one product for both axes.
    coords = (vectors.unit(rows) @ np.column_stack(directions)).astype(np.float64)
    columns = {"word": [vectors.words[r] for r in rows], "x": coords[:, 0]}
    if y_axis is not None:
        columns["y"] = coords[:, 1]
    return pd.DataFrame(columns)


def axis_coordinates(vectors: Vectors, points, axes) -> tuple[list[Axis], np.ndarray]:
    """Points given as vectors (not words) placed by their cosine with axes of `vectors`' words.

    For a map whose points are not the words themselves: a trained model's ids, which words
    may share, placed on `great - awful` written with the words it knows.

    >>> v = Vectors.from_arrays(["he", "she"], [[1, 0], [-1, 0]])
    >>> spelled, coords = axis_coordinates(v, [[2, 2], [0, 3]], [parse_axis("He - she")])
    >>> spelled[0].text, coords.round(4).tolist()
    ('he − she', [[0.7071], [0.0]])

    Args:
        vectors: the words the axes are written with.
        points: one row per point, as long as the vectors' rows.
        axes: parsed axes (`parse_axis`); their fields name them in messages ("x axis", ...).

    Returns:
        (the axes in vocabulary spelling, float64 array of shape (points, axes)); a zero row
        gives 0.
    """
    fields = ("x axis", "y axis")
    found = [axis_direction(vectors, axis, field=fields[i] if i < 2 else "axis")
             for i, axis in enumerate(axes)]
    data = np.asarray(points, dtype=np.float32)
    if data.ndim != 2 or data.shape[1] != vectors.dim:
        raise InputError(f"`points` must have one row of {vectors.dim} numbers per point. "
                         f"Received: shape {data.shape}")
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    unit = data / np.where(norms > 0, norms, 1)
    coords = unit @ np.column_stack([direction for _, direction in found])
    return [spelled for spelled, _ in found], coords.astype(np.float64)


def bias_table(vectors: Vectors, words, axis: Axis) -> pd.DataFrame:
    """Words projected on one axis, sorted from its positive to its negative end.

    >>> v = Vectors.from_arrays(["he", "she", "nurse", "doctor"],
    ...                         [[1, 0], [-1, 0], [-0.5, 1], [0.5, 1]])
    >>> bias_table(v, ["nurse", "doctor"], parse_axis("he - she", two_poles=True)).round(4)
         word   score
    0  doctor  0.4472
    1   nurse -0.4472
    """
    frame = axis_map(vectors, words, axis).rename(columns={"x": "score"})
    # Stable order: equal scores keep the order the words were given in.
    return frame.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class Points:
    """The words to place, their rows, and the typed words the vectors do not hold."""

    words: list[str]
    unknown: list[str] = dataclasses.field(default_factory=list)
    rows: list[int] = dataclasses.field(default_factory=list, repr=False)


def point_words(vectors: Vectors, *, typed=None, centre: str | None = None, n: int = 50,
                top: int | None = None) -> Points:
    """The points of an axis map: a typed list, a word and its `n` neighbours, or the `top` most
    frequent words. Exactly one of `typed`, `centre` and `top` is given.

    >>> v = Vectors.from_arrays(["a", "b", "c"], [[1, 0], [0.9, 0.1], [0, 1]])
    >>> point_words(v, typed=["B", "x", "a", "b"])
    Points(words=['b', 'a'], unknown=['x'])

    Returns:
        Points: vocabulary spellings without repeats, and the unknown typed words (a centre
        word that is unknown raises UnknownWordError instead).
    """
    if sum(arg is not None for arg in (typed, centre, top)) != 1:
        raise InputError("Give exactly one of `typed`, `centre` and `top`.")
    if typed is not None:
        found = [(w, vectors.find(w)) for w in typed]
        unknown = list(dict.fromkeys(w for w, row in found if row is None))
        rows = list(dict.fromkeys(row for _, row in found if row is not None))[:MAX_POINTS]
        return Points([vectors.words[r] for r in rows], unknown, rows)
    if centre is not None:
        row = vectors.row(centre.strip())
        near = neighbours(vectors, vectors.words[row], topn=check_int("n", n, low=1, high=100))
        words = [vectors.words[row]] + [w for w, _ in near]
        return Points(words, [], [row] + [vectors.find(w) for w, _ in near])
    top = check_int("top", top, low=1, high=MAX_POINTS)
    return Points(list(vectors.words[:top]), [], list(range(min(top, len(vectors)))))
