"""audit.forget_log: one row per request and state; the newest version is the state."""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from orchestration.forget.requests import ForgetKey
from orchestration.forget.tombstones import TOMBSTONES_DDL

# One row per forget request and state change; the latest version (FINAL) is its state.
# It keeps the bare id, never traits or properties: verification has to know what to count.
FORGET_LOG_DDL = """
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
"""

LOG_COLUMNS = [
    "request_id",
    "project_id",
    "key_type",
    "forgotten_key",
    "status",
    "rows_removed",
    "remaining_rows",
    "received_at",
    "started_at",
    "finished_at",
    "verified_at",
]


def create_audit_tables(client: Client) -> None:
    """The audit database with the forget log and the tombstones. Safe to run repeatedly."""
    client.command("CREATE DATABASE IF NOT EXISTS audit")
    client.command(FORGET_LOG_DDL)
    client.command(TOMBSTONES_DDL)


def record_state(client: Client, keys: list[ForgetKey], status: str, **fields) -> None:
    """Append the requests' new state, carrying over the timestamps and counts each already
    has: one read and one insert for the whole batch, however many requests it holds. A field
    given as a function is called with each key, for values that differ per request."""
    if not keys:
        return
    previous = {
        request_id: (started, finished, rows_removed)
        for request_id, started, finished, rows_removed in client.query(
            "select request_id, started_at, finished_at, rows_removed "
            "from audit.forget_log final where request_id in {ids:Array(String)}",
            parameters={"ids": [k.request_id for k in keys]},
        ).result_rows
    }
    rows = []
    for key in keys:
        started, finished, rows_removed = previous.get(key.request_id, (None, None, {}))
        row = {
            "request_id": key.request_id,
            "project_id": key.project_id,
            "key_type": key.key_type,
            "forgotten_key": key.key,
            "status": status,
            "rows_removed": rows_removed,
            "remaining_rows": {},
            "received_at": key.requested_at,
            "started_at": started,
            "finished_at": finished,
            "verified_at": None,
            **{name: value(key) if callable(value) else value for name, value in fields.items()},
        }
        rows.append([row[c] for c in LOG_COLUMNS])
    client.insert("audit.forget_log", rows, column_names=LOG_COLUMNS)


def audit_row(client: Client, request_id: str) -> dict | None:
    """The request's current audit state as a dict, or None."""
    result = client.query(
        f"select {', '.join(LOG_COLUMNS)} from audit.forget_log final "
        "where request_id = {r:String}",
        parameters={"r": request_id},
    )
    return (
        dict(zip(result.column_names, result.result_rows[0], strict=True))
        if result.result_rows
        else None
    )
