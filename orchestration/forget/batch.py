"""The batch tables: the keys of one forget pass, and the devices they touched, in memory.

Propagation, purge and verification all read ids from these tables, never from SQL text.
"""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from orchestration.forget.requests import ForgetKey
from orchestration.forget.targets import PurgeTarget
from orchestration.forget.tombstones import TombstoneKey

BATCH_KEYS = "audit.forget_batch_keys"
BATCH_DEVICES = "audit.forget_batch_devices"


def stage_keys(client: Client, keys: list[ForgetKey]) -> None:
    """Load the batch's keys into an in-memory table (never on disk)."""
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


def key_condition(target: PurgeTarget) -> str:
    """SQL true for rows of `target` that hold a key of the current batch (same project)."""
    clauses = [
        f"(project_id, `{column}`) in (select project_id, forgotten_key from {BATCH_KEYS} "
        f"where key_type = '{key_type}')"
        for key_type, columns in target.columns_by_key_type
        for column in columns
    ]
    return "(" + " or ".join(clauses) + ")" if clauses else "false"


def device_condition() -> str:
    """SQL true for rows of the batch's affected devices."""
    return f"(project_id, anonymous_id) in (select project_id, anonymous_id from {BATCH_DEVICES})"


def rows_by_key(client: Client, target: PurgeTarget) -> dict[TombstoneKey, int]:
    """Rows of `target` holding each of the batch's keys (same project only): one grouped
    count per key type for the whole batch. A row counts once per key it holds, however many
    of its columns hold it; a row holding two of the batch's keys counts for both."""
    counts: dict[TombstoneKey, int] = {}
    for key_type, columns in target.columns_by_key_type:
        if not columns:
            continue
        held = "arrayDistinct([" + ", ".join(f"`{c}`" for c in columns) + "])"
        rows = client.query(
            f"select project_id, held_key, count() from {target.table} "
            f"array join {held} as held_key "
            f"where (project_id, held_key) in (select project_id, forgotten_key "
            f"from {BATCH_KEYS} where key_type = {{key_type:String}}) "
            "group by project_id, held_key",
            parameters={"key_type": key_type},
        ).result_rows
        for project_id, key, count in rows:
            counts[(project_id, key_type, key)] = int(count)
    return counts
