"""The maximum session length (millimetric__max_session_hours) end to end: an always-on device
through marts.sessions, built incrementally and in full."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.runtime.dbt_cli import run_dbt
from tests.eventkit import T0, Event, insert_events, minutes
from tests.snapshots import assert_same_tables, snapshot

# builds a warehouse with dbt: minutes, not seconds
pytestmark = pytest.mark.slow

STARTS = "select dateDiff('minute', {t0:DateTime64(3)}, started_at) from marts.sessions order by 1"


def test_a_late_event_moves_every_later_cap_split(chdb_path, query):
    """An event every 10 minutes for a week is 7 sessions, each starting at the first event more
    than 24 hours after the previous start (0:00, 24:10, 48:20 ...). A late event at 24:05
    becomes the second session's start, so every later split moves: the incremental build must
    recompute the device whole, as a full rebuild does."""
    week = [Event("p1", "kiosk", T0 + minutes(10 * i)) for i in range(7 * 24 * 6)]
    insert_events(week)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    t0 = {"t0": T0}
    assert [m for (m,) in query(STARTS, t0)] == [0, 1450, 2900, 4350, 5800, 7250, 8700]

    late = Event("p1", "kiosk", T0 + minutes(24 * 60 + 5), received_at=T0 + dt.timedelta(days=8))
    insert_events([late])
    run_dbt(["run"], quiet=True)
    assert [m for (m,) in query(STARTS, t0)] == [0, 1445, 2890, 4340, 5790, 7240, 8690]
    assert query(
        "select sum(event_count), max(dateDiff('millisecond', started_at, ended_at)) "
        "from marts.sessions"
    ) == [(7 * 24 * 6 + 1, 24 * 3600 * 1000)]

    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())
