"""Hand-made raw events for scenario tests: a tiny builder plus the insert into raw.events."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from orchestration.raw import tables
from orchestration.raw.contract import CLIENT_EVENT_COLUMNS
from orchestration.runtime import warehouse

# what the SDKs send
COLUMNS = list(CLIENT_EVENT_COLUMNS)
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
        values = {
            "event_id": self.event_id,
            "project_id": self.project_id,
            "event_name": self.event_name,
            "anonymous_id": self.anonymous_id,
            "user_id": self.user_id,
            "timestamp": self.at,
            "received_at": self.received_at or self.at + dt.timedelta(milliseconds=300),
            "url": self.url,
            "referrer": self.referrer,
            "properties": json.dumps(self.properties),
            "user_agent": "test-agent",
        }
        return [values[name] for name in COLUMNS]


def insert_events(events: list[Event]) -> None:
    """Append the events to raw.events of the current target (creating the raw tables)."""
    with warehouse.connect() as client:
        tables.init(client)
        if events:
            client.insert("raw.events", [e.row() for e in events], column_names=COLUMNS)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)
