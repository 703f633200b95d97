"""Rewriting the partitions that hold forgotten keys, so the bytes leave the disk.

A mutation (ALTER ... DELETE) or a lightweight delete only masks rows or writes a new part
beside the old one, and chDB keeps the old part on disk. Here each affected partition is
rebuilt without the rows in a scratch table and swapped in with REPLACE PARTITION, which is
atomic; the replaced parts are then deleted by the table's cleanup thread within seconds
(old_parts_lifetime = 0). Unaffected partitions are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clickhouse_connect.driver.client import Client

from orchestration.forget.batch import device_condition, key_condition, owner_condition, rows_by_key
from orchestration.forget.targets import PURGEABLE, PurgeTarget
from orchestration.forget.tombstones import TombstoneKey
from orchestration.runtime import warehouse


@dataclass(frozen=True)
class Purged:
    """What one purge of one table did."""

    rows: int = 0  # rows removed, each once
    # rows removed per forgotten key: a row that held two of the batch's keys counts for both
    rows_by_key: dict[TombstoneKey, int] = field(default_factory=dict)
    partitions: int = 0  # partitions rewritten


def purge(client: Client, target: PurgeTarget) -> Purged:
    """Remove the batch's keys from `target`, rewriting only the partitions that hold them
    (and, for reprocess targets, those holding the affected devices)."""
    table = target.table
    if not client.command(f"exists table {table}"):
        return Purged()
    remove = key_condition(target)
    if target.drops_affected_devices:
        remove = f"({remove} or {device_condition()})"
    if target.drops_affected_owners:
        remove = f"({remove} or {owner_condition(target)})"
    touch = f"({remove} or {device_condition()})" if target.reprocess_devices else remove
    # apply_deleted_mask = 0: rows hidden by an earlier lightweight delete are still bytes
    # on disk, so their partitions are rewritten too
    partitions = [
        pid
        for (pid,) in client.query(
            f"select distinct _partition_id from {table} where {touch}",
            settings={"apply_deleted_mask": 0},
        ).result_rows
    ]
    if not partitions:
        return Purged()
    # counted before the rewrite: what it is about to remove
    removed = int(client.command(f"select count() from {table} where {remove}"))
    removed_by_key = rows_by_key(client, target)
    client.command(f"alter table {table} modify setting {PURGEABLE}")
    scratch = f"{table}__forget_scratch"
    client.command(f"drop table if exists {scratch} sync")
    columns = warehouse.stored_columns(client, table)
    select = ", ".join(
        f"if({device_condition()}, now64(3), built_at) as built_at"
        if target.reprocess_devices and name == "built_at"
        else f"`{name}`"
        for name in columns
    )
    for partition in partitions:
        client.command(f"create table {scratch} as {table}")
        client.command(
            f"insert into {scratch} select {select} from {table} "
            f"where _partition_id = {{p:String}} and not {remove}",
            parameters={"p": partition},
        )
        client.command(
            f"alter table {table} replace partition id {{p:String}} from {scratch}",
            parameters={"p": partition},
            settings={"allow_replace_partition_from_empty_source": 1},
        )
        client.command(f"drop table {scratch} sync")
    return Purged(removed, removed_by_key, len(partitions))
