"""The chdb dbt adapter plugin, exercised by real dbt invocations on a real chDB directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration import settings
from orchestration.runtime.dbt_cli import run_dbt

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "adapter_project"
PROJECT = Path(__file__).resolve().parent.parent


def copy_fixture(tmp_path: Path) -> Path:
    project = tmp_path / "adapter_project"
    shutil.copytree(FIXTURE, project)
    shutil.copy(PROJECT / "profiles.yml", project / "profiles.yml")
    return project


def test_every_materialization_builds_on_chdb(chdb_path, tmp_path, query):
    project = copy_fixture(tmp_path)
    run_dbt(["build"], project_dir=project, quiet=True)

    assert query("select colour_id, colour_name_upper from analytics.colours_table order by 1") == [
        (1, "RED"),
        (2, "GREEN"),
        (3, "BLUE"),
    ]
    assert query("select count() from analytics.colours_view") == [(3,)]
    assert query("select engine from system.tables where name = 'colours_view'") == [("View",)]

    # append: a replay of the last row is appended again, nothing else is.
    run_dbt(["run", "-s", "colours_appended", "--vars", "{replay: 1}"], project, quiet=True)
    assert query(
        "select colour_id, count() from analytics.colours_appended group by 1 order by 1"
    ) == [
        (1, 1),
        (2, 1),
        (3, 2),
    ]

    # delete+insert: the rows for keys 2 and 3 are replaced, key 1 is kept as it was.
    run_dbt(["run", "-s", "colours_replaced", "--vars", "{suffix: '!'}"], project, quiet=True)
    assert query("select colour_id, colour_name from analytics.colours_replaced order by 1") == [
        (1, "red"),
        (2, "green!"),
        (3, "blue!"),
    ]


def test_unit_tests_run_and_can_fail(chdb_path, tmp_path):
    project = copy_fixture(tmp_path)
    # Unit tests read the columns of their inputs, so those relations must exist (empty is enough).
    run_dbt(["build", "--empty", "--exclude", "test_type:unit"], project_dir=project, quiet=True)
    passing = run_dbt(["test", "--select", "test_type:unit"], project, check=False, quiet=True)
    assert passing.returncode == 0, passing.stdout
    assert "PASS=1" in passing.stdout

    yml = project / "models" / "_models.yml"
    yml.write_text(yml.read_text().replace("colour_name_upper: TEAL", "colour_name_upper: teal"))
    failing = run_dbt(["test", "--select", "test_type:unit"], project, check=False, quiet=True)
    assert failing.returncode != 0
    assert "differs from" in failing.stdout and "TEAL" in failing.stdout


def test_docs_generate_writes_a_catalog(chdb_path, tmp_path):
    project = copy_fixture(tmp_path)
    run_dbt(["build"], project_dir=project, quiet=True)
    run_dbt(["docs", "generate"], project_dir=project, quiet=True)
    catalog = (settings.dbt_target_dir(project) / "catalog.json").read_text()
    assert "colours_table" in catalog and "colour_name_upper" in catalog


def test_server_and_cluster_targets_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("CLICKHOUSE_HOST", "clickhouse.invalid")
    monkeypatch.setenv("CLICKHOUSE_PASSWORD", "not-a-secret")
    monkeypatch.setenv("CLICKHOUSE_CLUSTER", "analytics_cluster")
    for target in ("server", "cluster"):
        monkeypatch.setenv("MILLIMETRIC_TARGET", target)
        result = run_dbt(["parse", "--target", target], check=False, quiet=True)
        assert result.returncode == 0, result.stdout
