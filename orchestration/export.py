"""The marts as Parquet or CSV files that BI tools, DuckDB and pandas read directly.

Rows stream from the warehouse one ClickHouse block at a time (the Native format: on chDB,
clickhouse-connect streams it, while ArrowStream and Parquet results arrive whole), are turned
into Arrow batches with the mart's own Arrow schema, and are written a chunk at a time, so
memory stays bounded by the chunk size whatever the mart's size. Parquet keeps the contract's
types: Decimal(P, S) stays decimal(P, S), DateTime64(3, 'UTC') stays a UTC timestamp, Date a
date. Each file is written beside its final name and renamed when complete, so a failed export
never leaves a truncated file that looks whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from clickhouse_connect.driver.client import Client

MARTS = "marts"
FORMATS = ("parquet", "csv")
# rows per Parquet row group and per progress line: a few tens of MB of Arrow memory
CHUNK_ROWS = 250_000
# a project id becomes a folder name: only ids that are safe as one are accepted
SAFE_PATH_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class ExportError(ValueError):
    """Bad input; the message is meant for the user as is."""


@dataclass(frozen=True)
class Exported:
    mart: str
    path: Path
    rows: int


def mart_names(client: Client) -> list[str]:
    """The tables of the marts database, by name."""
    rows = client.query(
        "select name from system.tables where database = {db:String} order by name",
        parameters={"db": MARTS},
    ).result_rows
    return [name for (name,) in rows]


def _choose_marts(client: Client, wanted: Iterable[str] | None) -> list[str]:
    available = mart_names(client)
    if not available:
        raise ExportError("there are no marts on this target yet: run `millimetric build` first")
    wanted = list(dict.fromkeys(wanted or []))
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ExportError(
            f"unknown mart(s) {', '.join(map(repr, unknown))}; the marts are: "
            + ", ".join(available)
        )
    return wanted or available


def _check_project(client: Client, project: str) -> None:
    rows = client.query(f"select distinct project_id from {MARTS}.sessions").result_rows
    known = sorted(p for (p,) in rows)
    if project not in known:
        raise ExportError(f"unknown project {project!r}; projects: {', '.join(known) or 'none'}")
    if not SAFE_PATH_PART.fullmatch(project):
        raise ExportError(f"project {project!r} cannot be used as a folder name")


def arrow_schema(client: Client, mart: str) -> pa.Schema:
    """The mart's columns as ClickHouse itself maps them to Arrow (decimals, UTC timestamps)."""
    return client.query_arrow(f"select * from {MARTS}.`{mart}` limit 0").schema


class _Writer:
    """One output file, written to `<name>.partial` and renamed on close."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.path, self.partial = path, path.with_name(path.name + ".partial")
        if fmt == "parquet":
            self.writer = pq.ParquetWriter(self.partial, schema, compression="zstd")
        else:
            self.writer = pa_csv.CSVWriter(self.partial, schema)

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table)

    def close(self, ok: bool) -> None:
        self.writer.close()
        if ok:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink(missing_ok=True)


def export_mart(
    client: Client,
    mart: str,
    path: Path,
    fmt: str = "parquet",
    project: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Exported:
    """Stream one mart (one project's rows, if given) into `path`; returns the rows written."""
    schema = arrow_schema(client, mart)
    where = "where project_id = {project:String}" if project is not None else ""
    parameters = {"project": project} if project is not None else None
    total = client.query(f"select count() from {MARTS}.`{mart}` {where}", parameters=parameters)
    total = int(total.result_rows[0][0])
    writer, ok, written, pending, pending_rows = _Writer(path, schema, fmt), False, 0, [], 0
    try:
        stream = client.query_column_block_stream(
            f"select * from {MARTS}.`{mart}` {where}", parameters=parameters
        )
        with stream:
            for block in stream:
                # naive datetimes from clickhouse-connect are UTC; the schema says so
                arrays = [
                    pa.array(column, type=f.type) for column, f in zip(block, schema, strict=True)
                ]
                pending.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
                pending_rows += len(arrays[0]) if arrays else 0
                if pending_rows >= CHUNK_ROWS:
                    writer.write(pa.Table.from_batches(pending, schema))
                    written, pending, pending_rows = written + pending_rows, [], 0
                    if progress:
                        progress(f"{MARTS}.{mart}: {written:,} / {total:,} rows")
        if pending or written == 0:
            writer.write(pa.Table.from_batches(pending, schema))
            written += pending_rows
        ok = True
    finally:
        writer.close(ok)
    if progress:
        progress(f"{MARTS}.{mart}: {written:,} rows -> {path}")
    return Exported(mart, path, written)


def export_marts(
    client: Client,
    to: Path,
    fmt: str = "parquet",
    project: str | None = None,
    marts: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Exported]:
    """Write each chosen mart (all by default) to `to/<mart>.<fmt>`, or to
    `to/<project>/<mart>.<fmt>` with only that project's rows."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    chosen = _choose_marts(client, marts)
    if project is not None:
        _check_project(client, project)
    folder = Path(to) / project if project is not None else Path(to)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".millimetric-write-test"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise ExportError(f"cannot write to {folder}: {error.strerror or error}") from None
    return [
        export_mart(client, mart, folder / f"{mart}.{fmt}", fmt, project, progress)
        for mart in chosen
    ]
