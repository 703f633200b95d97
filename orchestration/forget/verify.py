"""Proving a forget: zero rows for the key in every target, and no replaced part left on disk."""

from __future__ import annotations

import datetime as dt
import time

from clickhouse_connect.driver.client import Client

from orchestration.forget.audit import record_state
from orchestration.forget.requests import ForgetKey, pending_requests
from orchestration.forget.targets import PurgeTarget


def remaining_rows(client: Client, key: ForgetKey, targets: list[PurgeTarget]) -> dict[str, int]:
    """Rows still holding the key, per target table (bound parameters, same project only)."""
    counts = {}
    for target in targets:
        columns = target.user_columns if key.key_type == "user_id" else target.device_columns
        if not columns or not client.command(f"exists table {target.table}"):
            continue
        match = " or ".join(f"`{c}` = {{key:String}}" for c in columns)
        counts[target.table] = int(
            client.command(
                f"select count() from {target.table} where project_id = {{p:String}} and ({match})",
                parameters={"p": key.project_id, "key": key.key},
            )
        )
    return counts


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


def verify_pending(client: Client, targets: list[PurgeTarget], wait_seconds: float = 60) -> dict:
    """Mark every propagated request 'verified' once no target holds its key and the replaced
    parts have left the disk. A request that fails stays pending for the next run."""
    keys = [k for k in pending_requests(client) if k.key_type != "invalid"]
    propagated = {
        r
        for (r,) in client.query(
            "select request_id from audit.forget_log final where status = 'propagated'"
        ).result_rows
    }
    keys = [k for k in keys if k.request_id in propagated]
    if not keys:
        return {"verified": 0, "unverified": 0}
    deadline = time.monotonic() + wait_seconds
    while outdated_parts(client, targets) and time.monotonic() < deadline:
        time.sleep(0.5)  # the tables' cleanup threads run every second
    parts_left = outdated_parts(client, targets)
    verified = unverified = 0
    for key in keys:
        remaining = remaining_rows(client, key, targets)
        if parts_left == 0 and not any(remaining.values()):
            record_state(
                client,
                [key],
                "verified",
                remaining_rows=remaining,
                verified_at=dt.datetime.now(dt.UTC),
            )
            verified += 1
        else:
            record_state(client, [key], "propagated", remaining_rows=remaining)
            unverified += 1
    return {"verified": verified, "unverified": unverified, "outdated_parts": parts_left}
