"""What the report shows, read from the marts only: one query per figure or table.

The conversions, the models and the currency are the dbt vars' (config.py): nothing here names
one. Nothing personal leaves here: queries aggregate, and no column holding a user id, an anonymous
id or traits is ever selected as a value (they are only counted or joined on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from clickhouse_connect.driver.client import Client

from orchestration.serve.report.config import ReportConfig, ReportError

MARTS = "marts"
TOP = 10


def known_sum(amount: str) -> str:
    """SQL for the sum of a reporting-currency column, NULL when any amount is: one without an
    exchange rate makes the sum unknown, never smaller (as the dbt macro known_sum does)."""
    return f"if(countIf({amount} is null) > 0, null, sum({amount}))"


@dataclass(frozen=True)
class Period:
    project_id: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def parameters(self) -> dict:
        return {"project": self.project_id, "start": self.start, "end": self.end}


@dataclass
class ReportData:
    """Every number in the report, keyed for the charts and tables that show it."""

    period: Period
    config: ReportConfig
    totals: dict[str, float | int | Decimal | None] = field(default_factory=dict)
    # conversions in the period, per configured conversion name, in the vars' order
    conversion_counts: dict[str, int] = field(default_factory=dict)
    # (date, channel, value)
    sessions_by_day: list[tuple[dt.date, str, int]] = field(default_factory=list)
    visitors_by_day: list[tuple[dt.date, str, int]] = field(default_factory=list)
    # (conversion_name, model, channel, conversions, revenue)
    attribution: list[tuple[str, str, str, Decimal, Decimal]] = field(default_factory=list)
    # (name, main channel, sessions, conversions, revenue, bounces)
    campaigns: list[tuple[str, str, int, int, Decimal, int]] = field(default_factory=list)
    entry_pages: list[tuple[str, str, int, int, Decimal, int]] = field(default_factory=list)
    # (devices, people): devices per person, 4 meaning 4 or more
    devices_per_person: list[tuple[int, int]] = field(default_factory=list)
    # (channel, sessions, stitched sessions)
    stitched_by_channel: list[tuple[str, int, int]] = field(default_factory=list)


def project_spans(client: Client) -> dict[str, tuple[dt.date, dt.date]]:
    """Each project with sessions in the marts, and its first and last day of sessions."""
    [(built,)] = client.query(
        "select count() from system.tables where database = {db:String} and name = 'sessions'",
        parameters={"db": MARTS},
    ).result_rows
    if not built:
        return {}
    rows = client.query(
        f"""
        select project_id, min(toDate(started_at)), max(toDate(started_at))
        from {MARTS}.sessions
        group by project_id
        order by project_id
        """
    ).result_rows
    return {project: (first, last) for project, first, last in rows}


def choose_period(client: Client, project: str, days: int) -> Period:
    """The `days` days that end on the project's latest day of data (not today: a warehouse
    loaded yesterday, or from an old export, still gets a full report)."""
    if days < 1:
        raise ReportError(f"--days must be at least 1, not {days}")
    spans = project_spans(client)
    if project not in spans:
        known = ", ".join(spans) or "none: run `millimetric build` first"
        raise ReportError(f"unknown project {project!r}; projects with data: {known}")
    end = spans[project][1]
    return Period(project, end - dt.timedelta(days=days - 1), end)


SESSIONS_IN_PERIOD = f"""
    from {MARTS}.sessions
    where project_id = {{project:String}}
        and toDate(started_at) between {{start:Date}} and {{end:Date}}
"""
WEB_DAILY_IN_PERIOD = f"""
    from {MARTS}.web_daily
    where project_id = {{project:String}}
        and session_date between {{start:Date}} and {{end:Date}}
"""


def _rows(client: Client, sql: str, period: Period, **parameters: object) -> list[tuple]:
    return client.query(sql, parameters={**period.parameters(), **parameters}).result_rows


def _totals(client: Client, period: Period, config: ReportConfig) -> tuple[dict, dict[str, int]]:
    [traffic] = _rows(
        client,
        f"""
        select
            count(), uniqExact(anonymous_id), uniqExact(user_id), sum(pageview_count),
            countIf(is_engaged), countIf(is_bounce), countIf(user_id is not null)
        {SESSIONS_IN_PERIOD}
        """,
        period,
    )
    keys = ("sessions", "visitors", "people", "pageviews", "engaged", "bounces", "stitched")
    totals: dict = dict(zip(keys, traffic, strict=True))
    conversions = _rows(
        client,
        f"""
        select conversion_name, count()
        from {MARTS}.conversions
        where project_id = {{project:String}}
            and toDate(converted_at) between {{start:Date}} and {{end:Date}}
        group by conversion_name
        """,
        period,
    )
    by_name = dict(conversions)
    counts = {name: by_name.get(name, 0) for name in config.conversions}
    totals["conversions"] = sum(by_name.values())
    # in the reporting currency: under any one model the credits add up to each conversion's
    # revenue, so one model's daily sums are the conversions' (amounts in several currencies
    # are never added as they are; one without a rate makes the total unknown)
    [(totals["revenue"],)] = _rows(
        client,
        f"""
        select {known_sum("revenue")}
        from {MARTS}.attribution_daily
        where project_id = {{project:String}}
            and model = {{model:String}}
            and conversion_date between {{start:Date}} and {{end:Date}}
        """,
        period,
        model=config.models[0],
    )
    [(people, devices)] = _rows(
        client,
        f"""
        select count(), sum(device_count)
        from {MARTS}.users
        where project_id = {{project:String}}
            and user_id in (select user_id {SESSIONS_IN_PERIOD} and user_id is not null)
        """,
        period,
    )
    totals["devices_per_person"] = devices / people if people else None
    [(converted, with_pre_login)] = _rows(client, PRE_LOGIN_SQL, period, model=config.models[0])
    totals["conversions_with_pre_login_touch"] = with_pre_login
    totals["pre_login_share"] = with_pre_login / converted if converted else None
    sessions = totals["sessions"]
    totals["stitched_share"] = totals["stitched"] / sessions if sessions else None
    totals["engaged_rate"] = totals["engaged"] / sessions if sessions else None
    totals["bounce_rate"] = totals["bounces"] / sessions if sessions else None
    return totals, counts


# A pre-login touch is a credited session that ended before its device was first linked to
# the converting person: only the pre-login stitch (docs/identity.md) ties it to them. Every
# model has a row per touch (a zero credit included), so any one configured model is read.
PRE_LOGIN_SQL = f"""
    with
    period_conversions as (
        select conversion_id
        from {MARTS}.conversions
        where project_id = {{project:String}}
            and toDate(converted_at) between {{start:Date}} and {{end:Date}}
    ),
    touches as (
        select credits.conversion_id as conversion_id, credits.user_id as user_id,
            touch.anonymous_id as anonymous_id, touch.ended_at as ended_at
        from {MARTS}.attribution_credits as credits
        inner join {MARTS}.sessions as touch
            on credits.project_id = touch.project_id and credits.session_id = touch.session_id
        where credits.project_id = {{project:String}} and credits.model = {{model:String}}
            and credits.conversion_id in (select conversion_id from period_conversions)
    ),
    pre_login as (
        select distinct touches.conversion_id
        from touches
        inner join {MARTS}.identity_stitch as stitch
            on stitch.anonymous_id = touches.anonymous_id
            and stitch.user_id = touches.user_id
        where stitch.project_id = {{project:String}}
            and touches.ended_at < stitch.first_linked_at
    )
    select count(), countIf(conversion_id in (select conversion_id from pre_login))
    from period_conversions
"""


def report_data(client: Client, period: Period, config: ReportConfig) -> ReportData:
    """Read everything the report shows for one project and period, for the conversions and
    models `config` names."""
    totals, counts = _totals(client, period, config)
    data = ReportData(period=period, config=config, totals=totals, conversion_counts=counts)
    data.sessions_by_day = _rows(
        client,
        f"""
        select session_date, channel, sum(session_count) as sessions
        {WEB_DAILY_IN_PERIOD}
        group by session_date, channel
        having sessions > 0
        order by session_date, channel
        """,
        period,
    )
    # each visitor counts once a day, under the channel of their first session that day, so
    # that a day's stack adds up to that day's visitors
    data.visitors_by_day = _rows(
        client,
        f"""
        select day, channel, count()
        from (
            select toDate(started_at) as day, anonymous_id,
                argMin(channel, (started_at, session_id)) as channel
            {SESSIONS_IN_PERIOD}
            group by day, anonymous_id
        )
        group by day, channel
        order by day, channel
        """,
        period,
    )
    data.attribution = _rows(
        client,
        f"""
        select conversion_name, model, channel, sum(conversions),
            {known_sum("revenue")}
        from {MARTS}.attribution_daily
        where project_id = {{project:String}}
            and conversion_date between {{start:Date}} and {{end:Date}}
        group by conversion_name, model, channel
        order by conversion_name, model, channel
        """,
        period,
    )
    for attribute, column, exclude in (
        ("campaigns", "campaign", "('', '(not set)')"),
        ("entry_pages", "entry_path", "('')"),
    ):
        rows = _rows(
            client,
            f"""
            select {column}, argMax(channel, session_count), sum(session_count) as sessions,
                sum(conversion_count), {known_sum("revenue")},
                sum(bounce_count)
            {WEB_DAILY_IN_PERIOD} and {column} not in {exclude}
            group by {column}
            having sessions > 0
            order by sessions desc, {column}
            limit {TOP}
            """,
            period,
        )
        setattr(data, attribute, rows)
    data.devices_per_person = _rows(
        client,
        f"""
        select least(device_count, 4) as devices, count()
        from {MARTS}.users
        where project_id = {{project:String}}
            and user_id in (select user_id {SESSIONS_IN_PERIOD} and user_id is not null)
        group by devices
        order by devices
        """,
        period,
    )
    data.stitched_by_channel = _rows(
        client,
        f"""
        select channel, count() as sessions, countIf(user_id is not null)
        {SESSIONS_IN_PERIOD}
        group by channel
        order by sessions desc, channel
        """,
        period,
    )
    return data
