"""`load_paths`: stream files into raw.events in chunks, rejecting bad rows and skipping
events already stored.

Per chunk: validate every record; drop repeats of (project_id, event_id) within the chunk; ask
the warehouse which of the remaining keys it already holds (one query, keys shipped through a
temporary table); leave out the rows and rejected lines of forgotten users and devices (when
there are tombstones); insert the rest; record the rejections. Because each chunk is inserted
before the next is checked, a repeat in a later chunk or file of the same load is caught by the
same query, and the only per-load memory is one chunk.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from clickhouse_connect.driver.client import Client

from orchestration.forget import tombstones
from orchestration.loader import spend
from orchestration.loader.chunks import read_in_chunks, record_rejections
from orchestration.loader.readers import ID_FIELDS, SUPPORTED, RawRecord, detect_format
from orchestration.loader.summary import FileSummary, LoadSummary
from orchestration.loader.validate import Event, Rejection, validate
from orchestration.raw import tables
from orchestration.raw.contract import EVENT_COLUMNS, RawEvent
from orchestration.runtime import warehouse

DEFAULT_CHUNK_SIZE = 50_000

# The stored-id lookup ships a chunk's (project_id, event_id) through this session-scoped
# temporary table (warehouse.ship), never pasting ids into SQL.
_KEYS_TABLE = "millimetric_loader_keys"

Progress = Callable[[str], None]

# Opening a named pipe blocks until something writes to it, holding the warehouse meanwhile;
# a device can be endless. Only regular files are read, checked before anything opens them.
NOT_REGULAR = "not a regular file (a named pipe, socket or device); not opened"


def load_paths(
    client: Client,
    paths: Iterable[Path | str],
    progress: Progress | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> LoadSummary:
    """Load NDJSON, CSV and Parquet files (a directory: its supported files, sorted by name)
    into raw.events, and refused rows into raw.events_rejected.

    Guarantees: raw tables exist afterwards (init runs first); a row is inserted only if no row
    with its (project_id, event_id) is in raw.events, so reloading a file changes nothing (not
    even raw.events_rejected, which skips lines it already holds for the same file); a file that
    cannot be read is reported in the summary and does not stop the others. Database errors are
    raised. `progress` gets one message per chunk of `chunk_size` lines and one per file.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    say = progress or (lambda _message: None)
    tables.init(client)
    summary = LoadSummary()
    targets = _expand([Path(p) for p in paths], summary)
    any_to_read = any(fmt is not None for _path, fmt, _error in targets)
    if any_to_read:
        client.command(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_KEYS_TABLE} "
            "(project_id String, event_id String)"
        )
    check_tombstones = any_to_read and tombstones.any_tombstones(client)
    try:
        for path, fmt, error in targets:
            file_summary = FileSummary(path=path, format=fmt, error=error)
            summary.files.append(file_summary)
            if fmt is None:
                say(f"{path}: {error}")
                continue
            if spend.is_spend_file(path, fmt):  # its header names `spend`: raw.ad_spend
                spend.load_spend_file(client, path, fmt, file_summary, chunk_size, say)
                continue
            _load_file(client, path, fmt, file_summary, chunk_size, say, check_tombstones)
    finally:
        if any_to_read:
            client.command(f"DROP TEMPORARY TABLE IF EXISTS {_KEYS_TABLE}")
    return summary


def _expand(paths: list[Path], summary: LoadSummary) -> list[tuple[Path, str | None, str | None]]:
    """(path, format, error) per file to load, in order, each file once."""
    targets: list[tuple[Path, str | None, str | None]] = []
    seen: set[Path] = set()

    def add(path: Path, fmt: str | None, error: str | None) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            targets.append((path, fmt, error))

    for path in paths:
        if path.is_dir():
            # Dotfiles are editor and OS litter (or a writer's partial file); not data.
            entries = sorted(c for c in path.iterdir() if not c.name.startswith("."))
            children = [c for c in entries if c.is_file()]
            specials = [c for c in entries if not c.is_file() and not c.is_dir()]
            for special in specials:
                add(special, None, NOT_REGULAR)
            supported = [(c, detect_format(c)) for c in children]
            summary.skipped.extend(c for c, fmt in supported if fmt is None)
            if not specials and not any(fmt for _c, fmt in supported):
                add(path, None, f"directory holds no supported files ({SUPPORTED})")
            for child, fmt in supported:
                if fmt is not None:
                    add(child, fmt, None)
        elif not path.exists():
            add(path, None, "no such file or directory")
        elif not path.is_file():
            add(path, None, NOT_REGULAR)
        else:
            fmt = detect_format(path)
            if fmt is None:
                add(path, None, f"unsupported file type; expected {SUPPORTED}")
            else:
                add(path, fmt, None)
    return targets


def _now() -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class _Chunk:
    """Up to chunk_size records, validated as they arrive so that only the rows to insert and
    the rejections are held, not the parsed records."""

    def __init__(self, summary: FileSummary) -> None:
        self.summary = summary
        self.size = 0
        self.received_at = _now()  # stamps rows without received_at, as ingestion does
        # First occurrence in file order wins within the chunk; later chunks and files are
        # checked against what this one inserted.
        self.events: dict[tuple[str, str], Event] = {}
        self.repeats = 0
        self.rejections: list[tuple[int, bytes, Rejection]] = []

    def add(self, record: RawRecord) -> None:
        self.size += 1
        self.summary.lines_read += 1
        if record.fields is None:
            assert record.error is not None
            ids = {name: record.ids.get(name) for name in ID_FIELDS}
            result: Event | Rejection = Rejection(record.error, **ids)
        else:
            result = validate(record.fields, self.received_at)
        if isinstance(result, Rejection):
            self.summary.note_rejection(record.line_number, result.reason)
            self.rejections.append((record.line_number, _as_bytes(record.raw_line), result))
            return
        self.summary.loaded += 1
        self.summary.fabricated_anonymous_ids += result.fabricated
        if result.key in self.events:
            self.repeats += 1
        else:
            self.events[result.key] = result


def _load_file(
    client: Client,
    path: Path,
    fmt: str,
    summary: FileSummary,
    chunk_size: int,
    say: Progress,
    check_tombstones: bool,
) -> None:
    file_name = str(path.resolve())
    started = time.monotonic()

    def write(chunk: _Chunk) -> None:
        _write_chunk(client, file_name, chunk, check_tombstones)
        if chunk.size >= chunk_size:
            elapsed = time.monotonic() - started
            say(
                f"{path}: {summary.lines_read:,} lines read, {summary.loaded:,} loaded, "
                f"{summary.rejected:,} rejected ({summary.lines_read / max(elapsed, 1e-9):,.0f} "
                "lines/s)"
            )

    read_in_chunks(path, fmt, summary, chunk_size, lambda: _Chunk(summary), write)
    outcome = f"stopped: {summary.error}" if summary.error else "done"
    say(
        f"{path}: {outcome}; {summary.lines_read:,} lines read, {summary.inserted:,} inserted, "
        f"{summary.duplicates_skipped:,} duplicates skipped, {summary.rejected:,} rejected "
        f"in {summary.seconds:.1f} s"
    )


def _write_chunk(client: Client, file_name: str, chunk: _Chunk, check_tombstones: bool) -> None:
    summary = chunk.summary
    present = _stored_keys(client, list(chunk.events))
    new = [event.row for key, event in chunk.events.items() if key not in present]
    summary.duplicates_skipped += chunk.repeats + len(chunk.events) - len(new)
    # A replayed file must not bring a forgotten person back onto disk (docs/forget.md).
    forgotten_at = _forgotten_at(client, new, chunk.rejections) if check_tombstones else {}
    kept = [
        row
        for row in new
        if not tombstones.is_forgotten(_row_keys(row), row.timestamp, row.received_at, forgotten_at)
    ]
    summary.forgotten_skipped += len(new) - len(kept)
    if kept:
        client.insert("raw.events", kept, column_names=list(EVENT_COLUMNS))
    summary.inserted += len(kept)
    rejections = [
        r
        for r in chunk.rejections
        if not tombstones.names_forgotten(_rejection_keys(r[2]), forgotten_at)
    ]
    summary.rejected_forgotten += len(chunk.rejections) - len(rejections)
    record_rejections(client, file_name, rejections, chunk.received_at, summary)


def _forgotten_at(
    client: Client, rows: list[RawEvent], rejections: list[tuple[int, bytes, Rejection]]
) -> tombstones.ForgottenAt:
    """The forget times of the ids these rows and rejections carry that have a tombstone."""
    keys = {key for row in rows for key in _row_keys(row)}
    keys |= {key for _line, _raw, rejection in rejections for key in _rejection_keys(rejection)}
    return tombstones.forgotten_at(client, keys)


def _row_keys(row: RawEvent) -> list[tombstones.TombstoneKey]:
    return tombstones.keys_of(row.project_id, row.anonymous_id, row.user_id)


def _rejection_keys(rejection: Rejection) -> list[tombstones.TombstoneKey]:
    return tombstones.keys_of(rejection.project_id, rejection.anonymous_id, rejection.user_id)


def _stored_keys(client: Client, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (project_id, event_id) pairs raw.events already holds."""
    if not keys:
        return set()
    warehouse.ship(client, _KEYS_TABLE, keys, ["project_id", "event_id"])
    # The project_id filter lets the sort key (project_id, ...) skip other tenants' parts.
    result = client.query(
        f"""
        SELECT project_id, event_id
        FROM raw.events
        WHERE project_id IN (SELECT DISTINCT project_id FROM {_KEYS_TABLE})
          AND (project_id, event_id) IN (SELECT project_id, event_id FROM {_KEYS_TABLE})
        """
    )
    return {(p, e) for p, e in result.result_rows}


def _as_bytes(raw: str | bytes) -> bytes:
    return raw if isinstance(raw, bytes) else raw.encode("utf-8")
