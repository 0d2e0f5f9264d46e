"""The analogy benchmark: a question set answered in batches, exactly as gensim answers it.

`evaluate_analogies` follows gensim's `evaluate_word_analogies` rules but never computes one full
score vector per question: a 3CosAdd score is cos(w, b) - cos(w, a) + cos(w, c), so per block of
vocabulary it computes the b - a part once per (a, b) pair and the cosines with each c word once
(two matrix products), and each question costs one addition and one maximum. Questions whose
best and second-best answers are too close to call in float32, or whose best word is another
spelling of a question word, are answered again with gensim's own arithmetic, so every answer,
and the count of correct ones, is gensim's. Single queries are in `explorer.analogy`; the
question files are read by `explorer.questions` (`Questions`, `read_questions` and
`default_questions_path` are re-exported here).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import time
from typing import TYPE_CHECKING

import numpy as np

from explorer.analogy import mean_direction, vocabulary_limit
from explorer.errors import InputError
from explorer.glove_settings import BenchmarkSettings
from explorer.questions import Questions, default_questions_path, read_questions
from explorer.vectors import Vectors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_RESTRICT_VOCAB", "TOTAL_SECTION", "AnalogyEvaluation", "Questions",
           "default_questions_path", "evaluate_analogies", "read_questions"]

DEFAULT_RESTRICT_VOCAB = BenchmarkSettings.restrict_vocab  # the table's, under its older name
TOTAL_SECTION = "Total accuracy"  # gensim's name for the overall row

_BLOCK = 4096  # vocabulary rows per block: the working set stays in cache
_CHUNK = 64  # questions per step
_CLOSE_CALL = 1e-5  # best and runner-up closer than this: recheck with gensim's arithmetic


@dataclasses.dataclass(frozen=True)
class AnalogyEvaluation:
    """The result of `evaluate_analogies`.

    Args:
        correct: questions answered correctly.
        answered: questions with every word in the restricted vocabulary.
        skipped: questions left out because a word was not in it.
        accuracy: correct / answered (0.0 when nothing was answered).
        sections: one row per section and a last "Total accuracy" row, with columns
            section, correct, answered, skipped, accuracy.
        seconds: time taken.
        restrict_vocab: how many of the most frequent words were searched.
    """

    correct: int
    answered: int
    skipped: int
    accuracy: float
    sections: pd.DataFrame
    seconds: float
    restrict_vocab: int

    def to_dict(self) -> dict:
        return {
            "correct": self.correct, "answered": self.answered, "skipped": self.skipped,
            "accuracy": self.accuracy, "restrict_vocab": self.restrict_vocab,
            "seconds": round(self.seconds, 3),
            "sections": self.sections.to_dict(orient="records"),
        }


def evaluate_analogies(vectors: Vectors, questions, *, restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
                       progress=None) -> AnalogyEvaluation:
    """Score `vectors` on an analogy question set with gensim's evaluate_word_analogies rules.

    >>> result = evaluate_analogies(load_glove_6b_50d(), default_questions_path())  # doctest: +SKIP
    >>> result.correct, result.answered                                           # doctest: +SKIP
    (9036, 19486)

    Rules (gensim's): only the first `restrict_vocab` words count; words are compared in
    upper case, the first (most frequent) spelling standing for all; a question with a word
    outside that vocabulary is skipped; the answer is the best 3CosAdd word for b - a + c that
    is none of a, b, c.

    Args:
        vectors: the vectors to score.
        questions: a path, bytes or text of a questions-words.txt style file, or what
            `read_questions` made of one.
        restrict_vocab: how many of the most frequent words to use (gensim's default 300,000;
            capped at the vocabulary size).
        progress: optional callback taking a fraction 0..1, called as the work advances.

    Returns:
        An AnalogyEvaluation.
    """
    started = time.perf_counter()
    parsed = read_questions(questions)
    if restrict_vocab is None:
        raise InputError("`restrict_vocab` must be a number of words, "
                         f"e.g. {DEFAULT_RESTRICT_VOCAB} (gensim's default). "
                         "Received: restrict_vocab=None")
    limit = vocabulary_limit("restrict_vocab", restrict_vocab, len(vectors))
    known = _upper_vocabulary(vectors, limit)
    rows, asked = [], []
    for number, quad in enumerate(parsed.words):
        found = [known.get(word.upper()) for word in quad]
        if None not in found:
            rows.append(found)
            asked.append(number)
    rows = np.array(rows, dtype=np.int64).reshape(-1, 4)
    sections = np.array(parsed.section_of, dtype=np.int64)[np.array(asked, dtype=np.int64)]
    predicted = _answer_all(vectors, rows, sections, limit, known, progress)
    right = _is_correct(vectors, rows, predicted, known)
    table = _section_table(parsed, np.array(asked, dtype=np.int64), right)
    total = table.iloc[-1]
    if progress is not None:
        progress(1.0)
    return AnalogyEvaluation(int(total.correct), int(total.answered), int(total.skipped),
                             float(total.accuracy), table, time.perf_counter() - started, limit)


def _upper_vocabulary(vectors: Vectors, limit: int) -> dict[str, int]:
    # gensim: {k.upper(): index for k in reversed(first words)}, so the first spelling wins.
    words = vectors.words
    return {words[i].upper(): i for i in range(limit - 1, -1, -1)}


def _is_correct(vectors, rows, predicted, known) -> np.ndarray:
    right = np.zeros(len(rows), dtype=bool)
    for q, row in enumerate(predicted):
        if row >= 0:
            right[q] = known.get(vectors.words[row].upper()) == rows[q, 3]
    return right


def _section_table(parsed: Questions, asked: np.ndarray, right: np.ndarray) -> pd.DataFrame:
    import pandas as pd  # only here: importing pandas would slow every command-line call

    n_sections = len(parsed.sections)
    section_of = np.array(parsed.section_of, dtype=np.int64)
    counted = np.bincount(section_of, minlength=n_sections)
    answered = np.bincount(section_of[asked], minlength=n_sections)
    correct = np.bincount(section_of[asked], weights=right, minlength=n_sections).astype(int)
    frame = pd.DataFrame({
        "section": parsed.sections + [TOTAL_SECTION],
        "correct": np.append(correct, correct.sum()),
        "answered": np.append(answered, answered.sum()),
        "skipped": np.append(counted - answered, (counted - answered).sum()),
    })
    frame["accuracy"] = (frame.correct / frame.answered.where(frame.answered > 0)).fillna(0.0)
    return frame


def _answer_all(vectors: Vectors, rows: np.ndarray, groups: np.ndarray, limit: int, known: dict,
                progress) -> np.ndarray:
    """The predicted row of every question (a, b, c rows in `rows[:, :3]`), -1 if none.

    3CosAdd's score of word w is (cos(w, b) - cos(w, a)) + cos(w, c), divided by the length of
    b̂ + ĉ - â. Per block of vocabulary, two matrix products give the b - a part of each
    (a, b) pair and the cosines with each c word; a question then costs one addition and one
    maximum per block, over rows that sit side by side in memory. Each question's best block
    is searched again for its best word and runner-up, and a close call goes to gensim's
    arithmetic.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    plan = _Plan(vectors, rows, groups)
    starts = list(range(0, limit, _BLOCK))
    block_best = np.empty((len(rows), len(starts)), dtype=np.float32)

    def one_block(b: int) -> None:
        block_best[:, b] = plan.block_maxima(vectors, starts[b], min(starts[b] + _BLOCK, limit))

    # numpy lets go of the GIL inside each product, sum and maximum, so two threads use two cores.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = max(1, min(2, cores or 1))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    try:
        for done, _ in enumerate(pool.map(one_block, range(len(starts))), start=1):
            if progress is not None:
                progress(0.9 * done / len(starts))
    finally:
        # If the progress callback raises (a page rerun stops the script), drop the blocks
        # not yet started instead of finishing them.
        pool.shutdown(wait=True, cancel_futures=True)
    predicted = plan.resolve(vectors, block_best, limit)
    for q in plan.close_calls(vectors, predicted, known):
        predicted[q] = _gensim_answer(vectors, rows[q], limit)
    return predicted


class _Plan:
    """How the questions are laid out for the block-by-block search.

    Questions sharing an (a, b) pair form a group with one b - a row. Each group's c words get
    consecutive rows of the c-cosine matrix where possible (rows are per (group section, c word)
    in order of first use, which for files like questions-words.txt makes most groups one
    slice); otherwise their rows are gathered.
    """

    def __init__(self, vectors: Vectors, rows: np.ndarray, groups: np.ndarray):
        self.rows = rows
        slots: dict[tuple[int, int], int] = {}
        pairs: dict[tuple[int, int, int], int] = {}
        slot_of = np.empty(len(rows), dtype=np.int64)
        pair_of = np.empty(len(rows), dtype=np.int64)
        for q, (a, b, c, _) in enumerate(rows.tolist()):
            slot_of[q] = slots.setdefault((int(groups[q]), c), len(slots))
            pair_of[q] = pairs.setdefault((int(groups[q]), a, b), len(pairs))
        self.slot_rows = np.array([c for _, c in slots], dtype=np.int64)
        pair_keys = np.array(list(pairs), dtype=np.int64).reshape(-1, 3)
        self.pair_a, self.pair_b = pair_keys[:, 1], pair_keys[:, 2]
        self.slot_units = vectors.unit(self.slot_rows)
        self.pair_offsets = vectors.unit(self.pair_b) - vectors.unit(self.pair_a)
        direction = (vectors.unit(rows[:, 1]).astype(np.float64) + vectors.unit(rows[:, 2])
                     - vectors.unit(rows[:, 0]))
        with np.errstate(divide="ignore"):
            self.scale = (1.0 / np.linalg.norm(direction, axis=1)).astype(np.float32)
        self.tasks, self.flat_size, self.flat_of = _tasks(pair_of, slot_of)
        self.best = np.full(len(rows), -np.inf, dtype=np.float32)
        self.second = np.full(len(rows), -np.inf, dtype=np.float32)

    def block_maxima(self, vectors: Vectors, start: int, stop: int) -> np.ndarray:
        """Each question's best unscaled score among vocabulary rows start..stop-1."""
        block = vectors.unit(slice(start, stop))
        cosines = self.slot_units @ block.T
        offsets = self.pair_offsets @ block.T
        # A question's own words never answer it: -inf at a and b (per pair) and at c (per
        # slot, since a slot's row serves only questions whose c is that word).
        _mask(cosines, self.slot_rows, start, stop)
        _mask(offsets, self.pair_a, start, stop)
        _mask(offsets, self.pair_b, start, stop)
        flat = np.empty(self.flat_size, dtype=np.float32)
        buffer = np.empty((_CHUNK, stop - start), dtype=np.float32)
        for pair, first, last, gather, out in self.tasks:
            if gather is None:
                scores = buffer[: last - first]
                np.add(cosines[first:last], offsets[pair], out=scores)
            else:
                scores = buffer[: len(gather)]
                np.take(cosines, gather, axis=0, out=scores, mode="clip")
                scores += offsets[pair]
            scores.max(axis=1, out=flat[out: out + len(scores)])
        return flat[self.flat_of]

    def resolve(self, vectors: Vectors, block_best: np.ndarray, limit: int) -> np.ndarray:
        """Best row of each question, from a second, exact look at its best block only."""
        n = len(self.rows)
        best_block = block_best.argmax(axis=1)
        if block_best.shape[1] > 1:
            other_blocks = np.partition(block_best, -2, axis=1)[:, -2]
        else:
            other_blocks = np.full(n, -np.inf, dtype=np.float32)
        predicted = np.full(n, -1, dtype=np.int64)
        for b in np.unique(best_block):
            questions = np.flatnonzero(best_block == b)
            start, stop = int(b) * _BLOCK, min((int(b) + 1) * _BLOCK, limit)
            words = self.rows[questions, :3]
            directions = (vectors.unit(words[:, 1]) + vectors.unit(words[:, 2])
                          - vectors.unit(words[:, 0]))
            scores = directions @ vectors.unit(slice(start, stop)).T
            for column in range(3):
                _mask(scores, words[:, column], start, stop)
            first = scores.argmax(axis=1)
            local = np.arange(len(questions))
            best = scores[local, first]
            scores[local, first] = -np.inf
            runner_up = np.maximum(scores.max(axis=1), other_blocks[questions])
            self.best[questions] = best * self.scale[questions]
            self.second[questions] = runner_up * self.scale[questions]
            predicted[questions] = np.where(np.isfinite(best), first + start, -1)
        return predicted

    def close_calls(self, vectors: Vectors, predicted: np.ndarray, known: dict) -> list[int]:
        """Questions the fast path cannot settle: near ties, no answer, or a best word that is
        another spelling of a question word (gensim then looks further down its top five)."""
        unsure = (self.best - self.second <= _CLOSE_CALL) | (predicted < 0)
        words = vectors.words
        for q in np.flatnonzero(~unsure):
            if known.get(words[predicted[q]].upper()) in self.rows[q, :3]:
                unsure[q] = True
        return np.flatnonzero(unsure).tolist()


def _tasks(pair_of: np.ndarray, slot_of: np.ndarray):
    """Work items for one block: (pair, first slot, last slot, gathered slots, output offset).

    A group whose c rows span at most twice their number (plus a little) is one slice,
    computing a few rows nobody asked for; otherwise its rows are gathered. Items hold at
    most _CHUNK rows so the scratch buffer stays in cache. `flat_of[q]` is where question q's
    maximum lands in the flat output.
    """
    order = np.lexsort((slot_of, pair_of))
    tasks, flat_of, out = [], np.empty(len(pair_of), dtype=np.int64), 0
    bounds = np.flatnonzero(np.diff(pair_of[order])) + 1
    for members in np.split(order, bounds):
        pair = int(pair_of[members[0]])
        slots = slot_of[members]
        unique_slots = np.unique(slots)
        low, high = int(unique_slots[0]), int(unique_slots[-1]) + 1
        if high - low <= 2 * len(unique_slots) + 8:
            for first in range(low, high, _CHUNK):
                last = min(first + _CHUNK, high)
                tasks.append((pair, first, last, None, out))
                out += last - first
            flat_of[members] = out - (high - low) + (slots - low)
        else:
            for i in range(0, len(unique_slots), _CHUNK):
                gather = unique_slots[i: i + _CHUNK]
                tasks.append((pair, 0, 0, gather, out))
                out += len(gather)
            flat_of[members] = out - len(unique_slots) + np.searchsorted(unique_slots, slots)
    return tasks, out, flat_of


def _mask(scores: np.ndarray, vocabulary_rows: np.ndarray, start: int, stop: int) -> None:
    """scores[i, row_i - start] = -inf for each i whose row_i falls in start..stop-1."""
    inside = np.flatnonzero((vocabulary_rows >= start) & (vocabulary_rows < stop))
    scores[inside, vocabulary_rows[inside] - start] = -np.inf


def _gensim_answer(vectors: Vectors, quad, limit: int) -> int:
    """One question answered exactly as gensim's evaluate_word_analogies does.

    most_similar(positive=[b, c], negative=[a], topn=5, restrict_vocab=limit) on gensim's
    arithmetic, then the first of those five whose upper-case form is none of a, b, c; if all
    five are, gensim keeps the last one.
    """
    a, b, c = (int(r) for r in quad[:3])
    mean = mean_direction(vectors, [b, c], [a])
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.dot(vectors.raw[:limit], mean) / vectors.norms[:limit]
    excluded = {a, b, c}
    k = min(5 + len(excluded), scores.size)
    # gensim's matutils.argsort, so that exact ties fall the same way.
    negated = -scores
    if k >= negated.size:
        best = np.argsort(negated)[:k]
    else:
        most = np.argpartition(negated, k)[:k]
        best = most.take(np.argsort(negated.take(most)))
    top = [int(i) for i in best if int(i) not in excluded][:5]
    ignore = {vectors.words[r].upper() for r in (a, b, c)}
    answer = -1
    for row in top:
        answer = row
        if vectors.words[row].upper() not in ignore:
            break
    return answer
