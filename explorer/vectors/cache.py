"""The on-disk cache: plain .npy and text files that later loads map into memory; no pickles."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np

from explorer.vectors.types import Vectors

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, one writer is assumed
    fcntl = None

_CACHE_VERSION = 2  # 2: the meta file names every part (see Cache)


def source_stamp(paths: list[Path]) -> dict:
    """What a cache must match to be fresh: each source's name, size, modification time, and
    also its inode and change time, which no copy can carry over (`cp -p` of another file with
    the same size and time is a different file)."""
    entries = []
    for path in paths:
        info = path.stat()
        entries.append([path.name, info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns])
    return {"version": _CACHE_VERSION, "sources": entries}


_ENDS_SAMPLED = 1 << 16  # bytes at each end of a part whose hash goes into the stamp


def _part_stamp(fd: int) -> list:
    """What identifies one generation of a cache part: inode, size, modification time, and a
    hash of its first and last 64 KB (read through `fd`, the very file that is then used)."""
    info = os.fstat(fd)
    digest = hashlib.blake2b(os.pread(fd, _ENDS_SAMPLED, 0), digest_size=16)
    digest.update(os.pread(fd, _ENDS_SAMPLED, max(0, info.st_size - _ENDS_SAMPLED)))
    return [info.st_ino, info.st_size, info.st_mtime_ns, digest.hexdigest()]


def _map_npy(stream) -> np.ndarray:
    """A read-only map of the .npy open in `stream` (plain dtypes only, never pickles)."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    if dtype.hasobject:
        raise ValueError("object arrays are never read")
    if 0 in shape:
        return np.empty(shape, dtype=dtype)
    order = "F" if fortran else "C"
    return np.asarray(np.memmap(stream, dtype=dtype, mode="r", offset=stream.tell(), shape=shape,
                                order=order))


class Cache:
    """Derived files for one source, all plain: the row-major matrix, row lengths, rows in word
    order and optionally the transposed unit rows (.npy), the words (UTF-8 text, one per line)
    and a meta file (.json).

    A reader never trusts a mix of generations. The writer first removes the meta file, then
    renames each part into place, then writes the meta file last; it names the source (see
    `source_stamp`) and every part (see `_part_stamp`). The reader opens each part, checks it
    against the meta file through the open file, and maps that same file, so a crash at any
    step, or a writer replacing parts meanwhile, means a rebuild, never wrong rows. One writer
    at a time per folder (an advisory lock on the folder; a busy folder is simply not written),
    and it removes the temporary files a killed writer left. Failing to write (a read-only
    folder) is
    not an error: the caller just goes on without a cache.
    """

    def __init__(self, base: Path):
        self.base = base

    def _file(self, suffix: str) -> Path:
        return self.base.with_name(self.base.name + suffix)

    def read(self, stamp: dict, *, name: str) -> tuple[Vectors, dict | None] | None:
        try:
            meta = json.loads(self._file(".json").read_text(encoding="utf-8"))
            if meta.get("stamp") != stamp:
                return None
            endings = [".words", ".npy", ".norms.npy", ".order.npy"]
            endings += [".columns.npy"] * bool(meta["columns"])
            parts = []
            for ending in endings:
                with open(self._file(ending), "rb") as stream:
                    if _part_stamp(stream.fileno()) != meta["parts"][ending]:
                        return None
                    parts.append(stream.read() if ending == ".words" else _map_npy(stream))
            data, raw, norms, order, *columns = parts
            words = data.decode("utf-8").split("\n")
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            return None
        sizes = {len(words), meta.get("count"), raw.shape[0], norms.shape[0], order.shape[0]}
        sizes.update(c.shape[1] for c in columns)
        if len(sizes) != 1 or raw.ndim != 2:
            return None
        vectors = Vectors(words, raw, norms, name=name, order=order,
                          columns=columns[0] if columns else None)
        return vectors, meta.get("report")

    def _leftovers(self) -> list[Path]:
        """Temporary files of this cache (a killed writer's), by their exact names."""
        pattern = re.compile(re.escape(self.base.name) + r"(\.words|\.npy|\.norms\.npy|"
                             r"\.order\.npy|\.columns\.npy|\.json)\.tmp\d+")
        return [p for p in self.base.parent.iterdir() if pattern.fullmatch(p.name)]

    def write(self, stamp: dict, vectors: Vectors, *, report: dict | None = None,
              with_columns: bool = False) -> bool:
        words = vectors.words
        order = np.array(sorted(range(len(words)), key=words.__getitem__), dtype=np.int32)
        pending = [(".words", "\n".join(words).encode("utf-8")), (".npy", vectors.raw),
                   (".norms.npy", vectors.norms), (".order.npy", order)]
        if with_columns:
            pending.append((".columns.npy", vectors.matrix.T))
        suffix = f".tmp{os.getpid()}"
        folder = None
        try:
            self.base.parent.mkdir(parents=True, exist_ok=True)
            folder = os.open(self.base.parent, os.O_RDONLY)
            if fcntl is not None:
                try:
                    fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False  # another process is writing a cache here; go on without
            for leftover in self._leftovers():
                leftover.unlink(missing_ok=True)
            self._file(".json").unlink(missing_ok=True)  # from here on, no generation is valid
            parts = {}
            for ending, content in pending:
                target = self._file(ending)
                temporary = target.with_name(target.name + suffix)
                with open(temporary, "w+b") as out:  # read back for its stamp
                    if isinstance(content, bytes):
                        out.write(content)
                    else:
                        np.save(out, np.ascontiguousarray(content), allow_pickle=False)
                    out.flush()
                    parts[ending] = _part_stamp(out.fileno())
                os.replace(temporary, target)
            meta = {"stamp": stamp, "count": len(words), "columns": with_columns,
                    "parts": parts, "report": report}
            temporary = self._file(".json" + suffix)
            temporary.write_text(json.dumps(meta), encoding="utf-8")
            os.replace(temporary, self._file(".json"))
            return True
        except OSError:
            return False
        finally:
            if folder is not None:
                try:
                    for leftover in self._leftovers():
                        if leftover.name.endswith(suffix):
                            leftover.unlink(missing_ok=True)
                except OSError:
                    pass
                os.close(folder)  # also releases the lock
