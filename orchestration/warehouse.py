"""Connections to the warehouse on the current target.

chDB allows one process per data directory, so a connection is opened for one piece of work
and closed before anything else (a dbt subprocess above all) may open the directory.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

import clickhouse_connect
from clickhouse_connect.driver.client import Client

from orchestration import settings


def client_for_target() -> Client:
    """A new client on the current target. The caller closes it (see `connect`)."""
    name = settings.target()
    if name == "local":
        path = settings.chdb_path()
        path.mkdir(parents=True, exist_ok=True)
        return clickhouse_connect.get_client(interface="chdb", path=str(path))
    return clickhouse_connect.get_client(**settings.clickhouse_server())


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
