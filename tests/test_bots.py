"""Bot traffic: known bot user agents and machine-like devices are quarantined, never sessions,
conversions or attribution; the generator's truth.bots is recovered; a device flagged by its
newest events leaves every model on the next incremental build, as a full rebuild would."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import re
from pathlib import Path

import pyarrow.compute as pc
import pytest
import yaml

from orchestration import settings
from orchestration.forget import propagate_pending, request_forget
from orchestration.forget.targets import load_manifest, purge_targets
from orchestration.generator import bots, generate, vocab
from orchestration.raw import tables
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from tests.eventkit import COLUMNS, T0, Event, minutes
from tests.snapshots import assert_same_tables, snapshot
from tests.traffickit import write_generated

SEED = Path(__file__).resolve().parent.parent / "seeds" / "bot_user_agents.csv"
LIMIT = 60  # millimetric__bot_max_events_per_minute's default (dbt_project.yml)
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)

# One real user agent per bot the seed must know (the list, and a few more).
KNOWN_BOTS = {
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "YandexBot": "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Baiduspider": "Mozilla/5.0 (compatible; Baiduspider/2.0)",
    "DuckDuckBot": "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Applebot": "Mozilla/5.0 (Macintosh) Safari/605.1.15 (Applebot/0.1)",
    "facebookexternalhit": "facebookexternalhit/1.1",
    "Twitterbot": "Twitterbot/1.0",
    "LinkedInBot": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient)",
    "Slackbot": "Slackbot-LinkExpanding 1.0",
    "AhrefsBot": "Mozilla/5.0 (compatible; AhrefsBot/7.0)",
    "SemrushBot": "Mozilla/5.0 (compatible; SemrushBot/7~bl)",
    "MJ12bot": "Mozilla/5.0 (compatible; MJ12bot/v1.4.8)",
    "GPTBot": "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
    "ClaudeBot": "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)",
    "CCBot": "CCBot/2.0",
    "PerplexityBot": "Mozilla/5.0 (compatible; PerplexityBot/1.0)",
    "Bytespider": "Mozilla/5.0 (Linux; Android 5.0) Mobile Safari/537.36 (compatible; Bytespider)",
    "HeadlessChrome": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0 Safari/537.36",
    "PhantomJS": "Mozilla/5.0 (Unknown; Linux x86_64) PhantomJS/2.1.1 Safari/538.1",
    "Puppeteer": "Mozilla/5.0 Chrome/131.0.0.0 Safari/537.36 Puppeteer",
    "Playwright": "Mozilla/5.0 Chrome/131.0.0.0 Safari/537.36 Playwright/1.49.0",
    "Selenium": "Mozilla/5.0 Firefox/133.0 Selenium/4.27.0",
    "curl": "curl/8.5.0",
    "wget": "Wget/1.21.4",
    "python-requests": "python-requests/2.32.3",
    "Go-http-client": "Go-http-client/2.0",
    "okhttp": "okhttp/4.12.0",
    "axios": "axios/1.7.9",
    "node-fetch": "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Java": "Java/17.0.13",
    "Java in a client's agent": "Apache-HttpClient/4.5.14 (Java/17.0.13)",
    "UptimeRobot": "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Pingdom": "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    "StatusCake": "Mozilla/5.0 Chrome/131.0.0.0 Safari/537.36 StatusCake",
    "Site24x7": "Site24x7",
    "Datadog Synthetics": "Mozilla/5.0 Chrome/131.0.0.0 Safari/537.36 DatadogSynthetics",
    "Better Uptime": "Better Uptime Bot Mozilla/5.0 Chrome/131.0.0.0 Safari/537.36",
    "New Relic Synthetics": "Mozilla/5.0 Chrome/131.0.0.0 Safari/537.36 NewRelicSynthetics/1.0",
}
# People's browsers, in-app browsers included, that no pattern may catch.
PEOPLE = (
    *vocab.USER_AGENTS,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/468.0.0.42.106;FBBV/627396467;FBDV/iPhone14,5]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone14,5; iOS 17_5; en_US)",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; CUBOT X30 Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) GSA/343.0.695551749 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
    "test-agent",
    "",
)


def seed_patterns() -> list[dict]:
    with SEED.open(newline="") as f:
        return list(csv.DictReader(f))


def seed_regex() -> re.Pattern:
    """The seed as macros/bots/is_bot_user_agent.sql joins it (Hyperscan there; these patterns
    mean the same in Python's re)."""
    return re.compile("|".join(f"(?:{r['pattern']})" for r in seed_patterns()), re.IGNORECASE)


def peak_events_per_minute(timestamps: list[dt.datetime]) -> int:
    """The most events within 60 seconds, both ends included (int_devices_bot_flagged)."""
    times = sorted(timestamps)
    best, start = 0, 0
    for end, at in enumerate(times):
        while times[start] < at - dt.timedelta(seconds=60):
            start += 1
        best = max(best, end - start + 1)
    return best


# --- the seed --------------------------------------------------------------------------------


def test_seed_patterns_are_unique_valid_and_categorised():
    rows = seed_patterns()
    patterns = [r["pattern"] for r in rows]
    assert len(patterns) == len(set(patterns))
    for pattern in patterns:
        re.compile(pattern)
    assert {r["category"] for r in rows} == {
        "search_crawler",
        "social_preview",
        "seo_crawler",
        "ai_crawler",
        "headless_browser",
        "http_library",
        "uptime_monitor",
        "generic",
    }


@pytest.mark.parametrize("name", sorted(KNOWN_BOTS))
def test_seed_knows_the_bot(name):
    assert seed_regex().search(KNOWN_BOTS[name]), name


@pytest.mark.parametrize("agent", PEOPLE)
def test_seed_leaves_browsers_alone(agent):
    assert not seed_regex().search(agent), agent


# --- the generator ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def traffic():
    return generate(days=30, visitors=4000, projects=3, seed=21)


def test_generated_bots_are_a_small_share_of_extra_devices(traffic):
    devices = {(v["project_id"], v["anonymous_id"]) for v in traffic.visits.to_pylist()}
    truth = {(b["project_id"], b["anonymous_id"]): b for b in traffic.bots.to_pylist()}
    assert len(devices) == 4000 and len(truth) == round(bots.BOT_SHARE * 4000)
    assert not devices & set(truth), "bot ids never collide with people's"
    kinds = collections.Counter(b["kind"] for b in truth.values())
    assert set(kinds) == set(bots.BOT_KINDS)

    rows = [r for r in traffic.events.to_pylist() if (r["project_id"], r["anonymous_id"]) in truth]
    per_bot = collections.Counter((r["project_id"], r["anonymous_id"]) for r in rows)
    assert {k: b["event_count"] for k, b in truth.items()} == dict(per_bot)
    assert 0.02 < len(rows) / traffic.events.num_rows < 0.15
    # bots do not log in or buy: no user, no $identify, no purchase, in no other truth table
    assert {r["event_name"] for r in rows} <= {"$pageview", "button_click"}
    assert all(r["user_id"] is None for r in rows)
    for name in ("conversions", "device_users"):
        table = traffic.truth_tables()[name].to_pylist()
        assert not {(r["project_id"], r["anonymous_id"]) for r in table} & set(truth), name


def test_generated_bot_user_agents_are_known_and_machine_like_bots_are_fast(traffic):
    known = seed_regex()
    truth = {(b["project_id"], b["anonymous_id"]): b for b in traffic.bots.to_pylist()}
    times = collections.defaultdict(list)
    agents = collections.defaultdict(set)
    for r in traffic.events.to_pylist():
        times[(r["project_id"], r["anonymous_id"])].append(r["timestamp"])
        agents[(r["project_id"], r["anonymous_id"])].add(r["user_agent"])
    for key, bot in truth.items():
        assert agents[key] == {bot["user_agent"]}
        if bot["kind"] == "machine_like":
            assert bot["user_agent"] in vocab.USER_AGENTS
            assert peak_events_per_minute(times[key]) > LIMIT + 5, "caught at any limit <= 65"
        else:
            assert known.search(bot["user_agent"]), bot
    people = [peak_events_per_minute(t) for key, t in times.items() if key not in truth]
    assert max(people) <= LIMIT // 4, "no person comes anywhere near the limit"
    people_agents = {a for key, of_device in agents.items() if key not in truth for a in of_device}
    assert not any(known.search(a) for a in people_agents)


def test_bots_do_not_move_a_single_human_event(traffic, monkeypatch):
    monkeypatch.setattr(bots, "BOT_SHARE", 0.0)
    people_only = generate(days=30, visitors=4000, projects=3, seed=21)
    assert people_only.bots.num_rows == 0
    keys = pc.is_in(
        traffic.events["anonymous_id"], value_set=traffic.bots["anonymous_id"].combine_chunks()
    )
    assert traffic.events.filter(pc.invert(keys)).equals(people_only.events)
    for name, table in people_only.truth_tables().items():
        if name != "bots":
            assert table.equals(traffic.truth_tables()[name]), name


# --- the warehouse ---------------------------------------------------------------------------

BOT_REASONS = ("bot_user_agent", "bot_event_rate")


@pytest.fixture(scope="module")
def built(module_warehouse):
    return module_warehouse(
        "bots", lambda: write_generated(days=30, visitors=4000, projects=3, seed=21)
    )


@pytest.mark.slow
def test_bot_devices_are_found_against_the_truth(built):
    """Precision and recall of the bot devices the warehouse finds (any event quarantined for a
    bot reason) against truth.bots, and the reason each kind of bot gets."""
    [(found, true, hits)] = built(
        f"""
        with
            found as (
                select distinct project_id, anonymous_id from analytics.int_events_quarantined
                where quarantine_reason in {BOT_REASONS}
            ),
            truth as (select project_id, anonymous_id from truth.bots)
        select
            (select count() from found),
            (select count() from truth),
            (select count() from found where (project_id, anonymous_id) in (select * from truth))
        """
    )
    precision, recall = hits / found, hits / true
    print(f"bot devices: {true} true, {found} found, precision {precision}, recall {recall}")
    assert true == 40 and precision == 1.0 and recall == 1.0

    reasons = built(
        """
        select b.kind, q.quarantine_reason, uniqExact(q.anonymous_id), count()
        from analytics.int_events_quarantined as q
        inner join truth.bots as b
            on q.project_id = b.project_id and q.anonymous_id = b.anonymous_id
        group by 1, 2 order by 1, 2
        """
    )
    kinds = {kind: reason for kind, reason, _devices, _events in reasons}
    assert kinds == {k: "bot_user_agent" for k in bots.BOT_KINDS} | {
        "machine_like": "bot_event_rate"
    }
    # every bot event is held back exactly once (the generator delivers bots' events once)
    [(bot_events,)] = built("select sum(event_count) from truth.bots")
    assert sum(events for *_, events in reasons) == bot_events
    assert built(
        "select count() from analytics.int_devices_bot_flagged "
        f"where is_bot != (peak_events_per_minute > {LIMIT})"
    ) == [(0,)]


@pytest.mark.slow
def test_bots_are_in_no_session_conversion_or_attribution(built):
    bot_devices = "(project_id, anonymous_id) in (select project_id, anonymous_id from truth.bots)"
    for table in (
        "analytics.int_events_sessionized",
        "analytics.int_events_identified",
        "analytics.int_sessions_aggregated",
        "analytics.int_sessions_classified",
        "marts.sessions",
        "marts.conversions",
        "marts.identity_stitch",
    ):
        assert built(f"select count() from {table} where {bot_devices}") == [(0,)], table
    # every credited session is a person's session
    assert built(
        """
        select count() from marts.attribution_credits
        where session_id is not null
            and (project_id, session_id) not in (select project_id, session_id from marts.sessions)
        """
    ) == [(0,)]
    # and the people's sessions are all there
    assert built("select count() from marts.sessions") == built("select count() from truth.visits")


# --- incremental builds ----------------------------------------------------------------------


def insert(events: list[Event], user_agent: str = BROWSER) -> None:
    """Append the events to raw.events with this user agent."""
    at = COLUMNS.index("user_agent")
    rows = []
    for e in events:
        row = e.row()
        row[at] = user_agent
        rows.append(row)
    with warehouse.connect() as client:
        tables.init(client)
        client.insert("raw.events", rows, column_names=COLUMNS)


def burst(project: str, device: str, at: dt.datetime, user: str | None, count: int) -> list[Event]:
    """`count` pageviews half a second apart."""
    return [
        Event(project, device, at + dt.timedelta(milliseconds=500 * i), user_id=user)
        for i in range(count)
    ]


def forget_user(project_id: str, user_id: str) -> None:
    with warehouse.connect() as client:
        request_forget(client, project_id, user_id=user_id)
        propagate_pending(client, purge_targets(load_manifest(settings.project_dir())))


@pytest.mark.slow
def test_a_device_flagged_by_its_newest_events_leaves_every_model(chdb_path, query):
    """`phone` browses, signs up and buys like a person; a later delivery brings a burst from the
    same device, logged in: the next incremental build drops its sessions and conversions and
    quarantines all of its events, old ones included. Forgetting the user then takes the burst
    away, and the device's anonymous visit is a person's visit again. After every step the
    incremental tables equal a full rebuild."""
    person = [
        Event("p1", "phone", T0, url="https://shop.example/?utm_source=news&utm_medium=email"),
        Event("p1", "phone", T0 + minutes(1)),
        Event("p1", "phone", T0 + dt.timedelta(hours=3)),
        Event("p1", "phone", T0 + dt.timedelta(hours=3, minutes=1), "$identify", "ann"),
        Event("p1", "phone", T0 + dt.timedelta(hours=3, minutes=2), "purchase", "ann",
              properties={"revenue": 20}),
        Event("p1", "laptop", T0, url="https://shop.example/?utm_source=news&utm_medium=email"),
        Event("p1", "laptop", T0 + minutes(2), "$identify", "bob"),
    ]  # fmt: skip
    insert(person)
    insert([Event("p1", "crawler", T0 + minutes(m)) for m in range(3)], "Googlebot/2.1")
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    assert query("select anonymous_id, count() from marts.sessions group by 1 order by 1") == [
        ("laptop", 1),
        ("phone", 2),
    ]
    assert query("select count() from marts.conversions where anonymous_id = 'phone'") == [(2,)]
    assert query(
        "select anonymous_id, quarantine_reason, count() from analytics.int_events_quarantined "
        "group by all"
    ) == [("crawler", "bot_user_agent", 3)]

    # exactly the limit in a minute is still a person; one more is not
    insert(burst("p1", "laptop", T0 + dt.timedelta(days=1), "bob", LIMIT))
    insert(burst("p1", "phone", T0 + dt.timedelta(days=1), "ann", LIMIT + 1))
    run_dbt(["run"], quiet=True)
    assert query("select anonymous_id, count() from marts.sessions group by 1 order by 1") == [
        ("laptop", 2)
    ]
    assert query("select count() from marts.conversions where anonymous_id = 'phone'") == [(0,)]
    assert query(
        "select anonymous_id, count() from analytics.int_events_quarantined "
        "where quarantine_reason = 'bot_event_rate' group by 1"
    ) == [("phone", len(person) - 2 + LIMIT + 1)]
    for table in ("int_events_sessionized", "int_events_identified", "int_sessions_classified"):
        assert query(f"select count() from analytics.{table} where anonymous_id = 'phone'") == [
            (0,)
        ], table
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())

    # the burst carried ann's id: forgetting her leaves the phone's anonymous visit, a person's
    forget_user("p1", "ann")
    run_dbt(["run"], quiet=True)
    assert query(
        "select anonymous_id, user_id, count() from marts.sessions group by 1, 2 order by 1"
    ) == [("laptop", "bob", 2), ("phone", None, 2)]
    assert query(
        "select count() from analytics.int_events_quarantined "
        "where quarantine_reason = 'bot_event_rate'"
    ) == [(0,)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


@pytest.mark.slow
def test_flagged_devices_and_their_later_events_stay_out(chdb_path, query):
    """A bot's later, slow events stay out too; a new device with a bot agent is quarantined
    on arrival; incremental equals a full rebuild."""
    insert(burst("p1", "scraper", T0, None, LIMIT + 1))
    insert([Event("p1", "human", T0)])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    assert query("select anonymous_id from marts.sessions") == [("human",)]

    insert([Event("p1", "scraper", T0 + dt.timedelta(days=2))])
    insert([Event("p1", "monitor", T0 + minutes(5 * m)) for m in range(4)], "UptimeRobot/2.0")
    run_dbt(["run"], quiet=True)
    assert query("select anonymous_id from marts.sessions") == [("human",)]
    assert query(
        "select anonymous_id, quarantine_reason, count() from analytics.int_events_quarantined "
        "group by all order by 1"
    ) == [("monitor", "bot_user_agent", 4), ("scraper", "bot_event_rate", LIMIT + 2)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_the_limit_here_is_the_projects_default():
    project = yaml.safe_load((SEED.parent.parent / "dbt_project.yml").read_text())
    assert project["vars"]["millimetric__bot_max_events_per_minute"] == LIMIT
    at = dt.datetime(2026, 1, 1)
    assert peak_events_per_minute([at, at + dt.timedelta(seconds=60)]) == 2
    assert peak_events_per_minute([at, at + dt.timedelta(seconds=60, milliseconds=1)]) == 1
