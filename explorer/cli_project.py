"""`python -m explorer project`: 2-D or 3-D coordinates of GloVe words or of any .npy matrix.

    python -m explorer project --glove-top 10000 --method tsne --dims 2 --seed 0 \\
        --out coords.csv --json

prints one JSON object with n_points, seconds (the projection alone) and, for t-SNE and UMAP,
trustworthiness at 10 neighbours against the input vectors.
"""

from __future__ import annotations

import json
import time

import numpy as np

from explorer.errors import InputError, check_int
from explorer.spreadsheet import frame_to_csv

GLOVE_ROWS = 400_000


def register(subparsers) -> None:
    p = subparsers.add_parser("project", help="project GloVe words or a .npy matrix to 2-D/3-D")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--glove-top", type=int, metavar="N",
                        help="the first (most frequent) N words of the shipped GloVe 6B 50d")
    source.add_argument("--matrix", metavar="FILE.npy", help="a 2-D .npy array, one row a point")
    p.add_argument("--method", choices=["pca", "tsne", "umap"], default="pca")
    p.add_argument("--dims", type=int, choices=[2, 3], default=2, help="2 or 3 (default 2)")
    p.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    p.add_argument("--perplexity", type=float, default=None,
                   help="t-SNE perplexity (default 30, lowered for fewer than 61 points)")
    p.add_argument("--out", metavar="FILE.csv", default=None,
                   help="write id, word, x, y[, z] as CSV")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_project)


def run_project(args) -> int:
    from explorer.projection import project, trustworthiness

    if args.glove_top is not None:
        matrix, labels = _glove_top(args.glove_top)
    else:
        matrix, labels = _npy_matrix(args.matrix), None
    _import_libraries(args.method)  # so `seconds` times the projection, not the imports
    started = time.perf_counter()
    frame = project(matrix, method=args.method, n_components=args.dims, random_state=args.seed,
                    perplexity=args.perplexity, labels=labels)
    seconds = time.perf_counter() - started
    summary = {"n_points": len(frame), "n_dims": int(matrix.shape[1]), "method": args.method,
               "dims": args.dims, "seed": args.seed, "seconds": round(seconds, 3)}
    if args.method != "pca":
        score, used = trustworthiness(matrix, frame, n_neighbors=10)
        summary.update(trustworthiness=round(score, 4), trustworthiness_neighbors=used)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            out.write(frame_to_csv(frame))
        summary["out"] = args.out
    if args.json:
        print(json.dumps(summary))
    else:
        print(", ".join(f"{key}={value}" for key, value in summary.items()))
    return 0


def _import_libraries(method) -> None:
    import sklearn.decomposition  # noqa: F401  (every method starts from a PCA)

    if method == "tsne":
        import openTSNE  # noqa: F401


def _glove_top(n):
    """The first `n` rows of the shipped GloVe 6B 50d matrix and their words."""
    from explorer.vectors import glove_top

    words, matrix = glove_top(check_int("--glove-top", n, low=1, high=GLOVE_ROWS))
    return matrix, words


def _npy_matrix(path):
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as error:
        raise InputError(f"`--matrix` must be a numeric .npy file. {path}: {error}") from None
