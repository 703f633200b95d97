"""`millimetric init` creates the raw contract and is safe to repeat: data survives."""

from __future__ import annotations

from orchestration.cli import main
from tests.eventkit import T0, Event, insert_events

EXPECTED_TABLES = [
    ("audit", "forget_log"),
    ("audit", "forget_tombstones"),
    ("raw", "ad_spend"),
    ("raw", "events"),
    ("raw", "events_loading"),
    ("raw", "events_rejected"),
    ("raw", "forget_requests"),
]


def test_init_is_idempotent_and_keeps_data(chdb_path, query, capsys):
    assert main(["init"]) == 0
    insert_events([Event("p1", "a1", T0), Event("p1", "a2", T0)])
    assert main(["init"]) == 0
    assert main(["init"]) == 0
    assert "raw tables ready" in capsys.readouterr().out
    assert (
        query(
            "select database, name from system.tables "
            "where database in ('raw', 'audit') order by 1, 2"
        )
        == EXPECTED_TABLES
    )
    assert query("select count() from raw.events") == [(2,)]
    assert query(
        "select name, type from system.columns where database = 'raw' and table = 'events' "
        "and name in ('user_id', 'timestamp', 'project_id') order by name"
    ) == [
        ("project_id", "LowCardinality(String)"),
        ("timestamp", "DateTime64(3, 'UTC')"),
        ("user_id", "Nullable(String)"),
    ]


# raw.events as the contract created it before inserted_at existed
RAW_EVENTS_BEFORE_INSERTED_AT = """
    CREATE TABLE raw.events
    (
        event_id String,
        project_id LowCardinality(String),
        event_name LowCardinality(String),
        anonymous_id String,
        user_id Nullable(String),
        timestamp DateTime64(3, 'UTC'),
        received_at DateTime64(3, 'UTC'),
        url String,
        referrer String,
        properties String,
        user_agent String,
        is_anonymous_id_fabricated Bool DEFAULT false,
        INDEX received_at_minmax received_at TYPE minmax GRANULARITY 1
    )
    ENGINE = MergeTree
    PARTITION BY toMonday(timestamp)
    ORDER BY (project_id, anonymous_id, timestamp)
"""


def test_init_upgrades_an_older_raw_events_and_keeps_every_row(chdb_path, query):
    query("create database if not exists raw")
    query(RAW_EVENTS_BEFORE_INSERTED_AT)
    query(
        "insert into raw.events (event_id, project_id, event_name, anonymous_id, user_id, "
        "timestamp, received_at, url, referrer, properties, user_agent) values "
        "('e1', 'p1', '$pageview', 'a1', null, '2026-03-02 09:00:00', '2026-03-02 09:00:01', "
        "'https://shop.example/', '', '{}', 'ua'), "
        "('e2', 'p1', '$identify', 'a1', 'ada', '2026-03-02 09:05:00', '2026-03-02 09:05:01', "
        "'https://shop.example/', '', '{\"email\": \"ada@example.com\"}', 'ua')"
    )
    before = query("select * from raw.events order by event_id")
    assert main(["init"]) == 0
    after = query("select * except inserted_at from raw.events order by event_id")
    assert after == before
    # stamped once, at the upgrade: read twice, the value does not move
    [(first,)] = query("select max(inserted_at) from raw.events")
    [(second,)] = query("select max(inserted_at) from raw.events")
    assert first == second
    assert query("select count() from system.tables where name like '%contract_upgrade%'") == [(0,)]
    assert main(["init"]) == 0
    assert query("select count() from raw.events") == [(2,)]
