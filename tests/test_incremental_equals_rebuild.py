"""Incremental builds fed random delivery batches equal a full rebuild, row for row."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from orchestration.dbt_cli import run_dbt
from tests.eventkit import T0, Event, insert_events, minutes
from tests.snapshots import assert_same_tables, snapshot

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

URLS = [
    ("https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring", ""),
    ("https://shop.example/?gclid=abc123", ""),
    ("https://shop.example/pricing", "https://www.google.com/"),
    ("https://shop.example/blog", "https://news.example.org/post"),
    ("https://shop.example/docs", "https://shop.example/"),
    ("https://shop.example/", ""),
]


def random_events(rng: random.Random, devices: int = 14) -> list[Event]:
    """Devices with sessions, logins, account switches, purchases, late and repeated deliveries.
    Device ids collide across projects on purpose."""
    events: list[Event] = []
    for device in range(devices):
        project = rng.choice(["p1", "p2"])
        anonymous_id = f"device-{device % 7}"
        at = T0 + dt.timedelta(days=rng.uniform(0, 25))
        user = None
        for _ in range(rng.randint(1, 30)):
            at += rng.choice(
                [
                    dt.timedelta(seconds=rng.uniform(1, 900)),
                    minutes(30),  # exactly the timeout: same session
                    minutes(30) + dt.timedelta(milliseconds=1),
                    minutes(rng.uniform(31, 2000)),
                    dt.timedelta(days=rng.uniform(1, 12)),
                ]
            )
            roll = rng.random()
            url, referrer = rng.choice(URLS)
            if roll < 0.12:
                user = rng.choice(["u1", "u2", "u3", "u4"])
                event = Event(
                    project,
                    anonymous_id,
                    at,
                    "$identify",
                    user,
                    url,
                    referrer,
                    {"email": f"{user}@example.com", "plan": "pro"},
                )
            elif roll < 0.2 and user:
                event = Event(
                    project,
                    anonymous_id,
                    at,
                    "purchase",
                    user,
                    url,
                    referrer,
                    {"revenue": round(rng.uniform(5, 200), 2), "currency": "EUR"},
                )
            else:
                event = Event(project, anonymous_id, at, "$pageview", user, url, referrer)
            if rng.random() < 0.15:  # late: stored hours to days after it happened
                event.received_at = at + dt.timedelta(hours=rng.uniform(2, 120))
            events.append(event)
            if rng.random() < 0.08:  # redelivery: same event, stored again later
                copy = Event(**{**event.__dict__})
                copy.received_at = (event.received_at or at) + dt.timedelta(
                    hours=rng.uniform(0, 30)
                )
                events.append(copy)
    return events


def delivery_batches(rng: random.Random, events: list[Event], count: int) -> list[list[Event]]:
    ordered = sorted(events, key=lambda e: e.received_at or e.at + dt.timedelta(milliseconds=300))
    cuts = sorted(rng.sample(range(1, len(ordered)), count - 1))
    return [ordered[a:b] for a, b in zip([0, *cuts], [*cuts, len(ordered)], strict=True)]


@pytest.mark.parametrize("seed", [11, 23])
def test_incremental_batches_equal_full_rebuild(chdb_path, seed):
    rng = random.Random(seed)
    batches = delivery_batches(rng, random_events(rng), count=4)
    run_dbt(["seed"], quiet=True)
    for batch in batches:
        insert_events(batch)
        run_dbt(["run"], quiet=True)
    incremental = snapshot()

    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())
    assert len(incremental["marts.sessions"]) > 10


def test_late_identify_rewrites_weeks_of_anonymous_sessions(chdb_path, query):
    """A device browses anonymously for weeks; its $identify arrives in a later batch."""
    history = [Event("p1", "laptop", T0 + dt.timedelta(days=d)) for d in range(0, 21, 3)]
    insert_events(history)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    assert query("select countIf(user_id is null), count() from marts.sessions") == [(7, 7)]

    insert_events([Event("p1", "laptop", T0 + dt.timedelta(days=22), "$identify", "ada")])
    run_dbt(["run"], quiet=True)
    assert query("select user_id, count() from marts.sessions group by 1") == [("ada", 8)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_late_event_bridges_two_sessions(chdb_path, query):
    """Two sessions 50 minutes apart become one when a late event lands between them."""
    insert_events([Event("p1", "phone", T0), Event("p1", "phone", T0 + minutes(50))])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    assert query("select count() from marts.sessions") == [(2,)]

    late = Event("p1", "phone", T0 + minutes(25), received_at=T0 + dt.timedelta(days=2))
    insert_events([late])
    run_dbt(["run"], quiet=True)
    assert query("select count(), sum(event_count) from marts.sessions") == [(1, 3)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())
