"""`write_to_warehouse`: append the events to raw.events, the ad spend to raw.ad_spend, and
replace the truth database."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
from clickhouse_connect.driver.client import Client

from orchestration.generator.traffic import Traffic
from orchestration.generator.truth import TRUTH_DDL
from orchestration.raw import tables

# One insert per ~1M rows keeps the client's memory flat on large runs (the client copies the
# payload twice); record batches of 128k rows let the server work on them as a stream.
INSERT_ROWS = 1_000_000
RECORD_BATCH_ROWS = 131_072
# Sent dictionary-encoded: a third less payload (user_agent alone is ~120 bytes a row); the
# server decodes them into the String / LowCardinality(String) columns.
DICTIONARY_COLUMNS = ("project_id", "event_name", "user_agent")


def _insert_payload(part: pa.Table) -> pa.Table:
    for name in DICTIONARY_COLUMNS:
        i = part.schema.get_field_index(name)
        part = part.set_column(i, name, pc.dictionary_encode(part[name]))
    return pa.Table.from_batches(part.to_batches(max_chunksize=RECORD_BATCH_ROWS), part.schema)


def write_to_warehouse(
    client: Client, traffic: Traffic, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Append traffic.events to raw.events and traffic.ad_spend to raw.ad_spend (creating the
    raw contract first; a rewrite of the same spend replaces it, newest load winning) and drop
    and recreate every truth.* table with this traffic's ground truth. Returns row counts per
    table."""
    say = progress or (lambda _msg: None)
    tables.init(client)
    started = time.perf_counter()
    events = traffic.events
    for offset in range(0, events.num_rows, INSERT_ROWS):
        payload = _insert_payload(events.slice(offset, INSERT_ROWS))
        client.insert_arrow("events", payload, database="raw")
    say(f"raw.events: appended {events.num_rows:,} rows in {time.perf_counter() - started:.1f} s")
    # loaded_at is left to its default, the time of this insert: the newest write of a key wins
    if traffic.ad_spend.num_rows:
        client.insert_arrow("ad_spend", traffic.ad_spend, database="raw")
    say(f"raw.ad_spend: {traffic.ad_spend.num_rows:,} campaign days")

    client.command("CREATE DATABASE IF NOT EXISTS truth")
    summary = {"events": events.num_rows, "ad_spend": traffic.ad_spend.num_rows}
    for name, table in traffic.truth_tables().items():
        client.command(f"DROP TABLE IF EXISTS truth.{name}")
        client.command(TRUTH_DDL[name])
        if table.num_rows:
            client.insert_arrow(name, table, database="truth")
        summary[name] = table.num_rows
    say("truth: " + ", ".join(f"{name} {n:,}" for name, n in summary.items() if name in TRUTH_DDL))
    return summary
