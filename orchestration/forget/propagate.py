"""One forget pass over every pending request, as a single batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from clickhouse_connect.driver.client import Client

from orchestration.forget.audit import record_state
from orchestration.forget.purge import BATCH_DEVICES, BATCH_KEYS, purge
from orchestration.forget.requests import ForgetKey, pending_requests
from orchestration.forget.targets import PurgeTarget

# Failure injection for the crash-and-resume test: the pass raises after purging this table.
CRASH_AFTER_TABLE_ENV = "MILLIMETRIC_FORGET_CRASH_AFTER"


def stage_keys(client: Client, keys: list[ForgetKey]) -> None:
    """Load the batch's keys into an in-memory table (never on disk): SQL reads ids from
    there, never from its own text."""
    client.command(
        f"create table if not exists {BATCH_KEYS} "
        "(project_id String, key_type String, forgotten_key String) engine = Memory"
    )
    client.command(f"truncate table {BATCH_KEYS}")
    client.insert(
        BATCH_KEYS,
        [[k.project_id, k.key_type, k.key] for k in keys],
        column_names=["project_id", "key_type", "forgotten_key"],
    )


def stage_batch(client: Client, keys: list[ForgetKey], targets: list[PurgeTarget]) -> int:
    """Load the batch's keys, and the devices they touched, into in-memory tables (never on
    disk). Returns the number of affected devices."""
    stage_keys(client, keys)
    client.command(
        f"create table if not exists {BATCH_DEVICES} "
        "(project_id String, anonymous_id String) engine = Memory"
    )
    client.command(f"truncate table {BATCH_DEVICES}")
    # a forgotten user's devices must be recomputed downstream; the tables that reveal them
    # are purged last, so a repeated pass after a crash finds the same devices
    sources = [
        f"select project_id, `{column}` as anonymous_id from {t.table} "
        f"where (project_id, `{user_column}`) in (select project_id, forgotten_key "
        f"from {BATCH_KEYS} where key_type = 'user_id')"
        for t in targets
        if t.reveals_devices or t.reprocess_devices
        for column in t.device_columns[:1]
        for user_column in t.user_columns
        if client.command(f"exists table {t.table}")
    ]
    if sources:
        client.command(
            f"insert into {BATCH_DEVICES} select distinct project_id, anonymous_id from ("
            + " union all ".join(sources)
            + ")"
        )
    return int(client.command(f"select count() from {BATCH_DEVICES}"))


def tombstone(client: Client, keys: list[ForgetKey], at: dt.datetime) -> None:
    """Record each key's forget time (once per request) for staging to filter on."""
    known = {
        r
        for (r,) in client.query(
            "select request_id from audit.forget_tombstones "
            "where request_id in {ids:Array(String)}",
            parameters={"ids": [k.request_id for k in keys]},
        ).result_rows
    }
    rows = [
        [k.request_id, k.project_id, k.key_type, k.key, at]
        for k in keys
        if k.request_id not in known
    ]
    if rows:
        client.insert(
            "audit.forget_tombstones",
            rows,
            column_names=["request_id", "project_id", "key_type", "forgotten_key", "forgotten_at"],
        )


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
    tombstone(client, keys, started)
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
