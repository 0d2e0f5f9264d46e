"""Word vectors: the shipped GloVe 6B 50d, and users' own GloVe or word2vec text files.

A `Vectors` keeps the words in file order (GloVe ships them most frequent first, which is what
`restrict_vocab` relies on), the float32 matrix as it came (memory-mapped when it comes from disk)
and each row's length, so cosines can be computed the way gensim computes them.

Text files are read once and converted to a cache of plain .npy and text files in a hidden
`.explorer-cache` folder beside them; later loads map the cache into memory and are instant.
Nothing is ever unpickled.

One module per job, all names below importable from `explorer.vectors`:

- `types`: the `Vectors` type, `UnknownWordError`, `LoadReport`, row lengths and unit rows;
- `paths`: the vectors folder, which names in it may be opened, and the cache folder;
- `parse`: the streaming parser of GloVe and word2vec text, and `parse_vectors_bytes`;
- `cache`: the on-disk cache a crash never leaves half-trusted;
- `load`: the shipped GloVe (`load_glove_6b_50d`, `glove_top`) and `load_vectors_file`.
"""

from explorer.vectors.load import GLOVE_NAME, glove_top, load_glove_6b_50d, load_vectors_file
from explorer.vectors.parse import (
    MAX_DIM,
    MAX_LINE_BYTES,
    MAX_UPLOAD_WORDS,
    ON_ERROR,
    UPLOAD_LIMIT_MB,
    parse_vectors_bytes,
)
from explorer.vectors.paths import (
    CACHE_DIR_VARIABLE,
    CACHE_FOLDER,
    VECTORS_DIR_VARIABLE,
    cache_dir,
    list_vector_files,
    resolve_vector_file,
    vectors_dir,
)
from explorer.vectors.types import (
    REASONS,
    LoadReport,
    UnknownWordError,
    Vectors,
    row_norms,
    unit_rows,
)

__all__ = [
    "CACHE_DIR_VARIABLE", "CACHE_FOLDER", "GLOVE_NAME", "MAX_DIM", "MAX_LINE_BYTES",
    "MAX_UPLOAD_WORDS", "ON_ERROR", "REASONS", "UPLOAD_LIMIT_MB", "VECTORS_DIR_VARIABLE",
    "LoadReport", "UnknownWordError", "Vectors", "cache_dir", "glove_top", "list_vector_files",
    "load_glove_6b_50d", "load_vectors_file", "parse_vectors_bytes", "resolve_vector_file",
    "row_norms", "unit_rows", "vectors_dir",
]
