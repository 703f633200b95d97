"""Rewriting the partitions that hold forgotten keys, so the bytes leave the disk.

A mutation (ALTER ... DELETE) or a lightweight delete only masks rows or writes a new part
beside the old one, and chDB keeps the old part on disk. Here each affected partition is
rebuilt without the rows in a scratch table and swapped in with REPLACE PARTITION, which is
atomic; the replaced parts are then deleted by the table's cleanup thread within seconds
(old_parts_lifetime = 0). Unaffected partitions are not touched.
"""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from orchestration.forget.batch import device_condition, key_condition
from orchestration.forget.targets import PURGEABLE, PurgeTarget


def purge(client: Client, target: PurgeTarget) -> tuple[int, int]:
    """Remove the batch's keys from `target`, rewriting only the partitions that hold them
    (and, for reprocess targets, those holding the affected devices). Returns the rows
    removed and the partitions rewritten."""
    table = target.table
    if not client.command(f"exists table {table}"):
        return 0, 0
    remove = key_condition(target)
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
        return 0, 0
    removed = int(client.command(f"select count() from {table} where {remove}"))
    client.command(f"alter table {table} modify setting {PURGEABLE}")
    scratch = f"{table}__forget_scratch"
    client.command(f"drop table if exists {scratch} sync")
    columns = [
        name
        for (name,) in client.query(
            "select name from system.columns where database = {d:String} and table = {t:String} "
            "and default_kind not in ('MATERIALIZED', 'ALIAS') order by position",
            parameters=dict(zip(("d", "t"), table.split("."), strict=True)),
        ).result_rows
    ]
    select = ", ".join(
        f"if({device_condition()}, now64(3), deduplicated_at) as deduplicated_at"
        if target.reprocess_devices and name == "deduplicated_at"
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
    return removed, len(partitions)
