"""Forget's coverage: every table that holds a personal column is purged by forget, is a view,
or is exempt by name. A new model that copies user_id without declaring meta.forget must fail
this check, which the fixture model in tests/fixtures/leaky_model/ demonstrates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration import settings
from orchestration.defs.project import dbt_project
from orchestration.forget.targets import (
    EXEMPT_TABLES,
    PERSONAL_COLUMN,
    RAW_TARGETS,
    PurgeTarget,
    load_manifest,
    model_targets,
    purge_targets,
    unreachable_tables,
)
from orchestration.raw import tables
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from tests.traffickit import write_generated

PROJECT = Path(__file__).resolve().parent.parent
LEAKY_MODEL = Path(__file__).parent / "fixtures" / "leaky_model" / "leaky_user_emails.sql"
LEAKY_TABLE = "analytics.leaky_user_emails"
LEAKY_META = """\
version: 2

models:
  - name: leaky_user_emails
    config:
      meta:
        forget:
          user_columns: [user_id]
          device_columns: []
"""


def copy_project(tmp_path: Path) -> Path:
    """The dbt project (config, models, macros, seeds, dbt tests) in a folder of its own."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT / name, copy / name)
    for folder in ("models", "macros", "seeds", "tests/dbt"):
        shutil.copytree(PROJECT / folder, copy / folder)
    return copy


def unreachable(manifest: dict) -> list[str]:
    with warehouse.connect() as client:
        return unreachable_tables(client, manifest)


@pytest.mark.slow
def test_every_personal_table_is_purged_a_view_or_exempt(chdb_path, query):
    write_generated(days=2, visitors=120, projects=2, seed=11)
    run_dbt(["seed"], quiet=True)
    run_dbt(["run"], quiet=True)
    manifest = load_manifest(settings.project_dir())

    assert unreachable(manifest) == []

    # the check sees the model tables: without the manifest's meta.forget, each is unreachable
    declared = {t.table for t in model_targets(manifest)}
    assert {"marts.sessions", "marts.users", "analytics.int_events_deduplicated"} <= declared
    assert set(unreachable({"nodes": {}})) == declared
    # the staging view has user_id too, but holds no rows
    assert query(
        "select engine from system.tables where database = 'analytics' "
        "and name = 'stg_millimetric__events'"
    ) == [("View",)]

    # what each target declares are real columns of its table
    for target in purge_targets(manifest):
        database, table = target.table.split(".")
        columns = {
            name
            for (name,) in query(
                "select name from system.columns "
                "where database = {d:String} and table = {t:String}",
                {"d": database, "t": table},
            )
        }
        declared_columns = {*target.user_columns, *target.device_columns}
        assert declared_columns and declared_columns <= columns, target
        # and every personal-id column of it is declared
        ids = {c for c in columns if PERSONAL_COLUMN.search(c) and c.endswith("_id")}
        assert ids <= declared_columns, (target.table, ids - declared_columns)


@pytest.mark.slow
def test_a_new_model_with_user_id_fails_coverage_until_it_declares_forget(chdb_path, tmp_path):
    project = copy_project(tmp_path)
    shutil.copy(LEAKY_MODEL, project / "models" / "intermediate" / LEAKY_MODEL.name)
    write_generated(days=2, visitors=120, projects=2, seed=11)
    run_dbt(["seed"], project_dir=project, quiet=True)
    run_dbt(["run"], project_dir=project, quiet=True)

    assert unreachable(load_manifest(project)) == [LEAKY_TABLE]

    (project / "models" / "intermediate" / "leaky_user_emails.yml").write_text(LEAKY_META)
    run_dbt(["parse"], project_dir=project, quiet=True)
    manifest = load_manifest(project)

    assert unreachable(manifest) == []
    assert PurgeTarget(LEAKY_TABLE, ("user_id",), ()) in purge_targets(manifest)


def test_tables_outside_dbt_are_checked_too(chdb_path, query):
    with warehouse.connect() as client:
        tables.init(client)
    no_models = {"nodes": {}}
    assert unreachable(no_models) == []  # raw tables are targets, audit tables exempt

    for statement in (
        "create database if not exists scratch",
        "create table scratch.exports (first_touch_anonymous_id String) engine = MergeTree "
        "order by tuple()",
        "create table scratch.counts (n UInt64) engine = MergeTree order by tuple()",
        "create view scratch.people_view as select user_id from raw.events",
        "create database if not exists truth",
        "create table truth.people (user_id String) engine = MergeTree order by tuple()",
    ):
        query(statement)

    # a table with a personal column is caught; a view, an impersonal table, truth are not
    assert unreachable(no_models) == ["scratch.exports"]


def test_raw_tables_are_purged_and_the_request_log_is_exempt():
    manifest = load_manifest(dbt_project().project_dir)
    targets = {t.table: t for t in purge_targets(manifest)}

    for raw in RAW_TARGETS:
        assert targets[raw.table] == raw
    assert targets["raw.events"].user_columns == ("user_id",)
    assert targets["raw.events"].device_columns == ("anonymous_id",)
    assert targets["raw.events_rejected"].user_columns == ("user_id",)
    assert targets["raw.events_rejected"].device_columns == ("anonymous_id",)
    # raw.events shows which devices a person used: it is purged last, so a crashed run can
    # still find them when repeated
    assert purge_targets(manifest)[-1].table == "raw.events"

    assert "raw.forget_requests" not in targets
    assert EXEMPT_TABLES["raw.forget_requests"].strip()
    assert set(EXEMPT_TABLES).isdisjoint(targets)


@pytest.mark.parametrize(
    ("column", "personal"),
    [
        ("user_id", True),
        ("anonymous_id", True),
        ("first_touch_anonymous_id", True),
        ("traits", True),
        ("properties", True),
        ("raw_line", True),
        ("project_id", False),
        ("session_id", False),
        ("user_id_hash", False),
    ],
)
def test_personal_column_pattern(column, personal):
    assert bool(PERSONAL_COLUMN.search(column)) is personal


def test_marts_of_counts_only_are_forgotten_by_their_full_rebuild(chdb_path):
    """A model that declares meta.forget_by_rebuild (web_daily, attribution_daily: counts and
    sums, no id) is no purge target. Its enforced contract shows no personal column, and the
    build that follows every propagation recomputes it from what remains: it is a plain table,
    or a daily rollup that rebuilds every day whose input rows changed, which a forget's purge
    changes (docs/incremental.md, step 5; an incremental model without that would keep a
    forgotten person's counts). Every mart makes one of the two declarations."""
    run_dbt(["parse", "--quiet"], quiet=True)
    manifest = load_manifest(settings.project_dir())
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    rebuilt = {name for name, n in models.items() if n["config"]["meta"].get("forget_by_rebuild")}
    assert {"web_daily", "attribution_daily"} <= rebuilt
    purged = {t.table for t in purge_targets(manifest)}
    for name in rebuilt:
        node = models[name]
        assert node["config"]["materialized"] in ("table", "daily_rollup"), name
        assert node["config"]["contract"]["enforced"], name
        assert node["columns"], name
        assert not [c for c in node["columns"] if PERSONAL_COLUMN.search(c)], name
        assert f"{node['schema']}.{name}" not in purged
    for name, node in models.items():
        if node["fqn"][1] == "marts":
            meta = node["config"]["meta"]
            assert bool(meta.get("forget")) != bool(meta.get("forget_by_rebuild")), name
