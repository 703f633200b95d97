"""`millimetric init` creates the raw contract and is safe to repeat: data survives."""

from __future__ import annotations

from orchestration.cli import main
from tests.eventkit import T0, Event, insert_events

EXPECTED_TABLES = [
    ("audit", "forget_log"),
    ("audit", "forget_tombstones"),
    ("raw", "events"),
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
