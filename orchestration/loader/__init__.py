"""The file loader: NDJSON, CSV and Parquet files into raw.events (docs/loading.md).

summary = load_paths(client, [Path("inbox/")], progress=print)
print(summary.render())
"""

from __future__ import annotations

from orchestration.loader.load import DEFAULT_CHUNK_SIZE, load_paths
from orchestration.loader.readers import MAX_JSON_DEPTH
from orchestration.loader.summary import FileSummary, LoadSummary
from orchestration.loader.validate import (
    MAX_EVENT_NAME_CHARS,
    MAX_ID_CHARS,
    MAX_PROPERTIES_BYTES,
    MAX_TEXT_BYTES,
    REASON_CODES,
    fabricate_anonymous_id,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "MAX_EVENT_NAME_CHARS",
    "MAX_ID_CHARS",
    "MAX_JSON_DEPTH",
    "MAX_PROPERTIES_BYTES",
    "MAX_TEXT_BYTES",
    "REASON_CODES",
    "FileSummary",
    "LoadSummary",
    "fabricate_anonymous_id",
    "load_paths",
]
