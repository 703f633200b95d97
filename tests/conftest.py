"""Shared fixtures: every test gets its own chDB data directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from orchestration import settings
from orchestration.launch.build import prepare_dagster_home
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt

Query = Callable[[str], list[tuple]]


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


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    """A DAGSTER_HOME of this test's own, with the committed instance config."""
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    prepare_dagster_home()
    return home


@pytest.fixture(scope="module")
def module_warehouse(tmp_path_factory) -> Iterator[Callable[[str, Callable[[], None]], Query]]:
    """For module-scoped fixtures: `build(name, load)` makes a fresh chDB directory, runs
    `load()` into it, `dbt seed` and `dbt run` once, and returns a query function on it. The
    environment is restored when the module is done."""
    names = ("MILLIMETRIC_TARGET", "MILLIMETRIC_CHDB_PATH")
    saved = {n: os.environ.get(n) for n in names}

    def build(name: str, load: Callable[[], None]) -> Query:
        os.environ["MILLIMETRIC_TARGET"] = "local"
        os.environ["MILLIMETRIC_CHDB_PATH"] = str(tmp_path_factory.mktemp(name) / "warehouse")
        settings.disable_telemetry()
        load()
        run_dbt(["seed"], quiet=True)
        run_dbt(["run"], quiet=True)

        def run(sql: str) -> list[tuple]:
            with warehouse.connect() as client:
                return client.query(sql).result_rows

        return run

    yield build
    for n, value in saved.items():
        if value is None:
            os.environ.pop(n, None)
        else:
            os.environ[n] = value
