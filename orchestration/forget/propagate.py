"""One forget pass over every pending request, as a single batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from clickhouse_connect.driver.client import Client

from orchestration.forget.audit import record_state
from orchestration.forget.batch import stage_batch
from orchestration.forget.purge import purge
from orchestration.forget.requests import ForgetKey, pending_requests
from orchestration.forget.targets import PurgeTarget
from orchestration.forget.tombstones import TombstoneKey, record_tombstones


def propagate_pending(
    client: Client,
    targets: list[PurgeTarget],
    progress: Callable[[str], None] = lambda _m: None,
) -> dict:
    """Tombstone every pending request's key and purge it from every target, all requests in
    one pass (one rewrite per affected partition, however many requests). Requests are left
    'propagated'; the dbt build and `verify_pending` finish them. Each request's audit gets
    what was removed for its own key, table by table as the pass goes. Returns the batch's
    counts only: no ids."""
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
        purged = purge(client, target)
        removed[target.table] = purged.rows
        rewritten += purged.partitions
        # on record before the next table: a crash later in the pass loses no figure, and the
        # pass that resumes adds what it removes to these
        record_removed(client, keys, target.table, purged.rows_by_key, started)
        progress(
            f"forget: [{number}/{len(targets)}] {target.table}: {purged.rows} rows "
            f"removed, {purged.partitions} partition(s) rewritten"
        )
    finished = dt.datetime.now(dt.UTC)
    record_state(client, keys, "propagated", started_at=started, finished_at=finished)
    return {
        "requests": len(keys),
        "invalid_requests": len(invalid),
        "affected_devices": devices,
        "partitions_rewritten": rewritten,
        "rows_removed": removed,
    }


def record_removed(
    client: Client,
    keys: list[ForgetKey],
    table: str,
    removed: dict[TombstoneKey, int],
    started: dt.datetime,
) -> None:
    """One audit row per request that had rows in `table`: what was removed for its key."""

    def count(key: ForgetKey) -> int:
        return removed.get((key.project_id, key.key_type, key.key), 0)

    record_state(
        client,
        [k for k in keys if count(k)],
        "propagating",
        started_at=started,
        rows_removed=lambda k: {table: count(k)},
    )
