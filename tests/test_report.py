"""`millimetric report` on generated traffic, end to end: real chDB, real dbt, real Dagster and a
real headless Chromium.

The oracle for the numbers is SQL written here, independently of orchestration/serve/report/data.py,
on the same marts; for privacy, the generator's ground truth (every id and e-mail it made). The
conversions, models and currency the report should name are read here from dbt_project.yml's
`vars:` as they are written, or are the `--vars` a test built with.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from dagster import AssetSelection, DagsterInstance, Definitions, define_asset_job, materialize
from plotly.offline import get_plotlyjs

from orchestration import settings
from orchestration.cli import main
from orchestration.defs.report.assets import REPORT_KEY, millimetric_report, report_paths
from orchestration.defs.report.definitions import defs as report_defs
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from orchestration.runtime.dbt_vars import dbt_vars
from orchestration.serve.report import (
    ReportError,
    file_name,
    file_names,
    report_config,
    write_reports,
)
from tests.conftest import Query
from tests.traffickit import write_generated

WORLD = {"days": 30, "visitors": 3000, "projects": 2, "seed": 21}
DAYS = 21
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PROJECT_VARS = yaml.safe_load((settings.project_dir() / "dbt_project.yml").read_text())["vars"]
MODELS = tuple(PROJECT_VARS["millimetric__attribution_models"])
ROAS = tuple(PROJECT_VARS["millimetric__roas_conversion_names"])
CURRENCY = PROJECT_VARS["millimetric__reporting_currency"]

slow = pytest.mark.slow


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    return module_warehouse("report", lambda: write_generated(**WORLD))


@pytest.fixture(scope="module")
def reports(built, tmp_path_factory) -> dict[str, Path]:
    """One report per project, written by the CLI itself (no --project)."""
    out = tmp_path_factory.mktemp("reports")
    assert main(["report", "--days", str(DAYS), "--out", str(out)]) == 0
    return {page_of(path).meta["millimetric-project"]: path for path in out.iterdir()}


class ReportPage(HTMLParser):
    """The numbers a reader sees, by their data-* attributes: KPI tiles and table cells."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.kpis: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.columns: dict[str, list[str]] = {}  # table id -> its models, in column order
        self._table: str | None = None
        self._row: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        elif "data-metric" in a:
            self.kpis[a["data-metric"]] = a["data-value"]
        elif tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = {}
            self.columns[self._table] = []
        elif tag == "th" and self._table and "data-model" in a:
            self.columns[self._table].append(a["data-model"])
        elif tag == "tr" and self._table:
            self._row = a.get("data-channel") or a.get("data-name")
            if self._row is not None:
                self.tables[self._table][self._row] = []
        elif tag == "td" and self._table and self._row is not None and "data-value" in a:
            self.tables[self._table][self._row].append(a["data-value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None


def figure(text: str, div_id: str) -> tuple[list[dict], dict, dict]:
    """The traces, layout and config a chart was drawn with, from its Plotly.newPlot call."""
    at = text.index("Plotly.newPlot(", text.index(f'id="{div_id}"'))
    at = text.index(",", text.index(f'"{div_id}"', at)) + 1
    decoder, parts = json.JSONDecoder(), []
    for _ in range(3):
        while text[at] in " \n\t,":
            at += 1
        part, at = decoder.raw_decode(text, at)
        parts.append(part)
    return parts[0], parts[1], parts[2]


def page_of(path: Path) -> ReportPage:
    return ReportPage(path.read_text(encoding="utf-8"))


def period_of(page: ReportPage) -> tuple[str, dt.date, dt.date]:
    start, end = page.meta["millimetric-period"].split("/")
    project = page.meta["millimetric-project"]
    return project, dt.date.fromisoformat(start), dt.date.fromisoformat(end)


def in_period(column: str, start: dt.date, end: dt.date) -> str:
    """A half-open UTC range on a timestamp, phrased unlike the report's own toDate()."""
    return (
        f"{column} >= toDateTime64('{start} 00:00:00', 3, 'UTC') "
        f"and {column} < toDateTime64('{end + dt.timedelta(days=1)} 00:00:00', 3, 'UTC')"
    )


def close(a: float | Decimal, b: float | Decimal) -> bool:
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


# --- the numbers ----------------------------------------------------------------------------


@slow
def test_one_report_per_project_for_the_latest_days(built, reports):
    projects = [p for (p,) in built("select distinct project_id from marts.sessions order by 1")]
    assert sorted(reports) == projects
    for project, path in reports.items():
        name, start, end = period_of(page_of(path))
        [(last_day,)] = built(
            f"select max(toDate(started_at)) from marts.sessions where project_id = '{project}'"
        )
        assert name == project and end == last_day and (end - start).days + 1 == DAYS


@slow
def test_headline_numbers_match_the_marts(built, reports):
    for path in reports.values():
        page = page_of(path)
        project, start, end = period_of(page)
        where = f"project_id = '{project}' and {in_period('started_at', start, end)}"
        [(sessions, visitors, stitched, bounces)] = built(
            f"""
            select count(), count(distinct anonymous_id), countIf(isNotNull(user_id)),
                countIf(pageview_count = 1)
            from marts.sessions where {where}
            """
        )
        assert int(page.kpis["sessions"]) == sessions
        assert int(page.kpis["visitors"]) == visitors
        assert close(float(page.kpis["stitched_share"]), stitched / sessions)
        assert close(float(page.kpis["bounce_rate"]), bounces / sessions)
        [(signups, purchases)] = built(
            f"""
            select countIf(conversion_name = 'signup'), countIf(conversion_name = 'purchase')
            from marts.conversions
            where project_id = '{project}' and {in_period("converted_at", start, end)}
            """
        )
        # revenue in the reporting currency, each conversion at its day's rate: the purchases
        # are in several currencies, which the report must not add as they are
        [(revenue, currencies)] = built(
            f"""
            select sum(reporting_revenue), uniqExact(revenue_currency)
            from analytics.int_conversion_revenue_converted
            where project_id = '{project}' and conversion_date between '{start}' and '{end}'
            """
        )
        assert currencies > 1
        shown = (int(page.kpis["conversions-signup"]), int(page.kpis["conversions-purchase"]))
        assert shown == (signups, purchases)
        assert Decimal(page.kpis["revenue"]) == revenue
        assert sessions > 500 and signups > 20 and purchases > 5


@slow
def assert_attribution_tables(
    query: Query, page: ReportPage, conversions: list[str], roas: tuple[str, ...], models: tuple
) -> None:
    """Each conversion's credits and the ROAS conversions' revenue per channel, under each model
    in the configured order, from attribution_credits (the report reads attribution_daily)."""
    project, start, end = period_of(page)
    rows = query(
        f"""
        select conversion_name, channel, model, sum(credit),
            sum(ifNull(reporting_revenue_credit, 0))
        from marts.attribution_credits
        where project_id = '{project}' and {in_period("converted_at", start, end)}
        group by conversion_name, channel, model
        """
    )
    expected: dict[str, dict[str, dict[str, Decimal]]] = {}
    for name, channel, model, credit, revenue in rows:
        for table, value in ((f"attribution-conversions-{name}", credit), ("revenue", revenue)):
            if table == "revenue" and name not in roas:
                continue
            table = "attribution-revenue" if table == "revenue" else table
            cells = expected.setdefault(table, {}).setdefault(channel, {})
            cells[model] = cells.get(model, Decimal(0)) + value
    tables = [f"attribution-conversions-{name}" for name in conversions] + ["attribution-revenue"]
    assert [t for t in page.tables if t.startswith("attribution-")] == tables
    for table in tables:
        assert page.columns[table] == list(models), table
        shown = page.tables[table]
        assert set(shown) == set(expected[table]), table
        for channel, cells in shown.items():
            want = [expected[table][channel].get(m, Decimal(0)) for m in models]
            assert [Decimal(c) for c in cells] == want, (table, channel)


@slow
def test_six_models_side_by_side_match_the_credits(built, reports):
    """Credits and revenue per channel under every model, from attribution_credits."""
    conversions = [c["name"] for c in PROJECT_VARS["millimetric__conversions"]]
    for path in reports.values():
        page = page_of(path)
        assert_attribution_tables(built, page, conversions, ROAS, MODELS)
        # the models disagree somewhere, or the comparison would say nothing
        signups = page.tables["attribution-conversions-signup"]
        assert any(len(set(cells)) > 1 for cells in signups.values())


@slow
def test_top_campaigns_and_entry_pages_match_sessions_and_credits(built, reports):
    """Sessions from marts.sessions; conversions are last non-direct credits landing on
    sessions of the period (the report reads web_daily)."""
    for path in reports.values():
        page = page_of(path)
        project, start, end = period_of(page)
        for table, column in (("campaigns", "entry_campaign"), ("entry-pages", "entry_path")):
            expected = dict(
                (name, (sessions, conversions))
                for name, sessions, conversions in built(
                    f"""
                    select s.{column}, count(), sum(ifNull(c.n, 0))
                    from marts.sessions as s
                    left join (
                        select session_id, count() as n from marts.attribution_credits
                        where project_id = '{project}' and model = 'last_non_direct'
                            and credit = 1
                        group by session_id
                    ) as c on s.session_id = c.session_id
                    where s.project_id = '{project}' and {in_period("s.started_at", start, end)}
                    group by s.{column}
                    """
                )
            )
            shown = page.tables[table]
            assert len(shown) == 10
            for name, cells in shown.items():
                sessions, conversions, rate = int(cells[1]), int(cells[2]), float(cells[3])
                assert (sessions, conversions) == expected[name], (table, name)
                assert close(rate, conversions / sessions)
            # and they are the top ten by sessions
            top = sorted((s for n, (s, _) in expected.items() if n not in ("", "(not set)")))
            assert sorted(int(cells[1]) for cells in shown.values()) == top[-10:]


@slow
def test_identity_picture_matches_the_stitch(built, reports):
    for path in reports.values():
        page = page_of(path)
        project, start, end = period_of(page)
        people = f"""
            select distinct user_id from marts.sessions
            where project_id = '{project}' and {in_period("started_at", start, end)}
                and user_id is not null
        """
        # devices per person, counted on identity_stitch (the report reads users.device_count)
        [(links, persons)] = built(
            f"""
            select count(), count(distinct user_id) from marts.identity_stitch
            where project_id = '{project}' and user_id in ({people})
            """
        )
        assert close(float(page.kpis["devices_per_person"]), links / persons)
        # conversions with a touch that ended before its device met the converting person
        [(conversions, pre_login)] = built(
            f"""
            with touches as (
                select a.conversion_id as conversion_id,
                    max(s.ended_at < st.first_linked_at) as has_pre_login
                from marts.attribution_credits as a
                inner join marts.sessions as s using (project_id, session_id)
                inner join marts.identity_stitch as st
                    on st.project_id = s.project_id and st.anonymous_id = s.anonymous_id
                    and st.user_id = a.user_id
                where a.project_id = '{project}' and a.model = 'first_touch'
                group by a.conversion_id
            )
            select count(), sum(ifNull(t.has_pre_login, 0))
            from marts.conversions as c
            left join touches as t on c.conversion_id = t.conversion_id
            where c.project_id = '{project}' and {in_period("c.converted_at", start, end)}
            settings join_use_nulls = 1
            """
        )
        assert close(float(page.kpis["pre_login_share"]), pre_login / conversions)
        assert 0 < pre_login < conversions


# --- privacy ----------------------------------------------------------------------------------


@slow
def test_nothing_personal_in_the_report(built, reports):
    """No anonymous id, user id or e-mail the generator made appears anywhere in the files."""
    anonymous_ids = {a for (a,) in built("select distinct anonymous_id from truth.visits")}
    user_ids = {u for (u,) in built("select user_id from truth.users")}
    emails = {e for (e,) in built("select email from truth.users")}
    assert len(anonymous_ids) > 1000 and len(user_ids) > 100 and len(emails) > 100
    plotly_js = get_plotlyjs()
    uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    for path in reports.values():
        text = path.read_text(encoding="utf-8")
        # ids-shaped tokens anywhere in the file, library included
        tokens = set(re.findall(uuid, text)) | set(re.findall(r"usr_[0-9a-f]{16}", text))
        tokens |= set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
        assert not tokens & (anonymous_ids | user_ids | emails)
        # and every id and e-mail as a plain substring of everything but the library itself
        assert text.count(plotly_js) == 1
        ours = text.replace(plotly_js, "")
        leaked = [s for s in (*anonymous_ids, *user_ids, *emails) if s in ours]
        assert not leaked, leaked[:3]
        # nor any piece of a person's traits (the JSON of their $identify)
        assert "@example.com" not in ours and '"email"' not in ours


# --- another configuration --------------------------------------------------------------------

# Other conversions from the generator's events, a subset of the models in another order, and
# revenue in euros: every purchase is taken to be in EUR (its currency property is not read),
# so no amount needs a rate and every sum is known.
OTHER_VARS = """{
    millimetric__conversions: [
        {name: demo_request, event_name: $identify, first_per_user: true},
        {name: form_submitted, event_name: form_submit},
        {name: order_completed, event_name: purchase, revenue_property: revenue},
    ],
    millimetric__roas_conversion_names: [order_completed],
    millimetric__attribution_models: [time_decay, linear, first_touch],
    millimetric__reporting_currency: EUR,
    millimetric__default_revenue_currency: EUR,
    millimetric__revenue_currency_property: not_a_property,
}"""
OTHER_CONVERSIONS = ["demo_request", "form_submitted", "order_completed"]
OTHER_MODELS = ("time_decay", "linear", "first_touch")


@slow
def test_report_follows_other_configured_conversions_models_and_currency(query, tmp_path):
    """Built with other vars (`--vars`, as dbt reads them), the report names those conversions,
    models and currency, and its counts are the marts'. Small: one project, 8 days."""
    write_generated(days=8, visitors=400, projects=1, seed=5)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run", "--vars", OTHER_VARS], quiet=True)
    with warehouse.connect() as client:
        written = write_reports(
            client, days=8, out=tmp_path, config=report_config(None, OTHER_VARS)
        )
    [path] = written.values()
    text = path.read_text(encoding="utf-8")
    page = ReportPage(text)
    project, start, end = period_of(page)
    counts = dict(
        query(
            f"""
            select conversion_name, count() from marts.conversions
            where project_id = '{project}' and {in_period("converted_at", start, end)}
            group by conversion_name
            """
        )
    )
    assert sorted(counts) == OTHER_CONVERSIONS and min(counts.values()) > 0
    shown = {k: int(v) for k, v in page.kpis.items() if k.startswith("conversions-")}
    assert shown == {f"conversions-{name}": n for name, n in counts.items()}
    # revenue: each order's amount as it was sent, every one taken to be in euros
    [(revenue, currencies)] = query(
        f"""
        select sum(revenue), groupUniqArray(revenue_currency)
        from analytics.int_conversion_revenue_converted
        where project_id = '{project}' and conversion_date between '{start}' and '{end}'
        """
    )
    assert currencies == ["EUR"] and revenue > 0
    assert Decimal(page.kpis["revenue"]) == revenue
    assert_attribution_tables(query, page, OTHER_CONVERSIONS, ("order_completed",), OTHER_MODELS)
    # the currency is named on the tile, the tables and the chart, and no other one is
    assert '<div class="label">Revenue (EUR)</div>' in text
    assert text.count("<th>Revenue (EUR)</th>") == 2 and "Revenue by channel (EUR)" in text
    assert "USD" not in text.replace(get_plotlyjs(), "")
    traces, layout, plotly_config = figure(text, "chart-attribution")
    titles = [annotation["text"] for annotation in layout["annotations"]]
    assert titles == ["Demo request", "Form submitted", "Order completed", "Revenue (EUR)"]
    assert layout["xaxis4"]["title"]["text"] == "EUR"
    legend = [t["name"] for t in traces if t.get("showlegend", True)]
    assert legend == ["First touch", "Linear", "Time decay"]  # drawn bottom-up, shown reversed
    assert plotly_config["displayModeBar"] is False


def test_vars_resolve_as_dbt_resolves_them(tmp_path):
    """Global vars, then the project's own scope, then --vars; each replaces keys whole."""
    (tmp_path / "dbt_project.yml").write_text(
        "name: millimetric\nvars:\n  a: [1, 2]\n  b: 1\n  millimetric:\n    b: 2\n    c: 2\n"
        "  other_package:\n    a: 9\n"
    )
    assert dbt_vars(tmp_path) == {"a": [1, 2], "b": 2, "c": 2, "other_package": {"a": 9}}
    assert dbt_vars(tmp_path, "{a: [3], c: 3}") == {
        "a": [3],
        "b": 2,
        "c": 3,
        "other_package": {"a": 9},
    }


def test_the_default_configuration_is_dbt_project_yml():
    config = report_config()
    assert list(config.conversions) == [c["name"] for c in PROJECT_VARS["millimetric__conversions"]]
    assert (config.models, config.roas_conversions, config.currency) == (MODELS, ROAS, CURRENCY)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ("{millimetric__roas_conversion_names: [refund]}", "names refund, not in"),
        ("{millimetric__attribution_models: []}", "must be a non-empty list"),
        ("{millimetric__conversions: [{name: a}, {name: a}]}", "names something twice"),
        ("[1, 2]", "--vars must be a YAML mapping"),
    ],
    ids=["roas-not-a-conversion", "no-models", "repeated-conversion", "vars-not-a-mapping"],
)
def test_a_configuration_the_report_cannot_show_is_one_clear_error(overrides, message):
    with pytest.raises(ReportError, match=re.escape(message)):
        report_config(cli_vars=overrides)


# --- the command's errors --------------------------------------------------------------------


@slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "proj_99"], "unknown project 'proj_99'; projects with data: proj_01"),
        (["--days", "0"], "--days must be between 1"),
        (["--project", "proj_01", "--out", "/proc/no/such.html"], "cannot write the report"),
        (["--out", "{tmp}/one.html"], "one report per project"),
    ],
    ids=["unknown-project", "days-0", "unwritable-out", "one-file-many-projects"],
)
def test_bad_input_is_one_clear_line(built, tmp_path, capsys, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["report", *args]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("millimetric report: ") and message in err
    assert "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "one.html").exists()


# --- in a real browser -----------------------------------------------------------------------


@slow
def test_report_renders_offline_in_chromium_without_console_errors(built, reports, tmp_path):
    """Every chart draws, with the network cut off, no console error or warning, and the
    sessions chart adds up to the sessions of each day. The screenshot is kept for a human."""
    playwright = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "apt-get install -y chromium (scripts/test does it)"
    project, path = sorted(reports.items())[0]
    page_data = page_of(path)
    _, start, end = period_of(page_data)
    messages, requests = [], []
    with playwright.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(
            profile,  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": 1360, "height": 900},
        )
        page = browser.new_page()
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))

        def offline(route):
            requests.append(route.request.url)
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", offline)
        page.goto(path.as_uri())
        page.wait_for_function("document.body.getAttribute('data-ready') === '1'")
        charts = page.evaluate(
            "[...document.querySelectorAll('.js-plotly-plot')].map(d => "
            "[d.id, d.querySelectorAll('.point, .bars path').length])"
        )
        # no control over a legend entry: the mode bar is off (it showed on hover, top right)
        page.hover("#chart-attribution")
        modebar_buttons = page.evaluate("document.querySelectorAll('.modebar-btn').length")
        daily = page.evaluate(
            "document.getElementById('chart-sessions').data.map(t => [t.name, t.x, t.y])"
        )
        screenshot = tmp_path / f"report-{project}.png"
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    kept = Path(tempfile.gettempdir()) / "millimetric-report-screenshot.png"
    shutil.copy(screenshot, kept)
    print(f"screenshot: {kept}")
    assert not messages, messages
    assert modebar_buttons == 0
    assert [u for u in requests if not u.startswith("file://")] == []
    assert len(charts) == 7 and all(bars > 0 for _, bars in charts), charts
    per_day: dict[str, int] = {}
    for _, days, values in daily:
        for day, value in zip(days, values, strict=True):
            per_day[day[:10]] = per_day.get(day[:10], 0) + value
    expected = dict(
        built(
            f"""
            select toString(toDate(started_at)), count() from marts.sessions
            where project_id = '{project}' and {in_period("started_at", start, end)}
            group by 1
            """
        )
    )
    assert {d: n for d, n in per_day.items() if n} == expected


# --- Dagster -----------------------------------------------------------------------------------


@slow
def test_asset_materializes_the_reports_with_their_paths(built, tmp_path, monkeypatch):
    monkeypatch.setenv("MILLIMETRIC_REPORT_DIR", str(tmp_path / "reports"))
    result = materialize([millimetric_report])
    assert result.success
    paths = report_paths(result)
    assert sorted(paths) == ["proj_01", "proj_02"]
    for project, path in paths.items():
        assert Path(path) == tmp_path / "reports" / file_name(project)
        assert period_of(page_of(Path(path)))[0] == project


@slow
def test_nightly_build_with_the_report_wired_in(built, dagster_home, tmp_path, monkeypatch):
    """The wiring proposed for defs/dbt/jobs.py, run for real: the report comes after the marts
    in the same run, and `report_paths` finds it for `millimetric build` to print."""
    from orchestration.definitions import defs
    from orchestration.defs.project import PIPELINE
    from orchestration.runtime.runs import WAREHOUSE_TAGS

    monkeypatch.setenv("MILLIMETRIC_REPORT_DIR", str(tmp_path / "reports"))
    job = define_asset_job(
        "nightly_build_with_report",
        selection=PIPELINE | AssetSelection.groups("report"),
        tags=WAREHOUSE_TAGS,
    )
    merged = Definitions.merge(defs, report_defs, Definitions(jobs=[job]))
    result = merged.resolve_job_def("nightly_build_with_report").execute_in_process(
        instance=DagsterInstance.get()
    )
    assert result.success
    order = [e.asset_key for e in result.get_asset_materialization_events()]
    assert order[-1] == REPORT_KEY
    assert sum(1 for key in order if key.path[0] == "marts") >= 7
    assert sorted(report_paths(result)) == ["proj_01", "proj_02"]


# --- one file per project ---------------------------------------------------------------------

# two pairs of ids that read alike once made safe as file names; each project gets its own
# number of devices, so a report holding another project's data shows
COLLIDING = {"a b": 2, "a_b": 3, "<script>x": 4, "_script_x": 5}


def test_short_names_that_collide_get_the_whole_hash():
    """Ids alike in their readable part and hash prefix (forced here with a 1-digit prefix,
    as a hostile id could be made to) still get distinct names."""
    ids = [f"a{sep}b" for sep in " _;:,!?#%&()+=@[]^{}~"]
    assert len({file_name(p, digits=1) for p in ids}) < len(ids)
    names = file_names(ids, digits=1)
    assert len(set(names.values())) == len(ids)
    assert all(n.startswith("millimetric-report-a_b-") for n in names.values())


@slow
def test_ids_that_sanitise_alike_get_one_file_each(chdb_path, dagster_home, query, tmp_path,
                                                   monkeypatch, capsys):  # fmt: skip
    """`millimetric build` and `millimetric report` on projects whose ids read alike as file
    names: one file per project, each holding its own project's sessions, and each printed
    "Report for" line names its project's file."""
    from tests.eventkit import T0, Event, insert_events, minutes

    insert_events(
        [
            Event(project, f"dev-{i}", T0 + minutes(5 * i + n), url=f"https://shop.example/{n}")
            for project, devices in COLLIDING.items()
            for i in range(devices)
            for n in range(2)  # two pageviews: an engaged session, not a bounce
        ]
    )
    monkeypatch.setenv("MILLIMETRIC_REPORT_DIR", str(tmp_path / "built"))
    capsys.readouterr()
    assert main(["build"]) == 0
    built_lines = capsys.readouterr().out
    assert main(["report", "--out", str(tmp_path / "asked")]) == 0
    asked_lines = capsys.readouterr().out
    sessions = dict(query("select project_id, count() from marts.sessions group by 1"))
    assert sessions == COLLIDING
    for folder, out in (("built", built_lines), ("asked", asked_lines)):
        printed = dict(
            re.fullmatch(r"Report for (.+): (.+)", line).groups()
            for line in out.splitlines()
            if line.startswith("Report for ")
        )
        assert sorted(printed) == sorted(COLLIDING), out
        files = sorted((tmp_path / folder).iterdir())
        assert len(files) == len(COLLIDING)
        assert sorted(Path(p) for p in printed.values()) == files
        for project, path in printed.items():
            page = page_of(Path(path))
            assert page.meta["millimetric-project"] == project
            assert int(page.kpis["sessions"]) == sessions[project]
            assert Path(path).name.startswith(
                "millimetric-report-" + re.sub(r"[^\w.-]", "_", project)
            )
