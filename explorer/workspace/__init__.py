"""Saving and restoring a user's whole work: the workspace file and the page URL.

One module per job, re-exported here so `from explorer.workspace import ...` names them all:

- `file_format`: the workspace file (JSON, trained model included): `workspace_to_json`,
  `workspace_from_json`; its format is described in that module's docstring.
- `url_format`: the page address (reviews, class names and settings in one query parameter):
  `settings_to_query`, `settings_from_query`.
- `saved`: what both hold as Python values (`Workspace`, `SavedModel`, whose settings travel as
  `EncodeSettings`/`ModelSettings` objects), and the bridge to a trained run: `saved_model`,
  `restore_run`.
- `schema`: the rules each JSON object of a file keeps, one table per object; the settings are
  checked by their classes' own `CONSTRAINTS` tables.
"""

from explorer.reviews import MAX_REVIEWS
from explorer.workspace.file_format import (
    FORMAT,
    MAX_FILE_BYTES,
    VERSION,
    read_document,
    workspace_from_json,
    workspace_to_json,
)
from explorer.workspace.saved import (
    EMBEDDING_STARTS,
    SavedModel,
    Workspace,
    restore_run,
    saved_model,
)
from explorer.workspace.schema import (
    ARRAY_DTYPE,
    HISTORY_KEYS,
    MAX_CLASS_NAME_LENGTH,
    MAX_MODEL_WEIGHTS,
    MAX_TEXT_FIELD_CHARS,
    MAX_TRAINING_SECONDS,
)
from explorer.workspace.url_format import (
    MAX_QUERY_CHARS,
    QUERY_PARAM,
    settings_from_query,
    settings_to_query,
)

__all__ = [
    "ARRAY_DTYPE", "EMBEDDING_STARTS", "FORMAT", "HISTORY_KEYS", "MAX_CLASS_NAME_LENGTH",
    "MAX_FILE_BYTES", "MAX_MODEL_WEIGHTS", "MAX_QUERY_CHARS", "MAX_REVIEWS",
    "MAX_TEXT_FIELD_CHARS", "MAX_TRAINING_SECONDS", "QUERY_PARAM", "VERSION", "SavedModel",
    "Workspace", "read_document", "restore_run", "saved_model", "settings_from_query",
    "settings_to_query", "workspace_from_json", "workspace_to_json",
]
