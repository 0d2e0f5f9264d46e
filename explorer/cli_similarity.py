"""`python -m explorer evaluate-pairs | odd-one-out`: word similarity from the command line.

Both use the shipped GloVe 6B 50d unless `--vectors FILE` names a GloVe or word2vec text file.
"""

from __future__ import annotations

import json

from explorer.cli_glove import load_vectors, vector_options
from explorer.constraints import argument
from explorer.errors import InputError
from explorer.glove_settings import BenchmarkSettings
from explorer.similarity import PAIR_SETS


def register(subparsers) -> None:
    p = subparsers.add_parser("evaluate-pairs",
                              help="correlation with human similarity scores, gensim's rules")
    p.add_argument("--pairs", default=None, metavar="FILE",
                   help="word<TAB>word<TAB>score lines (default: gensim's wordsim353.tsv, if "
                        f"installed; or one of {', '.join(PAIR_SETS)})")
    p.add_argument("--restrict-vocab", **argument(BenchmarkSettings, "restrict_vocab"),
                   help="use only this many of the most frequent words (default %(default)s)")
    p.add_argument("--dummy4unknown", action="store_true",
                   help="score pairs with an unknown word 0 instead of leaving them out")
    vector_options(p)
    p.set_defaults(handler=run_evaluate_pairs)

    p = subparsers.add_parser("odd-one-out", help="the word that fits least (gensim doesnt_match)")
    p.add_argument("words", nargs="+", metavar="WORD", help="three or more words")
    vector_options(p)
    p.set_defaults(handler=run_odd_one_out)


def _pairs_file(name: str | None):
    from explorer.similarity import default_pairs_path

    if name is None or name in PAIR_SETS:
        path = default_pairs_path(name or "WordSim353")
        if path is None:
            raise InputError(f"`--pairs` is needed: gensim's copy of {name or 'WordSim353'} is "
                             "not installed. Pass a pairs file, e.g. --pairs wordsim353.tsv")
        return path
    return name


def run_evaluate_pairs(args) -> int:
    from explorer.similarity import evaluate_pairs

    path = _pairs_file(args.pairs)
    result = evaluate_pairs(load_vectors(args), path, restrict_vocab=args.restrict_vocab,
                            dummy4unknown=args.dummy4unknown)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    print(f"Pearson   {result.pearson:.4f}\nSpearman  {result.spearman:.4f}\n"
          f"pairs     {result.pairs:,} ({result.oov:,} with an unknown word: "
          f"{result.oov_ratio:.1f} %)")
    if result.invalid_lines:
        print(f"skipped   {len(result.invalid_lines):,} lines that are not pairs")
    return 0


def run_odd_one_out(args) -> int:
    from explorer.similarity import rank_by_centrality

    ranked = rank_by_centrality(load_vectors(args), args.words)
    if args.json:
        print(json.dumps({"word": ranked[-1][0],
                          "ranking": [[word, score] for word, score in ranked]}))
    else:
        print(ranked[-1][0])
    return 0
