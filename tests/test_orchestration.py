"""The Dagster code location, exercised for real: definitions, schedule, sensor, the nightly job
on generated traffic, and the `millimetric build` / `millimetric forget` commands.

Every job runs in-process against a real chDB directory, with a DAGSTER_HOME of its own, so
that the event log written to disk can be searched for personal data."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
from clickhouse_connect.driver.exceptions import DatabaseError
from dagster import (
    AssetCheckKey,
    AssetKey,
    DagsterEvent,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    build_schedule_context,
    build_sensor_context,
)

from orchestration import settings
from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.defs.dbt.assets import SETTINGS_CHANGED_TAG
from orchestration.forget import pending_requests, request_forget
from orchestration.forget.audit import audit_row
from orchestration.forget.now import ForgetFailed, _why_unverified, forget_now
from orchestration.launch.build import InProcessRunner, run_job
from orchestration.raw import tables
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from orchestration.runtime.runs import RunFailed, RunStopped
from tests.forgetkit import files_containing
from tests.snapshots import assert_equals_full_rebuild, assert_same_tables, snapshot
from tests.traffickit import write_generated

JOBS = ("nightly_build", "full_refresh", "forget_propagation")
SCHEDULE = "nightly_build_schedule"
SENSOR = "forget_request_sensor"


@pytest.fixture
def raw_warehouse(chdb_path):
    """An initialised, empty warehouse: the raw and audit tables exist."""
    with warehouse.connect() as client:
        tables.init(client)
    return chdb_path


def materialization_metadata(result, key: str) -> dict:
    (event,) = [
        e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == key
    ]
    return {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}


def evaluate_sensor(instance: DagsterInstance):
    sensor = defs.resolve_sensor_def(SENSOR)
    return sensor.evaluate_tick(build_sensor_context(instance=instance))


# --- definitions --------------------------------------------------------------------------


def test_definitions_load_with_jobs_assets_groups_and_checks():
    for name in JOBS:
        assert defs.resolve_job_def(name).name == name

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw/events",
        "raw/events_rejected",
        "raw/forget_requests",
        "forget/propagation",
        "forget/verification",
        "staging/stg_millimetric__events",
        "intermediate/int_events_deduplicated",
        "marts/sessions",
        "marts/users",
        "marts/attribution_credits",
        "seeds/channel_source_categories",
    } <= keys
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {"raw", "forget", "seeds", "staging", "intermediate", "marts"} <= groups
    assert graph.get(AssetKey(["marts", "sessions"])).group_name == "marts"
    assert graph.get(AssetKey(["intermediate", "int_events_sessionized"])).group_name == (
        "intermediate"
    )

    # dbt tests are asset checks: generic ones and the singular tests of tests/dbt/
    checks = set(graph.asset_check_keys)
    sessions = AssetKey(["marts", "sessions"])
    assert AssetCheckKey(sessions, "unique_sessions_session_id") in checks
    assert AssetCheckKey(sessions, "not_null_sessions_session_id") in checks
    assert (
        AssetCheckKey(
            AssetKey(["marts", "attribution_credits"]), "assert_attribution_credits_sum_to_one"
        )
        in checks
    )

    # forget propagation runs before staging reads raw; verification after every mart
    staging = graph.get(AssetKey(["staging", "stg_millimetric__events"]))
    assert AssetKey(["forget", "propagation"]) in staging.parent_keys
    assert AssetKey(["raw", "events"]) in staging.parent_keys
    marts = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert marts and marts <= graph.get(AssetKey(["forget", "verification"])).parent_keys

    # each job runs the whole pipeline, and nothing of the external raw tables
    for name in JOBS:
        selected = {
            key.to_user_string()
            for key in defs.resolve_job_def(name).asset_layer.executable_asset_keys
        }
        assert {"forget/propagation", "marts/sessions", "forget/verification"} <= selected, name
        assert not {key for key in selected if key.startswith("raw/")}, name


# --- schedule -----------------------------------------------------------------------------


def test_nightly_schedule_requests_nightly_build_at_two_utc():
    schedule = defs.resolve_schedule_def(SCHEDULE)
    assert schedule.job_name == "nightly_build"
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
    with build_schedule_context() as context:
        data = schedule.evaluate_tick(context)
    assert data.skip_message is None
    (request,) = data.run_requests
    assert request.job_name in (None, "nightly_build")
    assert request.tags.get("dagster/schedule_name") == SCHEDULE


def test_nightly_cron_is_configurable():
    # a fresh interpreter, so the module-level schedule is built with the variable set
    code = "from orchestration.defs.dbt.schedules import nightly_schedule; "
    code += "print(nightly_schedule.cron_schedule)"
    env = {**os.environ, "MILLIMETRIC_NIGHTLY_CRON": "30 4 * * 1-5"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "30 4 * * 1-5"


# --- sensor -------------------------------------------------------------------------------


def test_sensor_skips_when_nothing_is_pending(raw_warehouse):
    with DagsterInstance.ephemeral() as instance:
        data = evaluate_sensor(instance)
    assert data.run_requests == []
    assert "no pending" in data.skip_message


def test_sensor_requests_a_run_for_a_pending_request(raw_warehouse):
    with warehouse.connect() as client:
        request_forget(client, "p1", user_id="someone")
    with DagsterInstance.ephemeral() as instance:
        data = evaluate_sensor(instance)
    assert data.skip_message is None
    (request,) = data.run_requests
    assert request.tags["millimetric/forget_requests"] == "1"
    assert request.job_name in (None, "forget_propagation")


def test_sensor_waits_while_a_run_uses_the_warehouse(raw_warehouse):
    with warehouse.connect() as client:
        request_forget(client, "p1", user_id="someone")
    job = defs.resolve_job_def("nightly_build")
    with DagsterInstance.ephemeral() as instance:
        run = instance.create_run_for_job(job_def=job, run_config={})
        start = DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, job_name=job.name)
        instance.report_dagster_event(start, run.run_id)
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED

        data = evaluate_sensor(instance)
        assert data.run_requests == []
        assert run.run_id in data.skip_message

        # once that run is over, the pending request gets its run
        done = DagsterEvent(event_type_value=DagsterEventType.RUN_SUCCESS.value, job_name=job.name)
        instance.report_dagster_event(done, run.run_id)
        assert len(evaluate_sensor(instance).run_requests) == 1


def test_sensor_evaluations_leave_no_chdb_threads_behind(raw_warehouse):
    """The code server evaluates the sensor every minute for days. chDB keeps threads (and
    their open files) for every open of a warehouse with tables, so the sensor must open it
    in a process of its own. The control, opening it here, shows the count can see them."""

    def threads() -> int:
        return len(os.listdir("/proc/self/task"))

    with warehouse.connect() as client:
        request_forget(client, "p1", user_id="someone")
    with DagsterInstance.ephemeral() as instance:
        evaluate_sensor(instance)  # Dagster's own threads start on the first evaluation
        before = threads()
        for _ in range(4):
            assert len(evaluate_sensor(instance).run_requests) == 1
        after_sensor = threads()
    for _ in range(4):
        with warehouse.connect() as client:
            client.query("select count() from raw.forget_requests")
    after_control = threads()

    assert after_sensor - before < 4, (before, after_sensor)
    assert after_control - after_sensor >= 4, (after_sensor, after_control)


def test_sensor_skips_while_another_process_holds_the_warehouse(raw_warehouse):
    with warehouse.connect() as client:
        request_forget(client, "p1", user_id="someone")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import clickhouse_connect, sys, time\n"
            "c = clickhouse_connect.get_client(interface='chdb', path=sys.argv[1])\n"
            "c.query('select 1')\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n",
            str(settings.chdb_path()),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with DagsterInstance.ephemeral() as instance:
            data = evaluate_sensor(instance)
        assert data.run_requests == []
        assert "lock" in data.skip_message
    finally:
        holder.kill()
        holder.wait()
    # the directory is free again: the next tick sees the request
    with DagsterInstance.ephemeral() as instance:
        assert len(evaluate_sensor(instance).run_requests) == 1


# --- the nightly job ----------------------------------------------------------------------


@pytest.mark.slow
def test_nightly_build_on_generated_traffic(chdb_path, dagster_home, query):
    write_generated(days=7, visitors=800, projects=2, seed=9)
    (visits,) = query("select count() from truth.visits")[0]
    assert visits > 0

    with DagsterInstance.get() as instance:
        first = run_job("nightly_build", instance=instance)
        assert first.success
        assert query("select count() from marts.sessions") == [(visits,)]
        built = materialization_metadata(first, "marts/sessions")
        assert built["row_count"] == visits
        assert built["new_events"] > 0
        assert built["received_at_from"] <= built["received_at_to"]
        before = snapshot()

        # no new data: nothing taken in, nothing changed
        second = run_job("nightly_build", instance=instance)
        assert second.success
        rebuilt = materialization_metadata(second, "marts/sessions")
        assert rebuilt["new_events"] == 0
        assert rebuilt["row_count"] == visits
        assert "received_at_from" not in rebuilt
        assert_same_tables(snapshot(), before)

    # the event log on disk holds counts, never people
    assert files_containing("nightly_build", dagster_home), "the grep must see the event log"
    people = query(
        "select user_id, email from truth.users order by device_count desc, user_id limit 5"
    )
    assert len(people) == 5
    for user_id, email in people:
        assert query(
            "select count() from marts.users where user_id = {u:String}", {"u": user_id}
        ) != [(0,)], "the person must be in the warehouse for the check to mean anything"
        assert files_containing(email, dagster_home) == [], email
        assert files_containing(user_id, dagster_home) == [], user_id


@pytest.mark.slow
def test_the_nightly_build_rebuilds_in_full_what_other_settings_built(
    chdb_path, dagster_home, query
):
    """A model whose recorded settings fingerprint is not the current one (a var or seed
    changed since its last build; here the record is made to differ) is rebuilt in full by the
    next nightly build, which says so in its log and tags the run; the others stay
    incremental, and the result equals a full rebuild."""
    write_generated(days=2, visitors=150, projects=1, seed=4)
    with DagsterInstance.get() as instance:
        assert run_job("nightly_build", instance=instance).success
    query(
        "insert into audit.model_settings (model, fingerprint) "
        "values ('marts.attribution_credits', 'built under other settings')"
    )
    uuids = "select name, uuid from system.tables where database = 'marts' order by name"
    before = dict(query(uuids))

    with DagsterInstance.get() as instance:
        result = run_job("nightly_build", instance=instance)
        assert result.success
        logged = [entry.user_message for entry in instance.all_logs(result.run_id)]
        assert instance.get_run_by_id(result.run_id).tags[SETTINGS_CHANGED_TAG] == "1"

    assert (
        "the settings (vars or seeds) changed since the last build: rebuilding 1 incremental "
        "models in full (marts.attribution_credits)"
    ) in logged
    after = dict(query(uuids))
    assert after["attribution_credits"] != before["attribution_credits"]
    assert after["sessions"] == before["sessions"], "an incremental model left alone"
    assert_equals_full_rebuild()


# --- the millimetric command --------------------------------------------------------------


@pytest.mark.slow
def test_cli_build_runs_nightly_build_and_prints_a_summary(chdb_path, dagster_home, query, capsys):
    write_generated(days=2, visitors=150, projects=1, seed=3)
    capsys.readouterr()

    assert main(["build"]) == 0

    out = capsys.readouterr().out
    (sessions,) = query("select count() from marts.sessions")[0]
    assert sessions > 0
    assert re.search(rf"marts\.sessions\s+{sessions:,} rows", out), out
    assert str(chdb_path) in out
    with DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        assert run.job_name == "nightly_build" and run.status == DagsterRunStatus.SUCCESS


@pytest.mark.slow
def test_cli_build_says_which_model_failed_without_a_traceback(chdb_path, dagster_home, capsys):
    write_generated(days=1, visitors=20, projects=1, seed=3)
    assert main(["build"]) == 0
    # an incremental model whose table no longer matches it, built under the same settings (so
    # not rebuilt in full): dbt refuses to build on it
    with warehouse.connect() as client:
        client.command("drop table analytics.int_events_deduplicated")
        client.command(
            "create table analytics.int_events_deduplicated (x String) engine = MergeTree "
            "order by x"
        )
    capsys.readouterr()

    assert main(["build"]) == 1

    # the run's log lines come first; dbt's summary of what failed, then one line, end it
    told = capsys.readouterr().err.split("Errors parsed from dbt logs:")[-1]
    assert "Traceback" not in told and "Stack Trace" not in told, told
    last = told.splitlines()[-1]
    assert last.startswith(
        "millimetric build: the nightly_build run failed at step millimetric_dbt_models: "
        "Database Error in model int_events_deduplicated"
    ), last


@pytest.mark.slow
def test_cli_forget_propagates_and_verifies(chdb_path, dagster_home, query, capsys):
    write_generated(days=2, visitors=150, projects=1, seed=3)
    project_id, user_id = query(
        "select project_id, user_id from raw.events where user_id is not null "
        "group by project_id, user_id order by count() desc, user_id limit 1"
    )[0]
    capsys.readouterr()

    assert main(["forget", "--project-id", project_id, "--user-id", user_id]) == 0

    out = capsys.readouterr().out
    request_id = re.search(r"forget request (\S+) recorded", out).group(1)
    (row,) = [line for line in out.splitlines() if line.startswith(request_id)]
    assert re.search(r"\|\s*verified\s*\|", row), out
    assert user_id in row
    for table in ("raw.events", "marts.sessions", "marts.users"):
        where = "project_id = {p:String} and user_id = {u:String}"
        assert query(
            f"select count() from {table} where {where}", {"p": project_id, "u": user_id}
        ) == [(0,)], table
    with DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        assert run.job_name == "forget_propagation"
        # verified: the sensor has nothing left to do
        assert "no pending" in evaluate_sensor(instance).skip_message


def test_cli_forget_enqueue_only_leaves_the_request_pending(chdb_path, dagster_home, query, capsys):
    write_generated(days=1, visitors=30, projects=1, seed=5)
    project_id, user_id = query(
        "select project_id, user_id from truth.users order by user_id limit 1"
    )[0]
    capsys.readouterr()

    assert main(["forget", "--project-id", project_id, "--user-id", user_id, "--enqueue-only"]) == 0

    out = capsys.readouterr().out
    request_id = re.search(r"forget request (\S+) recorded", out).group(1)
    assert "queued" in out
    with warehouse.connect() as client:
        row = audit_row(client, request_id)
        pending = pending_requests(client)
    assert row is None or row["status"] != "verified"
    assert [(k.request_id, k.key_type, k.key) for k in pending] == [
        (request_id, "user_id", user_id)
    ]
    # nothing ran; the person is still there for the sensor's run to forget
    assert query("select count() from raw.events where user_id = {u:String}", {"u": user_id})[0][0]
    with DagsterInstance.get() as instance:
        assert instance.get_runs() == []
        assert len(evaluate_sensor(instance).run_requests) == 1


def test_forget_now_records_first_and_a_stopped_propagation_leaves_the_request_pending(
    chdb_path, dagster_home
):
    """The sequence of `millimetric forget`, called as the CLI calls it: the real runner waits
    and creates the tables, the request is on record before the job starts, and a run stopped
    by a signal leaves it pending and says so."""
    runner = InProcessRunner(DagsterInstance.get())
    seen_pending: list[list[tuple]] = []

    class StoppedBySigterm:
        def wait_for_warehouse(self) -> None:
            runner.wait_for_warehouse()

        def run(self, job: str) -> None:
            with warehouse.connect() as client:
                seen_pending.append([(k.request_id, k.key) for k in pending_requests(client)])
            raise RunStopped("stopped by SIGTERM; run r1 is canceled", 128 + signal.SIGTERM)

    recorded: list[str] = []
    with pytest.raises(RunStopped) as stopped:
        forget_now(StoppedBySigterm(), "p1", user_id="u1", recorded=recorded.append)

    (request_id,) = recorded
    assert seen_pending == [[(request_id, "u1")]]
    assert stopped.value.exit_code == 128 + signal.SIGTERM
    assert f"forget request {request_id} stays pending" in str(stopped.value)
    with warehouse.connect() as client:
        assert [k.request_id for k in pending_requests(client)] == [request_id]


def test_a_failed_propagation_run_is_one_line_naming_the_run_and_the_pending_request(
    chdb_path, dagster_home
):
    runner = InProcessRunner(DagsterInstance.get())

    class FailingStep:
        def wait_for_warehouse(self) -> None:
            runner.wait_for_warehouse()

        def __init__(self, error: Exception) -> None:
            self.error = error

        def run(self, job: str) -> None:
            raise RunFailed(job, ["forget__propagation"], self.error)

    said = {}
    for error in (
        DatabaseError("Code: 60. DB::Exception: Unknown table expression identifier 'x'.\nmore"),
        OSError(28, "No space left on device"),
    ):
        recorded: list[str] = []
        with pytest.raises(ForgetFailed) as failed:
            forget_now(FailingStep(error), "p1", user_id="u1", recorded=recorded.append)
        (request_id,) = recorded
        said[type(error).__name__] = str(failed.value).replace(request_id, "R")
    assert said == {
        "DatabaseError": "the forget_propagation run failed at step forget__propagation: "
        "Code: 60. DB::Exception: Unknown table expression identifier 'x'.; forget request R "
        "stays pending: the next build or forget does it",
        "OSError": f"the disk is full (no space left on device, in {chdb_path}) at step "
        "forget__propagation of the forget_propagation run; forget request R stays pending: "
        "the next build or forget does it once space is freed",
    }
    with warehouse.connect() as client:
        assert len(pending_requests(client)) == 2


@pytest.mark.slow
def test_an_unverified_forget_says_what_verification_found(chdb_path):
    run_dbt(["parse", "--quiet"], quiet=True)  # the purge targets come from the manifest
    audit = {"status": "propagated", "remaining_rows": {"marts.users": 2, "raw.events": 0}}
    with warehouse.connect() as client:
        tables.init(client)
        assert _why_unverified(client, audit) == "marts.users still holds 2 row(s) of the key"
        assert _why_unverified(client, {**audit, "remaining_rows": {}}) == (
            "its status is propagated; see the forget_propagation run"
        )


def test_a_project_file_edited_after_the_manifest_makes_it_stale(tmp_path):
    """Dagster's assets come from the manifest: a model added, edited or removed since it was
    written makes the next process parse again, or the run would lack the new model."""
    from orchestration.defs.project import manifest_is_stale

    (tmp_path / "models").mkdir()
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1")
    manifest = tmp_path / "target" / "manifest.json"
    assert manifest_is_stale(tmp_path, manifest)  # none yet
    manifest.parent.mkdir()
    manifest.write_text("{}")
    past = manifest.stat().st_mtime - 10
    for path in (tmp_path / "dbt_project.yml", tmp_path / "models", model):
        os.utime(path, (past, past))
    assert not manifest_is_stale(tmp_path, manifest)
    model.write_text("select 2")
    assert manifest_is_stale(tmp_path, manifest)
    os.utime(model, (past, past))
    (tmp_path / "models" / "b.sql").write_text("select 3")
    assert manifest_is_stale(tmp_path, manifest)
