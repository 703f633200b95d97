"""The raw contract: the tables ingestion writes and this repository reads (docs/raw-contract.md).

Each column is named once, here, with its ClickHouse and Arrow types. The DDL, the insert
column lists, the Arrow schema and the row type are all derived from these lists, so a new raw
column is one edit.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import pyarrow as pa
from clickhouse_connect.driver.client import Client

from orchestration.forget.targets import PURGEABLE
from orchestration.runtime import warehouse


@dataclass(frozen=True)
class Column:
    name: str
    clickhouse_type: str
    arrow_type: pa.DataType
    # False for what ingestion adds itself; SDKs and export files never carry it
    sent_by_clients: bool = True
    # True for what the warehouse stamps itself when it stores a row: never in an insert
    stamped_by_warehouse: bool = False


UTC_MS = pa.timestamp("ms", tz="UTC")

EVENT_COLUMN_SPECS = (
    Column("event_id", "String", pa.string()),
    Column("project_id", "LowCardinality(String)", pa.string()),
    Column("event_name", "LowCardinality(String)", pa.string()),
    Column("anonymous_id", "String", pa.string()),
    Column("user_id", "Nullable(String)", pa.string()),
    Column("timestamp", "DateTime64(3, 'UTC')", UTC_MS),
    Column("received_at", "DateTime64(3, 'UTC')", UTC_MS),
    Column("url", "String", pa.string()),
    Column("referrer", "String", pa.string()),
    Column("properties", "String", pa.string()),
    Column("user_agent", "String", pa.string()),
    Column("is_anonymous_id_fabricated", "Bool DEFAULT false", pa.bool_(), sent_by_clients=False),
    # When the warehouse stored the row: incremental builds pick new rows by it, whatever the
    # event's own timestamp or received_at (docs/incremental.md)
    Column(
        "inserted_at",
        "DateTime64(6, 'UTC') DEFAULT now64(6)",
        pa.timestamp("us", tz="UTC"),
        sent_by_clients=False,
        stamped_by_warehouse=True,
    ),
)
# raw.events columns in the order rows are built and inserted
EVENT_COLUMNS = tuple(c.name for c in EVENT_COLUMN_SPECS if not c.stamped_by_warehouse)
# what an SDK, an export file or a test scenario sends
CLIENT_EVENT_COLUMNS = tuple(c.name for c in EVENT_COLUMN_SPECS if c.sent_by_clients)
EVENTS_ARROW_SCHEMA = pa.schema(
    [(c.name, c.arrow_type) for c in EVENT_COLUMN_SPECS if not c.stamped_by_warehouse]
)
# One raw.events row; rows are built and read by name
RawEvent = namedtuple("RawEvent", EVENT_COLUMNS)

# raw.events_loading: one load's lines of one file, before the rows that are new go to raw.events
# (loader/engine.py). A line's verdict: `blank`; `clean`, typed by the engine; `to_check`, kept
# verbatim for Python to judge; `valid`, typed by Python. The ids of a `to_check` line are read
# best-effort, so that forget can find it.
LOADING_VERDICTS = ("blank", "clean", "to_check", "valid")
LOADING_COLUMN_SPECS = (
    Column("line_number", "UInt64", pa.uint64()),
    Column(
        "verdict",
        "Enum8(" + ", ".join(f"'{v}' = {i}" for i, v in enumerate(LOADING_VERDICTS)) + ")",
        pa.string(),
    ),
    *(c for c in EVENT_COLUMN_SPECS if not c.stamped_by_warehouse),
    # this load made the anonymous_id up (the row carried only a user_id)
    Column("fabricated", "Bool", pa.bool_()),
    # a `to_check` line without its line ending: whole up to MAX_LINE_BYTES, else its head
    Column("line", "String", pa.binary()),
    Column("line_bytes", "UInt64", pa.uint64()),
)
LOADING_COLUMNS = tuple(c.name for c in LOADING_COLUMN_SPECS)

REJECTED_COLUMN_SPECS = (
    Column("file", "String", pa.string()),
    Column("line_number", "UInt64", pa.uint64()),
    Column("raw_line", "String", pa.binary()),
    Column("reason", "String", pa.string()),
    Column("project_id", "Nullable(String)", pa.string()),
    Column("anonymous_id", "Nullable(String)", pa.string()),
    Column("user_id", "Nullable(String)", pa.string()),
    Column("rejected_at", "DateTime64(3, 'UTC') DEFAULT now64(3)", UTC_MS),
)
REJECTED_COLUMNS = tuple(c.name for c in REJECTED_COLUMN_SPECS)
RejectedLine = namedtuple("RejectedLine", REJECTED_COLUMNS)

AD_SPEND_COLUMN_SPECS = (
    Column("project_id", "LowCardinality(String)", pa.string()),
    Column("date", "Date", pa.date32()),
    # as the UTM tags name them, case included: sessions are matched on these exactly
    Column("source", "String", pa.string()),
    Column("medium", "String", pa.string()),
    Column("campaign", "String", pa.string()),
    Column("spend", "Decimal(18, 6)", pa.decimal128(18, 6)),
    Column("currency", "LowCardinality(String)", pa.string()),
    # where the row came from: the loaded file's absolute path, `generator`, or what a file says
    Column("origin", "String", pa.string(), sent_by_clients=False),
    Column("loaded_at", "DateTime64(3, 'UTC') DEFAULT now64(3)", UTC_MS, sent_by_clients=False),
)
AD_SPEND_COLUMNS = tuple(c.name for c in AD_SPEND_COLUMN_SPECS)
# what an ad platform export (a spend file) sends
CLIENT_AD_SPEND_COLUMNS = tuple(c.name for c in AD_SPEND_COLUMN_SPECS if c.sent_by_clients)
# one row per key: a later load of the same key replaces the earlier (a restatement)
AD_SPEND_KEY = ("project_id", "date", "source", "medium", "campaign")
AD_SPEND_ARROW_SCHEMA = pa.schema([(c.name, c.arrow_type) for c in AD_SPEND_COLUMN_SPECS])
AdSpendRow = namedtuple("AdSpendRow", AD_SPEND_COLUMNS)


def _column_list(specs: tuple[Column, ...]) -> str:
    return ",\n        ".join(f"{c.name} {c.clickhouse_type}" for c in specs)


RAW_DDL = (
    "CREATE DATABASE IF NOT EXISTS raw",
    # Sort key (project_id, anonymous_id, timestamp): sessionization and stitching read one
    # device's events in time order, and forget finds a device's rows by prefix. Weekly
    # partitions keep a forget rewrite to the weeks a person was active. The minmax index on
    # inserted_at lets incremental builds skip parts that hold nothing new.
    f"""
    CREATE TABLE IF NOT EXISTS raw.events
    (
        {_column_list(EVENT_COLUMN_SPECS)},
        INDEX inserted_at_minmax inserted_at TYPE minmax GRANULARITY 1
    )
    ENGINE = MergeTree
    PARTITION BY toMonday(timestamp)
    ORDER BY (project_id, anonymous_id, timestamp)
    SETTINGS {PURGEABLE}
    """,
    """
    CREATE TABLE IF NOT EXISTS raw.forget_requests
    (
        request_id String,
        project_id String,
        user_id Nullable(String),
        anonymous_id Nullable(String),
        requested_at DateTime64(3, 'UTC'),
        inserted_at DateTime64(6, 'UTC') DEFAULT now64(6)
    )
    ENGINE = MergeTree
    ORDER BY (requested_at, request_id)
    """,
    # What the loader refused, verbatim, with where it came from and why. The ids are parsed
    # best-effort so that forget can still find a person's rejected lines.
    f"""
    CREATE TABLE IF NOT EXISTS raw.events_rejected
    (
        {_column_list(REJECTED_COLUMN_SPECS)}
    )
    ENGINE = MergeTree
    ORDER BY (file, line_number)
    SETTINGS {PURGEABLE}
    """,
    # A load's staging: emptied before and after each file, so it holds rows only while a
    # load runs (or after one was killed, until the next load or forget empties it).
    f"""
    CREATE TABLE IF NOT EXISTS raw.events_loading
    (
        {_column_list(LOADING_COLUMN_SPECS)}
    )
    ENGINE = MergeTree
    ORDER BY line_number
    SETTINGS {PURGEABLE}
    """,
    # Daily ad spend per campaign: no person in it, so no purge settings. The sort key is the
    # grain; ReplacingMergeTree keeps the newest load of a key (a restated day replaces the old
    # figure). Merges are not exact at every moment, so readers use FINAL
    # (stg_millimetric__ad_spend). Monthly partitions: a few rows per campaign a day.
    f"""
    CREATE TABLE IF NOT EXISTS raw.ad_spend
    (
        {_column_list(AD_SPEND_COLUMN_SPECS)}
    )
    ENGINE = ReplacingMergeTree(loaded_at)
    PARTITION BY toYYYYMM(date)
    ORDER BY ({", ".join(AD_SPEND_KEY)})
    """,
)


# Columns added to the contract after tables were first created: (table, column).
ADDED_COLUMNS = (("raw.events", "inserted_at"), ("raw.forget_requests", "inserted_at"))


def create_raw_tables(client: Client) -> None:
    """Create the raw database and tables, and bring tables created by an older contract up to
    this one without losing a row. Safe to run repeatedly."""
    for statement in RAW_DDL:
        client.command(statement)
    for table, column in ADDED_COLUMNS:
        # a crash after the swap leaves the old rows here: personal data forget does not purge
        client.command(f"DROP TABLE IF EXISTS {_upgrade_table(table)} SYNC")
        if not _has_column(client, table, column):
            _rebuild_with_contract(client, table)


def _upgrade_table(table: str) -> str:
    return f"{table}__contract_upgrade"


def _has_column(client: Client, table: str, column: str) -> bool:
    database, name = table.split(".")
    return bool(
        client.command(
            "SELECT count() FROM system.columns "
            "WHERE database = {d:String} AND table = {t:String} AND name = {c:String}",
            parameters={"d": database, "t": name, "c": column},
        )
    )


def _rebuild_with_contract(client: Client, table: str) -> None:
    """Copy `table` into a new table with this contract's DDL, swap the two atomically and drop
    the old one. Added columns take their DEFAULT once, at the copy (inserted_at: the
    migration's time, so the next build looks at every row once). A copy, not ALTER ... ADD
    COLUMN: a DEFAULT column added by ALTER is computed again at every read until a mutation
    rewrites the parts, and in chDB a mutation leaves the old parts, personal data included,
    on disk. A crash anywhere leaves the old table whole; the next init starts again."""
    staging = _upgrade_table(table)
    ddl = next(s for s in RAW_DDL if f"CREATE TABLE IF NOT EXISTS {table}\n" in s)
    client.command(ddl.replace(f"IF NOT EXISTS {table}\n", f"{staging}\n"))
    listed = ", ".join(f"`{c}`" for c in warehouse.stored_columns(client, table))
    client.command(f"INSERT INTO {staging} ({listed}) SELECT {listed} FROM {table}")
    client.command(f"EXCHANGE TABLES {table} AND {staging}")
    client.command(f"DROP TABLE {staging} SYNC")
