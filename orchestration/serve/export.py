"""The marts as Parquet or CSV files that BI tools, DuckDB and pandas read directly.

Rows stream from the warehouse one ClickHouse block at a time (the Native format: on chDB,
clickhouse-connect streams it, while ArrowStream and Parquet results arrive whole), are turned
into Arrow batches with the mart's own Arrow schema, and are written a chunk at a time, so
memory stays bounded by the chunk size whatever the mart's size. Parquet keeps the contract's
types: Decimal(P, S) stays decimal(P, S), DateTime64(3, 'UTC') stays a UTC timestamp, Date a
date.

An export is whole or absent (docs/reporting.md): the files and `_manifest.json` are written
into a hidden folder beside the target, flushed to disk, and swapped with the target in one
rename; the previous export's files, as its manifest lists them, are then deleted. A folder
holding anything else is refused, so an export never deletes a file it did not write. What a
killed export leaves (its hidden folder, a `*.partial`) is removed by the next export there.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator
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
# The layout of an export folder, in its manifest: raise it when a loader would have to read
# the folder differently.
LAYOUT_VERSION = 1
MANIFEST = "_manifest.json"
PARTIAL = ".partial"
# the names an export writes into a folder, and the temporary names it writes them under
_EXPORT_FILE = re.compile(r"(?:[A-Za-z0-9_]+\.(?:parquet|csv)|_manifest\.json)(?:\.partial)?")
_TOKEN = 4  # random bytes in the name of an export's temporary folder
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>


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
    """One output file, written to `<name>.partial`, flushed to disk and renamed on close."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.path, self.partial = path, path.with_name(path.name + PARTIAL)
        if fmt == "parquet":
            self.writer = pq.ParquetWriter(self.partial, schema, compression="zstd")
        else:
            self.writer = pa_csv.CSVWriter(self.partial, schema)

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table)

    def close(self, ok: bool) -> None:
        self.writer.close()
        if ok:
            _fsync(self.partial)
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
        progress(f"{MARTS}.{mart}: {written:,} rows -> {path.name}")
    return Exported(mart, path, written)


def _fsync(path: Path) -> None:
    """Flush a file's or a folder's entries to disk: a rename is only as durable as both."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(folder: Path) -> dict | None:
    """The `_manifest.json` of an earlier export in `folder`, or None when there is none or it
    is not one (then what the folder holds is not known to be an export's)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = [entry["file"] for entry in manifest["marts"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if manifest.get("layout_version") != LAYOUT_VERSION:
        return None
    if not all(isinstance(f, str) and _EXPORT_FILE.fullmatch(f) for f in files):
        return None
    return manifest


def _owned(manifest: dict | None) -> set[str]:
    """The names an export wrote, by its manifest: its files and the manifest itself."""
    if manifest is None:
        return set()
    return {entry["file"] for entry in manifest["marts"].values()} | {MANIFEST}


def _is_partial(entry: os.DirEntry) -> bool:
    """A file an export was writing when it was killed (`sessions.parquet.partial`)."""
    return (
        entry.name.endswith(PARTIAL)
        and _EXPORT_FILE.fullmatch(entry.name) is not None
        and entry.is_file(follow_symlinks=False)
    )


def _check_folder(folder: Path) -> dict | None:
    """The previous export's manifest (None: no folder, or an empty one). Refuses a folder that
    holds anything that export did not list, or a killed export's leftover."""
    if not folder.exists():
        return None
    if not folder.is_dir():
        raise ExportError(f"cannot write to {folder}: it is not a folder")
    manifest = read_manifest(folder)
    owned = _owned(manifest)
    foreign = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name in owned and entry.is_file(follow_symlinks=False):
                continue
            if _is_partial(entry):
                continue
            foreign.append(entry.name + ("/" if entry.is_dir(follow_symlinks=False) else ""))
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise ExportError(
            f"refusing to export into {folder}: it holds {shown}, which no earlier export listed "
            f"in its {MANIFEST}; nothing was changed. Export into a new or empty folder, or move "
            "those away: an export replaces only what the previous export there wrote"
        )
    return manifest


def _leftover_name(folder: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(folder.name)}\.(?:export|replaced)-[0-9a-f]{{{_TOKEN * 2}}}")


def _leftovers(folder: Path) -> list[Path]:
    """The hidden folders of earlier exports into `folder` that did not finish (killed while
    writing, or between the two renames where renameat2 is missing), newest first."""
    pattern = _leftover_name(folder)
    found = []
    with os.scandir(folder.parent) as entries:
        for entry in entries:
            if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                found.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
    return [path for _, path in sorted(found, reverse=True)]


def _remove_export_files(folder: Path, names: set[str] | None = None) -> list[str]:
    """Delete from `folder` the files an export writes there (`names`, by default anything
    named like an export's file or its partial), then the folder if that empties it. Nothing
    else is touched: a folder left holding other files stays."""
    removed = []
    with os.scandir(folder) as entries:
        for entry in entries:
            ours = entry.name in names if names is not None else _EXPORT_FILE.fullmatch(entry.name)
            if (ours or _is_partial(entry)) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
    with contextlib.suppress(OSError):
        os.rmdir(folder)
    return sorted(removed)


def _make_staging(folder: Path) -> Path:
    """A new hidden folder beside `folder`, on the same filesystem, with `folder`'s mode (a
    BI user who could read the old folder can read the new one)."""
    for _ in range(100):
        staging = folder.with_name(f".{folder.name}.export-{secrets.token_hex(_TOKEN)}")
        try:
            os.mkdir(staging)
        except FileExistsError:
            continue
        if folder.exists():
            os.chmod(staging, stat.S_IMODE(folder.stat().st_mode))
        return staging
    raise ExportError(f"cannot make a temporary folder beside {folder}")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the C
    library or the filesystem has no such call."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def _swap_in(staging: Path, folder: Path) -> Path | None:
    """Put `staging` in `folder`'s place as one step; returns where the previous folder is now
    (None when there was none)."""
    if not folder.exists():
        os.rename(staging, folder)
        return None
    if _exchange(staging, folder):
        return staging
    # No RENAME_EXCHANGE (some network and FUSE filesystems): two renames, between which the
    # folder is absent for a moment, never mixed. A crash between them leaves the previous
    # export in `.<name>.replaced-*`, which the next export puts back first (_recover).
    old = folder.with_name(f".{folder.name}.replaced-{secrets.token_hex(_TOKEN)}")
    os.rename(folder, old)
    os.rename(staging, folder)
    return old


def _recover(folder: Path, say: Callable[[str], None]) -> None:
    """Put back the previous export when a crash came between the two renames of _swap_in."""
    if folder.exists():
        return
    for leftover in _leftovers(folder):
        if ".replaced-" in leftover.name and read_manifest(leftover) is not None:
            os.rename(leftover, folder)
            say(f"export: put back the previous export into {folder} (an export stopped there)")
            return


@contextlib.contextmanager
def _locked(parent: Path, say: Callable[[str], None]) -> Iterator[None]:
    """One export at a time into the folders of `parent`: each cleans up after the others."""
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"export: waiting for another export into {parent} to end")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def column_types(client: Client, mart: str) -> list[tuple[str, str]]:
    """The mart's columns and their ClickHouse types, in order."""
    rows = client.query(
        "select name, type from system.columns where database = {db:String} "
        "and table = {table:String} order by position",
        parameters={"db": MARTS, "table": mart},
    ).result_rows
    return [(name, type_) for name, type_ in rows]


def _manifest(
    client: Client, files: list[Exported], fmt: str, project: str | None, at: dt.datetime
) -> dict:
    marts = {}
    for exported in files:
        schema = arrow_schema(client, exported.mart)
        marts[exported.mart] = {
            "file": exported.path.name,
            "rows": exported.rows,
            "columns": [
                {"name": name, "type": type_, "file_type": str(schema.field(name).type)}
                for name, type_ in column_types(client, exported.mart)
            ],
        }
    return {
        "layout_version": LAYOUT_VERSION,
        "written_by": "millimetric export",
        "exported_at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "project": project,
        "all_projects": project is None,
        "format": fmt,
        "marts": marts,
    }


def _write_manifest(folder: Path, manifest: dict) -> None:
    partial = folder / (MANIFEST + PARTIAL)
    partial.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _fsync(partial)
    os.replace(partial, folder / MANIFEST)


def _export_into(
    client: Client,
    folder: Path,
    fmt: str,
    project: str | None,
    chosen: list[str],
    say: Callable[[str], None],
    progress: Callable[[str], None] | None,
) -> list[Exported]:
    _recover(folder, say)
    previous = _check_folder(folder)
    for leftover in _leftovers(folder):
        removed = _remove_export_files(leftover)
        say(f"export: removed what a stopped export left beside {folder}: {', '.join(removed)}")
    if folder.exists():
        with os.scandir(folder) as entries:
            partials = [entry for entry in entries if _is_partial(entry)]
        for entry in partials:
            os.unlink(entry.path)
            say(f"export: removed what a stopped export left in {folder}: {entry.name}")
    started_at = dt.datetime.now(dt.UTC)
    staging, swapped = _make_staging(folder), False
    try:
        files = [
            export_mart(client, mart, staging / f"{mart}.{fmt}", fmt, project, progress)
            for mart in chosen
        ]
        _write_manifest(staging, _manifest(client, files, fmt, project, started_at))
        _fsync(staging)
        old = _swap_in(staging, folder)
        swapped = True
        _fsync(folder.parent)
    finally:
        if not swapped:
            _remove_export_files(staging)
    written = [Exported(f.mart, folder / f.path.name, f.rows) for f in files]
    if old is None:
        say(f"export: wrote {len(written)} file(s) and {MANIFEST} into the new folder {folder}")
        return written
    removed = _remove_export_files(old, _owned(read_manifest(old)))
    stale = sorted(set(removed) - {f.path.name for f in written} - {MANIFEST})
    what = f"the export of {previous['exported_at']}" if previous else "the empty folder"
    say(
        f"export: replaced {what} in {folder} as one step with {len(written)} file(s) and "
        f"{MANIFEST}"
        + (f"; removed its files not exported this time: {', '.join(stale)}" if stale else "")
    )
    if old.exists():
        say(f"export: left {old}: something other than an export's files appeared in it")
    return written


def export_marts(
    client: Client,
    to: Path,
    fmt: str = "parquet",
    project: str | None = None,
    marts: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Exported]:
    """Write each chosen mart (all by default) to `to/<mart>.<fmt>`, or to
    `to/<project>/<mart>.<fmt>` with only that project's rows, with `_manifest.json` beside
    them. The folder's contents are replaced as one step: a reader sees the previous export or
    this one, whole, never a mix; a failed export leaves the previous one as it was. A folder
    holding anything the previous export did not list in its manifest is refused, untouched."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    chosen = _choose_marts(client, marts)
    if project is not None:
        _check_project(client, project)
    folder = Path(os.path.abspath(Path(to) / project if project is not None else Path(to)))
    if folder.is_symlink():
        folder = folder.resolve()  # replace the folder it names, not the link
    if folder.parent == folder:
        raise ExportError(f"cannot export into {folder}: give a folder of its own")
    say = progress or (lambda message: None)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with _locked(folder.parent, say):
            return _export_into(client, folder, fmt, project, chosen, say, progress)
    except OSError as error:
        if error.errno == errno.EXDEV:
            raise ExportError(
                f"cannot replace {folder} as one step: it is a mount point; export into a "
                "folder inside it"
            ) from None
        raise ExportError(f"cannot write to {folder}: {error.strerror or error}") from None
