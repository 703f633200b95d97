"""Connections to the warehouse on the current target, and the raw-event contract's DDL.

chDB allows one process per data directory, so a connection is opened for one piece of work
and closed before anything else (a dbt subprocess above all) may open the directory.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

import clickhouse_connect
from clickhouse_connect.driver.client import Client

from orchestration import settings

# Parts replaced by a forget are deleted from disk within seconds rather than after the default
# 8 minutes (docs/forget.md). dbt_project.yml gives every model table the same settings.
PURGEABLE = "old_parts_lifetime = 0, cleanup_delay_period = 1, cleanup_delay_period_random_add = 0"

RAW_DDL = (
    "CREATE DATABASE IF NOT EXISTS raw",
    # Sort key (project_id, anonymous_id, timestamp): sessionization and stitching read one
    # device's events in time order, and forget finds a device's rows by prefix. Weekly
    # partitions keep a forget rewrite to the weeks a person was active. The minmax index on
    # received_at lets incremental builds skip parts that hold nothing new.
    """
    CREATE TABLE IF NOT EXISTS raw.events
    (
        event_id String,
        project_id LowCardinality(String),
        event_name LowCardinality(String),
        anonymous_id String,
        user_id Nullable(String),
        timestamp DateTime64(3, 'UTC'),
        received_at DateTime64(3, 'UTC'),
        url String,
        referrer String,
        properties String,
        user_agent String,
        is_anonymous_id_fabricated Bool DEFAULT false,
        INDEX received_at_minmax received_at TYPE minmax GRANULARITY 1
    )
    ENGINE = MergeTree
    PARTITION BY toMonday(timestamp)
    ORDER BY (project_id, anonymous_id, timestamp)
    SETTINGS {PURGEABLE}
    """,
    """
    CREATE TABLE IF NOT EXISTS raw.forget_requests
    (
        request_id String,
        project_id String,
        user_id Nullable(String),
        anonymous_id Nullable(String),
        requested_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (requested_at, request_id)
    """,
    # What the loader refused, verbatim, with where it came from and why. The ids are parsed
    # best-effort so that forget can still find a person's rejected lines.
    """
    CREATE TABLE IF NOT EXISTS raw.events_rejected
    (
        file String,
        line_number UInt64,
        raw_line String,
        reason String,
        project_id Nullable(String),
        anonymous_id Nullable(String),
        user_id Nullable(String),
        rejected_at DateTime64(3, 'UTC') DEFAULT now64(3)
    )
    ENGINE = MergeTree
    ORDER BY (file, line_number)
    SETTINGS {PURGEABLE}
    """,
    "CREATE DATABASE IF NOT EXISTS audit",
    # One row per forget request and state change; the latest version (FINAL) is its state.
    # It keeps the bare id, never traits or properties: verification has to know what to count.
    """
    CREATE TABLE IF NOT EXISTS audit.forget_log
    (
        request_id String,
        project_id String,
        key_type LowCardinality(String),
        forgotten_key String,
        status LowCardinality(String),
        rows_removed Map(String, UInt64),
        remaining_rows Map(String, UInt64),
        received_at DateTime64(3, 'UTC'),
        started_at Nullable(DateTime64(3, 'UTC')),
        finished_at Nullable(DateTime64(3, 'UTC')),
        verified_at Nullable(DateTime64(3, 'UTC')),
        updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
    )
    ENGINE = ReplacingMergeTree(updated_at)
    ORDER BY request_id
    """,
    # A forgotten key and when it was forgotten: staging drops its events stamped at or before
    # then, so a replay or a late delivery cannot bring the person back.
    """
    CREATE TABLE IF NOT EXISTS audit.forget_tombstones
    (
        request_id String,
        project_id String,
        key_type LowCardinality(String),
        forgotten_key String,
        forgotten_at DateTime64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree
    ORDER BY (project_id, key_type, forgotten_key, request_id)
    """,
)


def client_for_target() -> Client:
    """A new client on the current target. The caller closes it (see `connect`)."""
    name = settings.target()
    if name == "local":
        path = settings.chdb_path()
        path.mkdir(parents=True, exist_ok=True)
        return clickhouse_connect.get_client(interface="chdb", path=str(path))
    return clickhouse_connect.get_client(
        host=os.environ.get("CLICKHOUSE_HOST", "localhost"),
        port=int(os.environ.get("CLICKHOUSE_PORT", "8123")),
        username=os.environ.get("CLICKHOUSE_USER", "default"),
        password=os.environ.get("CLICKHOUSE_PASSWORD", ""),
        secure=os.environ.get("CLICKHOUSE_SECURE", "false").lower() in ("1", "true", "yes"),
    )


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


def init(client: Client) -> None:
    """Create the raw-event and forget-audit databases and tables. Safe to run repeatedly."""
    for statement in RAW_DDL:
        client.command(statement.replace("{PURGEABLE}", PURGEABLE))
