"""marts.web_daily against two oracles that do not run its SQL: a hand-built scenario with its
expected rows written out, delivered in two batches (a late $identify rewrites earlier days),
and a generated world aggregated in Python from marts.sessions and attribution_credits."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from orchestration.runtime.dbt_cli import run_dbt
from tests.conftest import Query
from tests.eventkit import T0, Event, insert_events, minutes
from tests.traffickit import write_generated

DAY = dt.timedelta(days=1)
SHOP = "https://shop.example"
KEY = "project_id, session_date, channel, source, medium, campaign, entry_path"
METRICS = (
    "visitor_count, new_visitor_count, person_count, session_count, engaged_session_count, "
    "bounce_count, pageview_count, total_duration_seconds, average_session_duration_seconds, "
    "conversion_count, revenue"
)
WEB_DAILY = f"select {KEY}, {METRICS} from marts.web_daily order by {KEY}"


def first_batch() -> list[Event]:
    """p1: Ada's laptop (search, then a Facebook ad, then direct) and phone (from ChatGPT,
    across midnight), anonymous so far; an anonymous tablet. p2: a search visit with the same
    key as the laptop's first, in another project."""
    ad = f"{SHOP}/?utm_source=Facebook&utm_medium=Paid_Social&utm_campaign=Spring"
    return [
        Event("p1", "laptop", T0, url=f"{SHOP}/pricing", referrer="https://www.google.co.uk/"),
        Event("p1", "laptop", T0 + minutes(2), url=f"{SHOP}/features", referrer=f"{SHOP}/pricing"),
        Event("p1", "laptop", T0 + DAY, url=ad),
        Event("p1", "laptop", T0 + 2 * DAY),
        Event(
            "p1", "phone", T0 + minutes(899), url=f"{SHOP}/docs", referrer="https://chatgpt.com/"
        ),
        Event("p1", "phone", T0 + minutes(905), url=f"{SHOP}/", referrer=f"{SHOP}/docs"),
        Event("p1", "tablet", T0),
        Event("p2", "laptop", T0, url=f"{SHOP}/pricing", referrer="https://www.google.co.uk/"),
    ]


def second_batch() -> list[Event]:
    """Later: Ada signs up and buys in the laptop's direct session, and logs in on her phone
    a day after. Both devices' earlier sessions become hers (pre-login stitch)."""
    return [
        Event("p1", "laptop", T0 + 2 * DAY + minutes(1), "$identify", "ada"),
        Event(
            "p1",
            "laptop",
            T0 + 2 * DAY + minutes(3),
            "purchase",
            "ada",
            properties={"revenue": 49.9},
        ),
        Event("p1", "phone", T0 + 3 * DAY, "$identify", "ada"),
    ]


def row(key: tuple, *metrics) -> tuple:
    project, day, channel, source, medium, campaign, path = key
    return (project, dt.date(2026, 3, day), channel, source, medium, campaign, path, *metrics)


# (project, day of March 2026, channel, source, medium, campaign, entry_path), then visitors,
# new visitors, persons, sessions, engaged, bounces, pageviews, total and average duration (s),
# conversions, revenue
EXPECTED = [
    # the tablet: one anonymous pageview
    row(("p1", 2, "Direct", "(direct)", "(none)", "(not set)", "/"),
        1, 1, 0, 1, 0, 1, 1, 0.0, 0.0, 0, Decimal(0)),
    # the laptop's search visit: google.co.uk is reported as google; two pageviews, 2 minutes
    row(("p1", 2, "Organic Search", "google", "organic", "(not set)", "/pricing"),
        1, 1, 1, 1, 1, 0, 2, 120.0, 120.0, 0, Decimal(0)),
    # the phone's visit from ChatGPT crosses midnight and counts on the day it started
    row(("p1", 2, "Referral", "chatgpt", "referral", "(not set)", "/docs"),
        1, 1, 1, 1, 1, 0, 2, 360.0, 360.0, 0, Decimal(0)),
    # signup and purchase happen in the direct session of day 4; last non-direct credits both
    # to the ad visit of day 3, stored with the UTM values as sent
    row(("p1", 3, "Paid Social", "Facebook", "Paid_Social", "Spring", "/"),
        1, 0, 1, 1, 0, 1, 1, 0.0, 0.0, 2, Decimal("49.9")),
    row(("p1", 4, "Direct", "(direct)", "(none)", "(not set)", "/"),
        1, 0, 1, 1, 1, 1, 1, 180.0, 180.0, 0, Decimal(0)),
    # the phone's login: a session without a pageview
    row(("p1", 5, "Direct", "(direct)", "(none)", "(not set)", "/"),
        1, 0, 1, 1, 0, 0, 0, 0.0, 0.0, 0, Decimal(0)),
    row(("p2", 2, "Organic Search", "google", "organic", "(not set)", "/pricing"),
        1, 1, 0, 1, 0, 1, 1, 0.0, 0.0, 0, Decimal(0)),
]  # fmt: skip


def test_scenario_rows_incrementally_and_after_a_full_rebuild(chdb_path, query):
    run_dbt(["seed"], quiet=True)
    insert_events(first_batch())
    run_dbt(["run"], quiet=True)
    assert query(
        "select sum(session_count), sum(person_count), sum(conversion_count) from marts.web_daily"
    ) == [(6, 0, 0)]

    insert_events(second_batch())
    run_dbt(["run"], quiet=True)
    incremental = query(WEB_DAILY)
    assert incremental == EXPECTED

    run_dbt(["run", "--full-refresh"], quiet=True)
    assert query(WEB_DAILY) == incremental


# Small: every channel, multi-device users and purchases, built in seconds.
WORLD = {"days": 14, "visitors": 600, "projects": 2, "seed": 17}


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    return module_warehouse("web_daily", lambda: write_generated(**WORLD))


def grain(web_daily_row: tuple) -> str:
    """A sort key on the grain columns only: Decimal('0') and Decimal('0.000000') are equal
    but print differently."""
    return repr(web_daily_row[:7])


def python_web_daily(sessions: list[tuple], credits: list[tuple]) -> list[tuple]:
    """web_daily recomputed in Python from the rows of sessions and last_non_direct credits."""
    groups: dict[tuple, dict] = defaultdict(
        lambda: {"devices": set(), "users": set(), "new": 0, "sessions": 0, "engaged": 0,
                 "bounces": 0, "pageviews": 0, "ms": 0, "credit": Decimal(0),
                 "revenue": Decimal(0)}
    )  # fmt: skip
    by_session = {}
    for (session_id, project, device, user, channel, source, medium, campaign, path, number,
         pageviews, bounce, engaged, started, ended) in sessions:  # fmt: skip
        key = (project, started.date(), channel, source, medium, campaign, path)
        by_session[(project, session_id)] = key
        g = groups[key]
        g["devices"].add(device)
        if user is not None:
            g["users"].add(user)
        g["new"] += number == 1
        g["sessions"] += 1
        g["engaged"] += engaged
        g["bounces"] += bounce
        g["pageviews"] += pageviews
        g["ms"] += (ended - started) // dt.timedelta(milliseconds=1)
    for project, session_id, channel, source, medium, campaign, credit, revenue, at in credits:
        if session_id is None:
            key = (project, at.date(), channel, source, medium, campaign, "")
        else:
            key = by_session[(project, session_id)]
        groups[key]["credit"] += credit
        groups[key]["revenue"] += revenue or 0
    out = []
    for key, g in groups.items():
        assert g["credit"] == int(g["credit"]), "last_non_direct credits whole conversions"
        seconds = g["ms"] / 1000
        out.append(
            (*key, len(g["devices"]), g["new"], len(g["users"]), g["sessions"], g["engaged"],
             g["bounces"], g["pageviews"], seconds,
             seconds / g["sessions"] if g["sessions"] else None, int(g["credit"]), g["revenue"])
        )  # fmt: skip
    return sorted(out, key=grain)


def test_generated_world_equals_python_aggregation(built):
    sessions = built(
        """
        select session_id, project_id, anonymous_id, user_id, channel, entry_source,
            entry_medium, entry_campaign, entry_path, session_number, pageview_count,
            is_bounce, is_engaged, started_at, ended_at
        from marts.sessions
        """
    )
    credits = built(
        """
        select project_id, session_id, channel, source, medium, campaign, credit,
            reporting_revenue_credit, converted_at
        from marts.attribution_credits where model = 'last_non_direct'
        """
    )
    model = sorted(built(f"select {KEY}, {METRICS} from marts.web_daily"), key=grain)
    expected = python_web_daily(sessions, credits)
    assert len(model) == len(expected) > 100
    assert model == expected


def test_generated_world_totals_reconcile_with_the_marts(built):
    """Additive columns add up to the marts they come from; the world has what is tested."""
    [(sessions, pageviews, conversions, revenue, persons)] = built(
        """
        select sum(session_count), sum(pageview_count), sum(conversion_count), sum(revenue),
            max(person_count)
        from marts.web_daily
        """
    )
    assert (sessions, pageviews) == built(
        "select count(), sum(pageview_count) from marts.sessions"
    )[0]
    assert conversions == built("select count() from marts.conversions")[0][0]
    # in the reporting currency: the generated purchases are in several currencies
    assert (revenue, True) == built(
        "select sum(reporting_revenue), uniqExact(revenue_currency) > 1 "
        "from analytics.int_conversion_revenue_converted"
    )[0]
    assert conversions > 0 and revenue > 0 and persons > 0
    assert built("select uniqExact(channel) from marts.web_daily")[0][0] >= 6
