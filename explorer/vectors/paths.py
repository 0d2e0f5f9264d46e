"""Where vector files and caches live: the vectors folder users fill, and its path rules."""

from __future__ import annotations

import os
from pathlib import Path

from explorer.errors import InputError

VECTORS_DIR_VARIABLE = "EXPLORER_VECTORS_DIR"
CACHE_DIR_VARIABLE = "EXPLORER_CACHE_DIR"
CACHE_FOLDER = ".explorer-cache"  # hidden, beside a user's file: its cache


def cache_dir() -> Path:
    """Folder for derived files: $EXPLORER_CACHE_DIR, else ~/.cache/embedding-explorer."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "embedding-explorer"


def vectors_dir() -> Path:
    """The folder users put vector files in: $EXPLORER_VECTORS_DIR, else ./vectors."""
    return Path(os.environ.get(VECTORS_DIR_VARIABLE) or "vectors")


def list_vector_files() -> list[str]:
    """Names of the files in `vectors_dir()` that can be opened, sorted.

    Hidden files (the cache folder among them) and links that lead outside the folder are left
    out. A missing folder gives an empty list.
    """
    folder = vectors_dir()
    if not folder.is_dir():
        return []
    root = folder.resolve()
    names = []
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        target = entry.resolve()
        if target.is_file() and target.is_relative_to(root):
            names.append(entry.name)
    return sorted(names)


def resolve_vector_file(name: str) -> Path:
    """Path of the file `name` inside `vectors_dir()`; anything else is refused.

    >>> resolve_vector_file("../secrets.txt")  # doctest: +SKIP
    InputError: `name` must be a file inside the vectors folder ...

    Args:
        name: a file name as listed by `list_vector_files()`.

    Returns:
        The resolved path (links followed) of a regular file inside the folder.
    """
    folder = vectors_dir()
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        raise InputError(f"`name` must be the name of a vectors file. Received: name={name!r}")
    relative = Path(name)
    inside = f"`name` must be a file inside the vectors folder {str(folder)!r}"
    if relative.is_absolute() or any(part.startswith(".") for part in relative.parts):
        raise InputError(f"{inside}; absolute paths, '..' and hidden files are not allowed. "
                         f"Received: name={name!r}")
    root = folder.resolve()
    path = (folder / relative).resolve()
    if not path.is_relative_to(root):
        raise InputError(f"{inside}; this one is a link to a place outside it. "
                         f"Received: name={name!r}")
    if not path.is_file():
        available = ", ".join(list_vector_files()) or "none"
        raise InputError(f"{inside}. There is no file {name!r}; available: {available}. "
                         f"Put files in {str(folder)!r} or set {VECTORS_DIR_VARIABLE}.")
    return path
