"""Tombstones: a forgotten key and when it was forgotten, so that a replay or a late delivery
cannot bring the person back.

The rule (docs/forget.md): an event of a forgotten key is left out when the server received it
at or before the forget (`received_at`), or when its own `timestamp` is at or before it. The
device's clock alone never makes an event new: it can run ahead by up to the skew allowance.

Staging applies the rule in SQL (macros/forget/is_forgotten.sql); the loader applies the same
rule in SQL before it writes a row (orchestration/loader/engine.py), so a replayed file does not
put the bytes back on disk. Its rejected lines are checked here (`names_forgotten`).
"""

from __future__ import annotations

import datetime as dt

from clickhouse_connect.driver.client import Client

from orchestration.forget.requests import ForgetKey
from orchestration.runtime import warehouse

# It keeps the bare id, never traits or properties: the loader and staging have to know what
# to leave out.
TOMBSTONES_DDL = """
    CREATE TABLE IF NOT EXISTS audit.forget_tombstones
    (
        request_id String,
        project_id String,
        key_type LowCardinality(String),
        forgotten_key String,
        forgotten_at DateTime64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree
    ORDER BY (project_id, key_type, forgotten_key, request_id)
"""
# The loader's lookup ships a chunk's ids through this session-scoped temporary table.
_LOOKUP_TABLE = "millimetric_tombstone_lookup"

TombstoneKey = tuple[str, str, str]  # (project_id, key_type, key)
ForgottenAt = dict[TombstoneKey, dt.datetime]


def record_tombstones(client: Client, keys: list[ForgetKey], at: dt.datetime) -> None:
    """Record each key's forget time (once per request) for staging and the loader."""
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


def keys_of(project_id: str | None, anonymous_id: str | None, user_id: str | None) -> list:
    """The tombstone keys a row or a rejected line carries (none without a project)."""
    if project_id is None:
        return []
    return [
        (project_id, key_type, key)
        for key_type, key in (("anonymous_id", anonymous_id), ("user_id", user_id))
        if key is not None
    ]


def any_tombstones(client: Client) -> bool:
    """Most warehouses have none: then nothing needs looking up."""
    return bool(client.command("SELECT count() > 0 FROM audit.forget_tombstones"))


def forgotten_at(client: Client, keys: set[TombstoneKey]) -> ForgottenAt:
    """The latest forget time of each of these keys that has a tombstone. Ids travel through a
    temporary table, never pasted into SQL."""
    if not keys:
        return {}
    client.command(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_LOOKUP_TABLE} "
        "(project_id String, key_type String, forgotten_key String)"
    )
    warehouse.ship(client, _LOOKUP_TABLE, list(keys), ["project_id", "key_type", "forgotten_key"])
    result = client.query(
        f"""
        SELECT project_id, key_type, forgotten_key, max(forgotten_at)
        FROM audit.forget_tombstones
        WHERE (project_id, key_type, forgotten_key) IN (
            SELECT project_id, key_type, forgotten_key FROM {_LOOKUP_TABLE}
        )
        GROUP BY project_id, key_type, forgotten_key
        """
    )
    return {(p, t, k): _as_utc(at) for p, t, k, at in result.result_rows}


def names_forgotten(keys: list[TombstoneKey], known: ForgottenAt) -> bool:
    """True when any key has a tombstone at all, whatever the time: for rejected lines, whose
    timestamp may be the very thing that is wrong with them."""
    return any(key in known for key in keys)


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
