"""What the events loader (load.py) and the spend loader (spend.py) share: a file read in chunks
that are written as they fill, a file error told in the loader's words, and rejected lines
recorded in raw.events_rejected once per file and line."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from clickhouse_connect.driver.client import Client
from clickhouse_connect.driver.exceptions import DatabaseError

from orchestration.loader.readers import RawRecord, reader_errors
from orchestration.loader.summary import FileSummary
from orchestration.loader.validate import Rejection
from orchestration.raw.contract import REJECTED_COLUMNS, RejectedLine


class Chunk(Protocol):
    """Up to chunk_size records of one file, validated as they are added."""

    size: int

    def add(self, record: RawRecord) -> None: ...


C = TypeVar("C", bound=Chunk)


def read_in_chunks(
    records: Iterable[RawRecord | None],
    summary: FileSummary,
    chunk_size: int,
    new_chunk: Callable[[], C],
    write: Callable[[C], None],
) -> None:
    """Adds a file's records (readers.read_records, or the lines engine.py left to check) to
    chunks of `chunk_size`, calling `write` on each full chunk and on the last. A file that
    cannot be read further ends here with `summary.error` set, after the rows read before the
    error are written: a reload after fixing the file skips them, so nothing is lost or doubled.
    Database errors are raised."""
    started = time.monotonic()
    records = iter(records)
    chunk = new_chunk()
    while True:
        # Only reading is guarded: what it raises is about the file (or a reader bug, which must
        # not stop the other files either), unless the database raised it (the engine's lines).
        try:
            record = next(records)
        except StopIteration:
            break
        except DatabaseError:
            raise
        except Exception as e:
            summary.error = describe(e)
            break
        if record is None:
            summary.blank_lines += 1
            continue
        chunk.add(record)
        if chunk.size >= chunk_size:
            write(chunk)
            chunk = new_chunk()
    write(chunk)
    summary.seconds = time.monotonic() - started


def describe(error: BaseException) -> str:
    """Why a file could not be read further, in one line."""
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if not isinstance(error, reader_errors()):
        return f"could not be read further ({type(error).__name__}: {error}); please report it"
    return str(error) or type(error).__name__


def record_rejections(
    client: Client,
    file_name: str,
    rejections: list[tuple[int, bytes, Rejection]],
    now: dt.datetime,
    summary: FileSummary,
) -> None:
    """Insert rejected lines, except those this file already has in raw.events_rejected with the
    same line number and text (a reload). The lookup is a key-range read on (file, line_number)
    and ships no ids."""
    if not rejections:
        return
    lines = [line_number for line_number, _raw, _rejection in rejections]
    result = client.query(
        """
        SELECT line_number, lower(hex(MD5(raw_line)))
        FROM raw.events_rejected
        WHERE file = {file:String} AND line_number BETWEEN {lo:UInt64} AND {hi:UInt64}
        """,
        parameters={"file": file_name, "lo": min(lines), "hi": max(lines)},
    )
    recorded = {(n, digest) for n, digest in result.result_rows}
    rows = []
    for line_number, raw, rejection in rejections:
        if (line_number, hashlib.md5(raw).hexdigest()) in recorded:
            summary.rejected_already_recorded += 1
            continue
        rows.append(
            RejectedLine(
                file=file_name,
                line_number=line_number,
                raw_line=raw,  # bytes for every row: written as-is, even when not UTF-8
                reason=rejection.reason,
                project_id=rejection.project_id,
                anonymous_id=rejection.anonymous_id,
                user_id=rejection.user_id,
                rejected_at=now,
            )
        )
    if rows:
        client.insert("raw.events_rejected", rows, column_names=list(REJECTED_COLUMNS))
