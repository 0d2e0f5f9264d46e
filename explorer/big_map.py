"""Word maps of up to 100,000 words: PCA at once, t-SNE and UMAP with progress, kept on disk.

Up to `BIG_FROM` words a map is `explorer.projection.project`'s (exact neighbours). Beyond it:

- PCA is scikit-learn's covariance solver on the unit rows (100,000 x 50 in a fraction of a
  second, see bench/bench_projection.py), never cached: recomputing is as quick as reading.
- t-SNE is openTSNE with approximate (Annoy) neighbours, seeded, the FFT gradient in 2-D, and
  scikit-learn's 1,000 steps: on 100,000 GloVe words 0.19x scikit-learn's CPU time at a higher
  trustworthiness@10 (0.9840 against 0.9826; bench/bench_big_map.py). UMAP is umap-learn seeded (so its layout runs on one
  thread), started from PCA (its spectral start on 100,000 points takes longer than the
  layout), on neighbours found beforehand by pynndescent on two threads, with settings chosen
  by measurement: 10 neighbours, 60 epochs, 8 negative samples, min_dist 0. On 100,000 GloVe
  words that is 0.42x the time of umap-learn's parallel default and a higher
  trustworthiness@10 (0.897 against 0.885; bench/bench_big_map.py). Both call
  `progress(fraction, text)`, the neighbour search included.
- Their coordinates go to `cache_dir()/maps/<key>.npy`, the key a hash of the very rows mapped,
  the words, the method, the dimensions and the seed, so a second look by anyone on the server
  (or after a restart) is a file read. Writes go to a temporary file that os.replace puts in
  place, so a crash never leaves a half-written map that would be read back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

from explorer.errors import InputError, check_choice, check_int
from explorer.pca import fit_pca
from explorer.projection import METHODS, MIN_POINTS, project
from explorer.tsne import FFT_MIN_INTERVALS, TSNE_DOF, TSNE_DOF_3D, TSNE_PERPLEXITY
from explorer.umap_layout import KNN_THREADS, import_umap, nearest_neighbours
from explorer.vectors import cache_dir

MAX_WORDS = 100_000  # the Embedding Projector's load cap
BIG_FROM = 10_000  # above this, t-SNE and UMAP take the approximate, cached route
MAP_FOLDER = "maps"
_VERSION = 6  # part of every key: a change of method makes earlier files unreachable
# Fewer neighbours and epochs than umap-learn's 15 and 200, more negative samples than its 5
# and no minimum distance (its 0.1 keeps near words apart, which trustworthiness counts against
# it): on 100,000 words about half its time at a higher trustworthiness@10 (bench_big_map).
_UMAP_NEIGHBOURS = 10
_UMAP_NEGATIVES = 8
_UMAP_EPOCHS = 60
_UMAP_MIN_DIST = 0.0
# t-SNE beyond BIG_FROM: scikit-learn's schedule (250 early exaggeration steps, then 750), each
# FFT interval 1 unit wide (openTSNE's; tsne.py's 2 suits its smaller sets). Measured on the
# 100,000 most frequent GloVe words (bench_big_map), trustworthiness@10 against scikit-learn's
# 0.9826: this 0.9840 in 397 CPU-seconds (scikit-learn: 2,061); 2-unit intervals 0.9805 (272 s);
# projection's (125, 375) on 2-unit intervals 0.9769 (280 s).
_TSNE_STEPS = (250, 750)  # early exaggeration, then plain steps
_TSNE_INTERVAL_UNITS = 1.0
_TSNE_CALLBACK_EVERY = 25
_JOBS = max(1, min(os.cpu_count() or 1, 4))

Progress = Callable[[float, str], None]


@dataclasses.dataclass(frozen=True)
class MapCoordinates:
    """Coordinates of a word map.

    Args:
        coords: float32 array (words, dims), rows in the order of the words given.
        method, dims, seed: how they were made.
        from_cache: read from the disk cache instead of computed.
        seconds: time taken (reading or computing).
        key: the cache key (empty for maps that are not cached).
    """

    coords: np.ndarray
    method: str
    dims: int
    seed: int
    from_cache: bool
    seconds: float
    key: str = ""


def map_key(matrix: np.ndarray, words, *, method: str, dims: int, seed: int) -> str:
    """The cache key: a hash of the rows, the words and every setting (hex, 32 characters).

    >>> m = np.eye(4, dtype=np.float32)
    >>> map_key(m, "abcd", method="tsne", dims=2, seed=0) == map_key(m, "abcd", method="tsne",
    ...                                                                 dims=2, seed=1)
    False
    """
    digest = hashlib.blake2b(digest_size=16)
    # pynndescent's neighbours depend on its thread count (work is split by thread), so a map
    # made with another count is another map.
    threads = f" knn{KNN_THREADS}" if method == "umap" else ""
    digest.update(f"v{_VERSION} {method} {dims} {seed} {matrix.shape}{threads}\n".encode())
    digest.update(np.ascontiguousarray(matrix, dtype=np.float32).tobytes())
    digest.update("\n".join(words).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def maps_dir() -> Path:
    """Where cached maps live: the `maps` folder of explorer.vectors' cache_dir()."""
    return cache_dir() / MAP_FOLDER


def map_coordinates(matrix, words, *, method: str = "pca", dims: int = 2, seed: int = 0,
                    progress: Progress | None = None, use_cache: bool = True) -> MapCoordinates:
    """Coordinates for a map of `words`, whose vectors are the rows of `matrix`.

    Args:
        matrix: (words, dim) array, e.g. the words' unit vectors.
        words: one word per row (part of the cache key).
        method: "pca", "tsne" or "umap".
        dims: 2 or 3.
        seed: the seed of t-SNE and UMAP; the same seed gives the same map.
        progress: called as progress(fraction, text) while t-SNE or UMAP runs.
        use_cache: read and write the disk cache (t-SNE and UMAP of more than BIG_FROM words).

    Raises:
        InputError: fewer than MIN_POINTS or more than MAX_WORDS rows, a word count that is
            not the row count, or an unknown method.
    """
    started = time.perf_counter()
    data = np.ascontiguousarray(matrix, dtype=np.float32)
    words = list(words)
    _check(data, words, method, dims, seed)
    report = progress or (lambda fraction, text: None)
    if method == "pca" or len(words) <= BIG_FROM:
        coords = _small(data, words, method, dims, seed) if method != "pca" else _pca(data, dims, seed)
        return MapCoordinates(coords, method, dims, seed, False, time.perf_counter() - started)
    key = map_key(data, words, method=method, dims=dims, seed=seed)
    path = maps_dir() / f"{key}.npy"
    cached = _read(path, len(words), dims) if use_cache else None
    if cached is not None:
        return MapCoordinates(cached, method, dims, seed, True, time.perf_counter() - started, key)
    compute = _tsne if method == "tsne" else _umap
    coords = compute(data, dims, seed, report).astype(np.float32)
    report(1.0, "done")
    if use_cache:
        _write(path, coords)
    return MapCoordinates(coords, method, dims, seed, False, time.perf_counter() - started, key)


def _check(data, words, method, dims, seed) -> None:
    check_choice("method", method, METHODS)
    check_int("dims", dims, low=2, high=3)
    check_int("seed", seed, low=0, high=2**32 - 1)
    if data.ndim != 2 or len(words) != data.shape[0]:
        raise InputError(f"`words` must give one word per row of `matrix`. Received: "
                         f"{len(words):,} words for a matrix of shape {data.shape}")
    if not MIN_POINTS <= len(words) <= MAX_WORDS:
        raise InputError(f"A map takes {MIN_POINTS} to {MAX_WORDS:,} words. Received: "
                         f"{len(words):,} words; choose a number in that range.")
    if not np.isfinite(data).all():
        raise InputError("`matrix` must hold finite numbers only (a vector holds inf or NaN).")


def _small(data, words, method, dims, seed) -> np.ndarray:
    frame = project(data, method=method, n_components=dims, random_state=seed)
    return frame[["x", "y", "z"][:dims]].to_numpy(dtype=np.float32)


def _pca(data: np.ndarray, dims: int, seed: int) -> np.ndarray:
    # projection's PCA fit (the covariance solver: exact, and quick on 100,000 rows), without
    # the DataFrame of labels `project` builds, which costs more than the fit at this size.
    return fit_pca(data, dims, seed).transform(data).astype(np.float32)


def _tsne(data: np.ndarray, dims: int, seed: int, report: Progress) -> np.ndarray:
    from openTSNE import TSNEEmbedding, affinity

    n = len(data)
    report(0.0, f"t-SNE: finding each of {n:,} words' nearest neighbours…")
    affinities = affinity.PerplexityBasedNN(data, perplexity=TSNE_PERPLEXITY, method="annoy",
                                            n_jobs=_JOBS, random_state=seed)
    start = _pca(data, dims, seed).astype(np.float64)
    spread = np.std(start[:, 0])
    start = start / spread * 1e-4 if spread > 0 else start  # the tiny PCA start of openTSNE
    use_fft = dims == 2
    embedding = TSNEEmbedding(start, affinities, random_state=seed, n_jobs=_JOBS,
                              learning_rate=n / 12, dof=TSNE_DOF if use_fft else TSNE_DOF_3D,
                              negative_gradient_method="fft" if use_fft else "bh",
                              min_num_intervals=FFT_MIN_INTERVALS,
                              ints_in_interval=_TSNE_INTERVAL_UNITS)
    total = sum(_TSNE_STEPS)
    done = [0]

    def step(iteration, error, embedding) -> bool:
        done[0] += _TSNE_CALLBACK_EVERY
        report(0.2 + 0.8 * min(1.0, done[0] / total),
               f"t-SNE: step {min(done[0], total)} of {total}")
        return False

    for steps, exaggeration, momentum in ((_TSNE_STEPS[0], 12, 0.5), (_TSNE_STEPS[1], 1, 0.8)):
        embedding.optimize(steps, exaggeration=exaggeration, momentum=momentum, inplace=True,
                           callbacks=step, callbacks_every_iters=_TSNE_CALLBACK_EVERY)
    return np.asarray(embedding, dtype=np.float64)


def _umap(data: np.ndarray, dims: int, seed: int, report: Progress) -> np.ndarray:
    umap = import_umap()
    report(0.0, f"UMAP: finding each of {len(data):,} words' nearest neighbours…")
    indices, distances = nearest_neighbours(data, _UMAP_NEIGHBOURS, seed)
    report(0.2, "UMAP: neighbours found, laying out…")
    start = _pca(data, dims, seed).astype(np.float64)
    start = 10 * start / np.abs(start).max()  # umap-learn scales its start to [-10, 10]
    reducer = umap.UMAP(n_components=dims, n_neighbors=_UMAP_NEIGHBOURS, random_state=seed,
                        init=start, n_jobs=1, n_epochs=_UMAP_EPOCHS,
                        negative_sample_rate=_UMAP_NEGATIVES, min_dist=_UMAP_MIN_DIST,
                        precomputed_knn=(indices, distances, None),
                        tqdm_kwds={"disable": False, "file": _EpochReader(report)})
    with warnings.catch_warnings():
        # "transform will be unavailable" without a search index: a map never transforms.
        warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]")
        return np.asarray(reducer.fit_transform(data), dtype=np.float64)


class _EpochReader:
    """A file for umap-learn's tqdm bar: its "12/200" counts become progress(fraction, text).

    umap-learn reports the layout's epochs only through tqdm; reading the bar's text is the one
    hook it offers. The neighbour search before it counts as the first fifth.
    """

    def __init__(self, report: Progress):
        self.report = report

    def write(self, text: str) -> None:
        import re

        found = re.findall(r"(\d+)/(\d+)", text)
        if found:
            done, total = (int(x) for x in found[-1])
            if total:
                self.report(0.2 + 0.8 * done / total, f"UMAP: epoch {done} of {total}")

    def flush(self) -> None:
        pass


def _read(path: Path, n: int, dims: int) -> np.ndarray | None:
    # A file of the wrong shape or a damaged one is ignored and computed again.
    try:
        coords = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if coords.shape != (n, dims) or coords.dtype != np.float32 or not np.isfinite(coords).all():
        return None
    return coords


def _write(path: Path, coords: np.ndarray) -> None:
    # Temp file + os.replace: readers see the old state or the whole new file, never a part.
    temporary = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as out:
            np.save(out, coords, allow_pickle=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError:
        # A read-only or full disk costs the next visitor a recomputation, nothing more.
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
