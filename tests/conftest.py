"""Shared fixtures: every test gets its own chDB data directory."""

from __future__ import annotations

import pytest

from orchestration import settings, warehouse


@pytest.fixture
def chdb_path(tmp_path, monkeypatch):
    """A fresh embedded warehouse for this test, selected through the environment."""
    path = tmp_path / "warehouse"
    monkeypatch.setenv("MILLIMETRIC_TARGET", "local")
    monkeypatch.setenv("MILLIMETRIC_CHDB_PATH", str(path))
    settings.disable_telemetry()
    return path


@pytest.fixture
def query(chdb_path):
    """Run one query on the test warehouse and return its rows, closing the connection so a
    dbt subprocess can open the directory next."""

    def run(sql: str, parameters: dict | None = None) -> list[tuple]:
        with warehouse.connect() as client:
            return client.query(sql, parameters=parameters).result_rows

    return run
