"""Proving a forget: zero rows for the key in every target, no replaced part left on disk, and
no insert file left in the warehouse directory."""

from __future__ import annotations

import datetime as dt
import time

from clickhouse_connect.driver.client import Client

from orchestration.forget.audit import latest_status, record_state
from orchestration.forget.batch import rows_by_key, stage_keys
from orchestration.forget.requests import ForgetKey, pending_requests
from orchestration.forget.targets import PurgeTarget
from orchestration.runtime import warehouse


def remaining_rows(
    client: Client, keys: list[ForgetKey], targets: list[PurgeTarget]
) -> dict[str, dict[str, int]]:
    """Rows still holding each key, per request id and target table: one grouped count per
    table and key type for the whole batch (keys staged in memory, same project only). A row
    counts once per key it holds, however many of its columns hold it."""
    stage_keys(client, keys)
    found: dict[tuple[str, str, str], dict[str, int]] = {}
    checked: dict[str, list[str]] = {"user_id": [], "anonymous_id": []}
    for target in targets:
        if not client.command(f"exists table {target.table}"):
            continue
        for key_type, columns in target.columns_by_key_type:
            if columns:
                checked[key_type].append(target.table)
        for key, count in rows_by_key(client, target).items():
            found.setdefault(key, {})[target.table] = count
    return {
        k.request_id: {
            table: found.get((k.project_id, k.key_type, k.key), {}).get(table, 0)
            for table in checked[k.key_type]
        }
        for k in keys
    }


def outdated_parts(client: Client, targets: list[PurgeTarget]) -> int:
    """Replaced parts not yet deleted from disk, over all targets."""
    tables = [t.table for t in targets]
    return int(
        client.command(
            "select count() from system.parts where not active "
            "and (database || '.' || table) in {tables:Array(String)}",
            parameters={"tables": tables},
        )
    )


def left_on_disk(client: Client, targets: list[PurgeTarget]) -> tuple[int, int]:
    """Replaced parts not yet deleted, and insert files in the warehouse directory. An insert
    file holds rows as they were sent, outside any table: a killed process's are removed when
    the warehouse is opened, so any found now is unaccounted for."""
    return outdated_parts(client, targets), len(warehouse.insert_temp_files())


def why_unverified(remaining: dict[str, int], parts_left: int, temp_files: int) -> list[str]:
    """What keeps a request from being verified: rows of its key still in a table, replaced
    parts still on disk, insert files left. Empty: it is verified."""
    reasons = [
        f"{table} still holds {count} row(s) of the key"
        for table, count in sorted(remaining.items())
        if count
    ]
    if parts_left:
        reasons.append(
            f"{parts_left} replaced part(s) still on disk, not yet removed by the cleanup"
        )
    if temp_files:
        reasons.append(f"{temp_files} insert file(s) left in the warehouse folder")
    return reasons


def verify_pending(client: Client, targets: list[PurgeTarget], wait_seconds: float = 60) -> dict:
    """Mark every propagated request 'verified' once no target holds its key, the replaced
    parts have left the disk and no insert file is left in the warehouse directory. A request
    that fails stays pending for the next run."""
    propagated = latest_status(client, "propagated")
    keys = [
        k
        for k in pending_requests(client)
        if k.key_type != "invalid" and k.request_id in propagated
    ]
    if not keys:
        return {"verified": 0, "unverified": 0}
    deadline = time.monotonic() + wait_seconds
    while outdated_parts(client, targets) and time.monotonic() < deadline:
        time.sleep(0.5)  # the tables' cleanup threads run every second
    parts_left, temp_files = left_on_disk(client, targets)
    remaining = remaining_rows(client, keys, targets)
    now = dt.datetime.now(dt.UTC)
    done, undone = [], []
    for key in keys:
        clean = not why_unverified(remaining[key.request_id], parts_left, temp_files)
        (done if clean else undone).append(key)
    record_state(
        client, done, "verified", verified_at=now, remaining_rows=lambda k: remaining[k.request_id]
    )
    record_state(client, undone, "propagated", remaining_rows=lambda k: remaining[k.request_id])
    return {
        "verified": len(done),
        "unverified": len(undone),
        "outdated_parts": parts_left,
        "temp_files": temp_files,
    }
