"""`python -m explorer analogy | neighbours | evaluate-analogies`: GloVe from the command line.

Every command uses the shipped GloVe 6B 50d unless `--vectors FILE` names a GloVe or word2vec
text file (read once, then from the cache beside it).
"""

from __future__ import annotations

import json
import sys

from explorer.constraints import argument
from explorer.errors import InputError
from explorer.glove_settings import MAX_TOPN, BenchmarkSettings, QuerySettings


def register(subparsers) -> None:
    p = subparsers.add_parser("analogy", help="words closest to positive minus negative words")
    p.add_argument("--positive", nargs="+", required=True, metavar="WORD", help="words to add")
    p.add_argument("--negative", nargs="*", default=[], metavar="WORD", help="words to subtract")
    p.add_argument("--topn", **argument(QuerySettings, "topn"),
                   help=f"how many answers (1-{MAX_TOPN})")
    p.add_argument("--method", **argument(QuerySettings, "method"),
                   help="3CosAdd (gensim most_similar) or 3CosMul (most_similar_cosmul)")
    p.add_argument("--restrict-vocab", type=int, default=None,
                   help="search only this many of the most frequent words")
    vector_options(p)
    p.set_defaults(handler=run_analogy)

    p = subparsers.add_parser("neighbours", help="nearest neighbours of a word by cosine")
    p.add_argument("word")
    p.add_argument("--topn", **argument(QuerySettings, "topn"),
                   help=f"how many neighbours (1-{MAX_TOPN})")
    vector_options(p)
    p.set_defaults(handler=run_neighbours)

    p = subparsers.add_parser("evaluate-analogies",
                              help="accuracy on an analogy question set, with gensim's rules")
    p.add_argument("--questions", default=None, metavar="FILE",
                   help="questions-words.txt style file (default: gensim's copy, if installed)")
    p.add_argument("--restrict-vocab", **argument(BenchmarkSettings, "restrict_vocab"),
                   help="use only this many of the most frequent words (default %(default)s)")
    vector_options(p)
    p.set_defaults(handler=run_evaluate)


def vector_options(p) -> None:
    """Add --vectors, --on-error and --json to a GloVe command's parser (evaluate-pairs too)."""
    p.add_argument("--vectors", default=None, metavar="FILE",
                   help="GloVe or word2vec text file (default: the shipped GloVe 6B 50d)")
    p.add_argument("--on-error", choices=["skip", "raise"], default="skip",
                   help="bad lines in --vectors: skip and count them, or stop (default skip)")
    p.add_argument("--json", action="store_true", help="print one JSON value")


def load_vectors(args):
    """The vectors `--vectors` names (the shipped GloVe without it); skipped lines on stderr."""
    from explorer.vectors import load_glove_6b_50d, load_vectors_file

    if args.vectors is None:
        return load_glove_6b_50d()
    vectors, report = load_vectors_file(args.vectors, on_error=args.on_error)
    if report.skipped or report.notes:
        print(report.summary(), file=sys.stderr)
    return vectors


def _print_pairs(pairs, as_json: bool) -> None:
    if as_json:
        print(json.dumps([[word, score] for word, score in pairs]))
    else:
        for word, score in pairs:
            print(f"{word}\t{score:.4f}")


def run_analogy(args) -> int:
    from explorer.analogy import analogy

    pairs = analogy(load_vectors(args), positive=args.positive, negative=args.negative,
                    topn=args.topn, method=args.method, restrict_vocab=args.restrict_vocab)
    _print_pairs(pairs, args.json)
    return 0


def run_neighbours(args) -> int:
    from explorer.analogy import neighbours

    _print_pairs(neighbours(load_vectors(args), args.word, topn=args.topn), args.json)
    return 0


def run_evaluate(args) -> int:
    from explorer.benchmark import default_questions_path, evaluate_analogies

    questions = args.questions or default_questions_path()
    if questions is None:
        raise InputError("`--questions` is needed: gensim's questions-words.txt is not installed. "
                         "Pass a questions file, e.g. --questions questions-words.txt")
    result = evaluate_analogies(load_vectors(args), questions, restrict_vocab=args.restrict_vocab)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    for row in result.sections.itertuples():
        print(f"{row.section:32} {row.correct:6,} / {row.answered:6,}  {row.accuracy:7.2%}"
              f"  ({row.skipped:,} skipped)")
    print(f"{result.seconds:.2f} s")
    return 0
