"""Connections to the warehouse on the current target.

chDB allows one process per data directory, so a connection is opened for one piece of work
and closed before anything else (a dbt subprocess above all) may open the directory.

clickhouse-connect's chDB backend writes every insert to a temporary file and reads it back
with `INSERT ... FROM INFILE`; it deletes the file only if the process lives to do so. Those
files hold the rows, personal data included, so they are kept under the warehouse directory,
where forget looks, never in the system's temporary folder, where it cannot (docs/forget.md).

chDB (4.4) keeps five idle threads, each holding three open /proc files, for every open of a
warehouse that has MergeTree tables, until the process exits. A short-lived process (a CLI
command, a Dagster run) never notices; a long-lived one that opens the warehouse on a timer
runs out of file descriptors, so it does that work through `in_own_process`.
"""

from __future__ import annotations

import errno
import fcntl
import multiprocessing
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import clickhouse_connect
from clickhouse_connect.driver._backend import chdb_backend
from clickhouse_connect.driver.client import Client

from orchestration import settings

T = TypeVar("T")

# The insert files of the process that has the warehouse open go to
# <warehouse>/INSERT_TEMP_DIR/<process>/; the folders of other processes are leftovers.
INSERT_TEMP_DIR = "insert_tmp"

_lock = threading.Lock()
_insert_dir: Path | None = None  # this process's folder in the open warehouse
_process: tuple[int, str] | None = None


def client_for_target() -> Client:
    """A new client on the current target. The caller closes it (see `connect`). On `local`,
    the leftovers of processes that died while inserting are removed first thing."""
    name = settings.target()
    if name == "local":
        path = settings.chdb_path()
        path.mkdir(parents=True, exist_ok=True)
        try:
            client = clickhouse_connect.get_client(interface="chdb", path=str(path))
        except Exception:
            if not _remove_empty_scratch_definitions(path):
                raise
            client = clickhouse_connect.get_client(interface="chdb", path=str(path))
        # the warehouse is ours now (chDB holds its lock): no other process is inserting
        _keep_insert_files_in(path)
        return client
    return clickhouse_connect.get_client(**settings.clickhouse_server())


# dbt's tables of one model's build (`__dbt_new_data_…`, `__dbt_tmp`, `__dbt_backup`); dbt drops
# and makes them again at every build
DBT_SCRATCH_TABLE = re.compile(r".+__dbt_(new_data|tmp|backup)\w*\.sql")


def _remove_empty_scratch_definitions(path: Path) -> bool:
    """A disk that filled up while the engine created a table can leave that table's
    definition file empty, and the engine then refuses to open the warehouse at all. When the
    table is one of dbt's scratch tables, which no build reads before making it again, its
    empty file is removed (saying so on stderr) and True returned. An empty definition of any
    other table raises a WarehouseDamaged naming the file: the table's data is still there,
    and only a person can say what the table was."""
    empty = [
        file
        for pattern in ("metadata/*.sql", "store/*/*/*.sql")
        for file in path.glob(pattern)
        if file.is_file() and file.stat().st_size == 0
    ]
    others = [file for file in empty if not DBT_SCRATCH_TABLE.fullmatch(file.name)]
    if others:
        raise WarehouseDamaged(
            f"the engine cannot open {path}: the definition of table {others[0].stem} "
            f"({others[0]}) is an empty file, as a disk that filled up can leave it; restore "
            "it from a backup, or move it away to drop the table"
        )
    for file in empty:
        print(
            f"millimetric: removed the empty definition of dbt's scratch table {file.stem}, "
            "left by a disk that filled up",
            file=sys.stderr,
        )
        file.unlink()
    return bool(empty)


class WarehouseDamaged(Exception):
    """The local warehouse cannot be opened as it is; the message says why and what to do."""


def insert_temp_dir() -> Path:
    """This process's folder for insert files in the local warehouse."""
    return settings.chdb_path() / INSERT_TEMP_DIR / _process_name()


def insert_temp_files() -> list[Path]:
    """Insert files on disk in the local warehouse: leftovers of dead processes that were not
    yet removed, and this process's inserts in flight. None on a server target."""
    if settings.target() != "local":
        return []
    root = settings.chdb_path() / INSERT_TEMP_DIR
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _process_name() -> str:
    """Unique to this process (a pid alone can be reused after a crash)."""
    global _process
    if _process is None or _process[0] != os.getpid():
        _process = (os.getpid(), f"{os.getpid()}-{secrets.token_hex(4)}")
    return _process[1]


def _keep_insert_files_in(warehouse_dir: Path) -> None:
    """Point the chDB backend's insert files at this process's folder in the warehouse and
    remove every other process's folder there. Only call with the warehouse open."""
    global _insert_dir
    root = warehouse_dir / INSERT_TEMP_DIR
    mine = root / _process_name()
    with _lock:
        mine.mkdir(parents=True, exist_ok=True)
        for folder in root.iterdir():
            if folder != mine:
                if folder.is_dir() and not folder.is_symlink():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink(missing_ok=True)
        _insert_dir = mine
        chdb_backend.tempfile = _TempfileInWarehouse()


class _TempfileInWarehouse:
    """Stands in for the `tempfile` module inside clickhouse-connect's chDB backend, which
    names no folder for its insert files: the same module, except that temporary files go to
    this process's folder in the open warehouse. chDB opens one data directory per process,
    so one folder serves every client of the process."""

    def __getattr__(self, name: str):
        return getattr(tempfile, name)

    def NamedTemporaryFile(self, *args, **kwargs):  # noqa: N802 (the module's own name)
        if kwargs.get("dir") is None and _insert_dir is not None:
            _insert_dir.mkdir(parents=True, exist_ok=True)
            kwargs["dir"] = _insert_dir
        return tempfile.NamedTemporaryFile(*args, **kwargs)


def is_locked() -> bool:
    """Whether another process holds the embedded warehouse (chDB flocks `status` in the data
    directory; its own error says only "Error initializing EmbeddedServer"). Always False on a
    server target."""
    if settings.target() != "local":
        return False
    try:
        with open(settings.chdb_path() / "status", "rb") as status:
            fcntl.flock(status, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(status, fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    except BlockingIOError:
        return True
    return False


@contextmanager
def connect() -> Iterator[Client]:
    """A client on the current target, closed on exit so the chDB lock is released."""
    client = client_for_target()
    try:
        yield client
    finally:
        client.close()


def ship(client: Client, table: str, rows: list, columns: list[str]) -> None:
    """Replace the contents of a session's temporary table with `rows`. Shipping ids by insert
    keeps them out of SQL text, and stays fast at 100k keys where a bound Array parameter does
    not (chDB slows sharply past ~20k elements; an HTTP server limits URL size)."""
    client.command(f"TRUNCATE TABLE {table}")
    client.insert(table, rows, column_names=columns)


def stored_columns(client: Client, table: str) -> list[str]:
    """`table`'s columns that hold data, in order: what a copy of its rows must list
    (MATERIALIZED and ALIAS columns are computed, not stored)."""
    database, name = table.split(".")
    return [
        column
        for (column,) in client.query(
            "select name from system.columns where database = {d:String} and table = {t:String} "
            "and default_kind not in ('MATERIALIZED', 'ALIAS') order by position",
            parameters={"d": database, "t": name},
        ).result_rows
    ]


def in_own_process(work: Callable[[], T]) -> T:
    """`work()`, run in a fresh process that exits when it returns: what a long-lived process
    (the code server evaluating a sensor every minute) uses to open the warehouse without
    keeping chDB's threads and files of each open (see the module docstring). `work` must be
    a module-level function; its exceptions are raised here."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as worker:
        return worker.submit(work).result()


def disk_full_reason() -> str:
    """The words every command ends with when the warehouse's disk is full."""
    where = settings.chdb_path() if settings.target() == "local" else "the ClickHouse server"
    return f"the disk is full (no space left on device, in {where})"


def is_disk_full(error: BaseException) -> bool:
    """ENOSPC from Python's own writes (the loader's insert files), or the engine's
    NOT_ENOUGH_SPACE / "No space left on device" from a write it refused."""
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    text = str(error)
    return "No space left on device" in text or "NOT_ENOUGH_SPACE" in text
