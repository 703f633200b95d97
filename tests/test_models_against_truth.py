"""The models recover the generator's ground truth exactly, end to end on synthetic traffic.

The oracle is the generator's truth database (docs/generator.md), read off its world model;
never the models' own output. One small world is generated, loaded and built once per module.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pytest

from tests.conftest import Query
from tests.traffickit import write_generated

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

# Big enough for every kind of landing, shared devices, account switches and multi-device users
# in all three projects; small enough for the module to build in well under a minute.
WORLD = {"days": 30, "visitors": 3000, "projects": 3, "seed": 5}
MODELS = ("first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay")


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    """The generated world, built once for the module."""
    return module_warehouse("truth", lambda: write_generated(**WORLD))


def assert_same_rows(label: str, expected: Iterable[tuple], actual: Iterable[tuple]) -> None:
    """Multiset equality, reporting counts and a few rows from each side of the difference."""
    expected, actual = sorted(expected, key=repr), sorted(actual, key=repr)
    missing = _minus(expected, actual)
    unexpected = _minus(actual, expected)
    assert not missing and not unexpected, (
        f"{label}: {len(expected)} true rows, {len(actual)} model rows; "
        f"{len(missing)} true rows missing from the model, e.g. {missing[:3]}; "
        f"{len(unexpected)} model rows not in the truth, e.g. {unexpected[:3]}"
    )


def _minus(left: list[tuple], right: list[tuple]) -> list[tuple]:
    remaining: dict[tuple, int] = {}
    for row in right:
        remaining[row] = remaining.get(row, 0) + 1
    out = []
    for row in left:
        if remaining.get(row, 0):
            remaining[row] -= 1
        else:
            out.append(row)
    return out


def test_world_is_rich_enough(built):
    """The checks below only mean something if the world has every case in it."""
    [(visits, devices, projects)] = built(
        "select count(), uniqExact(project_id, anonymous_id), uniqExact(project_id) "
        "from truth.visits"
    )
    assert visits > 5000 and devices == WORLD["visitors"] and projects == WORLD["projects"]
    [(pre_login, shared, multi_device)] = built(
        """
        select
            (select count() from truth.visits as v
             inner join truth.device_users as d
                on v.project_id = d.project_id and v.anonymous_id = d.anonymous_id
             where v.started_at < d.valid_from and v.user_id = d.user_id),
            (select countIf(valid_to is not null) from truth.device_users),
            (select countIf(device_count > 1) from truth.users)
        """
    )
    assert pre_login > 0 and shared > 0 and multi_device > 0
    assert built("select uniqExact(channel) from truth.visits") == [(8,)]
    assert built("select countIf(conversion_name = 'purchase') from truth.conversions")[0][0] > 0


def test_sessions_are_the_true_visits(built):
    """Same sessions (device, bounds, counts, number) with the same person behind each."""
    columns = "project_id, anonymous_id, started_at, ended_at, event_count, pageview_count"
    truth = built(f"select {columns}, toUInt64(visit_number), user_id from truth.visits")
    model = built(f"select {columns}, toUInt64(session_number), user_id from marts.sessions")
    assert_same_rows("sessions", truth, model)


def test_session_entry_attribution_matches_truth(built):
    """Entry source / medium / campaign / channel of every visit.

    Mapping: the truth writes "no campaign" as '' (organic, referral, direct and gclid-only
    landings); the model follows GA4 and writes '(not set)'. Nothing else is mapped."""
    truth = built(
        """
        select project_id, anonymous_id, toUInt64(visit_number),
            source, medium, if(campaign = '', '(not set)', campaign), channel
        from truth.visits
        """
    )
    model = built(
        """
        select project_id, anonymous_id, toUInt64(session_number),
            entry_source, entry_medium, entry_campaign, channel
        from marts.sessions
        """
    )
    assert_same_rows("session attribution", truth, model)


def test_identity_stitch_is_the_true_device_to_person_map(built):
    columns = "project_id, anonymous_id, user_id, valid_from, valid_to"
    truth = built(f"select {columns} from truth.device_users")
    model = built(f"select {columns} from marts.identity_stitch")
    assert_same_rows("identity_stitch", truth, model)


TRUE_CONVERSIONS = """
    select
        lower(hex(sipHash128(project_id, conversion_name, event_id))) as conversion_id,
        *
    from truth.conversions
"""


def test_every_true_conversion_appears_once_with_its_revenue_and_session(built):
    """Signups and purchases: one model row per true conversion (keyed by the documented
    conversion_id = hash of project, name and the converting event_id), same user, instant,
    revenue (to the cent) and converting session."""
    truth = built(
        f"""
        select conversion_id, project_id, user_id, conversion_name, converted_at,
            if(revenue is null, null, toInt64(round(revenue * 100))),
            anonymous_id, toUInt64(visit_number)
        from ({TRUE_CONVERSIONS})
        """
    )
    model = built(
        """
        select c.conversion_id, c.project_id, c.user_id, c.conversion_name, c.converted_at,
            if(c.revenue is null, null, toInt64(c.revenue * 100)),
            c.anonymous_id, toUInt64(s.session_number)
        from marts.conversions as c
        left join marts.sessions as s
            on c.project_id = s.project_id and c.session_id = s.session_id
        """
    )
    assert_same_rows("conversions", truth, model)
    # the revenue is exactly the cents: nothing below them
    assert built(
        "select count() from marts.conversions where revenue * 100 != toInt64(revenue * 100)"
    ) == [(0,)]


@pytest.mark.parametrize(
    ("model_name", "truth_columns"),
    [
        (
            "first_touch",
            "first_touch_channel, first_touch_anonymous_id, toUInt64(first_touch_visit_number)",
        ),
        ("last_touch", "last_touch_channel, anonymous_id, toUInt64(visit_number)"),
    ],
    ids=["first_touch", "last_touch"],
)
def test_single_touch_models_credit_the_true_touch(built, model_name, truth_columns):
    """first_touch and last_touch give the full credit to the true touch: its channel and the
    very visit (device and visit number)."""
    truth = built(f"select conversion_id, {truth_columns} from ({TRUE_CONVERSIONS})")
    model = built(
        f"""
        select a.conversion_id, a.channel, s.anonymous_id, toUInt64(s.session_number)
        from marts.attribution_credits as a
        left join marts.sessions as s
            on a.project_id = s.project_id and a.session_id = s.session_id
        where a.model = '{model_name}' and a.credit = 1
        """
    )
    assert_same_rows(f"{model_name} credits", truth, model)
    # and every other touch of those models gets exactly nothing
    assert built(
        f"""
        select count() from marts.attribution_credits
        where model = '{model_name}' and credit != 0 and credit != 1
        """
    ) == [(0,)]


def test_credits_per_conversion_and_model_sum_to_exactly_one(built):
    rows = built(
        "select conversion_id, model, sum(credit) from marts.attribution_credits group by 1, 2"
    )
    [(conversions,)] = built("select count() from truth.conversions")
    assert len(rows) == conversions * len(MODELS)
    assert {model for _, model, _ in rows} == set(MODELS)
    not_one = [row for row in rows if not (isinstance(row[2], Decimal) and row[2] == 1)]
    assert not not_one, f"{len(not_one)} (conversion, model) credit sums != 1, e.g. {not_one[:3]}"


def test_users_are_the_true_users(built):
    """One row per true user: sign-up instant, device count, and the e-mail in its traits."""
    truth = built("select project_id, user_id, signed_up_at, device_count, email from truth.users")
    model = built(
        """
        select project_id, user_id, signed_up_at, toUInt32(device_count),
            JSONExtractString(traits, 'email')
        from marts.users
        """
    )
    assert_same_rows("users", truth, model)
