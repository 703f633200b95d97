"""Forget and build never interleave: the design that keeps a build from undoing a forget.

A build that read a person's rows before a forget must not write them back after it. The
answer here (docs/forget.md, "The race") is serialisation: every step that touches the
warehouse takes the same Dagster pool of one, runs that touch it queue one at a time, and
inside a run the dbt build is ordered after propagation and before verification."""

from __future__ import annotations

import yaml
from dagster import AssetKey

from orchestration import settings
from orchestration.definitions import defs

PROPAGATION = AssetKey(["forget", "propagation"])
VERIFICATION = AssetKey(["forget", "verification"])


def test_every_warehouse_step_takes_the_one_pool():
    graph = defs.resolve_asset_graph()
    pools = {key: graph.get(key).assets_def.op.pool for key in graph.materializable_asset_keys}
    assert pools[PROPAGATION] == pools[VERIFICATION] == "warehouse"
    assert pools[AssetKey(["marts", "sessions"])] == "warehouse"
    assert set(pools.values()) == {"warehouse"}


def test_the_pool_and_the_run_queue_admit_one_at_a_time():
    template = settings.project_dir() / ".dagster" / "dagster.yaml.template"
    config = yaml.safe_load(template.read_text())
    assert config["concurrency"]["pools"]["default_limit"] == 1
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    assert {"key": "millimetric/warehouse", "limit": 1} in limits
    for job in ("nightly_build", "full_refresh", "forget_propagation"):
        assert defs.resolve_job_def(job).tags.get("millimetric/warehouse")


def test_within_a_run_the_build_sits_between_propagation_and_verification():
    graph = defs.resolve_asset_graph()
    staging = AssetKey(["staging", "stg_millimetric__events"])
    assert PROPAGATION in graph.get(staging).parent_keys
    marts = [k for k in graph.materializable_asset_keys if k.path[0] == "marts"]
    assert set(marts) <= set(graph.get(VERIFICATION).parent_keys)
