"""The report as one self-contained HTML page: CSS and plotly.js inlined, no network at all.

Every number shown carries its raw value in a `data-value` attribute next to the formatted
text, so tests (and scripts) can read the report without parsing formatted numbers.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from decimal import Decimal
from functools import cache

import plotly.io as pio
from plotly.offline import get_plotlyjs

from orchestration.serve.report import charts
from orchestration.serve.report.config import ReportConfig
from orchestration.serve.report.data import ReportData

# No mode bar: it appears over the top right of a chart on hover, where the legend's last
# entries are. Hover values, drag to zoom, double-click to reset and legend toggles remain.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}

CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --card: #ffffff; --bg: #f5f7fa;
        --accent: #1d5a96; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; }
header { background: #102a43; color: #fff; padding: 22px 32px 18px; }
header .brand { font-size: 12px; letter-spacing: .12em; text-transform: uppercase;
                color: #9fb3c8; }
header h1 { margin: 4px 0 2px; font-size: 26px; font-weight: 650; }
header p { margin: 0; color: #d9e2ec; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 32px 40px; }
section { margin-top: 28px; }
h2 { font-size: 19px; margin: 0 0 4px; }
.lead { color: var(--muted); margin: 0 0 12px; max-width: 900px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(124px, 1fr)); gap: 10px; }
.kpis.identity { grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
       padding: 12px 14px; }
.kpi .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
              letter-spacing: .04em; }
.kpi .value { font-size: 22px; font-weight: 650; margin-top: 2px; }
.kpi .note { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.stack > .card { margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
        padding: 14px 16px; min-width: 0; }
.card h3 { font-size: 15px; margin: 0 0 2px; }
.card .sub { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums;
        margin-top: 8px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right;
         white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 12px; white-space: normal;
     vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
td.name { white-space: normal; overflow-wrap: anywhere; min-width: 12em; }
td.best { font-weight: 700; color: var(--accent); }
.empty { color: var(--muted); padding: 30px 0; text-align: center; }
footer { color: var(--muted); font-size: 12px; margin-top: 36px; border-top: 1px solid var(--line);
         padding-top: 12px; }
footer dt { font-weight: 600; color: var(--ink); margin-top: 6px; }
footer dd { margin: 0 0 0 0; }
@media print { body { background: #fff; } .card, .kpi { break-inside: avoid; } }
"""


@cache
def _plotly_js() -> str:
    # inlined once per page: the report opens offline, with no CDN
    return get_plotlyjs()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _int(n: int | float | Decimal | None) -> str:
    return "–" if n is None else f"{int(n):,}"


def _pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:.{digits}%}"


def _money(x: Decimal | float | None) -> str:
    return "–" if x is None else f"{float(x):,.2f}"


def _raw(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _figure(fig, div_id: str) -> str:
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        default_height=f"{fig.layout.height}px",
    )


def _kpi(metric: str, label: str, value: object, text: str, note: str = "") -> str:
    note_html = f'<div class="note">{_e(note)}</div>' if note else ""
    return (
        f'<div class="kpi" data-metric="{_e(metric)}" data-value="{_e(_raw(value))}">'
        f'<div class="label">{_e(label)}</div><div class="value">{_e(text)}</div>{note_html}</div>'
    )


def _cell(value: object, text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<td data-value="{_e(_raw(value))}"{cls}>{_e(text)}</td>'


def _card(title: str, sub: str, body: str) -> str:
    return f'<div class="card"><h3>{_e(title)}</h3><p class="sub">{_e(sub)}</p>{body}</div>'


def _empty(what: str) -> str:
    return f'<div class="empty">{_e(what)}</div>'


def _kpis(data: ReportData) -> str:
    t, currency = data.totals, data.config.currency
    conversions = [
        _kpi(f"conversions-{name}", charts.label(name), count, _int(count), "conversions")
        for name, count in data.conversion_counts.items()
    ]
    return (
        '<div class="kpis">'
        + "".join(
            [
                _kpi("sessions", "Sessions", t["sessions"], _int(t["sessions"])),
                _kpi(
                    "visitors", "Visitors", t["visitors"], _int(t["visitors"]), "distinct devices"
                ),
                _kpi("people", "People", t["people"], _int(t["people"]), "known persons"),
                _kpi("pageviews", "Pageviews", t["pageviews"], _int(t["pageviews"])),
                _kpi(
                    "engaged_rate",
                    "Engaged",
                    t["engaged_rate"],
                    _pct(t["engaged_rate"]),
                    "of sessions",
                ),
                _kpi("bounce_rate", "Bounce rate", t["bounce_rate"], _pct(t["bounce_rate"])),
                *conversions,
                _kpi(
                    "revenue",
                    f"Revenue ({currency})",
                    t["revenue"],
                    _money(t["revenue"]),
                    "all conversions",
                ),
            ]
        )
        + "</div>"
    )


def _traffic(data: ReportData, days: list[dt.date]) -> str:
    cards = []
    for rows, what, title, sub, div_id in (
        (
            data.sessions_by_day,
            "sessions",
            "Sessions per day, by channel",
            "Each session counts under the channel it entered through.",
            "chart-sessions",
        ),
        (
            data.visitors_by_day,
            "visitors",
            "Visitors per day, by channel",
            "Distinct devices per day; a device counts once, under the channel of its first "
            "session that day.",
            "chart-visitors",
        ),
    ):
        body = (
            _figure(charts.daily_by_channel(rows, what, days), div_id)
            if rows
            else _empty(f"No {what} in this period.")
        )
        cards.append(_card(title, sub, body))
    return (
        '<section id="traffic"><h2>Traffic</h2>'
        '<p class="lead">Where visits came from, day by day (UTC days).</p>'
        f'<div class="grid">{"".join(cards)}</div></section>'
    )


def _attribution_table(
    data: ReportData, table_id: str, title: str, sub: str, names: tuple[str, ...], revenue: bool
) -> str:
    """Channels by models: the credited conversions of `names`, or with `revenue` their
    credited revenue in the reporting currency."""
    models = data.config.models
    # None: revenue in a currency without an exchange rate, unknown rather than smaller
    cells: dict[tuple[str, str], Decimal | None] = defaultdict(Decimal)
    for conversion_name, model, channel, conversions, credited in data.attribution:
        if conversion_name in names and model in models:
            value, total = credited if revenue else conversions, cells[(channel, model)]
            cells[(channel, model)] = None if value is None or total is None else total + value
    channels = sorted(
        {c for c, _ in cells}, key=lambda c: (-sum(cells[(c, m)] or 0 for m in models), c)
    )
    head = "".join(f'<th data-model="{_e(m)}">{_e(charts.label(m))}</th>' for m in models)
    rows = []
    for channel in channels:
        values = [cells.get((channel, m), Decimal(0)) for m in models]
        best = max((v for v in values if v is not None), default=None)
        tds = "".join(
            _cell(v, _money(v) if revenue else f"{float(v):,.1f}", "best" if v == best else "")
            for v in values
        )
        rows.append(f'<tr data-channel="{_e(channel)}"><td>{_e(channel)}</td>{tds}</tr>')
    body = (
        f'<table id="{table_id}"><thead><tr><th>Channel</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else _empty("Nothing to credit in this period.")
    )
    return _card(title, f"{sub} Bold: the model that gives the channel the most.", body)


NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _count(n: int, noun: str) -> str:
    """`six attribution models`, `one attribution model`."""
    return f"{NUMBERS[n] if n < len(NUMBERS) else n} {noun}{'' if n == 1 else 's'}"


def _listing(names: tuple[str, ...]) -> str:
    """`signup`, `signup and purchase`, `a, b and c`: the vars' own names, for a reader."""
    words = [charts.label(n).lower() for n in names]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _attribution(data: ReportData) -> str:
    config = data.config
    chart = (
        _figure(charts.attribution_comparison(data), "chart-attribution")
        if data.attribution
        else _empty("No conversions in this period.")
    )
    counts = "".join(
        _attribution_table(
            data,
            f"attribution-conversions-{name}",
            f"{charts.label(name)} conversions by channel",
            "Credited conversions.",
            (name,),
            False,
        )
        for name in config.conversions
    )
    roas = _listing(config.roas_conversions)
    revenue = _attribution_table(
        data,
        "attribution-revenue",
        f"Revenue by channel ({config.currency})",
        f"Credited revenue of {roas} conversions (the ones ROAS counts), in {config.currency}.",
        config.roas_conversions,
        True,
    )
    return (
        '<section id="attribution"><h2>Who gets the credit: '
        f"{_count(len(config.models), 'attribution model')}</h2>"
        '<p class="lead">The same conversions and the same revenue, shared out among the '
        "channels that touched them by each model. Where the bars of a channel differ, the "
        "choice of model changes its story: first touch favours the channels that bring people "
        "in, last touch the ones that close.</p>"
        + _card(
            "Conversions and revenue by channel, per model",
            "Credited to conversions in the period; fractional under multi-touch models. "
            f"Revenue: {roas} conversions, in {config.currency}.",
            chart,
        )
        + f'<div class="stack">{counts}{revenue}</div></section>'
    )


def _top_table(rows: list[tuple], table_id: str, label: str, pages: bool, currency: str) -> str:
    second = "Bounce rate" if pages else "Channel"
    head = (
        f"<tr><th>{_e(label)}</th><th>{second}</th><th>Sessions</th><th>Conversions</th>"
        f"<th>Conv. rate</th><th>Revenue ({_e(currency)})</th></tr>"
    )
    body = []
    for name, channel, sessions, conversions, revenue, bounces in rows:
        rate = conversions / sessions if sessions else None
        second_cell = (
            _cell(bounces / sessions if sessions else None, _pct(bounces / sessions))
            if pages
            else _cell(channel, channel)
        )
        body.append(
            f'<tr data-name="{_e(name)}"><td class="name">{_e(name)}</td>{second_cell}'
            + _cell(sessions, _int(sessions))
            + _cell(conversions, _int(conversions))
            + _cell(rate, _pct(rate))
            + _cell(revenue, _money(revenue))
            + "</tr>"
        )
    return f'<table id="{table_id}"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


def _acquisition(data: ReportData) -> str:
    cards = []
    for rows, table_id, label, title, pages in (
        (data.campaigns, "campaigns", "Campaign", "Top campaigns", False),
        (data.entry_pages, "entry-pages", "Entry page", "Top entry pages", True),
    ):
        body = (
            _figure(charts.top_rows(rows, label), f"chart-{table_id}")
            + _top_table(rows, table_id, label, pages, data.config.currency)
            if rows
            else _empty(f"No {label.lower()}s in this period.")
        )
        cards.append(
            _card(
                title,
                "By sessions. Conversions: last non-direct credit, on the day of the "
                "credited session.",
                body,
            )
        )
    return (
        '<section id="acquisition"><h2>Campaigns and entry pages</h2>'
        '<p class="lead">The ten tagged campaigns and the ten landing pages that brought the '
        "most sessions, and how well those sessions converted "
        f"({_e(_listing(data.config.conversions))}).</p>"
        f'<div class="grid">{"".join(cards)}</div></section>'
    )


def _identity(data: ReportData) -> str:
    t = data.totals
    tiles = (
        '<div class="kpis identity">'
        + "".join(
            [
                _kpi(
                    "devices_per_person",
                    "Devices per person",
                    t["devices_per_person"],
                    "–" if t["devices_per_person"] is None else f"{t['devices_per_person']:.2f}",
                    "people active in the period",
                ),
                _kpi(
                    "stitched_share",
                    "Sessions stitched",
                    t["stitched_share"],
                    _pct(t["stitched_share"]),
                    f"{_int(t['stitched'])} of {_int(t['sessions'])} sessions tied to a person",
                ),
                _kpi(
                    "pre_login_share",
                    "Conversions with pre-login touches",
                    t["pre_login_share"],
                    _pct(t["pre_login_share"]),
                    f"{_int(t['conversions_with_pre_login_touch'])} of {_int(t['conversions'])}",
                ),
            ]
        )
        + "</div>"
    )
    devices = (
        _figure(charts.devices_per_person(data.devices_per_person), "chart-devices")
        if data.devices_per_person
        else _empty("No known people in this period.")
    )
    stitched = (
        _figure(charts.stitched_by_channel(data.stitched_by_channel), "chart-stitched")
        if data.stitched_by_channel
        else _empty("No sessions in this period.")
    )
    return (
        '<section id="identity"><h2>Identity</h2>'
        '<p class="lead">How much of the traffic is tied to a known person. Visits made before '
        "someone logged in are stitched to them afterwards (the pre-login stitch), so an ad "
        "click on day 1 is credited to a conversion on day 7.</p>"
        + tiles
        + '<div class="grid" style="margin-top:16px">'
        + _card(
            "Devices per person",
            "People with a session in the period, by devices linked to them.",
            devices,
        )
        + _card(
            "Sessions stitched to a person, by channel",
            "Share of each channel's sessions tied to a known person.",
            stitched,
        )
        + "</div></section>"
    )


# Each chart is drawn while the page is still being parsed, before the cards beside it exist,
# so it takes the whole row's width; once everything is laid out, fit every chart to its card.
# data-ready tells a test (or a headless screenshot) that the page is final.
RESIZE_JS = """
window.addEventListener("load", function () {
  var charts = Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
  Promise.all(charts.map(function (c) { return Plotly.Plots.resize(c); })).then(function () {
    document.body.setAttribute("data-ready", "1");
  });
});
"""

FOOTER = """
<footer><dl>
<dt>Source</dt><dd>Every number is read from the warehouse marts ({target}): marts.sessions,
marts.web_daily, marts.conversions, marts.attribution_daily, marts.attribution_credits,
marts.users and marts.identity_stitch. No personal data is in this page: only counts, channels,
campaign names and entry paths.</dd>
<dt>Period</dt><dd>{days} UTC days ending on the project's latest day of data. Sessions count
on the day they started; conversions on the day they happened; in the campaign and entry page
tables, on the day of the session credited with them.</dd>
<dt>Pre-login touch</dt><dd>A session credited with a conversion that ended before its device
was first linked to the person who converted.</dd>
<dt>Conversions</dt><dd>{conversions} (the dbt var millimetric__conversions). Money is in
{currency}, the reporting currency: each amount at its day's exchange rate, and a total with an
amount of unknown rate is unknown (–), never smaller.</dd>
<dt>Attribution models</dt><dd>{models}, over the {lookback} days before each conversion
(millimetric__attribution_models). See docs/identity.md.</dd>
</dl></footer>
"""

# What each model does, for the footer; only the configured ones are shown.
MODEL_NOTES = {
    "last_non_direct": "the last touch that is not Direct",
    "position_based": "40% first, 40% last, 20% shared by the middle",
    "time_decay": "a touch's weight halves every {half_life:g} days before the conversion",
}


def _footer(config: ReportConfig, target: str, days: int) -> str:
    models = ", ".join(
        charts.label(m)
        + (
            f" ({MODEL_NOTES[m].format(half_life=config.half_life_days)})"
            if m in MODEL_NOTES
            else ""
        )
        for m in config.models
    )
    return FOOTER.format(
        target=_e(target),
        days=days,
        conversions=_e(_listing(config.conversions).capitalize()),
        currency=_e(config.currency),
        models=_e(models),
        lookback=config.lookback_days,
    )


def render(data: ReportData, target: str, generated_at: dt.datetime | None = None) -> str:
    """The complete page for one project and period."""
    period = data.period
    days = [period.start + dt.timedelta(days=i) for i in range(period.days)]
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    span = f"{period.start:%-d %b %Y} – {period.end:%-d %b %Y}"
    title = f"Millimetric report · {period.project_id} · {span}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="millimetric-project" content="{_e(period.project_id)}">
<meta name="millimetric-period" content="{period.start.isoformat()}/{period.end.isoformat()}">
<title>{_e(title)}</title>
<style>{CSS}</style>
<script>{_plotly_js()}</script>
</head>
<body>
<header>
<div class="brand">Millimetric · marketing report</div>
<h1>{_e(period.project_id)}</h1>
<p>{_e(span)} ({period.days} days, UTC) · generated {generated_at:%Y-%m-%d %H:%M} UTC</p>
</header>
<main>
<section id="summary">{_kpis(data)}</section>
{_traffic(data, days)}
{_attribution(data)}
{_acquisition(data)}
{_identity(data)}
{_footer(data.config, target, period.days)}
</main>
<script>{RESIZE_JS}</script>
</body>
</html>
"""
