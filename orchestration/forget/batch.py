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
BATCH_USERS = "audit.forget_batch_users"


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
    """Load the batch's keys, the devices they touched and the users linked to those, into
    in-memory tables (never on disk). Returns the number of affected devices."""
    stage_keys(client, keys)
    for table, key in ((BATCH_DEVICES, "anonymous_id"), (BATCH_USERS, "user_id")):
        client.command(
            f"create table if not exists {table} (project_id String, {key} String) engine = Memory"
        )
        client.command(f"truncate table {table}")
    # the tables that reveal links are purged last, so a repeated pass after a crash finds
    # the same devices and users
    revealing = [
        (t.table, device, user)
        for t in targets
        if t.reveals_devices or t.reprocess_devices
        for device in t.device_columns[:1]
        for user in t.user_columns
        if client.command(f"exists table {t.table}")
    ]

    def linked(select: str, where: str, found_by: str) -> str:
        """The `select` ids ("device" or "user") of rows whose `where` id is in `found_by`."""
        parts = []
        for table, device, user in revealing:
            column = {"device": device, "user": user}
            parts.append(
                f"select project_id, `{column[select]}` from {table} "
                f"where `{column[select]}` is not null "
                f"and (project_id, `{column[where]}`) in ({found_by})"
            )
        return " union all ".join(parts)

    if not revealing:
        return 0
    forgotten = "select project_id, forgotten_key from {keys} where key_type = '{kind}'"
    forgotten_users = forgotten.format(keys=BATCH_KEYS, kind="user_id")
    forgotten_devices = forgotten.format(keys=BATCH_KEYS, kind="anonymous_id")
    # a forgotten person's devices are recomputed downstream; so are the other devices of the
    # people a forgotten device was linked to, whose per-owner rows (users, attribution) held it
    users_of_forgotten_devices = linked("user", "device", forgotten_devices)
    client.command(
        f"insert into {BATCH_DEVICES} select distinct * from ("
        + linked("device", "user", forgotten_users)
        + " union all "
        + linked("device", "user", users_of_forgotten_devices)
        + ")"
    )
    # every user linked to an affected device, or to a forgotten one: their per-owner rows go
    client.command(
        f"insert into {BATCH_USERS} select distinct * from ("
        + linked(
            "user",
            "device",
            f"select project_id, anonymous_id from {BATCH_DEVICES} union all {forgotten_devices}",
        )
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


def device_condition(column: str = "anonymous_id") -> str:
    """SQL true for rows of the batch's affected devices."""
    return f"(project_id, `{column}`) in (select project_id, anonymous_id from {BATCH_DEVICES})"


def owner_condition(target: PurgeTarget) -> str:
    """SQL true for rows of `target` whose owner (docs/incremental.md) is linked to an affected
    device: a user in the batch's users, or a device of the batch's with no user."""
    clauses = [
        f"(project_id, `{user}`) in (select project_id, user_id from {BATCH_USERS})"
        for user in target.user_columns[:1]
    ] + [
        f"(`{user}` is null and {device_condition(device)})"
        for user in target.user_columns[:1]
        for device in target.device_columns[:1]
    ]
    return "(" + " or ".join(clauses) + ")" if clauses else "false"


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
