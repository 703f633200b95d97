"""Hand-made raw events for scenario tests: a tiny builder plus the insert into raw.events."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from orchestration import warehouse
from orchestration.loader.validate import COLUMNS as RAW_EVENT_COLUMNS

# what the SDKs send: every raw.events column but the ingestion side's own flag
COLUMNS = [c for c in RAW_EVENT_COLUMNS if c != "is_anonymous_id_fabricated"]
T0 = dt.datetime(2026, 3, 2, 9, 0, 0)


@dataclass
class Event:
    project_id: str
    anonymous_id: str
    at: dt.datetime
    event_name: str = "$pageview"
    user_id: str | None = None
    url: str = "https://shop.example/"
    referrer: str = ""
    properties: dict = field(default_factory=dict)
    received_at: dt.datetime | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def row(self) -> list:
        received = self.received_at or self.at + dt.timedelta(milliseconds=300)
        return [
            self.event_id,
            self.project_id,
            self.event_name,
            self.anonymous_id,
            self.user_id,
            self.at,
            received,
            self.url,
            self.referrer,
            json.dumps(self.properties),
            "test-agent",
        ]


def insert_events(events: list[Event]) -> None:
    """Append the events to raw.events of the current target (creating the raw tables)."""
    with warehouse.connect() as client:
        warehouse.init(client)
        if events:
            client.insert("raw.events", [e.row() for e in events], column_names=COLUMNS)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)
