"""A disk that fills up in the middle of a build or a forget (the load's case is in
test_loader.py): the command ends with one line saying so, nothing is left half-written, and
once space is freed the next run gives what a run that never failed gives.

The warehouse lives on a small tmpfs. Each command is held at a known point (SIGSTOP) while
the disk is filled, so the full disk meets it mid-run and not before it starts.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from dagster import DagsterInstance

from orchestration import settings
from orchestration.forget.audit import audit_row
from orchestration.launch.build import run_job
from orchestration.runtime import warehouse
from tests.commandkit import DEDUPLICATED, Command, FullDisk, dbt_processes, millimetric, small_disk
from tests.snapshots import assert_equals_full_rebuild
from tests.traffickit import write_generated


@pytest.fixture
def disk(tmp_path, monkeypatch, chdb_path, dagster_home):
    """The test's warehouse on a 64 MiB tmpfs (after chdb_path, which `query` uses, so that
    this path is the one that holds)."""
    with small_disk(tmp_path / "disk") as mounted:
        monkeypatch.setenv("MILLIMETRIC_CHDB_PATH", str(mounted / "warehouse"))
        yield mounted


def fill_under_dbt(command: Command, disk: Path) -> FullDisk:
    """Once the command's dbt has built its first model, stops dbt, fills the disk and keeps
    it full, and lets dbt go on."""
    command.wait_until(lambda: DEDUPLICATED in command.stdout(), "dbt built a model")
    dbt = dbt_processes(command.pid)
    assert dbt, "dbt must be running for the disk to fill under it"
    for pid in dbt:
        os.kill(pid, signal.SIGSTOP)
    full = FullDisk(disk)
    for pid in dbt:
        os.kill(pid, signal.SIGCONT)
    return full


@pytest.mark.slow
def test_a_disk_full_mid_build_ends_it_with_one_line_and_the_next_build_equals_a_rebuild(
    disk, tmp_path
):
    write_generated(days=2, visitors=200, projects=1, seed=31)
    with DagsterInstance.get() as instance:
        assert run_job("nightly_build", instance=instance).success
    write_generated(days=2, visitors=200, projects=1, seed=32)  # the night's new events

    building = Command(tmp_path, "building", "build")
    full = fill_under_dbt(building, disk)

    assert building.wait() == 1, building.stderr()[-3000:]
    assert building.stderr().splitlines()[-1] == (
        f"millimetric build: the disk is full (no space left on device, in {disk / 'warehouse'})"
        ": free space and run it again"
    )

    full.free()
    again = millimetric(tmp_path, "again", "build")
    assert again.process.returncode == 0, again.stderr()[-3000:]
    assert_equals_full_rebuild()


@pytest.mark.slow
def test_a_disk_full_mid_forget_leaves_the_request_pending_and_the_next_build_does_it(
    disk, tmp_path, query
):
    write_generated(days=2, visitors=200, projects=1, seed=33)
    with DagsterInstance.get() as instance:
        assert run_job("nightly_build", instance=instance).success
    project, user = query("select project_id, user_id from marts.users order by user_id limit 1")[0]

    forgetting = Command(
        tmp_path, "forgetting", "forget", "--project-id", project, "--user-id", user
    )
    # the known point: the request is recorded, its purge ahead (the rebuild after the purge
    # writes nothing new, so a disk that fills then does not stop it)
    forgetting.wait_until(lambda: "recorded" in forgetting.stdout(), "the request was recorded")
    forgetting.kill(signal.SIGSTOP)
    full = FullDisk(disk)
    forgetting.kill(signal.SIGCONT)

    assert forgetting.wait() == 1, forgetting.stderr()[-3000:]
    (request_id,) = re.findall(r"forget request (\S+) recorded", forgetting.stdout())
    last = forgetting.stderr().splitlines()[-1]
    assert re.fullmatch(
        re.escape(
            f"millimetric forget: the disk is full (no space left on device, in "
            f"{disk / 'warehouse'}) at step "
        )
        + r"\S+"
        + re.escape(
            f" of the forget_propagation run; forget request {request_id} stays pending: the "
            "next build or forget does it once space is freed"
        ),
        last,
    ), last

    full.free()
    again = millimetric(tmp_path, "again", "build")
    assert again.process.returncode == 0, again.stderr()[-3000:]
    with warehouse.connect() as client:
        assert audit_row(client, request_id)["status"] == "verified"
    assert query(
        "select count() from marts.users where project_id = {p:String} and user_id = {u:String}",
        {"p": project, "u": user},
    ) == [(0,)]
    assert_equals_full_rebuild()


def definition_file(client, table: str) -> Path:
    (path,) = client.query(
        "select metadata_path from system.tables where database || '.' || name = {t:String}",
        parameters={"t": table},
    ).result_rows[0]
    return settings.chdb_path() / path


@pytest.mark.parametrize("scratch", [True, False])
def test_an_empty_table_definition_left_by_a_full_disk(chdb_path, capsys, scratch):
    # what a disk that filled up while the engine created a table left behind (seen in the
    # build test above): the table's definition file, empty; the engine then opens nothing
    table = "analytics.sessions__dbt_new_data_1f2e" if scratch else "analytics.sessions"
    with warehouse.connect() as client:
        client.command("create database analytics")
        client.command("create table analytics.kept (x UInt8) engine = MergeTree order by x")
        client.command(f"create table {table} (x UInt8) engine = MergeTree order by x")
        definition = definition_file(client, table)
    definition.write_bytes(b"")

    if not scratch:
        with pytest.raises(warehouse.WarehouseDamaged) as damaged:
            warehouse.connect().__enter__()
        assert str(damaged.value) == (
            f"the engine cannot open {chdb_path}: the definition of table sessions "
            f"({definition}) is an empty file, as a disk that filled up can leave it; restore "
            "it from a backup, or move it away to drop the table"
        )
        assert definition.exists()
        return
    with warehouse.connect() as client:
        tables = client.query("select name from system.tables where database = 'analytics'")
        assert tables.result_rows == [("kept",)]
    assert not definition.exists()
    assert capsys.readouterr().err == (
        "millimetric: removed the empty definition of dbt's scratch table "
        "sessions__dbt_new_data_1f2e, left by a disk that filled up\n"
    )
