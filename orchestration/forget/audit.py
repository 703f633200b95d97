"""audit.forget_log: one row per request and state; the newest version is the state."""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from orchestration.forget.requests import ForgetKey

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


def record_state(client: Client, key: ForgetKey, status: str, **fields) -> None:
    """Append the request's new state, carrying over the timestamps already recorded."""
    previous = client.query(
        "select started_at, finished_at, rows_removed from audit.forget_log final "
        "where request_id = {r:String}",
        parameters={"r": key.request_id},
    ).result_rows
    started, finished, rows_removed = previous[0] if previous else (None, None, {})
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
        **fields,
    }
    client.insert("audit.forget_log", [[row[c] for c in LOG_COLUMNS]], column_names=LOG_COLUMNS)


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
