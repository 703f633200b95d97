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


@dataclass(frozen=True)
class Column:
    name: str
    clickhouse_type: str
    arrow_type: pa.DataType
    # False for what ingestion adds itself; SDKs and export files never carry it
    sent_by_clients: bool = True


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
)
# raw.events columns in the order rows are built and inserted
EVENT_COLUMNS = tuple(c.name for c in EVENT_COLUMN_SPECS)
# what an SDK, an export file or a test scenario sends
CLIENT_EVENT_COLUMNS = tuple(c.name for c in EVENT_COLUMN_SPECS if c.sent_by_clients)
EVENTS_ARROW_SCHEMA = pa.schema([(c.name, c.arrow_type) for c in EVENT_COLUMN_SPECS])
# One raw.events row; rows are built and read by name
RawEvent = namedtuple("RawEvent", EVENT_COLUMNS)

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


def _column_list(specs: tuple[Column, ...]) -> str:
    return ",\n        ".join(f"{c.name} {c.clickhouse_type}" for c in specs)


RAW_DDL = (
    "CREATE DATABASE IF NOT EXISTS raw",
    # Sort key (project_id, anonymous_id, timestamp): sessionization and stitching read one
    # device's events in time order, and forget finds a device's rows by prefix. Weekly
    # partitions keep a forget rewrite to the weeks a person was active. The minmax index on
    # received_at lets incremental builds skip parts that hold nothing new.
    f"""
    CREATE TABLE IF NOT EXISTS raw.events
    (
        {_column_list(EVENT_COLUMN_SPECS)},
        INDEX received_at_minmax received_at TYPE minmax GRANULARITY 1
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
        requested_at DateTime64(3, 'UTC')
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
)


def create_raw_tables(client: Client) -> None:
    """Create the raw database and tables. Safe to run repeatedly."""
    for statement in RAW_DDL:
        client.command(statement)
