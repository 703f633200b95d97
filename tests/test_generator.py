"""The traffic generator: determinism, shares, and ground truth that matches the emitted events.

The truth is cross-checked against the events by re-deriving it here with the documented rules
(docs/generator.md), independently of how the generator built it.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from orchestration.generator import (
    MALFORMED_KINDS,
    Traffic,
    generate,
    write_ndjson,
    write_to_warehouse,
)
from orchestration.raw import tables
from orchestration.runtime import warehouse

SEARCH = {"google.com": "google", "bing.com": "bing", "duckduckgo.com": "duckduckgo"}
SOCIAL = {"facebook.com", "t.co", "linkedin.com", "reddit.com", "instagram.com"}
UTM_CHANNEL = {
    "paid_social": "Paid Social",
    "cpc": "Paid Search",
    "email": "Email",
    "affiliate": "Affiliates",
}
TIMEOUT = dt.timedelta(minutes=30)
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def traffic() -> Traffic:
    return generate(days=30, visitors=3000, projects=3, seed=11)


def people_rows(traffic) -> list[dict]:
    """The rows of traffic.events that are not bots' (truth.bots)."""
    bots = {(b["project_id"], b["anonymous_id"]) for b in traffic.bots.to_pylist()}
    return [
        r for r in traffic.events.to_pylist() if (r["project_id"], r["anonymous_id"]) not in bots
    ]


@pytest.fixture(scope="module")
def distinct(traffic) -> list[dict]:
    """People's events without redeliveries, in (project, device, time) order. Bots' events
    (truth.bots) are in no other truth table: see test_bot_truth_matches_the_bot_events."""
    seen, rows = set(), []
    for row in people_rows(traffic):
        if (row["project_id"], row["event_id"]) not in seen:
            seen.add((row["project_id"], row["event_id"]))
            rows.append(row)
    rows.sort(key=lambda r: (r["project_id"], r["anonymous_id"], r["timestamp"]))
    return rows


@pytest.fixture(scope="module")
def sessions(distinct) -> dict[tuple[str, str, int], list[dict]]:
    """The warehouse rule applied to the events: per device, a gap > 30 min starts a visit."""
    out: dict[tuple[str, str, int], list[dict]] = {}
    prev_device, prev_ts, number = None, None, 0
    for row in distinct:
        device = (row["project_id"], row["anonymous_id"])
        if device != prev_device:
            number = 1
        elif row["timestamp"] - prev_ts > TIMEOUT:
            number += 1
        out.setdefault((*device, number), []).append(row)
        prev_device, prev_ts = device, row["timestamp"]
    return out


def by_visit(traffic) -> dict[tuple[str, str, int], dict]:
    return {
        (v["project_id"], v["anonymous_id"], v["visit_number"]): v
        for v in traffic.visits.to_pylist()
    }


def attribute(url: str, referrer: str) -> tuple[str, str, str, str]:
    """source, medium, campaign, channel of a landing, by the documented precedence."""
    query = parse_qs(urlsplit(url).query)
    if "utm_source" in query:
        medium = query["utm_medium"][0]
        return query["utm_source"][0], medium, query["utm_campaign"][0], UTM_CHANNEL[medium]
    if "gclid" in query:
        return "google", "cpc", "", "Paid Search"
    ref_host = urlsplit(referrer).hostname if referrer else None
    if ref_host and ref_host != urlsplit(url).hostname:
        source = ref_host.removeprefix("www.")
        if source in SEARCH:
            return SEARCH[source], "organic", "", "Organic Search"
        return source, "referral", "", "Organic Social" if source in SOCIAL else "Referral"
    return "(direct)", "(none)", "", "Direct"


# Determinism and shape


def test_same_seed_gives_identical_traffic_and_another_seed_does_not():
    a = generate(days=10, visitors=800, projects=2, seed=5)
    b = generate(days=10, visitors=800, projects=2, seed=5)
    c = generate(days=10, visitors=800, projects=2, seed=6)
    assert a.events.equals(b.events)
    for name, table in a.truth_tables().items():
        assert table.equals(b.truth_tables()[name]), name
    assert not a.events.equals(c.events)
    assert a.start_date == dt.date(2026, 1, 1)


def test_events_have_the_raw_contract_columns(traffic, chdb_path):
    with warehouse.connect() as client:
        tables.init(client)
        described = client.query("DESCRIBE TABLE raw.events").result_rows
    # every column but what the warehouse stamps itself when it stores a row
    stored = [row[0] for row in described]
    stamped = [row[0] for row in described if "now64" in row[3]]
    assert stamped == ["inserted_at"]
    assert traffic.events.column_names == [c for c in stored if c not in stamped]
    rows = traffic.events.to_pylist()
    assert not any(r["is_anonymous_id_fabricated"] for r in rows)
    assert all(r["anonymous_id"] for r in rows)
    assert all(UUID_RE.match(r["event_id"]) for r in rows)
    assert all(isinstance(json.loads(r["properties"]), dict) for r in rows)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert all(start <= r["timestamp"] < start + dt.timedelta(days=30) for r in rows)
    received = [r["received_at"] for r in rows]
    assert received == sorted(received)


def test_roughly_ten_events_per_visitor():
    t = generate(days=30, visitors=5000, projects=3, seed=3)
    assert 6 <= t.events.num_rows / 5000 <= 14


# Delivery faults


def test_redeliveries_and_late_events_have_the_stated_shares(traffic, distinct):
    rows = people_rows(traffic)
    redeliveries = len(rows) - len(distinct)
    assert 0.005 <= redeliveries / len(distinct) <= 0.015

    copies = collections.defaultdict(list)
    for r in rows:
        copies[r["event_id"]].append(r)
    for group in copies.values():
        if len(group) > 1:
            first, again = sorted(group, key=lambda r: r["received_at"])
            assert {k: v for k, v in first.items() if k != "received_at"} == {
                k: v for k, v in again.items() if k != "received_at"
            }
            assert again["received_at"] > first["received_at"]

    lag = [min(r["received_at"] for r in g) - g[0]["timestamp"] for g in copies.values()]
    late = [x for x in lag if x > dt.timedelta(hours=1)]
    assert 0.01 <= len(late) / len(lag) <= 0.035
    assert max(late) <= dt.timedelta(days=5)
    on_time = [x for x in lag if x <= dt.timedelta(hours=1)]
    assert min(on_time) >= dt.timedelta(milliseconds=50)
    assert max(on_time) <= dt.timedelta(seconds=3)


# Visits


def test_resessionized_events_equal_truth_visits(traffic, sessions):
    truth = by_visit(traffic)
    assert sessions.keys() == truth.keys()
    for key, events in sessions.items():
        v = truth[key]
        assert v["started_at"] == events[0]["timestamp"]
        assert v["ended_at"] == events[-1]["timestamp"]
        assert v["event_count"] == len(events)
        assert v["pageview_count"] == sum(e["event_name"] == "$pageview" for e in events)


def test_pauses_inside_and_gaps_between_visits_keep_their_margins(sessions):
    pauses, gaps, last_end = [], [], {}
    for (project, aid, _n), events in sessions.items():
        if (project, aid) in last_end:
            gaps.append(events[0]["timestamp"] - last_end[(project, aid)])
        last_end[(project, aid)] = events[-1]["timestamp"]
        pauses += [
            b["timestamp"] - a["timestamp"] for a, b in zip(events, events[1:], strict=False)
        ]
    assert min(pauses) >= dt.timedelta(seconds=1)
    assert max(pauses) <= dt.timedelta(minutes=25)
    assert sum(p >= dt.timedelta(minutes=10) for p in pauses) / len(pauses) > 0.02
    assert min(gaps) >= dt.timedelta(minutes=35)


def test_landing_rules_reproduce_truth_attribution(traffic, sessions):
    truth = by_visit(traffic)
    hosts = {p["project_id"]: p["host"] for p in traffic.projects.to_pylist()}
    for key, events in sessions.items():
        first = events[0]
        assert first["event_name"] == "$pageview"
        assert first["url"].startswith(hosts[key[0]] + "/")
        v = truth[key]
        assert attribute(first["url"], first["referrer"]) == (
            v["source"],
            v["medium"],
            v["campaign"],
            v["channel"],
        ), (first["url"], first["referrer"])
        for e in events[1:]:
            assert e["referrer"].startswith(hosts[key[0]] + "/")


def test_every_kind_of_landing_occurs(traffic, sessions):
    channels = collections.Counter(traffic.visits.column("channel").to_pylist())
    assert set(channels) == {
        "Paid Social",
        "Paid Search",
        "Email",
        "Affiliates",
        "Organic Search",
        "Organic Social",
        "Referral",
        "Direct",
    }
    sources = set(traffic.visits.column("source").to_pylist())
    assert {"facebook", "google", "newsletter", "linkedin", "bing", "partner", "tiktok"} <= sources
    assert set(SEARCH.values()) | SOCIAL <= sources
    firsts = [events[0] for events in sessions.values()]
    assert any("gclid=" in e["url"] and "utm_source" not in e["url"] for e in firsts)
    assert any("utm_content=" in e["url"] for e in firsts)
    assert any("utm_term=" in e["url"] for e in firsts)
    own = [
        e
        for e in firsts
        if e["referrer"] and urlsplit(e["referrer"]).hostname == urlsplit(e["url"]).hostname
    ]
    assert own, "some visits start with an own-domain referrer"


# Identities


def test_device_users_match_the_user_ids_on_events(traffic, distinct):
    firsts: dict[tuple[str, str, str], dict] = {}
    for e in distinct:
        if e["user_id"] is not None:
            firsts.setdefault((e["project_id"], e["anonymous_id"], e["user_id"]), e)
    assert all(e["event_name"] == "$identify" for e in firsts.values())
    rows = traffic.device_users.to_pylist()
    assert {(r["project_id"], r["anonymous_id"], r["user_id"]): r["valid_from"] for r in rows} == {
        k: e["timestamp"] for k, e in firsts.items()
    }
    per_device = collections.defaultdict(list)
    for r in rows:
        per_device[(r["project_id"], r["anonymous_id"])].append(r)
    for device_rows in per_device.values():
        device_rows.sort(key=lambda r: r["valid_from"])
        for a, b in zip(device_rows, device_rows[1:], strict=False):
            assert a["valid_to"] == b["valid_from"]
        assert device_rows[-1]["valid_to"] is None


def test_visit_users_follow_the_stitch_rules(traffic, sessions):
    first_identify: dict[tuple[str, str], str] = {}
    for (project, aid, _n), events in sessions.items():
        for e in events:
            if e["event_name"] == "$identify":
                first_identify.setdefault((project, aid), e["user_id"])
    truth = by_visit(traffic)
    for key, events in sessions.items():
        expected = events[-1]["user_id"] or first_identify.get(key[:2])
        assert truth[key]["user_id"] == expected, key
    for events in sessions.values():
        for e in events:
            if e["event_name"] == "purchase":
                assert e["user_id"] is not None


def test_the_world_has_every_identity_case(traffic, sessions):
    rows = traffic.device_users.to_pylist()
    devices_of = collections.defaultdict(set)
    users_on = collections.defaultdict(list)
    for r in rows:
        devices_of[(r["project_id"], r["user_id"])].add(r["anonymous_id"])
        users_on[(r["project_id"], r["anonymous_id"])].append(r)
    assert sum(len(d) >= 2 for d in devices_of.values()) >= 10, "multi-device users"
    second_users = [
        sorted(us, key=lambda r: r["valid_from"])[1] for us in users_on.values() if len(us) > 1
    ]
    shared = [r for r in second_users if len(devices_of[(r["project_id"], r["user_id"])]) > 1]
    switched = [r for r in second_users if len(devices_of[(r["project_id"], r["user_id"])]) == 1]
    assert len(shared) >= 3, "shared devices (the second user also has own devices)"
    assert len(switched) >= 3, "account switches (a second account seen only there)"
    # The second user's first visit on the device starts under the previous user's id.
    starts = {}
    for (project, aid, _n), events in sessions.items():
        for e in events:
            if e["event_name"] == "$identify":
                starts.setdefault((project, aid, e["user_id"]), events[0]["user_id"])
    for r in second_users:
        previous = starts[(r["project_id"], r["anonymous_id"], r["user_id"])]
        assert previous is not None and previous != r["user_id"]

    devices = {(v["project_id"], v["anonymous_id"]) for v in traffic.visits.to_pylist()}
    anonymous_only = devices - set(users_on)
    assert len(anonymous_only) > 100, "devices that never identify"


def test_ids_collide_across_projects(traffic):
    projects_of_aid = collections.defaultdict(set)
    for v in traffic.visits.to_pylist():
        projects_of_aid[v["anonymous_id"]].add(v["project_id"])
    assert sum(len(p) > 1 for p in projects_of_aid.values()) > 100
    projects_of_user = collections.defaultdict(set)
    for u in traffic.users.to_pylist():
        projects_of_user[u["user_id"]].add(u["project_id"])
    assert sum(len(p) > 1 for p in projects_of_user.values()) > 10
    emails = traffic.users.column("email").to_pylist()
    assert len(set(emails)) == len(emails)


# Conversions


def test_signups_are_each_users_first_identify(traffic, distinct):
    first: dict[tuple[str, str], dict] = {}
    for e in sorted(distinct, key=lambda e: (e["timestamp"], e["event_id"])):
        if e["event_name"] == "$identify":
            first.setdefault((e["project_id"], e["user_id"]), e)
    signups = [c for c in traffic.conversions.to_pylist() if c["conversion_name"] == "signup"]
    assert {(c["project_id"], c["user_id"]): c["event_id"] for c in signups} == {
        k: e["event_id"] for k, e in first.items()
    }
    users = {(u["project_id"], u["user_id"]): u for u in traffic.users.to_pylist()}
    assert users.keys() == first.keys()
    for key, e in first.items():
        traits = json.loads(e["properties"])
        assert set(traits) == {"email", "plan", "tier", "team_size"}
        assert users[key]["email"] == traits["email"]
        assert users[key]["signed_up_at"] == e["timestamp"]
    assert sum(u["device_count"] >= 2 for u in users.values()) >= 10


def test_purchases_match_their_events(traffic, distinct):
    events = {
        (e["project_id"], e["event_id"]): e for e in distinct if e["event_name"] == "purchase"
    }
    purchases = [c for c in traffic.conversions.to_pylist() if c["conversion_name"] == "purchase"]
    assert len(purchases) == len(events) > 50
    for c in purchases:
        e = events[(c["project_id"], c["event_id"])]
        props = json.loads(e["properties"])
        assert c["revenue"] == props["revenue"] == round(props["revenue"], 2)
        assert c["currency"] == props["currency"]
        assert c["user_id"] == e["user_id"] is not None
        assert c["converted_at"] == e["timestamp"]


def test_conversion_touches_follow_the_attribution_window(traffic, sessions):
    visits = by_visit(traffic)
    by_user = collections.defaultdict(list)
    for v in visits.values():
        if v["user_id"] is not None:
            by_user[(v["project_id"], v["user_id"])].append(v)
    for c in traffic.conversions.to_pylist():
        key = (c["project_id"], c["anonymous_id"], c["visit_number"])
        assert any(e["event_id"] == c["event_id"] for e in sessions[key])
        converting = visits[key]
        assert converting["user_id"] == c["user_id"]
        touches = [
            v
            for v in by_user[(c["project_id"], c["user_id"])]
            if c["converted_at"] - dt.timedelta(days=30)
            <= v["started_at"]
            <= converting["started_at"]
        ]
        first = min(touches, key=lambda v: (v["started_at"], v["anonymous_id"], v["visit_number"]))
        assert c["first_touch_channel"] == first["channel"]
        assert (c["first_touch_anonymous_id"], c["first_touch_visit_number"]) == (
            first["anonymous_id"],
            first["visit_number"],
        )
        assert c["last_touch_channel"] == converting["channel"]
    assert any(
        c["first_touch_channel"] != c["last_touch_channel"] for c in traffic.conversions.to_pylist()
    )


# Bots


def test_bot_truth_matches_the_bot_events(traffic, distinct):
    """Every device without a visit is a bot of truth.bots, with its events' count, span and
    user agent; bots never log in or buy, and a share of them are machine-like."""
    people = {(e["project_id"], e["anonymous_id"]) for e in distinct}
    derived: dict[tuple[str, str], dict] = {}
    for e in traffic.events.to_pylist():
        key = (e["project_id"], e["anonymous_id"])
        if key in people:
            continue
        bot = derived.setdefault(key, {"events": [], "agents": set()})
        bot["events"].append(e)
        bot["agents"].add(e["user_agent"])
    truth = {(b["project_id"], b["anonymous_id"]): b for b in traffic.bots.to_pylist()}
    assert derived.keys() == truth.keys()
    assert len(truth) == round(0.01 * len(people))
    for key, bot in derived.items():
        t = truth[key]
        times = [e["timestamp"] for e in bot["events"]]
        assert (t["event_count"], t["first_event_at"], t["last_event_at"]) == (
            len(times),
            min(times),
            max(times),
        )
        assert bot["agents"] == {t["user_agent"]}
        assert all(e["user_id"] is None for e in bot["events"])
        assert {e["event_name"] for e in bot["events"]} <= {"$pageview", "button_click"}
    assert sum(t["kind"] == "machine_like" for t in truth.values()) >= 3


# Sinks


def test_write_to_warehouse_appends_events_and_replaces_truth(traffic, chdb_path):
    with warehouse.connect() as client:
        summary = write_to_warehouse(client, traffic)
        again = write_to_warehouse(client, traffic)
        count = client.query("SELECT count() FROM raw.events").result_rows[0][0]
        truth_counts = {
            name: client.query(f"SELECT count() FROM truth.{name}").result_rows[0][0]
            for name in traffic.truth_tables()
        }
        # Sessionize in SQL on the loaded rows and compare with truth.visits.
        mismatches = client.query(
            """
            WITH dedup AS (
                SELECT project_id, anonymous_id, event_id, any(timestamp) AS ts
                FROM raw.events
                WHERE (project_id, anonymous_id) NOT IN (
                    SELECT project_id, anonymous_id FROM truth.bots)
                GROUP BY project_id, anonymous_id, event_id
            ),
            lagged AS (
                SELECT *, lagInFrame(ts, 1, toDateTime64(0, 3, 'UTC')) OVER (
                    PARTITION BY project_id, anonymous_id ORDER BY ts
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS prev_ts
                FROM dedup
            ),
            marked AS (
                SELECT *, toUInt32(dateDiff('millisecond', prev_ts, ts) > 30 * 60 * 1000)
                    AS new_visit
                FROM lagged
            ),
            numbered AS (
                SELECT *, sum(new_visit) OVER (PARTITION BY project_id, anonymous_id ORDER BY ts
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS visit_number
                FROM marked
            ),
            visits AS (
                SELECT project_id, anonymous_id, toUInt32(visit_number) AS visit_number,
                       min(ts) AS started_at, max(ts) AS ended_at, toUInt32(count()) AS event_count
                FROM numbered GROUP BY ALL
            )
            SELECT count() FROM visits v
            FULL OUTER JOIN truth.visits t USING (project_id, anonymous_id, visit_number)
            WHERE v.started_at != t.started_at OR v.ended_at != t.ended_at
               OR v.event_count != t.event_count
            """
        ).result_rows[0][0]
    assert summary == again
    assert summary["events"] == traffic.events.num_rows
    assert count == 2 * traffic.events.num_rows
    assert truth_counts == {name: t.num_rows for name, t in traffic.truth_tables().items()}
    assert mismatches == 0


def classify(line: str) -> str | None:
    """Which malformed kind a line is, None for a valid event line."""
    if len(line.encode()) > 10_000 and '"url":"' in line:
        data = json.loads(line)
        if len(data["url"].encode()) > 16 * 1024:
            return "oversized_field"
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return "unparseable_json"
    if "timestamp" not in data:
        return "missing_timestamp"
    try:
        dt.datetime.strptime(data["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return "invalid_timestamp"
    if not data.get("anonymous_id") and not data.get("user_id"):
        return "missing_identity"
    props = data["properties"]
    if isinstance(props, str):
        try:
            props = json.loads(props)
        except json.JSONDecodeError:
            pass
    if not isinstance(props, dict):
        return "properties_not_object"
    return None


def test_write_ndjson_writes_every_event_and_the_malformed_lines(traffic, tmp_path):
    summary = write_ndjson(traffic, tmp_path / "inbox", seed=4, malformed_share=0.01)
    files = sorted((tmp_path / "inbox").glob("*.ndjson"))
    assert [str(f) for f in files] == summary["paths"] and len(files) == summary["files"]
    lines = [line for f in files for line in f.read_text().splitlines()]
    assert len(lines) == summary["lines"] == summary["events"] + summary["malformed"]
    assert summary["malformed"] == round(0.01 * traffic.events.num_rows)

    kinds = collections.Counter()
    valid = []
    for line in lines:
        kind = classify(line)
        if kind is None:
            valid.append(json.loads(line))
        else:
            kinds[kind] += 1
    assert dict(kinds) == {k: n for k, n in summary["malformed_by_kind"].items() if n}
    assert set(kinds) == set(MALFORMED_KINDS)

    def iso(ts: dt.datetime) -> str:
        return ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    expected = []
    for r in traffic.events.to_pylist():
        del r["is_anonymous_id_fabricated"]
        r["timestamp"], r["received_at"] = iso(r["timestamp"]), iso(r["received_at"])
        r["properties"] = json.loads(r["properties"])
        expected.append(r)
    assert valid == expected  # same rows, same (received_at) order

    # Deterministic for a seed.
    again = write_ndjson(traffic, tmp_path / "again", seed=4, malformed_share=0.01)
    assert [open(p, "rb").read() for p in again["paths"]] == [f.read_bytes() for f in files]
