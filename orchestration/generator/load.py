"""`write_to_warehouse`: append the events to raw.events and replace the truth database."""

from __future__ import annotations

import time
from collections.abc import Callable

from clickhouse_connect.driver.client import Client

from orchestration import warehouse
from orchestration.generator.traffic import Traffic
from orchestration.generator.truth import TRUTH_DDL

# Inserting in slices keeps the client's memory flat on large runs; one slice is ~1M rows.
INSERT_BATCH_ROWS = 1_000_000


def write_to_warehouse(
    client: Client, traffic: Traffic, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Append traffic.events to raw.events (creating the raw contract first) and drop and recreate
    every truth.* table with this traffic's ground truth. Returns row counts per table."""
    say = progress or (lambda _msg: None)
    warehouse.init(client)
    started = time.perf_counter()
    events = traffic.events
    for offset in range(0, events.num_rows, INSERT_BATCH_ROWS):
        client.insert_arrow("events", events.slice(offset, INSERT_BATCH_ROWS), database="raw")
    say(f"raw.events: appended {events.num_rows:,} rows in {time.perf_counter() - started:.1f} s")

    client.command("CREATE DATABASE IF NOT EXISTS truth")
    summary = {"events": events.num_rows}
    for name, table in traffic.truth_tables().items():
        client.command(f"DROP TABLE IF EXISTS truth.{name}")
        client.command(TRUTH_DDL[name])
        if table.num_rows:
            client.insert_arrow(name, table, database="truth")
        summary[name] = table.num_rows
    say(
        "truth: "
        + ", ".join(f"{name} {n:,}" for name, n in summary.items() if name != "events")
    )
    return summary
