"""`millimetric explain` against the generator's truth and against the marts read by SQL here.

The oracle for a conversion's sessions, devices, links and first and last touch is the truth
database (docs/generator.md); for its credits, marts.attribution_credits read by the queries
below. One small world is generated and built once for the module.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from orchestration.cli import main
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_vars import dbt_vars
from orchestration.serve.explain import ConversionExplained, NotFound, explain
from tests.conftest import Query
from tests.traffickit import write_generated

# the order explain shows the models in: the var's, as the report does
MODELS = tuple(dbt_vars()["millimetric__attribution_models"])

# builds a warehouse with dbt, and one test runs a Dagster job: a minute, not seconds
pytestmark = pytest.mark.slow

# Small, yet with people on two and three devices, pre-login visits and shared devices
WORLD = {"days": 20, "visitors": 800, "projects": 2, "seed": 3}

# Every true conversion with its touches: the person's visits on any device that started in
# the 30 days (millimetric__attribution_lookback_days) before it, up to the converting visit
TRUE_TOUCHES = """
    with

    conversions as (
        select
            lower(hex(sipHash128(c.project_id, c.conversion_name, c.event_id))) as conversion_id,
            c.project_id as project_id,
            c.user_id as user_id,
            c.anonymous_id as anonymous_id,
            c.visit_number as visit_number,
            c.first_touch_anonymous_id as first_touch_anonymous_id,
            c.first_touch_visit_number as first_touch_visit_number,
            c.conversion_name as conversion_name,
            c.converted_at as converted_at,
            v.started_at as converting_started_at
        from truth.conversions as c
        inner join truth.visits as v
            on
                c.project_id = v.project_id
                and c.anonymous_id = v.anonymous_id
                and c.visit_number = v.visit_number
    )

    select
        conversions.project_id as project_id,
        conversions.conversion_id as conversion_id,
        conversions.user_id as user_id,
        conversions.conversion_name as conversion_name,
        v.anonymous_id as anonymous_id,
        v.started_at as started_at,
        v.ended_at as ended_at,
        v.channel as channel,
        v.source as source,
        v.medium as medium,
        if(v.campaign = '', '(not set)', v.campaign) as campaign,
        v.anonymous_id = conversions.anonymous_id
            and v.visit_number = conversions.visit_number as is_converting,
        v.anonymous_id = conversions.first_touch_anonymous_id
            and v.visit_number = conversions.first_touch_visit_number as is_first_touch
    from conversions
    inner join truth.visits as v
        on conversions.project_id = v.project_id and conversions.user_id = v.user_id
    where
        v.started_at >= conversions.converted_at - interval 30 day
        and v.started_at <= conversions.converting_started_at
"""


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    return module_warehouse("explain", lambda: write_generated(**WORLD))


def rows(sql: str, **parameters) -> list[tuple]:
    with warehouse.connect() as client:
        return client.query(sql, parameters=parameters).result_rows


def explained(project_id: str, **ids) -> list[ConversionExplained]:
    with warehouse.connect() as client:
        return explain(client, project_id, **ids)


@pytest.fixture(scope="module")
def cross_device(built) -> list[tuple[str, str]]:
    """(project_id, conversion_id) of every true conversion with touches on several devices,
    the most devices and touches first, purchases first among equals."""
    found = built(
        f"""
        select project_id, conversion_id
        from ({TRUE_TOUCHES})
        group by project_id, conversion_id, conversion_name
        having uniqExact(anonymous_id) > 1
        order by uniqExact(anonymous_id) desc, conversion_name = 'purchase' desc, count() desc,
            project_id, conversion_id
        """
    )
    assert len(found) >= 3, "the world should have cross-device conversions"
    return found


def true_touches(project_id: str, conversion_id: str) -> list[tuple]:
    return rows(
        f"""
        select anonymous_id, started_at, channel, source, medium, campaign, is_converting,
            is_first_touch
        from ({TRUE_TOUCHES})
        where project_id = {{p:String}} and conversion_id = {{c:String}}
        order by started_at, anonymous_id
        """,
        p=project_id,
        c=conversion_id,
    )


def naive(value):
    """chDB reads DateTime64 as naive UTC datetimes; explain gives them aware."""
    return value.replace(tzinfo=None)


def test_cross_device_sessions_devices_and_links_are_the_truth(built, cross_device):
    """Every cross-device conversion: explain's sessions are exactly the true touches (device,
    start, channel, source, medium, campaign, converting visit), and each session's link kind
    follows from the true device-to-person map: before the person's first link on the device,
    the visit holding it, a shared device's turn, or a device only they used."""
    links = {
        (project, device, user): (valid_from, users)
        for project, device, user, valid_from, users in built(
            """
            select project_id, anonymous_id, user_id, valid_from,
                count() over (partition by project_id, anonymous_id)
            from truth.device_users
            """
        )
    }
    kinds_seen = set()
    for project_id, conversion_id in cross_device:
        [conversion] = explained(project_id, conversion_id=conversion_id)
        truth = true_touches(project_id, conversion_id)
        got = [
            (
                s.anonymous_id,
                naive(s.started_at),
                s.channel,
                s.source,
                s.medium,
                s.campaign,
                s.is_converting_session,
                s.credits["first_touch"].credit == 1,
            )
            for s in conversion.sessions
        ]
        assert got == [tuple(bool(v) if i >= 6 else v for i, v in enumerate(t)) for t in truth]
        assert len({s.anonymous_id for s in conversion.sessions}) > 1
        assert [s.touch_number for s in conversion.sessions] == list(range(1, len(truth) + 1))
        assert conversion.sessions[-1].is_converting_session
        assert conversion.sessions[-1].credits["last_touch"].credit == 1
        for s in conversion.sessions:
            valid_from, users = links[(project_id, s.anonymous_id, conversion.user_id)]
            if naive(s.ended_at) < valid_from:
                expected = "pre_login"
            elif naive(s.started_at) <= valid_from:
                expected = "first_link"
            else:
                expected = "shared_turn" if users > 1 else "signed_in"
            assert (s.link.kind, s.link.device_user_count) == (expected, users), s
            assert s.link.anonymous_id == s.anonymous_id and s.link.user_id == conversion.user_id
            kinds_seen.add(s.link.kind)
    # the world exercises the stitch: anonymous history and the first link on a device
    assert {"pre_login", "first_link", "signed_in"} <= kinds_seen


def test_each_models_credits_sum_to_the_conversion_and_equal_the_mart(built, cross_device):
    """Under every model the credits sum to exactly 1 and the revenue credits to the revenue,
    and each (model, session) credit is the row of marts.attribution_credits."""
    for project_id, conversion_id in cross_device[:5]:
        [conversion] = explained(project_id, conversion_id=conversion_id)
        assert conversion.models == list(MODELS)
        [(revenue,)] = rows(
            """
            select revenue from marts.conversions
            where project_id = {p:String} and conversion_id = {c:String}
            """,
            p=project_id,
            c=conversion_id,
        )
        assert conversion.revenue == revenue
        mart = rows(
            """
            select model, session_id, credit, revenue_credit
            from marts.attribution_credits
            where project_id = {p:String} and conversion_id = {c:String}
            """,
            p=project_id,
            c=conversion_id,
        )
        shown = [
            (model, s.session_id, s.credits[model].credit, s.credits[model].revenue_credit)
            for s in conversion.sessions
            for model in conversion.models
        ]
        assert sorted(shown) == sorted(mart)
        for model, total in conversion.totals().items():
            assert total.credit == 1, model
            assert total.revenue_credit == revenue, model


def test_a_persons_conversions_are_theirs_in_this_project_only(built, cross_device):
    """--user-id gives every conversion of the person in the project, oldest first; the same
    user id string in another project is someone else."""
    project_id, conversion_id = cross_device[0]
    [conversion] = explained(project_id, conversion_id=conversion_id)
    listed = explained(project_id, user_id=conversion.user_id)
    expected = rows(
        """
        select conversion_id from marts.conversions
        where project_id = {p:String} and user_id = {u:String}
        order by converted_at, conversion_id
        """,
        p=project_id,
        u=conversion.user_id,
    )
    assert [c.conversion_id for c in listed] == [c for (c,) in expected]
    assert {c.project_id for c in listed} == {project_id}
    other = "proj_02" if project_id == "proj_01" else "proj_01"
    with pytest.raises(NotFound, match="not found"):
        explained(other, conversion_id=conversion_id)


def test_the_command_prints_tables_and_one_json_document(built, cross_device, capsys):
    project_id, conversion_id = cross_device[0]
    args = ["explain", "--project", project_id, "--conversion-id", conversion_id]
    assert main(args) == 0
    table = capsys.readouterr().out
    [conversion] = explained(project_id, conversion_id=conversion_id)
    assert conversion_id in table and "total" in table
    for s in conversion.sessions:
        assert s.anonymous_id in table and s.link.kind in table

    assert main([*args, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"project_id", "conversions"}
    assert document["project_id"] == project_id
    [shown] = document["conversions"]
    assert shown["conversion_id"] == conversion_id
    assert shown["models"] == list(MODELS)
    assert len(shown["sessions"]) == len(conversion.sessions)
    for model in MODELS:
        assert sum(Decimal(s["credits"][model]["credit"]) for s in shown["sessions"]) == 1
        assert Decimal(shown["totals"][model]["credit"]) == 1
    assert {s["link"]["kind"] for s in shown["sessions"]} == {
        s.link.kind for s in conversion.sessions
    }


def test_unknown_ids_and_bad_arguments_give_one_line(built, capsys):
    hostile = "x' OR 1=1 --"
    for option, value in (("--conversion-id", "0" * 32), ("--user-id", hostile)):
        assert main(["explain", "--project", "proj_01", option, value]) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        [line] = captured.err.splitlines()
        assert "not found" in line and "proj_01" in line and value in line

    assert main(["explain", "--project", "proj_01", "--conversion-id", ""]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "--conversion-id is empty" in line
    with pytest.raises(SystemExit) as exited:
        main(["explain", "--project", "proj_01"])
    assert exited.value.code == 2


def test_a_forgotten_person_is_not_found(built, cross_device, dagster_home, capsys):
    """Runs last: it forgets the person of the first cross-device conversion."""
    project_id, conversion_id = cross_device[0]
    [conversion] = explained(project_id, conversion_id=conversion_id)
    user_id = conversion.user_id
    assert main(["forget", "--project-id", project_id, "--user-id", user_id]) == 0
    capsys.readouterr()
    for option, value in (("--conversion-id", conversion_id), ("--user-id", user_id)):
        assert main(["explain", "--project", project_id, option, value]) == 1
        [line] = capsys.readouterr().err.splitlines()
        assert "not found" in line and project_id in line and value in line
