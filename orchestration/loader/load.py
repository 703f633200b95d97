"""`load_paths`: files into raw.events, one file at a time, rejecting bad rows and skipping
events already stored.

Per file: its valid rows are staged in raw.events_loading, by the engine for the NDJSON lines it
can vouch for (engine.py) and by Python in chunks for the rest (validate.py), while rejected
lines go to raw.events_rejected with their reasons. Then one statement inserts the first row of
each (project_id, event_id) that raw.events does not hold and no tombstone covers, and the stage
is emptied. A file is stored whole or not at all; a repeat in a later file of the same load is
caught because each file is stored before the next is read. Python holds one chunk at a time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from clickhouse_connect.driver.client import Client

from orchestration import settings
from orchestration.forget import tombstones
from orchestration.loader import engine, spend
from orchestration.loader.chunks import read_in_chunks, record_rejections
from orchestration.loader.readers import (
    ID_FIELDS,
    NDJSON,
    SUPPORTED,
    RawRecord,
    detect_format,
    read_records,
)
from orchestration.loader.summary import FileSummary, LoadSummary
from orchestration.loader.validate import Event, Rejection, validate
from orchestration.raw import tables

DEFAULT_CHUNK_SIZE = 50_000

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
    engine_parse: bool = True,
) -> LoadSummary:
    """Load NDJSON, CSV and Parquet files (a directory: its supported files, sorted by name)
    into raw.events, and refused rows into raw.events_rejected.

    Guarantees: raw tables exist afterwards (init runs first); a row is inserted only if no row
    with its (project_id, event_id) is in raw.events, so reloading a file changes nothing (not
    even raw.events_rejected, which skips lines it already holds for the same file); a file that
    cannot be read is reported in the summary and does not stop the others. Database errors are
    raised. `progress` gets one message per chunk of `chunk_size` lines and one per file.
    `engine_parse=False` has Python read every line: the reference the engine's shortcut is
    tested against (engine.py).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    say = progress or (lambda _message: None)
    tables.init(client)
    summary = LoadSummary()
    targets = _expand([Path(p) for p in paths], summary)
    check_tombstones = tombstones.any_tombstones(client)
    for path, fmt, error in targets:
        file_summary = FileSummary(path=path, format=fmt, error=error)
        summary.files.append(file_summary)
        if fmt is None:
            say(f"{path}: {error}")
            continue
        if spend.is_spend_file(path, fmt):  # its header names `spend`: raw.ad_spend
            spend.load_spend_file(client, path, fmt, file_summary, chunk_size, say)
            continue
        _load_file(client, path, fmt, file_summary, chunk_size, say, check_tombstones, engine_parse)
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
    """Up to chunk_size records checked by Python, validated as they arrive so that only the
    valid rows (with their line numbers) and the rejections are held."""

    def __init__(self, summary: FileSummary) -> None:
        self.summary = summary
        self.size = 0
        self.received_at = _now()  # stamps rows without received_at, as ingestion does
        self.valid: list[tuple[int, Event]] = []
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
        self.valid.append((record.line_number, result))


def _load_file(
    client: Client,
    path: Path,
    fmt: str,
    summary: FileSummary,
    chunk_size: int,
    say: Progress,
    check_tombstones: bool,
    engine_parse: bool,
) -> None:
    """The file's lines go to the stage (raw.events_loading): NDJSON through the engine, which
    leaves Python only the lines it cannot vouch for; then the new rows go to raw.events in one
    statement, and the stage is emptied."""
    file_name = str(path.resolve())
    started = time.monotonic()

    def write(chunk: _Chunk) -> None:
        engine.stage_valid(client, chunk.valid)
        _record_rejections(client, file_name, chunk, check_tombstones)
        if chunk.size >= chunk_size:
            elapsed = time.monotonic() - started
            say(
                f"{path}: {summary.lines_read:,} lines read, {summary.loaded:,} valid, "
                f"{summary.rejected:,} rejected ({summary.lines_read / max(elapsed, 1e-9):,.0f} "
                "lines/s)"
            )

    engine.clear(client)
    try:
        records = _records(client, path, fmt, summary, chunk_size, say, engine_parse)
        read_in_chunks(records, summary, chunk_size, lambda: _Chunk(summary), write)
        written = engine.write_new_rows(client)
    finally:
        engine.clear(client)
    summary.inserted = written.inserted
    summary.forgotten_skipped = written.forgotten_skipped
    summary.duplicates_skipped = summary.loaded - written.inserted - written.forgotten_skipped
    summary.seconds = time.monotonic() - started
    outcome = f"stopped: {summary.error}" if summary.error else "done"
    say(
        f"{path}: {outcome}; {summary.lines_read:,} lines read, {summary.inserted:,} inserted, "
        f"{summary.duplicates_skipped:,} duplicates skipped, {summary.rejected:,} rejected "
        f"in {summary.seconds:.1f} s"
    )


def _records(
    client: Client,
    path: Path,
    fmt: str,
    summary: FileSummary,
    chunk_size: int,
    say: Progress,
    engine_parse: bool,
) -> Iterable[RawRecord | None]:
    """What Python has to check: an NDJSON file's lines the engine left (on the local target,
    where the engine reads the same disk), or else every record of the file."""
    if not (engine_parse and fmt == NDJSON and settings.target() == "local"):
        return read_records(path, fmt, batch_rows=chunk_size)
    why_not = engine.stage_file(client, path, _now())
    if why_not is not None:
        say(f"{path}: the engine could not read it ({why_not}); reading it line by line")
        return read_records(path, fmt, batch_rows=chunk_size)
    staged = engine.staged_counts(client)
    summary.blank_lines += staged.blank
    summary.lines_read += staged.clean
    summary.loaded += staged.clean
    summary.fabricated_anonymous_ids += staged.fabricated
    say(f"{path}: the engine read {staged.clean:,} valid lines; checking the rest")
    return engine.lines_to_check(client)


def _record_rejections(
    client: Client, file_name: str, chunk: _Chunk, check_tombstones: bool
) -> None:
    """Record the chunk's rejected lines, except those naming a forgotten user or device: a
    replayed file must not bring a forgotten person back onto disk (docs/forget.md)."""
    rejections = chunk.rejections
    if check_tombstones and rejections:
        keys = {key for _line, _raw, rejection in rejections for key in _keys(rejection)}
        forgotten_at = tombstones.forgotten_at(client, keys)
        rejections = [
            r for r in rejections if not tombstones.names_forgotten(_keys(r[2]), forgotten_at)
        ]
    chunk.summary.rejected_forgotten += len(chunk.rejections) - len(rejections)
    record_rejections(client, file_name, rejections, chunk.received_at, chunk.summary)


def _keys(rejection: Rejection) -> list[tombstones.TombstoneKey]:
    return tombstones.keys_of(rejection.project_id, rejection.anonymous_id, rejection.user_id)


def _as_bytes(raw: str | bytes) -> bytes:
    return raw if isinstance(raw, bytes) else raw.encode("utf-8")
