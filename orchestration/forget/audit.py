"""audit.forget_log: every state a forget request went through, and what each step removed.

The log is append-only: one row per request and step, never replaced, so a crashed pass's
figures stay on record and a resumed pass adds its own. A request's state is its newest row;
what it removed is the sum of its rows (`audit_row`); its history is all of them in order
(`audit_history`).
"""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from orchestration.forget.requests import ForgetKey
from orchestration.forget.tombstones import TOMBSTONES_DDL

# It keeps the bare id, never traits or properties: verification has to know what to count.
# rows_removed holds what the row's own step removed, per table (a pass records one row per
# table it removed a request's rows from); remaining_rows what a verification counted.
FORGET_LOG_DDL = """
    CREATE TABLE IF NOT EXISTS {table}
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
    ENGINE = MergeTree
    ORDER BY (request_id, updated_at)
"""
FORGET_LOG = "audit.forget_log"
_MIGRATING = "audit.forget_log__migrating"

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
    """The audit database with the forget log and the tombstones, an older forget log
    migrated first. Safe to run repeatedly, and to repeat after a crash at any step."""
    client.command("CREATE DATABASE IF NOT EXISTS audit")
    _migrate_replaced_log(client)
    client.command(FORGET_LOG_DDL.format(table=FORGET_LOG))
    client.command(TOMBSTONES_DDL)


def _migrate_replaced_log(client: Client) -> None:
    """The forget log used to be a ReplacingMergeTree whose every state row carried the
    request's counts so far. Copy every row it still has into the append-only table, each
    request's counts kept on its newest row only (so that summing does not multiply them),
    then swap the two tables in one atomic EXCHANGE."""
    # a leftover from a crash: the half-built copy (before the exchange) or the old table
    # (after it); either way the forget log itself is whole
    client.command(f"DROP TABLE IF EXISTS {_MIGRATING} SYNC")
    engine = client.query(
        "SELECT engine FROM system.tables WHERE database = 'audit' AND name = 'forget_log'"
    ).result_rows
    if engine != [("ReplacingMergeTree",)]:
        return
    client.command(FORGET_LOG_DDL.format(table=_MIGRATING))
    columns = ", ".join([*LOG_COLUMNS, "updated_at"])
    carried = [
        "if(updated_at = max(updated_at) OVER (PARTITION BY request_id), rows_removed, "
        "CAST(map(), 'Map(String, UInt64)'))"
        if c == "rows_removed"
        else c
        for c in [*LOG_COLUMNS, "updated_at"]
    ]
    client.command(
        f"INSERT INTO {_MIGRATING} ({columns}) SELECT {', '.join(carried)} FROM {FORGET_LOG}"
    )
    client.command(f"EXCHANGE TABLES {FORGET_LOG} AND {_MIGRATING}")
    client.command(f"DROP TABLE {_MIGRATING} SYNC")


def record_state(client: Client, keys: list[ForgetKey], status: str, **fields) -> None:
    """Append one row per request: its new state, with what this step did. One insert for the
    whole batch, however many requests it holds. A field given as a function is called with
    each key, for values that differ per request."""
    if not keys:
        return
    rows = []
    for key in keys:
        row = {
            "request_id": key.request_id,
            "project_id": key.project_id,
            "key_type": key.key_type,
            "forgotten_key": key.key,
            "status": status,
            "rows_removed": {},
            "remaining_rows": {},
            "received_at": key.requested_at,
            "started_at": None,
            "finished_at": None,
            "verified_at": None,
            **{name: value(key) if callable(value) else value for name, value in fields.items()},
        }
        rows.append([row[c] for c in LOG_COLUMNS])
    client.insert(FORGET_LOG, rows, column_names=LOG_COLUMNS)


def latest_status(client: Client, status: str) -> set[str]:
    """The requests whose newest state is `status`."""
    return {
        request_id
        for (request_id,) in client.query(
            f"SELECT request_id FROM {FORGET_LOG} GROUP BY request_id "
            "HAVING argMax(status, updated_at) = {s:String}",
            parameters={"s": status},
        ).result_rows
    }


def audit_row(client: Client, request_id: str) -> dict | None:
    """The request's audit as one dict (keys: LOG_COLUMNS), or None: its current status;
    rows_removed, what every pass together removed, per table (tables it had no rows in left
    out); remaining_rows, what the latest verification counted; started_at, when the first
    pass started; finished_at and verified_at, the latest."""
    result = client.query(
        f"""
        SELECT
            request_id,
            any(project_id),
            any(key_type),
            any(forgotten_key),
            argMax(status, updated_at),
            mapFilter((t, n) -> n > 0, sumMap(rows_removed)),
            argMaxIf(remaining_rows, updated_at, notEmpty(remaining_rows)),
            min(received_at),
            min(started_at),
            max(finished_at),
            max(verified_at)
        FROM {FORGET_LOG}
        WHERE request_id = {{r:String}}
        GROUP BY request_id
        """,
        parameters={"r": request_id},
    )
    if not result.result_rows:
        return None
    return dict(zip(LOG_COLUMNS, result.result_rows[0], strict=True))


def audit_history(client: Client, request_id: str) -> list[dict]:
    """Every state the request went through, oldest first, each with what its step removed
    (rows_removed), counted (remaining_rows) and when (updated_at)."""
    columns = [c for c in LOG_COLUMNS if c not in ("project_id", "key_type", "forgotten_key")]
    result = client.query(
        f"SELECT {', '.join([*columns, 'updated_at'])} FROM {FORGET_LOG} "
        "WHERE request_id = {r:String} ORDER BY updated_at",
        parameters={"r": request_id},
    )
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]
