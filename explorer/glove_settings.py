"""The GloVe pages' and commands' settings, one table of rules per settings class.

As for `EncodeSettings` and `ModelSettings` (see explorer/constraints.py): each default is
written once, in the dataclass; `CONSTRAINTS` holds what each field may be. The query
functions' signatures, their checks, the pages' widgets and the command line's defaults and
choices all read them.

>>> from explorer.constraints import argument
>>> argument(QuerySettings, "method")
{'default': 'cosadd', 'choices': ['cosadd', 'cosmul']}
>>> BenchmarkSettings().restrict_vocab
300000
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from explorer.constraints import Integer, Options, check_fields

METHODS = ("cosadd", "cosmul")  # 3CosAdd (gensim's most_similar), 3CosMul (most_similar_cosmul)
MAX_TOPN = 100
# How many of the most frequent words a search or a benchmark uses. More than there are means
# all of them, as in gensim, so the rule bounds only what an int can hold.
RESTRICT_VOCAB = Integer(1, 2**62)


@dataclass(frozen=True)
class QuerySettings:
    """One analogy or neighbours query (the Analogy and Word map pages, `python -m explorer
    analogy | neighbours`)."""

    topn: int = 10
    method: str = METHODS[0]

    CONSTRAINTS: ClassVar[dict] = {
        "topn": Integer(1, MAX_TOPN),
        "method": Options(METHODS),
    }

    def checked(self) -> "QuerySettings":
        return check_fields(self)


@dataclass(frozen=True)
class BenchmarkSettings:
    """The benchmarks' settings: the analogy questions and the word-similarity pairs."""

    # gensim's default for both evaluate_word_analogies and evaluate_word_pairs.
    restrict_vocab: int = 300_000

    CONSTRAINTS: ClassVar[dict] = {"restrict_vocab": RESTRICT_VOCAB}

    def checked(self) -> "BenchmarkSettings":
        return check_fields(self)
