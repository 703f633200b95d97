"""Runs under faults: a `millimetric build` or `forget` killed with SIGKILL, stopped with SIGTERM
or Ctrl-C, or waiting on another run; and the mistakes a user makes on the command line.

Each run here is the real command in a process of its own (`python -m orchestration.cli`),
on a real chDB folder and a DAGSTER_HOME of the test's own. A killed run's process group is
killed whole, as `kill -9` of a job with its children, the OOM killer or a closed terminal do.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, build_sensor_context

from orchestration import settings
from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.forget import request_forget
from orchestration.forget.audit import audit_row
from orchestration.launch import build
from orchestration.launch.build import run_job
from orchestration.raw import tables
from orchestration.runtime import warehouse
from orchestration.runtime.runs import RunStopped, Waiting
from tests.commandkit import (
    DBT_FINISHED,
    DEDUPLICATED,
    Command,
    alive,
    children,
    dbt_processes,
    ignores,
    millimetric,
)
from tests.snapshots import assert_equals_full_rebuild
from tests.traffickit import write_generated


def holding(instance: DagsterInstance) -> list[tuple[str, str]]:
    """(run id, step) for each slot of the warehouse pool that is taken."""
    info = instance.event_log_storage.get_concurrency_info("warehouse")
    return [(slot.run_id, slot.step_key) for slot in info.claimed_slots]


def queued(instance: DagsterInstance) -> list[str]:
    info = instance.event_log_storage.get_concurrency_info("warehouse")
    return [step.run_id for step in info.pending_steps]


def messages(instance: DagsterInstance, run_id: str) -> list[str]:
    return [entry.user_message for entry in instance.all_logs(run_id)]


def lines_naming(text: str, word: str) -> list[str]:
    return [line for line in text.splitlines() if word in line]


def assert_dead_run_released(instance: DagsterInstance, run_id: str, stderr: str) -> None:
    """The run is FAILURE, holds nothing, and one line of stderr said so."""
    (line,) = lines_naming(stderr, run_id)
    assert re.search(r"was left STARTED by pid \d+ on \S+, which is gone", line), line
    assert "marked it failed and freed its hold on the warehouse" in line
    assert instance.get_run_by_id(run_id).status == DagsterRunStatus.FAILURE
    assert run_id not in [held for held, _ in holding(instance)] + queued(instance)


# 1. A killed build or forget does not wedge the runs after it


@pytest.mark.slow
def test_a_build_killed_mid_run_does_not_wedge_the_next_one(chdb_path, dagster_home, tmp_path):
    write_generated(days=2, visitors=200, projects=1, seed=21)
    killed = Command(tmp_path, "killed", "build")
    # mid-run: dbt has written the first incremental model and not yet the ones after it
    killed.wait_until(lambda: DEDUPLICATED in killed.stdout(), "dbt built a model")
    killed.kill()
    with DagsterInstance.get() as instance:
        (dead,) = instance.get_runs()
        # the wedge: a run that no process runs, holding the pool's only slot
        assert dead.status == DagsterRunStatus.STARTED
        assert holding(instance) == [(dead.run_id, "millimetric_dbt_models")]

    again = millimetric(tmp_path, "again", "build")

    assert again.process.returncode == 0, again.stderr()[-3000:]
    assert "Built marts in" in again.stdout()
    with DagsterInstance.get() as instance:
        assert_dead_run_released(instance, dead.run_id, again.stderr())
        (latest, _) = instance.get_runs()
        assert latest.status == DagsterRunStatus.SUCCESS
        assert holding(instance) == [] and queued(instance) == []
    assert_equals_full_rebuild()


@pytest.mark.slow
def test_a_forget_killed_mid_way_is_finished_by_the_next_forget(
    chdb_path, dagster_home, query, tmp_path
):
    write_generated(days=2, visitors=200, projects=1, seed=22)
    with DagsterInstance.get() as instance:
        assert run_job("nightly_build", instance=instance).success
    (project, first), (_, second) = query(
        "select project_id, user_id from marts.users order by user_id limit 2"
    )
    killed = Command(tmp_path, "killed", "forget", "--project-id", project, "--user-id", first)
    with DagsterInstance.get() as instance:

        def propagating() -> str | None:
            for run in instance.get_runs(limit=1):
                if run.job_name == "forget_propagation" and any(
                    m.startswith("forget: [") for m in messages(instance, run.run_id)
                ):
                    return run.run_id
            return None

        # mid-way: propagation has purged a table (or more) and verification has not run
        dead_id = killed.wait_until(propagating, "forget propagation purged a table")
        killed.kill()
        assert instance.get_run_by_id(dead_id).status == DagsterRunStatus.STARTED
        assert dead_id in [held for held, _ in holding(instance)] + queued(instance)
    (request_id,) = re.findall(r"forget request (\S+) recorded", killed.stdout())
    with warehouse.connect() as client:
        row = audit_row(client, request_id)
    assert row is None or row["status"] != "verified"

    again = millimetric(tmp_path, "again", "forget", "--project-id", project, "--user-id", second)

    assert again.process.returncode == 0, again.stderr()[-3000:]
    assert re.search(r"\|\s*verified\s*\|", again.stdout()), again.stdout()[-2000:]
    with DagsterInstance.get() as instance:
        assert_dead_run_released(instance, dead_id, again.stderr())
        assert holding(instance) == [] and queued(instance) == []
    with warehouse.connect() as client:
        assert audit_row(client, request_id)["status"] == "verified"
    where = "project_id = {p:String} and user_id = {u:String}"
    for table in ("raw.events", "marts.sessions", "marts.users"):
        assert query(f"select count() from {table} where {where}", {"p": project, "u": first}) == [
            (0,)
        ], table
    assert_equals_full_rebuild()


@pytest.mark.slow
def test_the_sensor_releases_a_run_whose_process_died(chdb_path, dagster_home, tmp_path):
    """A run left STARTED, holding the warehouse slot, by a process that is gone: here one
    started the way runs were before they carried their process in tags, so only the pid of
    its start event tells who ran it. `dagster dev`'s sensor must not wait on it for ever."""
    with warehouse.connect() as client:
        tables.init(client)
        request_forget(client, "p1", user_id="someone")
    # Dagster stamps every event with the pid of the process that emits it
    script = (
        "import os\n"
        "from dagster import DagsterEvent, DagsterEventType, DagsterInstance\n"
        "from orchestration.definitions import defs\n"
        "job = defs.resolve_job_def('nightly_build')\n"
        "instance = DagsterInstance.get()\n"
        "instance.event_log_storage.initialize_concurrency_limit_to_default('warehouse')\n"
        "run = instance.create_run_for_job(job_def=job, run_config={})\n"
        "start = DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, "
        "job_name=job.name, pid=os.getpid())\n"
        "instance.report_dagster_event(start, run.run_id)\n"
        "instance.event_log_storage.claim_concurrency_slot("
        "'warehouse', run.run_id, 'millimetric_dbt_models')\n"
        "print(run.run_id)\n"
    )
    dead_id = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.project_dir(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    sensor = defs.resolve_sensor_def("forget_request_sensor")
    with DagsterInstance.get() as instance:
        assert instance.get_run_by_id(dead_id).status == DagsterRunStatus.STARTED
        assert holding(instance) == [(dead_id, "millimetric_dbt_models")]

        data = sensor.evaluate_tick(build_sensor_context(instance=instance))

        assert data.skip_message is None, data.skip_message
        assert len(data.run_requests) == 1
        assert instance.get_run_by_id(dead_id).status == DagsterRunStatus.FAILURE
        assert holding(instance) == []
        (failure,) = instance.all_logs(dead_id, of_type=DagsterEventType.RUN_FAILURE)
        assert "is gone" in failure.dagster_event.message


# 1. Waiting says for what, gives up, and stops on a signal


def test_a_signal_whose_exception_a_finalizer_dropped_still_stops_the_wait():
    """CI once saw SIGTERM arrive while SQLAlchemy ran a weakref callback: Python prints and
    drops an exception raised there, and `forget` kept waiting. The handler also records the
    signal, and the wait raises it at its next poll."""

    class Finalized:
        def __del__(self) -> None:
            # what the handler does when the signal lands in this finalizer
            build._raise_on_signals(signal.SIGTERM, None)

    waiting = Waiting(notice=lambda _m: None, limit=60, interrupted=build.raise_if_signalled)
    with pytest.raises(RunStopped) as stopped, build.stop_on_signals():
        Finalized()  # its exception is printed and dropped here
        waiting.tick(["another run"], 0.5)
    assert stopped.value.exit_code == 128 + signal.SIGTERM


@pytest.mark.slow
def test_a_waiting_build_says_for_what_and_gives_up_and_stops_on_sigterm(
    chdb_path, dagster_home, tmp_path
):
    write_generated(days=2, visitors=200, projects=1, seed=24)
    holder = Command(tmp_path, "holder", "build")
    with DagsterInstance.get() as instance:
        holder_run = holder.wait_until(
            lambda: [r.run_id for r in instance.get_runs() if r.status.value == "STARTED"],
            "the first build started its run",
        )[0]
    impatient = Command(
        tmp_path, "impatient", "build", env={"MILLIMETRIC_WAREHOUSE_WAIT_SECONDS": "3"}
    )
    patient = Command(tmp_path, "patient", "forget", "--project-id", "p", "--user-id", "u")

    assert impatient.wait(timeout=120) == 75
    told = impatient.stderr().splitlines()
    assert told[0].startswith("millimetric: waiting for the warehouse (0 s of 3 s), in use by ")
    assert f"run {holder_run} (nightly_build, STARTED, pid {holder.pid} on " in told[0]
    assert told[-1].startswith("millimetric build: gave up after ")
    assert holder_run in told[-1] and "MILLIMETRIC_WAREHOUSE_WAIT_SECONDS (now 3)" in told[-1]
    assert len(told) == 2, told

    patient.wait_until(lambda: "waiting for the warehouse" in patient.stderr(), "it waits")
    patient.process.send_signal(signal.SIGTERM)  # the process only, as `timeout` does
    assert patient.wait(timeout=20) == 128 + signal.SIGTERM
    told = patient.stderr().splitlines()
    assert told[-1] == (
        "millimetric forget: stopped by SIGTERM; no run had started; nothing was recorded"
    )
    assert "Traceback" not in patient.stderr() and "recorded" not in patient.stdout()

    assert holder.wait() == 0, holder.stderr()[-3000:]
    with DagsterInstance.get() as instance:
        # the two that gave up never started a run
        assert [r.run_id for r in instance.get_runs()] == [holder_run]
    with warehouse.connect() as client:
        assert client.query("select count() from raw.forget_requests").result_rows == [(0,)]


# 1. SIGTERM and Ctrl-C stop a run cleanly


@pytest.mark.slow
def test_sigterm_stops_a_build_cleanly_and_the_next_build_need_not_wait(
    chdb_path, dagster_home, tmp_path
):
    write_generated(days=2, visitors=200, projects=1, seed=23)
    building = Command(tmp_path, "building", "build")
    building.wait_until(lambda: DEDUPLICATED in building.stdout(), "dbt built a model")
    started_by_it = children(building.pid)
    assert dbt_processes(building.pid), "dbt must be running for the stop to mean anything"

    building.process.send_signal(signal.SIGTERM)  # the process only, as `timeout` does
    assert building.wait(timeout=60) == 128 + signal.SIGTERM

    err = building.stderr()
    last = err.splitlines()[-1]
    with DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        assert run.status == DagsterRunStatus.CANCELED
        assert holding(instance) == [] and queued(instance) == []
    assert last == (
        f"millimetric build: stopped by SIGTERM; run {run.run_id} is canceled, "
        "its hold on the warehouse freed"
    )
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in started_by_it) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in started_by_it if alive(pid)], "dbt (or another child) lives on"

    # nothing is left holding the warehouse: a build that may not wait at all runs
    again = millimetric(tmp_path, "again", "build", env={"MILLIMETRIC_WAREHOUSE_WAIT_SECONDS": "0"})
    assert again.process.returncode == 0, again.stderr()[-3000:]
    assert "waiting for the warehouse" not in again.stderr()


@pytest.mark.slow
def test_ctrl_c_stops_a_forget_and_leaves_its_request_pending(
    chdb_path, dagster_home, query, tmp_path
):
    write_generated(days=2, visitors=200, projects=1, seed=25)
    project, user = query("select project_id, user_id from truth.users order by user_id limit 1")[0]
    forgetting = Command(
        tmp_path, "forgetting", "forget", "--project-id", project, "--user-id", user
    )
    forgetting.wait_until(lambda: DEDUPLICATED in forgetting.stdout(), "dbt built a model")
    # The known point: dbt has built its first model and is held there (SIGSTOP), so the
    # forget cannot end before the signal lands, however loaded the machine.
    dbt = dbt_processes(forgetting.pid)
    assert dbt, "dbt must be running for the stop to mean anything"
    for pid in dbt:
        os.kill(pid, signal.SIGSTOP)
    assert DBT_FINISHED not in forgetting.stdout()
    assert not ignores(forgetting.pid, signal.SIGINT)

    forgetting.kill(signal.SIGINT)  # a terminal's Ctrl-C: the whole foreground group
    for pid in dbt:  # dbt meets its Ctrl-C as it runs on, as it would have at once
        os.kill(pid, signal.SIGCONT)
    assert forgetting.wait(timeout=60) == 128 + signal.SIGINT

    (request_id,) = re.findall(r"forget request (\S+) recorded", forgetting.stdout())
    with DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        assert run.status == DagsterRunStatus.CANCELED
        assert holding(instance) == [] and queued(instance) == []
    assert forgetting.stderr().splitlines()[-1] == (
        f"millimetric forget: stopped by SIGINT; run {run.run_id} is canceled, its hold on the "
        f"warehouse freed; forget request {request_id} stays pending: the next build or forget "
        "does it"
    )
    assert "Traceback" not in forgetting.stderr()
    with warehouse.connect() as client:
        row = audit_row(client, request_id)
    assert row is None or row["status"] != "verified"


# 7. Small things a user meets: one line naming the problem, no traceback


def one_line_error(capsys, argv: list[str], expected_status: int = 2) -> str:
    """Runs `millimetric ARGV` in-process, expecting it to fail with one line on stderr."""
    status = main(argv)
    captured = capsys.readouterr()
    assert status == expected_status, (status, captured.err)
    assert "Traceback" not in captured.err
    (line,) = captured.err.splitlines()
    assert line.startswith(f"millimetric {argv[0]}: "), line
    return line


@pytest.mark.parametrize("option", ["--user-id", "--anonymous-id", "--project-id"])
def test_forget_refuses_an_empty_id(chdb_path, dagster_home, capsys, option):
    argv = ["forget", "--project-id", "p1", "--user-id", "u1"]
    if option == "--anonymous-id":
        argv[3:5] = ["--anonymous-id", "a1"]
    argv[argv.index(option) + 1] = ""

    line = one_line_error(capsys, argv)

    assert f"{option} is empty ('')" in line
    with warehouse.connect() as client:
        tables.init(client)
        assert client.query("select count() from raw.forget_requests").result_rows == [(0,)]


@pytest.mark.parametrize("command", [["init"], ["query", "select 1"], ["build"]])
def test_a_chdb_path_that_is_a_file(tmp_path, monkeypatch, capsys, command):
    monkeypatch.setenv("MILLIMETRIC_TARGET", "local")
    a_file = tmp_path / "warehouse"
    a_file.write_text("not a folder")
    monkeypatch.setenv("MILLIMETRIC_CHDB_PATH", str(a_file))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))

    line = one_line_error(capsys, command, expected_status=1)

    assert f"MILLIMETRIC_CHDB_PATH={a_file} is a file, not a folder" in line


def test_a_chdb_path_that_cannot_be_created(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MILLIMETRIC_TARGET", "local")
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    monkeypatch.setenv("MILLIMETRIC_CHDB_PATH", str(a_file / "warehouse"))

    line = one_line_error(capsys, ["init"], expected_status=1)

    assert f"MILLIMETRIC_CHDB_PATH={a_file / 'warehouse'} cannot be created" in line
    assert f"{a_file} is a file" in line


def test_a_dagster_home_that_is_a_file_stops_forget_before_it_records(
    chdb_path, tmp_path, monkeypatch, capsys
):
    a_file = tmp_path / "dagster_home"
    a_file.write_text("")
    monkeypatch.setenv("DAGSTER_HOME", str(a_file))

    line = one_line_error(
        capsys, ["forget", "--project-id", "p1", "--user-id", "u1"], expected_status=1
    )

    assert f"DAGSTER_HOME={a_file} is a file, not a folder" in line
    with warehouse.connect() as client:
        tables.init(client)
        assert client.query("select count() from raw.forget_requests").result_rows == [(0,)]


@pytest.mark.parametrize(
    "option, value", [("--days", "0"), ("--visitors", "0"), ("--projects", "-1")]
)
def test_generate_refuses_a_count_below_one(chdb_path, capsys, option, value):
    line = one_line_error(capsys, ["generate", option, value])

    assert f"{option} must be at least 1, not {value}" in line
    assert not chdb_path.exists() or not list(chdb_path.iterdir())


def test_generate_ndjson_without_out_fails_before_generating(chdb_path, capsys):
    started = time.monotonic()

    line = one_line_error(capsys, ["generate", "--format", "ndjson"])

    assert "--format ndjson needs --out DIRECTORY" in line
    # the default size takes many seconds to generate; refusing takes none
    assert time.monotonic() - started < 2


def test_a_wait_setting_that_is_not_a_number(chdb_path, dagster_home, monkeypatch, capsys):
    monkeypatch.setenv("MILLIMETRIC_WAREHOUSE_WAIT_SECONDS", "ten minutes")

    line = one_line_error(capsys, ["build"], expected_status=1)

    assert "MILLIMETRIC_WAREHOUSE_WAIT_SECONDS='ten minutes' is not a number of seconds" in line
