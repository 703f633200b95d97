"""Incremental builds fed random delivery batches equal a full rebuild, row for row."""

from __future__ import annotations

import datetime as dt
import os
import random

import pytest

from orchestration import settings
from orchestration.forget import propagate_pending, request_forget
from orchestration.forget.targets import (
    INCREMENTAL_MATERIALIZATIONS,
    load_manifest,
    purge_targets,
)
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from tests.eventkit import T0, Event, insert_events, minutes
from tests.snapshots import assert_same_tables, snapshot

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

URLS = [
    ("https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring", ""),
    ("https://shop.example/?gclid=abc123", ""),
    ("https://shop.example/pricing", "https://www.google.com/"),
    ("https://shop.example/blog", "https://news.example.org/post"),
    ("https://shop.example/docs", "https://shop.example/"),
    ("https://shop.example/", ""),
]


def random_events(rng: random.Random, devices: int = 14) -> list[Event]:
    """Devices with sessions, logins, account switches, purchases, late and repeated deliveries.
    Device ids collide across projects on purpose."""
    events: list[Event] = []
    for device in range(devices):
        project = rng.choice(["p1", "p2"])
        anonymous_id = f"device-{device % 7}"
        at = T0 + dt.timedelta(days=rng.uniform(0, 25))
        user = None
        for _ in range(rng.randint(1, 30)):
            at += rng.choice(
                [
                    dt.timedelta(seconds=rng.uniform(1, 900)),
                    minutes(30),  # exactly the timeout: same session
                    minutes(30) + dt.timedelta(milliseconds=1),
                    minutes(rng.uniform(31, 2000)),
                    dt.timedelta(days=rng.uniform(1, 12)),
                ]
            )
            roll = rng.random()
            url, referrer = rng.choice(URLS)
            if roll < 0.12:
                user = rng.choice(["u1", "u2", "u3", "u4"])
                event = Event(
                    project,
                    anonymous_id,
                    at,
                    "$identify",
                    user,
                    url,
                    referrer,
                    {"email": f"{user}@example.com", "plan": "pro"},
                )
            elif roll < 0.2 and user:
                event = Event(
                    project,
                    anonymous_id,
                    at,
                    "purchase",
                    user,
                    url,
                    referrer,
                    {"revenue": round(rng.uniform(5, 200), 2), "currency": "EUR"},
                )
            else:
                event = Event(project, anonymous_id, at, "$pageview", user, url, referrer)
            if rng.random() < 0.15:  # late: stored hours to days after it happened
                event.received_at = at + dt.timedelta(hours=rng.uniform(2, 120))
            events.append(event)
            if rng.random() < 0.08:  # redelivery: same event, stored again later
                copy = Event(**{**event.__dict__})
                copy.received_at = (event.received_at or at) + dt.timedelta(
                    hours=rng.uniform(0, 30)
                )
                events.append(copy)
    return events


def marathon_device(rng: random.Random, project: str) -> list[Event]:
    """An always-on device: an event every 5 to 25 minutes for 20 to 60 hours, so its sessions
    hit the maximum session length inside the inactivity timeout."""
    at = T0 + dt.timedelta(days=rng.uniform(0, 20))
    end = at + dt.timedelta(hours=rng.uniform(20, 60))
    events = []
    while at < end:
        events.append(Event(project, "kiosk", at))
        at += minutes(rng.uniform(5, 25))
    return events


def delivery_order(rng: random.Random, events: list[Event]) -> list[list[Event]]:
    """The events in 2 to 5 deliveries, mostly in received_at order; sometimes the last one is
    an old export: rows whose timestamp and received_at are older than rows already built."""
    ordered = sorted(events, key=lambda e: e.received_at or e.at + dt.timedelta(milliseconds=300))
    count = rng.randint(2, 5)
    if rng.random() < 0.5:
        export = set(rng.sample(range(len(ordered) // 2), len(ordered) // 8))
        backfill = [e for i, e in enumerate(ordered) if i in export]
        ordered = [e for i, e in enumerate(ordered) if i not in export] + backfill
    cuts = sorted(rng.sample(range(1, len(ordered)), count - 1))
    return [ordered[a:b] for a, b in zip([0, *cuts], [*cuts, len(ordered)], strict=True)]


def orders_in_one_warehouse(
    seeds: range,
) -> tuple[list[list[Event]], list[tuple[int, str, dict[str, str]]]]:
    """Many independent delivery orders at once: each order's events live in projects of its
    own, and nothing joins across projects, so one sequence of builds checks every order. Build
    step i delivers every order's i-th batch. Returns the steps and, per order, sometimes a
    (step, project, person or device) to forget before that step's build."""
    steps: list[list[Event]] = []
    forgets: list[tuple[int, str, dict[str, str]]] = []
    for seed in seeds:
        rng = random.Random(seed)
        events = random_events(rng)
        if rng.random() < 0.5:
            events += marathon_device(rng, "p1")
        for event in events:
            event.project_id = f"o{seed}-{event.project_id}"
        batches = delivery_order(rng, events)
        for i, batch in enumerate(batches):
            if len(steps) <= i:
                steps.append([])
            steps[i].extend(batch)
        users = sorted({(e.project_id, e.user_id) for e in events if e.user_id})
        if users and rng.random() < 0.3:
            # a person, or one of their devices: the person keeps their other devices
            project, user = rng.choice(users)
            devices = sorted({e.anonymous_id for e in events if e.user_id == user})
            key = {"user_id": user} if rng.random() < 0.5 else {"anonymous_id": devices[0]}
            forgets.append((rng.randint(1, len(batches) - 1), project, key))
    return steps, forgets


def forget_now(keys: list[tuple[str, dict[str, str]]]) -> None:
    """Request and propagate forgets the way the forget job does, between two builds."""
    if not keys:
        return
    with warehouse.connect() as client:
        for project_id, key in keys:
            request_forget(client, project_id, **key)
        propagate_pending(client, purge_targets(load_manifest(settings.project_dir())))


def assert_orders_equal_full_rebuild(seeds: range) -> None:
    steps, forgets = orders_in_one_warehouse(seeds)
    run_dbt(["seed"], quiet=True)
    for step, batch in enumerate(steps):
        forget_now([(project, key) for at, project, key in forgets if at == step])
        insert_events(batch)
        run_dbt(["run"], quiet=True)
    incremental = snapshot()

    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())
    assert len(incremental["marts.sessions"]) > 10 * len(seeds)


def test_twenty_delivery_orders_equal_a_full_rebuild(chdb_path):
    assert_orders_equal_full_rebuild(range(20))


@pytest.mark.soak
def test_soak_delivery_orders_equal_a_full_rebuild(chdb_path, request):
    # a soak is chosen explicitly: `-m 'not slow'` must not start one
    if "soak" not in request.config.option.markexpr:
        pytest.skip("soak: run with -m soak (MILLIMETRIC_PROPERTY_ORDERS orders, default 200)")
    first = int(os.environ.get("MILLIMETRIC_PROPERTY_SEED", "1000"))
    orders = int(os.environ.get("MILLIMETRIC_PROPERTY_ORDERS", "200"))
    assert_orders_equal_full_rebuild(range(first, first + orders))


def test_an_old_export_loaded_after_newer_data_reaches_every_mart(chdb_path, query):
    """Weeks-old events (old timestamp and received_at), for a new and an existing device, are
    stored after newer data was built: the next incremental build takes them in."""
    insert_events([Event("p1", "phone", T0 + dt.timedelta(days=20))])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)

    old = T0 - dt.timedelta(days=10)
    export = [
        Event("p1", "phone", old, received_at=old + minutes(1)),
        Event("p1", "tablet", old, received_at=old + minutes(1)),
        Event("p1", "tablet", old + minutes(5), "$identify", "ada", received_at=old + minutes(6)),
        Event(
            "p1",
            "tablet",
            old + minutes(9),
            "purchase",
            "ada",
            properties={"revenue": 9},
            received_at=old + minutes(10),
        ),
    ]
    insert_events(export)
    run_dbt(["run"], quiet=True)
    assert query("select anonymous_id, count() from marts.sessions group by 1 order by 1") == [
        ("phone", 2),
        ("tablet", 1),
    ]
    assert query("select user_id from marts.users") == [("ada",)]
    assert query("select conversion_name from marts.conversions order by 1") == [
        ("purchase",),
        ("signup",),
    ]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_late_identify_rewrites_weeks_of_anonymous_sessions(chdb_path, query):
    """A device browses anonymously for weeks; its $identify arrives in a later batch."""
    history = [Event("p1", "laptop", T0 + dt.timedelta(days=d)) for d in range(0, 21, 3)]
    insert_events(history)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    assert query("select countIf(user_id is null), count() from marts.sessions") == [(7, 7)]

    insert_events([Event("p1", "laptop", T0 + dt.timedelta(days=22), "$identify", "ada")])
    run_dbt(["run"], quiet=True)
    assert query("select user_id, count() from marts.sessions group by 1") == [("ada", 8)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


PER_DEVICE_TABLES = {
    "analytics.int_events_sessionized": "session_started_at",
    "analytics.int_events_identified": "session_started_at",
    "analytics.int_sessions_aggregated": "started_at",
    "analytics.int_sessions_classified": "started_at",
    "marts.sessions": "started_at",
}


def rewritten_sessions(query, table: str) -> list[tuple]:
    """(session start, whether the last build wrote it) per session of the table. Every row a
    per-device model writes carries the newest built_at its build read."""
    start = PER_DEVICE_TABLES[table]
    return query(
        f"select {start}, max(built_at) = (select max(built_at) from {table})"
        f" from {table} group by {start} order by {start}"
    )


def test_a_new_event_rewrites_only_the_session_it_joins(chdb_path, query):
    """A device with three stored sessions sends one more event, inside its latest session:
    the two earlier sessions are neither re-sessionized nor rewritten, in any device-grain
    table, and the result equals a full rebuild."""
    days = [T0, T0 + dt.timedelta(days=3), T0 + dt.timedelta(days=6)]
    insert_events([Event("p1", "laptop", day + minutes(m)) for day in days for m in (0, 10)])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)

    insert_events([Event("p1", "laptop", days[2] + minutes(20))])
    run_dbt(["run"], quiet=True)
    for table in PER_DEVICE_TABLES:
        assert rewritten_sessions(query, table) == [
            (days[0], False),
            (days[1], False),
            (days[2], True),
        ], table
    assert query("select event_count from marts.sessions order by started_at") == [(2,), (2,), (3,)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_a_first_identify_restitches_without_resessionizing(chdb_path, query):
    """A device's first $identify credits its anonymous history to the person: the sessions'
    user changes, so the identity and session tables rewrite them, but their events are not
    sessionized again. A later switch to another account on the same device rewrites only
    from the switch on."""
    days = [T0, T0 + dt.timedelta(days=3), T0 + dt.timedelta(days=6)]
    insert_events([Event("p1", "laptop", day) for day in days])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)

    insert_events([Event("p1", "laptop", days[2] + minutes(5), "$identify", "ada")])
    run_dbt(["run"], quiet=True)
    assert rewritten_sessions(query, "analytics.int_events_sessionized") == [
        (days[0], False),
        (days[1], False),
        (days[2], True),
    ]
    for table in list(PER_DEVICE_TABLES)[1:]:
        assert rewritten_sessions(query, table) == [(day, True) for day in days], table
    assert query("select user_id from marts.sessions order by started_at") == [("ada",)] * 3

    switch = T0 + dt.timedelta(days=8)
    insert_events([Event("p1", "laptop", switch, "$identify", "bob")])
    run_dbt(["run"], quiet=True)
    for table in PER_DEVICE_TABLES:
        assert rewritten_sessions(query, table) == [
            *[(day, False) for day in days],
            (switch, True),
        ], table
    assert query("select user_id from marts.sessions order by started_at") == [
        ("ada",),
        ("ada",),
        ("ada",),
        ("bob",),
    ]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


# a metric of each daily rollup, overwritten in place to see which days a build rewrites
ROLLUP_METRICS = {
    "marts.web_daily": ("session_date", "pageview_count"),
    "marts.attribution_daily": ("conversion_date", "conversions"),
    "marts.attribution_roas": ("activity_date", "conversions"),
}


def mark_every_rollup_row() -> None:
    with warehouse.connect() as client:
        for table, (_, metric) in ROLLUP_METRICS.items():
            client.command(
                f"alter table {table} update {metric} = 999 where true",
                settings={"mutations_sync": 2},
            )


def rewritten_days(query, table: str) -> list[tuple]:
    """(day, whether the last build rewrote it) per day of the rollup, after the marks"""
    day, metric = ROLLUP_METRICS[table]
    return query(f"select {day}, max({metric} != 999) from {table} group by {day} order by {day}")


def test_the_daily_rollups_replace_only_the_days_that_changed(chdb_path, query):
    """A new event in a stored session rewrites that session's day of web_daily and nothing of
    the attribution rollups; a new session of a person after her conversion rewrites its own
    day, not the conversion's, and not her credits (the conversion is before the change); a
    forget that empties a day removes it; a changed setting rewrites every day. Each state
    equals a full rebuild."""
    days = [T0 + dt.timedelta(days=d) for d in (0, 2, 4)]
    history = [Event("p1", "laptop", day + minutes(m)) for day in days for m in (0, 10)]
    purchase = {"revenue": 20, "currency": "USD"}
    history += [
        Event("p1", "phone", days[0] + minutes(1), url=URLS[1][0]),
        Event("p1", "phone", days[0] + minutes(2), "$identify", "ada"),
        Event("p1", "phone", days[0] + minutes(3), "purchase", "ada", properties=purchase),
        Event("p1", "tablet", T0 + dt.timedelta(days=6)),
    ]
    insert_events(history)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    mark_every_rollup_row()

    dates = [day.date() for day in days]
    tablet_day = (T0 + dt.timedelta(days=6)).date()

    def assert_rewritten(web_daily_days: set[dt.date]) -> None:
        """web_daily rewrote exactly these days, the attribution rollups none (the purchase's)"""
        assert rewritten_days(query, "marts.web_daily") == [
            (day, day in web_daily_days) for day in [*dates, tablet_day]
        ]
        for table in ("marts.attribution_daily", "marts.attribution_roas"):
            assert rewritten_days(query, table) == [(dates[0], False)], table

    insert_events([Event("p1", "laptop", days[2] + minutes(20))])
    run_dbt(["run"], quiet=True)
    assert_rewritten({dates[2]})

    # Ada's purchase is before her new session: its credits keep their rows and stamp
    credits_stamp = "select max(built_at) from marts.attribution_credits"
    stamped_before = query(credits_stamp)
    insert_events([Event("p1", "phone", days[1] + minutes(30))])
    run_dbt(["run"], quiet=True)
    assert query(credits_stamp) == stamped_before
    assert_rewritten({dates[1], dates[2]})

    forget_now([("p1", {"anonymous_id": "tablet"})])
    run_dbt(["run"], quiet=True)
    assert [day for day, _ in rewritten_days(query, "marts.web_daily")] == dates

    roas_counts_signups = '{"millimetric__roas_conversion_names": [purchase, signup]}'
    run_dbt(["run", "--vars", roas_counts_signups], quiet=True)
    # a changed setting rebuilds each incremental model in full: no marked day is left
    for table in ROLLUP_METRICS:
        assert all(rewritten for _, rewritten in rewritten_days(query, table)), table
    assert query("select sum(conversions) from marts.attribution_roas") == [(12,)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh", "--vars", roas_counts_signups], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_late_event_bridges_two_sessions(chdb_path, query):
    """Two sessions 50 minutes apart become one when a late event lands between them."""
    insert_events([Event("p1", "phone", T0), Event("p1", "phone", T0 + minutes(50))])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    assert query("select count() from marts.sessions") == [(2,)]

    late = Event("p1", "phone", T0 + minutes(25), received_at=T0 + dt.timedelta(days=2))
    insert_events([late])
    run_dbt(["run"], quiet=True)
    assert query("select count(), sum(event_count) from marts.sessions") == [(1, 3)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_a_device_identified_after_a_purchase_gives_its_earlier_session_to_it(chdb_path, query):
    """Ada's phone visits from an ad in the morning, anonymous; in the evening she buys on her
    laptop. The next day the phone identifies as Ada: its morning session is hers from then on
    (pre-login stitch), inside the purchase's lookback, so the laptop's purchase, which nothing
    new touched, is credited to both sessions."""
    purchase = {"revenue": 20, "currency": "USD"}
    insert_events(
        [
            Event("p1", "phone", T0, url=URLS[2][0]),
            Event("p1", "laptop", T0 + dt.timedelta(hours=10), url=URLS[1][0]),
            Event("p1", "laptop", T0 + dt.timedelta(hours=10, minutes=1), "$identify", "ada"),
            Event(
                "p1",
                "laptop",
                T0 + dt.timedelta(hours=10, minutes=2),
                "purchase",
                "ada",
                properties=purchase,
            ),
        ]
    )
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    credited = (
        "select anonymous_id_of_touch, credit from ("
        " select credits.credit as credit, sessions.anonymous_id as anonymous_id_of_touch"
        " from marts.attribution_credits as credits"
        " inner join marts.sessions as sessions on credits.session_id = sessions.session_id"
        " where credits.model = 'linear' and credits.conversion_name = 'purchase')"
        " order by 1"
    )
    assert [device for device, _ in query(credited)] == ["laptop"]

    insert_events([Event("p1", "phone", T0 + dt.timedelta(days=1), "$identify", "ada")])
    run_dbt(["run"], quiet=True)
    assert [(device, float(credit)) for device, credit in query(credited)] == [
        ("laptop", 0.5),
        ("phone", 0.5),
    ]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_a_person_not_reached_keeps_her_signup_when_her_shared_device_is_read(chdb_path, query):
    """Una signs up on her laptop and later logs in on the kiosk; Ute then switches the kiosk to
    her account, and uses her phone. A late visit on Ute's phone reaches Ute, so all Ute's
    devices are read, the kiosk included; Una's login there is not her signup (her laptop's,
    not read, is), and Una was not reached: her conversions stay as they are."""
    day = dt.timedelta(days=1)
    insert_events(
        [
            Event("p1", "laptop", T0, "$identify", "una"),
            Event("p1", "kiosk", T0 + 4 * day, "$identify", "una"),
            Event("p1", "kiosk", T0 + 6 * day, "$identify", "ute"),
            Event("p1", "phone", T0 + 8 * day, url=URLS[0][0]),
            Event("p1", "phone", T0 + 8 * day + minutes(1), "$identify", "ute"),
        ]
    )
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    signups = (
        "select user_id, anonymous_id from marts.conversions where conversion_name = 'signup' "
        "order by 1"
    )
    assert query(signups) == [("una", "laptop"), ("ute", "kiosk")]

    insert_events([Event("p1", "phone", T0 + 3 * day, received_at=T0 + 9 * day)])
    run_dbt(["run"], quiet=True)
    assert query(signups) == [("una", "laptop"), ("ute", "kiosk")]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_a_signup_moving_to_another_device_updates_the_unchanged_device(chdb_path, query):
    """A user's first identify, hence the signup, is on the laptop until an older identify from
    the phone is stored: the laptop's session loses its conversion, and the engagement that came
    with it, though the laptop sent nothing new."""
    insert_events([Event("p1", "laptop", T0 + dt.timedelta(days=1), "$identify", "ada")])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    engagement = "select anonymous_id, has_conversion, is_engaged from marts.sessions order by 1"
    assert query(engagement) == [("laptop", 1, 1)]

    insert_events([Event("p1", "phone", T0, "$identify", "ada", received_at=T0 + minutes(1))])
    run_dbt(["run"], quiet=True)
    assert query(engagement) == [("laptop", 0, 0), ("phone", 1, 1)]
    incremental = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


def test_a_sessions_mart_from_an_older_release_asks_for_a_full_refresh(chdb_path):
    """The incremental sessions mart reads has_conversion back; a table built before that
    column existed stops the build with what to do, not with the engine's unknown identifier."""
    insert_events([Event("p1", "laptop", T0)])
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    with warehouse.connect() as client:
        client.command("alter table marts.sessions drop column has_conversion")

    failed = run_dbt(["run", "--select", "sessions"], check=False, quiet=True)
    assert failed.returncode == 1
    assert "lacks has_conversion" in failed.stdout
    assert "millimetric build --full-refresh" in failed.stdout
    run_dbt(["run", "--select", "sessions", "--full-refresh"], quiet=True)


def test_append_models_from_an_older_release_ask_for_a_full_refresh(chdb_path, query):
    """dbt-clickhouse compares the stored columns only of models with a unique key. An append
    model (per device, per day) whose table lacks a column the model now builds stops with
    what to do before its pre-hook deletes anything, not at its insert with the engine's
    "Number of columns doesn't match". A model built from a change set (delete_insert, with a
    unique key) gets dbt-clickhouse's own check, before it deletes anything too."""
    purchase = {"revenue": 20, "currency": "USD"}
    insert_events(
        [
            Event("p1", "laptop", T0, url=URLS[1][0]),
            Event("p1", "laptop", T0 + minutes(1), "$identify", "ada"),
            Event("p1", "laptop", T0 + minutes(2), "purchase", "ada", properties=purchase),
        ]
    )
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    older = {
        "analytics.int_conversion_touches": "entry_path",  # delete_insert
        "analytics.int_sessions_aggregated": "entry_path",
        "marts.web_daily": "bounce_count",
    }
    with warehouse.connect() as client:
        for table, column in older.items():
            client.command(f"alter table {table} drop column {column}")
    stored = {table: query(f"select * from {table} order by all") for table in older}

    # a new event of Ada's reaches everything but the three, so each has changes to stage
    insert_events([Event("p1", "laptop", T0 + minutes(3))])
    models = [table.split(".")[1] for table in older]
    run_dbt(["run", "--exclude", *(f"{model}+" for model in models)], quiet=True)
    for table, column in older.items():
        schema, model = table.split(".")
        failed = run_dbt(["run", "--select", model], check=False, quiet=True)
        assert failed.returncode == 1, table
        if model == "int_conversion_touches":
            assert "schemas on this incremental model are out of sync" in failed.stdout
            assert f"Target columns not in source: ['{column} " in failed.stdout
        else:
            assert f"`{schema}`.`{model}` was built by an older release" in failed.stdout
            assert f"(missing: {column}; no longer built: none)" in failed.stdout
            assert "millimetric build --full-refresh" in failed.stdout
        assert query(f"select * from {table} order by all") == stored[table], table
    run_dbt(["run", "--full-refresh"], quiet=True)


def test_a_changed_setting_rebuilds_in_full_by_itself(chdb_path):
    """The incremental models recompute only what changed events reach; a changed setting
    (here the attribution lookback and half-life) may change every row, so the next build
    rebuilds each incremental model in full by itself, as a full rebuild with that setting
    would, and says so; the build after it is incremental again."""
    steps, _ = orders_in_one_warehouse(range(3))
    run_dbt(["seed"], quiet=True)
    for batch in steps:
        insert_events(batch)
        run_dbt(["run"], quiet=True)
    before = snapshot()
    changed = (
        "{millimetric__attribution_lookback_days: 3, millimetric__attribution_half_life_days: 2}"
    )

    built = table_ids()
    run_dbt(["run", "--vars", changed], quiet=True)
    rebuilt = table_ids()
    assert [t for t in built if built[t] == rebuilt[t]] == [], "each is a new table"
    incremental = snapshot()
    assert (
        incremental["analytics.int_conversion_touches"]
        != before["analytics.int_conversion_touches"]
    ), "the shorter lookback must drop touches, or this test proves nothing"

    run_dbt(["run", "--full-refresh", "--vars", changed], quiet=True)
    assert_same_tables(incremental, snapshot())
    rebuilt = table_ids()
    run_dbt(["run", "--vars", changed], quiet=True)
    assert table_ids() == rebuilt, "the same settings again: each table is kept"


def table_ids() -> dict[str, str]:
    """Each incremental model's table and its UUID, which a full refresh changes (it builds a
    new table and exchanges the two). The models come from the manifest, so that a new one is
    checked too."""
    manifest = load_manifest(settings.project_dir())
    incremental = [
        f"{node['schema']}.{node.get('alias') or node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] in INCREMENTAL_MATERIALIZATIONS
    ]
    with warehouse.connect() as client:
        ids = dict(
            client.query(
                "select database || '.' || name, toString(uuid) from system.tables"
            ).result_rows
        )
    return {table: ids[table] for table in sorted(incremental)}


def tables_built_from(change_set: str) -> list[str]:
    """Every model built from `change_set`, found by its config in the manifest, so that a new
    one is checked too."""
    manifest = load_manifest(settings.project_dir())
    return sorted(
        f"{node['schema']}.{node.get('alias') or node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("change_set") == change_set
    )


def stamps_by(query, table: str, key: str) -> dict[str, list]:
    """Each key's stamps in the table, sorted"""
    rows = query(f"select {key}, arraySort(groupArray(built_at)) from {table} group by 1")
    return dict(rows)


def stamps_by_owner(query, table: str) -> dict[str, list]:
    """Each owner's (the person, else the device) stamps in the table, sorted"""
    database, name = table.split(".")
    has_device = query(
        "select count() from system.columns where database = {d:String} and table = {t:String} "
        "and name = 'anonymous_id'",
        {"d": database, "t": name},
    ) == [(1,)]
    return stamps_by(query, table, "ifNull(user_id, anonymous_id)" if has_device else "user_id")


def test_a_change_rewrites_only_the_owners_and_conversions_it_reaches(chdb_path, query):
    """Ada (laptop) and Bob (tablet) each sign up and buy; nobody is ever linked to the kiosk.
    Per owner (users, the paths): a new event on Ada's laptop rewrites Ada's rows and no other
    owner's, and a forget of Bob rewrites only his tablet's. Per conversion (conversions and
    the attribution chain): Ada's new visit after her conversions rewrites none of them, a new
    purchase adds its own rows only, and a late event before her signup rewrites her
    conversions and no one else's. Each state equals a full rebuild."""
    eur = {"revenue": 10, "currency": "EUR"}
    events = [
        Event("p1", "kiosk", T0 - dt.timedelta(days=1), url=URLS[0][0]),
    ]
    for at, device, user in ((T0, "laptop", "ada"), (T0 + dt.timedelta(days=1), "tablet", "bob")):
        events += [
            Event("p1", device, at, url=URLS[1][0]),
            Event("p1", device, at + minutes(1), "$identify", user),
            Event("p1", device, at + minutes(2), "signup", user),
            Event("p1", device, at + minutes(3), "purchase", user, properties=eur),
        ]
    insert_events(events)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    per_owner = tables_built_from("int_owners_this_run")
    per_conversion = tables_built_from("int_conversions_this_run")
    assert len(per_owner) >= 4 and len(per_conversion) >= 8, (per_owner, per_conversion)

    def owner_stamps() -> dict:
        return {table: stamps_by_owner(query, table) for table in per_owner}

    def conversion_stamps() -> dict:
        return {table: stamps_by(query, table, "conversion_id") for table in per_conversion}

    def assert_equals_full_rebuild() -> None:
        incremental = snapshot()
        run_dbt(["run", "--full-refresh"], quiet=True)
        assert_same_tables(incremental, snapshot())

    before, conversions_before = owner_stamps(), conversion_stamps()
    assert {"ada", "bob"} <= set(before["marts.users"])
    assert sum("kiosk" in owners for owners in before.values()) >= 3, "the kiosk must have rows"
    assert len(conversions_before["marts.conversions"]) == 4

    insert_events([Event("p1", "laptop", T0 + dt.timedelta(days=2), user_id="ada")])
    run_dbt(["run"], quiet=True)
    after = owner_stamps()
    for table in per_owner:
        assert {o: s for o, s in after[table].items() if o != "ada"} == {
            o: s for o, s in before[table].items() if o != "ada"
        }, table
        if "ada" in before[table]:
            assert min(after[table]["ada"]) > max(before[table]["ada"]), table
    assert conversion_stamps() == conversions_before
    assert_equals_full_rebuild()

    conversions_before = conversion_stamps()
    insert_events(
        [
            Event(
                "p1",
                "laptop",
                T0 + dt.timedelta(days=2, minutes=5),
                "purchase",
                "ada",
                properties=eur,
            )
        ]
    )
    run_dbt(["run"], quiet=True)
    conversions_after = conversion_stamps()
    for table in per_conversion:
        kept = {c: s for c, s in conversions_after[table].items() if c in conversions_before[table]}
        assert kept == conversions_before[table], table
        assert len(conversions_after[table]) == len(conversions_before[table]) + 1, table
    assert_equals_full_rebuild()

    def conversion_owners(table: str) -> dict[str, str]:
        return dict(query(f"select distinct conversion_id, user_id from {table}"))

    conversions_before = conversion_stamps()
    insert_events([Event("p1", "laptop", T0 - minutes(5))])
    run_dbt(["run"], quiet=True)
    conversions_after = conversion_stamps()
    for table in per_conversion:
        owners = conversion_owners(table)
        for conversion, stamps in conversions_after[table].items():
            rewritten = stamps != conversions_before[table][conversion]
            assert rewritten == (owners[conversion] == "ada"), (table, owners[conversion])
    assert_equals_full_rebuild()

    before = owner_stamps()
    forget_now([("p1", {"user_id": "bob"})])
    run_dbt(["run"], quiet=True)
    after = owner_stamps()
    for table in per_owner:
        assert "bob" not in after[table], table
        # his tablet's visit before he identified stays, now owned by the tablet
        reached = {"bob", "tablet"}
        assert {o: s for o, s in after[table].items() if o not in reached} == {
            o: s for o, s in before[table].items() if o not in reached
        }, table
    assert_equals_full_rebuild()
