"""A model written by following docs/adding-a-model.md (per conversion: the fixture in
tests/fixtures/added_model/) is added to a copy of the project. Its incremental builds over random
delivery orders and a named scenario equal a full rebuild, forget reaches it, and its own dbt
tests pass."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from orchestration.forget.targets import (
    PurgeTarget,
    load_manifest,
    purge_targets,
    unreachable_tables,
)
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from tests.eventkit import T0, Event, insert_events, minutes
from tests.snapshots import assert_same_tables, snapshot
from tests.test_forget_coverage import copy_project
from tests.test_incremental_equals_rebuild import forget_now, orders_in_one_warehouse

# builds a warehouse with dbt: minutes, not seconds
pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "added_model"
TABLE = "marts.conversion_first_touch"
ORDERS = range(12)

GCLID = "https://shop.example/?gclid=abc123"
FACEBOOK = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring"
EUR = {"revenue": 10, "currency": "EUR"}


def scenario() -> tuple[list[list[Event]], list[tuple[int, str, dict[str, str]]]]:
    """Three deliveries in a project of their own, and a forget before the third build. Ada
    converts on her laptop; then her new purchase, a late event before her conversions, and an
    older $identify from her phone arrive together: the phone's anonymous visit is stitched to
    her and her signup moves to the phone, so the laptop's signup has no rows any more. Bob is
    forgotten. The kiosk converts anonymously."""
    day = dt.timedelta(days=1)
    first = [
        Event("added", "laptop", T0, url=GCLID),
        Event("added", "laptop", T0 + minutes(1), "$identify", "ada"),
        Event("added", "laptop", T0 + minutes(2), "purchase", "ada", properties=EUR),
        Event("added", "phone", T0 - day, url=FACEBOOK),
        Event("added", "tablet", T0 + day, referrer="https://www.google.com/"),
        Event("added", "tablet", T0 + day + minutes(1), "$identify", "bob"),
        Event("added", "tablet", T0 + day + minutes(2), "purchase", "bob", properties=EUR),
        Event("added", "kiosk", T0),
        Event("added", "kiosk", T0 + minutes(1), "purchase", properties=EUR),
    ]
    second = [
        Event("added", "laptop", T0 + 2 * day, "purchase", "ada", properties=EUR),
        Event("added", "laptop", T0 - minutes(10), referrer="https://news.example.org/post"),
        Event("added", "phone", T0 - day + minutes(1), "$identify", "ada"),
    ]
    third = [Event("added", "kiosk", T0 + 3 * day)]
    return [first, second, third], [(2, "added", {"user_id": "bob"})]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the project with the fixture model in models/marts/, which run_dbt and the
    forget job (settings.project_dir) use."""
    copy = copy_project(tmp_path)
    for path in FIXTURE.iterdir():
        shutil.copy(path, copy / "models" / "marts" / path.name)
    monkeypatch.setenv("MILLIMETRIC_PROJECT_DIR", str(copy))
    return copy


def test_a_model_added_by_the_checklist_equals_a_full_rebuild(chdb_path, project, query):
    steps, forgets = orders_in_one_warehouse(ORDERS)
    named_steps, named_forgets = scenario()
    for step, batch in enumerate(named_steps):
        if len(steps) <= step:
            steps.append([])
        steps[step] = steps[step] + batch
    forgets += named_forgets

    run_dbt(["seed"], quiet=True)
    for step, batch in enumerate(steps):
        forget_now([(project_id, key) for at, project_id, key in forgets if at == step])
        insert_events(batch)
        run_dbt(["run"], quiet=True)
    incremental = snapshot()

    # not vacuous: the model is built, across the orders
    assert len(incremental.get(TABLE, [])) > 2 * len(ORDERS)

    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())

    # and the scenario's changes reached it: a new conversion, touches added by the late event
    # and the re-stitch, the laptop's signup gone to the phone, Bob's rows forgotten
    assert query(
        f"select anonymous_id, user_id, conversion_name, first_touch_channel, touch_count "
        f"from {TABLE} where project_id = 'added' order by all"
    ) == [
        ("kiosk", None, "purchase", "Direct", 1),
        ("laptop", "ada", "purchase", "Paid Social", 2),
        ("laptop", "ada", "purchase", "Paid Social", 3),
        ("phone", "ada", "signup", "Paid Social", 1),
    ]

    # forget reaches it: a purge target as its YAML declares, nothing in the warehouse missed
    manifest = load_manifest(project)
    assert PurgeTarget(TABLE, ("user_id",), ("anonymous_id",)) in purge_targets(manifest)
    with warehouse.connect() as client:
        assert unreachable_tables(client, manifest) == []

    # its unit test (every ref given, the change sets included) and data tests pass
    run_dbt(["test", "--select", "conversion_first_touch"], quiet=True)
