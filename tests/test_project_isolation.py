"""Projects never link: the same anonymous_id and user_id strings in two projects are different
devices and different people, in sessions, the stitch, users, conversions and attribution.

The scenario (T0 = 2026-03-02 09:00 UTC), with every expectation below computed by hand:

p1, device "shared-aid" (identifies as u1):
    T0         pageview from google (Organic Search)       session 1
    T0+2m      $identify u1  -> p1's signup
    T0+5m      pageview as u1
    T0+2d      pageview, direct, as u1                      session 2
    T0+2d+1m   purchase 10.00 as u1
p2, device "shared-aid" (the same string, a stranger who never identifies):
    T0+10m     pageview, facebook paid_social UTM           session 1 (within 30 min of p1's
    T0+12m     pageview                                       events: only the project keeps the
    T0+3h      pageview, direct                               two devices apart)  session 2
p2, device "p2-laptop" (p2's own u1, who is not p1's u1):
    T0+6h      pageview from techcrunch.com (Referral)      session 1, anonymous before login
    T0+1d      pageview, newsletter email UTM               session 2
    T0+1d+1m   $identify u1  -> p2's signup
    T0+1d+3m   purchase 30.00 as u1

A model keyed by anonymous_id or user_id alone would merge p1's and p2's "shared-aid" sessions,
give p2's stranger p1's u1, drop p2's signup as a repeat login, count two devices for a u1,
start p2's u1 at p1's Organic Search visit, or credit a conversion to the other project's
sessions.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import Query
from tests.eventkit import T0, Event, insert_events, minutes

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
SITE = "https://shop.example/"
MODELS = ("first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay")


def scenario() -> list[Event]:
    return [
        # p1 / shared-aid -> u1
        Event("p1", "shared-aid", T0, referrer="https://www.google.com/"),
        Event(
            "p1",
            "shared-aid",
            T0 + minutes(2),
            "$identify",
            "u1",
            properties={"email": "u1@p1.example", "plan": "pro"},
        ),
        Event("p1", "shared-aid", T0 + minutes(5), user_id="u1", url=SITE + "pricing"),
        Event("p1", "shared-aid", T0 + 2 * DAY, user_id="u1"),
        Event(
            "p1",
            "shared-aid",
            T0 + 2 * DAY + minutes(1),
            "purchase",
            "u1",
            properties={"revenue": 10.0, "currency": "EUR"},
        ),
        # p2 / shared-aid: anonymous for ever
        Event(
            "p2",
            "shared-aid",
            T0 + minutes(10),
            url=SITE + "?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring",
        ),
        Event("p2", "shared-aid", T0 + minutes(12), url=SITE + "features"),
        Event("p2", "shared-aid", T0 + 3 * HOUR),
        # p2 / p2-laptop -> p2's own u1
        Event(
            "p2",
            "p2-laptop",
            T0 + 6 * HOUR,
            referrer="https://techcrunch.com/2026/01/05/privacy-first-analytics/",
        ),
        Event(
            "p2",
            "p2-laptop",
            T0 + DAY,
            url=SITE + "?utm_source=newsletter&utm_medium=email&utm_campaign=weekly_digest",
        ),
        Event(
            "p2",
            "p2-laptop",
            T0 + DAY + minutes(1),
            "$identify",
            "u1",
            properties={"email": "u1@p2.example", "plan": "free"},
        ),
        Event(
            "p2",
            "p2-laptop",
            T0 + DAY + minutes(3),
            "purchase",
            "u1",
            properties={"revenue": 30.0, "currency": "EUR"},
        ),
    ]


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    """The scenario, built once for the module."""
    return module_warehouse("isolation", lambda: insert_events(scenario()))


def at(delta: dt.timedelta) -> str:
    """The instant T0 + delta as ClickHouse prints a DateTime64(3)."""
    return (T0 + delta).strftime("%Y-%m-%d %H:%M:%S.000")


def test_sessions_are_per_project_and_p2_strangers_stay_anonymous(built):
    rows = built(
        """
        select project_id, anonymous_id, session_number, toString(started_at), event_count,
            user_id, channel
        from marts.sessions
        order by project_id, anonymous_id, session_number
        """
    )
    zero = dt.timedelta(0)
    assert rows == [
        ("p1", "shared-aid", 1, at(zero), 3, "u1", "Organic Search"),
        ("p1", "shared-aid", 2, at(2 * DAY), 2, "u1", "Direct"),
        ("p2", "p2-laptop", 1, at(6 * HOUR), 1, "u1", "Referral"),
        ("p2", "p2-laptop", 2, at(DAY), 3, "u1", "Email"),
        ("p2", "shared-aid", 1, at(minutes(10)), 2, None, "Paid Social"),
        ("p2", "shared-aid", 2, at(3 * HOUR), 1, None, "Direct"),
    ]
    assert built("select uniqExact(session_id), count() from marts.sessions") == [(6, 6)]


def test_identity_stitch_rows_are_per_project(built):
    rows = built(
        """
        select project_id, anonymous_id, user_id, link_count, toString(valid_from), valid_to
        from marts.identity_stitch
        order by project_id, anonymous_id
        """
    )
    assert rows == [
        ("p1", "shared-aid", "u1", 4, at(minutes(2)), None),
        ("p2", "p2-laptop", "u1", 2, at(DAY + minutes(1)), None),
    ]


def test_users_are_separate_people_per_project(built):
    rows = built(
        """
        select project_id, user_id, device_count, session_count, first_touch_channel,
            first_touch_source, JSONExtractString(traits, 'email'), toString(signed_up_at),
            toString(first_seen_at), toString(last_seen_at)
        from marts.users
        order by project_id, user_id
        """
    )
    assert rows == [
        (
            "p1",
            "u1",
            1,
            2,
            "Organic Search",
            "google",
            "u1@p1.example",
            at(minutes(2)),
            at(dt.timedelta(0)),
            at(2 * DAY + minutes(1)),
        ),
        (
            "p2",
            "u1",
            1,
            2,
            "Referral",
            "techcrunch.com",
            "u1@p2.example",
            at(DAY + minutes(1)),
            at(6 * HOUR),
            at(DAY + minutes(3)),
        ),
    ]


def test_each_project_keeps_its_own_signup_and_purchases(built):
    rows = built(
        """
        select c.project_id, c.user_id, c.conversion_name, toString(c.converted_at),
            toString(c.revenue), c.anonymous_id, s.project_id, s.session_number
        from marts.conversions as c
        left join marts.sessions as s on c.session_id = s.session_id
        order by c.project_id, c.converted_at
        """
    )
    assert rows == [
        ("p1", "u1", "signup", at(minutes(2)), None, "shared-aid", "p1", 1),
        ("p1", "u1", "purchase", at(2 * DAY + minutes(1)), "10", "shared-aid", "p1", 2),
        ("p2", "u1", "signup", at(DAY + minutes(1)), None, "p2-laptop", "p2", 2),
        ("p2", "u1", "purchase", at(DAY + minutes(3)), "30", "p2-laptop", "p2", 2),
    ]


def test_attribution_touches_stay_inside_the_conversion_project(built):
    """Every model's touches, as (session's project, device, session number), per conversion.
    The sessions are joined on session_id alone, so a touch from the other project would show."""
    rows = built(
        """
        select a.project_id, a.conversion_name, a.model,
            arraySort(groupArray((s.project_id, s.anonymous_id, s.session_number))) as touches
        from marts.attribution_credits as a
        left join marts.sessions as s on a.session_id = s.session_id
        group by a.project_id, a.conversion_name, a.model
        """
    )
    p1_first = ("p1", "shared-aid", 1)
    p2_laptop = [("p2", "p2-laptop", 1), ("p2", "p2-laptop", 2)]
    expected = {
        ("p1", "signup"): [p1_first],
        ("p1", "purchase"): [p1_first, ("p1", "shared-aid", 2)],
        ("p2", "signup"): p2_laptop,
        ("p2", "purchase"): p2_laptop,
    }
    assert {(p, c, m): t for p, c, m, t in rows} == {
        (p, c, m): touches for (p, c), touches in expected.items() for m in MODELS
    }


def test_p2_u1_conversions_are_credited_only_to_p2_channels(built):
    rows = built(
        """
        select project_id, conversion_name, model, channel, toString(credit)
        from marts.attribution_credits
        where model in ('first_touch', 'last_touch', 'linear')
        order by project_id, conversion_name, model, channel
        """
    )
    expected = []
    for project, name, first, last in [
        ("p1", "purchase", "Organic Search", "Direct"),
        ("p1", "signup", "Organic Search", "Organic Search"),
        ("p2", "purchase", "Referral", "Email"),
        ("p2", "signup", "Referral", "Email"),
    ]:
        if first == last:  # one touch: full credit in every model
            expected += [(project, name, m, first, "1") for m in ("first_touch", "last_touch")]
            expected += [(project, name, "linear", first, "1")]
            continue
        credits = {
            "first_touch": {first: "1", last: "0"},
            "last_touch": {first: "0", last: "1"},
            "linear": {first: "0.5", last: "0.5"},
        }
        for model, by_channel in credits.items():
            expected += [(project, name, model, c, by_channel[c]) for c in sorted(by_channel)]
    assert rows == expected
