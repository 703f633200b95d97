"""Every dbt unit test of the project passes. The nightly build leaves unit tests out (they check
the models' logic on fixed inputs, not the day's data: orchestration/defs/dbt/assets.py), so
this is where they run. Unit tests read the columns of their inputs, so the test builds the
whole project on an empty warehouse first, data tests included."""

from __future__ import annotations

import json

import pytest

from orchestration import settings
from orchestration.runtime.dbt_cli import run_dbt
from tests.eventkit import insert_events

# builds a warehouse with dbt: minutes, not seconds
pytestmark = pytest.mark.slow


def test_every_unit_test_and_data_test_passes_on_an_empty_warehouse(chdb_path):
    insert_events([])
    run_dbt(["build"], quiet=True)

    target = settings.dbt_target_dir()
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    status = {result["unique_id"]: result["status"] for result in results}
    unit_tests = set(manifest["unit_tests"])
    data_tests = {uid for uid, node in manifest["nodes"].items() if node["resource_type"] == "test"}
    # none left out by a selector, none skipped after an upstream failure
    assert unit_tests and {status.get(uid) for uid in unit_tests} == {"pass"}
    assert data_tests and {status.get(uid) for uid in data_tests} == {"pass"}
