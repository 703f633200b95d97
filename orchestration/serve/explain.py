"""Why a conversion got the credit it got: its sessions, the device links that made each one
the person's, and what each attribution model gave each session. Read from the marts only.

Every id is bound as a query parameter, and every filter and join names the project: ids
collide across projects (docs/generator.md), and a project's rows never explain another's.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clickhouse_connect.driver.client import Client

from orchestration.runtime.dbt_vars import dbt_vars
from orchestration.serve.query import render

MARTS = "marts"
FORMATS = ("table", "json")
NEEDED_MARTS = (
    "attribution_credits",
    "conversion_paths",
    "conversions",
    "identity_stitch",
    "sessions",
)

# How a session came into the person's history (docs/attribution.md, *millimetric explain*):
# pre_login, first_link, signed_in, shared_turn, converting_session, and no_link should the
# marts ever disagree. A link is any event carrying both ids, so after the first link every
# later event on the device is one: the stitch cannot tell a later `$identify` from an event
# the SDK tagged, and no kind claims to.


class ExplainError(ValueError):
    """Bad input or a warehouse without marts; the message is meant for the user as is."""


class NotFound(ExplainError):
    """No conversion matches: an unknown id, another project's id, or a forgotten person's."""


@dataclass(frozen=True)
class Credit:
    """One model's share of a conversion given to one session (or to Unassigned)."""

    credit: Decimal
    revenue_credit: Decimal | None
    reporting_revenue_credit: Decimal | None


@dataclass(frozen=True)
class DeviceLink:
    """The identity_stitch row that made a session the converting person's, and its kind."""

    kind: str
    note: str
    anonymous_id: str
    user_id: str | None
    link_count: int | None = None
    first_linked_at: dt.datetime | None = None
    last_linked_at: dt.datetime | None = None
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    # people linked to the device (rows of identity_stitch), and the device's rank among the
    # person's devices by first link (1: the device they first linked from)
    device_user_count: int = 0
    device_number: int | None = None


@dataclass(frozen=True)
class SessionExplained:
    """A touch of the conversion: a session in its lookback window, in touch order."""

    touch_number: int
    session_id: str
    anonymous_id: str
    session_number: int
    user_id: str | None
    channel: str
    source: str
    medium: str
    campaign: str
    entry_path: str
    is_converting_session: bool
    started_at: dt.datetime
    ended_at: dt.datetime
    link: DeviceLink
    credits: dict[str, Credit]


@dataclass(frozen=True)
class ConversionExplained:
    project_id: str
    conversion_id: str
    conversion_name: str
    user_id: str | None
    anonymous_id: str
    session_id: str
    revenue_currency: str | None
    reporting_currency: str
    revenue: Decimal | None
    reporting_revenue: Decimal | None
    converted_at: dt.datetime
    models: list[str]
    sessions: list[SessionExplained]
    # the credit of each model when no session is in the window (the Unassigned rows)
    unassigned: dict[str, Credit] = field(default_factory=dict)

    def totals(self) -> dict[str, Credit]:
        """Each model's credits summed over the sessions and Unassigned: 1, and the revenue."""
        out = {}
        for model in self.models:
            shares = [s.credits[model] for s in self.sessions if model in s.credits]
            shares += [self.unassigned[model]] if model in self.unassigned else []
            out[model] = Credit(
                sum((c.credit for c in shares), Decimal(0)),
                _known_sum(c.revenue_credit for c in shares),
                _known_sum(c.reporting_revenue_credit for c in shares),
            )
        return out


def _known_sum(amounts) -> Decimal | None:
    amounts = list(amounts)
    return None if not amounts or None in amounts else sum(amounts, Decimal(0))


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """chDB gives DateTime64(3, 'UTC') as naive datetimes: they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def explain(
    client: Client, project_id: str, conversion_id: str | None = None, user_id: str | None = None
) -> list[ConversionExplained]:
    """The conversion `conversion_id`, or every conversion of `user_id`, of the project, in
    conversion time order, each with its touching sessions, their device links and every
    model's credits as marts.attribution_credits holds them. Raises NotFound when none
    matches (a forgotten person's ids included), ExplainError on bad input."""
    if (conversion_id is None) == (user_id is None):
        raise ExplainError("give exactly one of a conversion id and a user id")
    _require_marts(client)
    which = "conversion_id" if conversion_id is not None else "user_id"
    parameters = {"project_id": project_id, "id": conversion_id if user_id is None else user_id}
    # the conversions asked about, as a subquery every other query filters on
    chosen = f"""
        select conversion_id from {MARTS}.conversions
        where project_id = {{project_id:String}} and {which} = {{id:String}}
    """

    def rows(sql: str) -> list[tuple]:
        # join_use_nulls: a left join's missing side is NULL, not '' or 0
        return client.query(sql, parameters=parameters, settings={"join_use_nulls": 1}).result_rows

    conversions = rows(
        f"""
        select c.conversion_id, c.conversion_name, c.user_id, c.anonymous_id, c.session_id,
            paths.revenue_currency, paths.reporting_currency, c.revenue, paths.reporting_revenue,
            c.converted_at
        from {MARTS}.conversions as c
        left join {MARTS}.conversion_paths as paths
            on c.project_id = paths.project_id and c.conversion_id = paths.conversion_id
        where c.project_id = {{project_id:String}} and c.{which} = {{id:String}}
        order by c.converted_at, c.conversion_id
        """
    )
    if not conversions:
        raise NotFound(
            f"not found: no conversion with {which} {parameters['id']!r} in project {project_id!r}"
        )
    credits = rows(
        f"""
        select conversion_id, session_id, model, credit, revenue_credit, reporting_revenue_credit
        from {MARTS}.attribution_credits
        where project_id = {{project_id:String}} and conversion_id in ({chosen})
        """
    )
    touching = f"""
        select session_id from {MARTS}.attribution_credits
        where project_id = {{project_id:String}} and conversion_id in ({chosen})
            and session_id is not null
    """
    sessions = rows(
        f"""
        select session_id, anonymous_id, session_number, user_id, channel, entry_source,
            entry_medium, entry_campaign, entry_path, started_at, ended_at
        from {MARTS}.sessions
        where project_id = {{project_id:String}} and session_id in ({touching})
        """
    )
    # every user of the touching devices (is it shared? who linked first?), and every device of
    # the converting people (which of their devices came first?)
    stitch = rows(
        f"""
        select anonymous_id, user_id, link_count, first_linked_at, last_linked_at, valid_from,
            valid_to
        from {MARTS}.identity_stitch
        where project_id = {{project_id:String}}
            and (
                anonymous_id in (
                    select anonymous_id from {MARTS}.sessions
                    where project_id = {{project_id:String}} and session_id in ({touching})
                )
                or user_id in (
                    select user_id from {MARTS}.conversions
                    where project_id = {{project_id:String}} and {which} = {{id:String}}
                )
            )
        """
    )
    return _assemble(project_id, conversions, credits, sessions, stitch)


def _require_marts(client: Client) -> None:
    built = {
        name
        for (name,) in client.query(
            "select name from system.tables where database = {db:String}",
            parameters={"db": MARTS},
        ).result_rows
    }
    missing = [name for name in NEEDED_MARTS if name not in built]
    if missing:
        raise ExplainError(
            f"the marts {', '.join(missing)} are not on this target: run `millimetric build`"
        )


def _assemble(
    project_id: str,
    conversions: list[tuple],
    credit_rows: list[tuple],
    session_rows: list[tuple],
    stitch_rows: list[tuple],
) -> list[ConversionExplained]:
    sessions = {row[0]: row for row in session_rows}
    stitch: dict[tuple[str, str], tuple] = {(row[0], row[1]): row for row in stitch_rows}
    device_users: dict[str, int] = {}
    person_devices: dict[str, list[tuple[dt.datetime, str]]] = {}
    for anonymous_id, user, _count, first_linked_at, *_ in stitch_rows:
        device_users[anonymous_id] = device_users.get(anonymous_id, 0) + 1
        person_devices.setdefault(user, []).append((first_linked_at, anonymous_id))
    device_numbers = {
        (user, anonymous_id): number
        for user, devices in person_devices.items()
        for number, (_, anonymous_id) in enumerate(sorted(devices), start=1)
    }
    by_conversion: dict[str, dict[str | None, dict[str, Credit]]] = {}
    for conversion_id, session_id, model, credit, revenue, reporting in credit_rows:
        touch = by_conversion.setdefault(conversion_id, {}).setdefault(session_id, {})
        touch[model] = Credit(credit, revenue, reporting)

    explained = []
    for (
        conversion_id,
        name,
        user_id,
        anonymous_id,
        converting_session_id,
        currency,
        reporting_currency,
        revenue,
        reporting_revenue,
        converted_at,
    ) in conversions:
        touches = by_conversion.get(conversion_id, {})
        unassigned = touches.pop(None, {})
        models = _ordered_models(
            {m for credits in [*touches.values(), unassigned] for m in credits}
        )
        ordered = sorted(
            (sessions[s] for s in touches if s in sessions), key=lambda r: (r[9], r[0])
        )
        explained_sessions = []
        for number, row in enumerate(ordered, start=1):
            session_id, device, session_number, session_user = row[:4]
            link = _link(
                stitch.get((device, user_id)) if user_id is not None else None,
                device,
                user_id,
                session_user,
                _utc(row[9]),
                _utc(row[10]),
                device_users.get(device, 0),
                device_numbers.get((user_id, device)),
            )
            explained_sessions.append(
                SessionExplained(
                    touch_number=number,
                    session_id=session_id,
                    anonymous_id=device,
                    session_number=session_number,
                    user_id=session_user,
                    channel=row[4],
                    source=row[5],
                    medium=row[6],
                    campaign=row[7],
                    entry_path=row[8],
                    is_converting_session=session_id == converting_session_id,
                    started_at=_utc(row[9]),
                    ended_at=_utc(row[10]),
                    link=link,
                    credits=touches[session_id],
                )
            )
        explained.append(
            ConversionExplained(
                project_id=project_id,
                conversion_id=conversion_id,
                conversion_name=name,
                user_id=user_id,
                anonymous_id=anonymous_id,
                session_id=converting_session_id,
                revenue_currency=currency,
                reporting_currency=reporting_currency,
                revenue=revenue,
                reporting_revenue=reporting_revenue,
                converted_at=_utc(converted_at),
                models=models,
                sessions=explained_sessions,
                unassigned=unassigned,
            )
        )
    return explained


def _ordered_models(models: set[str]) -> list[str]:
    """In the order of millimetric__attribution_models, as the report shows them; a model the
    marts hold but the var no longer names (built before a change) after them, by name."""
    configured = [m for m in dbt_vars().get("millimetric__attribution_models") or [] if m in models]
    return configured + sorted(models - set(configured))


def _link(
    row: tuple | None,
    device: str,
    user_id: str | None,
    session_user: str | None,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    device_user_count: int,
    device_number: int | None,
) -> DeviceLink:
    """Which link put the session in the person's history, read off its identity_stitch row
    the way int_events_identified resolves events (docs/identity.md, *Identity*)."""
    common = {
        "anonymous_id": device,
        "user_id": user_id,
        "device_user_count": device_user_count,
        "device_number": device_number,
    }
    if user_id is None or session_user != user_id:
        # the touch rule takes the converting session whoever its events resolve to
        note = f"the converting session; its events resolve to {session_user or 'no one'}"
        return DeviceLink("converting_session", note, **common)
    if row is None:
        return DeviceLink("no_link", "no identity_stitch row links the device to them", **common)
    _, _, link_count, first_linked_at, last_linked_at, valid_from, valid_to = row
    first_linked_at, last_linked_at = _utc(first_linked_at), _utc(last_linked_at)
    valid_from, valid_to = _utc(valid_from), _utc(valid_to)
    first = _short(first_linked_at)
    if ended_at < first_linked_at:
        kind, note = "pre_login", f"anonymous, before the device's first link to them ({first})"
    elif started_at <= first_linked_at:
        kind, note = "first_link", f"the device was first linked to them here ({first})"
    elif device_user_count > 1:
        until = _short(valid_to) if valid_to is not None else "now"
        kind = "shared_turn"
        note = f"their turn on a device {device_user_count} people used: {_short(valid_from)}"
        note += f" to {until}"
    else:
        kind, note = "signed_in", f"signed in: device linked to them since {first}"
    return DeviceLink(
        kind,
        note,
        link_count=link_count,
        first_linked_at=first_linked_at,
        last_linked_at=last_linked_at,
        valid_from=valid_from,
        valid_to=valid_to,
        **common,
    )


# rendering


def _text(value: Any) -> Any:
    """Exact, stable text for JSON and tables: decimals without float noise or trailing
    zeros, times in ISO 8601 UTC with milliseconds."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, dt.datetime):
        return _utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value


def _credit_json(credit: Credit) -> dict[str, Any]:
    return {
        "credit": _text(credit.credit),
        "revenue_credit": _text(credit.revenue_credit),
        "reporting_revenue_credit": _text(credit.reporting_revenue_credit),
    }


def as_json(explained: list[ConversionExplained]) -> dict[str, Any]:
    """One JSON-ready document. Decimals are strings holding their exact digits (a credit has
    18 decimals, more than a JSON float keeps); times are ISO 8601 UTC strings."""
    conversions = []
    for c in explained:
        conversions.append(
            {
                "conversion_id": c.conversion_id,
                "conversion_name": c.conversion_name,
                "converted_at": _text(c.converted_at),
                "user_id": c.user_id,
                "anonymous_id": c.anonymous_id,
                "session_id": c.session_id,
                "revenue": _text(c.revenue),
                "revenue_currency": c.revenue_currency,
                "reporting_revenue": _text(c.reporting_revenue),
                "reporting_currency": c.reporting_currency,
                "models": c.models,
                "sessions": [
                    {
                        "touch_number": s.touch_number,
                        "session_id": s.session_id,
                        "anonymous_id": s.anonymous_id,
                        "session_number": s.session_number,
                        "user_id": s.user_id,
                        "started_at": _text(s.started_at),
                        "ended_at": _text(s.ended_at),
                        "channel": s.channel,
                        "source": s.source,
                        "medium": s.medium,
                        "campaign": s.campaign,
                        "entry_path": s.entry_path,
                        "is_converting_session": s.is_converting_session,
                        "link": {
                            "kind": s.link.kind,
                            "note": s.link.note,
                            "anonymous_id": s.link.anonymous_id,
                            "user_id": s.link.user_id,
                            "link_count": s.link.link_count,
                            "first_linked_at": _text(s.link.first_linked_at),
                            "last_linked_at": _text(s.link.last_linked_at),
                            "valid_from": _text(s.link.valid_from),
                            "valid_to": _text(s.link.valid_to),
                            "device_user_count": s.link.device_user_count,
                            "device_number": s.link.device_number,
                        },
                        "credits": {m: _credit_json(s.credits[m]) for m in c.models},
                    }
                    for s in c.sessions
                ],
                "unassigned": (
                    {m: _credit_json(c.unassigned[m]) for m in c.models} if c.unassigned else None
                ),
                "totals": {m: _credit_json(t) for m, t in c.totals().items()},
            }
        )
    project_id = explained[0].project_id if explained else None
    return {"project_id": project_id, "conversions": conversions}


def _short(value: dt.datetime | None) -> str:
    return "" if value is None else _utc(value).strftime("%Y-%m-%d %H:%M:%S")


def _money(amount: Decimal | str) -> str:
    """Cents always shown, finer digits when there are any: 9.00, 12.345."""
    if isinstance(amount, str):
        return amount
    return f"{amount:.2f}" if amount == round(amount, 2) else _text(amount)


def _table(c: ConversionExplained) -> str:
    revenue = ""
    if c.revenue is not None:
        revenue = f"{_money(c.revenue)} {c.revenue_currency or '(currency unknown)'}"
        if c.revenue_currency != c.reporting_currency:
            reporting = "unknown: no rate" if c.reporting_revenue is None else c.reporting_revenue
            revenue += f" ({_money(reporting)} {c.reporting_currency})"
    devices = sorted({s.anonymous_id for s in c.sessions})
    lines = [
        f"conversion {c.conversion_id} ({c.conversion_name}) in project {c.project_id}",
        f"  converted at {_short(c.converted_at)} UTC on device {c.anonymous_id}",
        f"  user         {c.user_id if c.user_id is not None else '(anonymous)'}",
        f"  revenue      {revenue or '(none)'}",
        f"  touches      {len(c.sessions)} session(s) on {len(devices)} device(s)",
        "",
    ]
    if not c.sessions:
        lines.append("no session in the lookback window: every model credits Unassigned")
    else:
        columns = ["#", "started (UTC)", "device", "channel", "source / medium / campaign"]
        columns += ["link", "how the session is the person's"]
        rows = [
            (
                f"{s.touch_number}{'*' if s.is_converting_session else ''}",
                _short(s.started_at),
                s.anonymous_id,
                s.channel,
                f"{s.source} / {s.medium} / {s.campaign}",
                s.link.kind,
                s.link.note,
            )
            for s in c.sessions
        ]
        lines.append(render(columns, rows, "table"))
        lines.append("* the converting session")
        lines.append("")
    columns = ["#", "channel", *c.models]
    rows = [
        (str(s.touch_number), s.channel, *(f"{s.credits[m].credit:.4f}" for m in c.models))
        for s in c.sessions
    ]
    if c.unassigned:
        rows.append(("", "Unassigned", *(f"{c.unassigned[m].credit:.4f}" for m in c.models)))
    totals = c.totals()
    rows.append(("total", "", *(f"{totals[m].credit:.4f}" for m in c.models)))
    lines.append("credit per model (--format json: exact, with revenue)")
    lines.append(render(columns, rows, "table"))
    return "\n".join(lines)


def render_explained(explained: list[ConversionExplained], fmt: str = "table") -> str:
    """The conversions as tables for a terminal, or one JSON document for tools."""
    if fmt == "json":
        return json.dumps(as_json(explained), indent=2)
    if fmt != "table":
        raise ExplainError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return "\n\n".join(_table(c) for c in explained)
