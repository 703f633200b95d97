"""Conversion paths, non-conversion paths and their summary against a hand-built world, the
path transforms (dbt unit tests next to int_paths_transformed, run here too), and forget.

Every expected path, count and duration is written out by hand from the events below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dagster import DagsterInstance

from orchestration.launch.build import run_job
from orchestration.runtime.dbt_cli import run_dbt
from tests.conftest import Query
from tests.eventkit import Event, insert_events
from tests.forgetkit import audit, forget
from tests.snapshots import assert_equals_full_rebuild

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

SHOP = "https://shop.example/"
GOOGLE_ADS = f"{SHOP}?utm_source=google&utm_medium=cpc&utm_campaign=brand"
NEWSLETTER = f"{SHOP}?utm_source=newsletter&utm_medium=email&utm_campaign=weekly"
FACEBOOK_ADS = f"{SHOP}?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring"


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute)


def path_events() -> list[Event]:
    return [
        # u1 on d1: a Google Ads click, two direct visits the next day (two hours apart: two
        # sessions), then the newsletter, in which u1 signs up and buys for 30 USD.
        Event("p1", "d1", at(3, 2, 9), url=GOOGLE_ADS),
        Event("p1", "d1", at(3, 3, 9)),
        Event("p1", "d1", at(3, 3, 11)),
        Event("p1", "d1", at(3, 5, 10), url=NEWSLETTER),
        Event("p1", "d1", at(3, 5, 10, 1), "$identify", "u1"),
        Event(
            "p1", "d1", at(3, 5, 10, 5), "purchase", "u1",
            properties={"revenue": 30, "currency": "USD"},
        ),
        # d2 never identifies: Google search on 03-01, direct on 03-20, the newsletter on
        # 04-10. Its window ends with its last session (04-10 09:00) and starts 30 days before
        # (03-11 09:00): the 03-01 visit is out.
        Event("p1", "d2", at(3, 1, 9), referrer="https://www.google.com/"),
        Event("p1", "d2", at(3, 20, 9)),
        Event("p1", "d2", at(4, 10, 9), url=NEWSLETTER),
        # u3 on d3 signs up in a Facebook ad visit, comes back from the ad and then directly,
        # and never buys.
        Event("p1", "d3", at(3, 2, 12), url=FACEBOOK_ADS),
        Event("p1", "d3", at(3, 2, 12, 1), "$identify", "u3"),
        Event("p1", "d3", at(3, 4, 12), "$pageview", "u3", url=FACEBOOK_ADS),
        Event("p1", "d3", at(3, 6, 12), "$pageview", "u3"),
        # p2 has a d2 of its own
        Event("p2", "d2", at(3, 1, 9)),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    return module_warehouse("paths", lambda: insert_events(path_events()))


def days(delta: dt.timedelta) -> float:
    return delta / dt.timedelta(days=1)


def test_conversion_paths(built):
    rows = built(
        """
        select user_id, anonymous_id, conversion_name, channel_path, campaign_path, path_length,
            touch_count, revenue, reporting_revenue, days_from_first_touch, first_touch_at,
            converted_at
        from marts.conversion_paths where project_id = 'p1' order by user_id, conversion_name
        """
    )
    # default transform: exposure, so the two direct visits are one step
    expected = [
        ("u1", "d1", "purchase", "Paid Search > Direct > Email", "brand > (not set) > weekly",
         3, 4, Decimal(30), Decimal(30), at(3, 2, 9), at(3, 5, 10, 5)),
        ("u1", "d1", "signup", "Paid Search > Direct > Email", "brand > (not set) > weekly",
         3, 4, None, None, at(3, 2, 9), at(3, 5, 10, 1)),
        # u3 signed up in its first visit: one touch, one minute before
        ("u3", "d3", "signup", "Paid Social", "spring", 1, 1, None, None, at(3, 2, 12),
         at(3, 2, 12, 1)),
    ]  # fmt: skip
    assert [row[:9] + row[10:] for row in rows] == expected
    for row, want in zip(rows, expected, strict=True):
        assert row[9] == pytest.approx(days(want[10] - want[9]), abs=1e-9)


def test_non_conversion_paths_end_at_the_last_session(built):
    rows = built(
        """
        select user_id, anonymous_id, conversion_name, channel_path, campaign_path, path_length,
            touch_count, days_from_first_touch, first_touch_at, last_session_started_at
        from marts.non_conversion_paths
        order by project_id, conversion_name, user_id nulls first
        """
    )
    assert rows == [
        # d2 never converted at all: one path per conversion name, without the 03-01 visit
        (None, "d2", "purchase", "Direct > Email", "(not set) > weekly", 2, 2, 21.0,
         at(3, 20, 9), at(4, 10, 9)),
        # u3 signed up but never bought: a purchase non-conversion path of the person
        ("u3", None, "purchase", "Paid Social > Direct", "spring > (not set)", 2, 3, 4.0,
         at(3, 2, 12), at(3, 6, 12)),
        (None, "d2", "signup", "Direct > Email", "(not set) > weekly", 2, 2, 21.0,
         at(3, 20, 9), at(4, 10, 9)),
        # p2's own d2
        (None, "d2", "purchase", "Direct", "(not set)", 1, 1, 0.0, at(3, 1, 9), at(3, 1, 9)),
        (None, "d2", "signup", "Direct", "(not set)", 1, 1, 0.0, at(3, 1, 9), at(3, 1, 9)),
    ]  # fmt: skip
    # u1 converted under both names: no non-conversion path at all
    assert built("select count() from marts.non_conversion_paths where user_id = 'u1'") == [(0,)]


def test_path_summary(built):
    assert built(
        """
        select project_id, conversion_name, channel_path, reporting_currency, conversions,
            non_conversions, conversion_rate, revenue
        from marts.path_summary order by project_id, conversion_name, channel_path
        """
    ) == [
        ("p1", "purchase", "Direct > Email", "USD", 0, 1, 0.0, Decimal(0)),
        ("p1", "purchase", "Paid Search > Direct > Email", "USD", 1, 0, 1.0, Decimal(30)),
        ("p1", "purchase", "Paid Social > Direct", "USD", 0, 1, 0.0, Decimal(0)),
        ("p1", "signup", "Direct > Email", "USD", 0, 1, 0.0, Decimal(0)),
        ("p1", "signup", "Paid Search > Direct > Email", "USD", 1, 0, 1.0, Decimal(0)),
        ("p1", "signup", "Paid Social", "USD", 1, 0, 1.0, Decimal(0)),
        ("p2", "purchase", "Direct", "USD", 0, 1, 0.0, Decimal(0)),
        ("p2", "signup", "Direct", "USD", 0, 1, 0.0, Decimal(0)),
    ]


def test_the_transforms_var_reaches_every_path_mart(built):
    def paths() -> list[tuple]:
        return built(
            """
            select conversion_name, channel_path, path_length from (
                select conversion_name, channel_path, path_length, user_id, anonymous_id
                from marts.conversion_paths where project_id = 'p1'
                union all
                select conversion_name, channel_path, path_length, user_id, anonymous_id
                from marts.non_conversion_paths where project_id = 'p1'
            )
            order by conversion_name, user_id nulls first
            """
        )

    selected = ["run", "--select", "int_paths_transformed+"]
    try:
        run_dbt([*selected, "--vars", "{millimetric__path_transforms: []}"], quiet=True)
        assert paths() == [
            ("purchase", "Direct > Email", 2),
            ("purchase", "Paid Search > Direct > Direct > Email", 4),
            ("purchase", "Paid Social > Paid Social > Direct", 3),
            ("signup", "Direct > Email", 2),
            ("signup", "Paid Search > Direct > Direct > Email", 4),
            ("signup", "Paid Social", 1),
        ]
        transforms = (
            "{millimetric__path_transforms: [{transform: remove_if_not_all, channels: [Direct]},"
            " {transform: exposure}]}"
        )
        run_dbt([*selected, "--vars", transforms], quiet=True)
        assert paths() == [
            ("purchase", "Email", 1),
            ("purchase", "Paid Search > Email", 2),
            ("purchase", "Paid Social", 1),
            ("signup", "Email", 1),
            ("signup", "Paid Search > Email", 2),
            ("signup", "Paid Social", 1),
        ]
        assert built(
            "select channel_path, conversions, non_conversions from marts.path_summary "
            "where project_id = 'p1' and conversion_name = 'purchase' order by 1"
        ) == [("Email", 0, 1), ("Paid Search > Email", 1, 0), ("Paid Social", 0, 1)]
    finally:
        run_dbt(selected, quiet=True)


def test_the_transform_unit_tests_pass(built):
    """unique, exposure, first_n, last_n, remove_if_not_all and their chaining, pinned by the
    dbt unit tests in models/intermediate/paths/_paths__models.yml."""
    result = run_dbt(["test", "--select", "int_paths_transformed,test_type:unit"], quiet=True)
    # seven unit tests, and the project's three hooks (on-run-start, two on-run-end), which dbt
    # counts too
    assert "PASS=10" in result.stdout and "ERROR=0" in result.stdout


def test_a_bad_transform_fails_the_build_with_its_reason(built):
    result = run_dbt(
        ["run", "--select", "int_paths_transformed", "--vars",
         "{millimetric__path_transforms: [{transform: last_n}]}"],
        check=False, quiet=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "last_n needs a whole n >= 1" in result.stdout


def test_forgetting_a_person_and_a_device_empties_their_paths(chdb_path, dagster_home, query):
    insert_events(path_events())
    with DagsterInstance.get() as instance:
        assert run_job("nightly_build", instance=instance).success
    paths = "select count() from {table} where project_id = 'p1' and {condition}"
    for table in ("marts.conversion_paths", "marts.non_conversion_paths"):
        assert query(paths.format(table=table, condition="user_id = 'u3'")) == [(1,)]
    assert query(
        paths.format(table="analytics.int_paths_transformed", condition="anonymous_id = 'd2'")
    ) == [(2,)]

    requests = [forget("p1", user_id="u3"), forget("p1", anonymous_id="d2")]
    with DagsterInstance.get() as instance:
        assert run_job("forget_propagation", instance=instance).success
    assert [audit(r)["status"] for r in requests] == ["verified", "verified"]

    for table in ("marts.conversion_paths", "marts.non_conversion_paths"):
        for condition in ("user_id = 'u3'", "anonymous_id = 'd2'"):
            assert query(paths.format(table=table, condition=condition)) == [(0,)], table
    # p2's d2 is someone else
    assert query("select count() from marts.non_conversion_paths where project_id = 'p2'") == [(2,)]
    # u3's anonymous landing before the signup stays (docs/forget.md): d3 is now a device that
    # never converted, with that one Facebook visit
    assert query(
        "select conversion_name, channel_path, conversions, non_conversions from "
        "marts.path_summary where project_id = 'p1' order by 1, 2"
    ) == [
        ("purchase", "Paid Search > Direct > Email", 1, 0),
        ("purchase", "Paid Social", 0, 1),
        ("signup", "Paid Search > Direct > Email", 1, 0),
        ("signup", "Paid Social", 0, 1),
    ]
    assert_equals_full_rebuild()
