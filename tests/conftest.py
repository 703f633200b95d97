"""Shared fixtures: every test gets its own chDB data directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from orchestration import settings, warehouse
from orchestration.dbt_cli import run_dbt


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


def built_warehouse(
    tmp_path_factory, name: str, load: Callable[[], None]
) -> Iterator[Callable[[str], list[tuple]]]:
    """For module-scoped fixtures: a fresh chDB directory, `load()` into it, `dbt seed` and
    `dbt run` once, then a query function on it. The environment is restored afterwards."""
    names = ("MILLIMETRIC_TARGET", "MILLIMETRIC_CHDB_PATH")
    saved = {n: os.environ.get(n) for n in names}
    os.environ["MILLIMETRIC_TARGET"] = "local"
    os.environ["MILLIMETRIC_CHDB_PATH"] = str(tmp_path_factory.mktemp(name) / "warehouse")
    settings.disable_telemetry()
    try:
        load()
        run_dbt(["seed"], quiet=True)
        run_dbt(["run"], quiet=True)

        def run(sql: str) -> list[tuple]:
            with warehouse.connect() as client:
                return client.query(sql).result_rows

        yield run
    finally:
        for n, value in saved.items():
            if value is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = value
