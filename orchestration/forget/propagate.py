"""One forget pass over every pending request, as a single batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from clickhouse_connect.driver.client import Client

from orchestration.forget.audit import record_state
from orchestration.forget.batch import stage_batch
from orchestration.forget.purge import purge
from orchestration.forget.requests import pending_requests
from orchestration.forget.targets import PurgeTarget
from orchestration.forget.tombstones import record_tombstones


def propagate_pending(
    client: Client,
    targets: list[PurgeTarget],
    progress: Callable[[str], None] = lambda _m: None,
    crash_after_table: str | None = None,
) -> dict:
    """Tombstone every pending request's key and purge it from every target, all requests in
    one pass (one rewrite per affected partition, however many requests). Requests are left
    'propagated'; the dbt build and `verify_pending` finish them. Returns counts only: no ids."""
    pending = pending_requests(client)
    invalid = [k for k in pending if k.key_type == "invalid"]
    keys = [k for k in pending if k.key_type != "invalid"]
    record_state(client, invalid, "invalid")
    if not keys:
        return {
            "requests": 0,
            "invalid_requests": len(invalid),
            "affected_devices": 0,
            "partitions_rewritten": 0,
            "rows_removed": {},
        }
    started = dt.datetime.now(dt.UTC)
    record_state(client, keys, "propagating", started_at=started)
    record_tombstones(client, keys, started)
    devices = stage_batch(client, keys, targets)
    progress(f"forget: {len(keys)} request(s), {devices} affected device(s), {len(targets)} tables")
    removed: dict[str, int] = {}
    rewritten = 0
    for number, target in enumerate(targets, 1):
        removed[target.table], partitions = purge(client, target)
        rewritten += partitions
        progress(
            f"forget: [{number}/{len(targets)}] {target.table}: {removed[target.table]} rows "
            f"removed, {partitions} partition(s) rewritten"
        )
        if crash_after_table == target.table:
            raise RuntimeError(f"injected failure after purging {target.table}")
    finished = dt.datetime.now(dt.UTC)
    record_state(
        client, keys, "propagated", started_at=started, finished_at=finished, rows_removed=removed
    )
    return {
        "requests": len(keys),
        "invalid_requests": len(invalid),
        "affected_devices": devices,
        "partitions_rewritten": rewritten,
        "rows_removed": removed,
    }
