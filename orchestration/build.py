"""Running the Dagster jobs in this process: the same code path the schedule and sensor use."""

from __future__ import annotations

import os
import shutil

from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration import settings, tables, warehouse


def prepare_dagster_home() -> str:
    """$DAGSTER_HOME (default `.dagster/`), with the committed instance config (no telemetry,
    the warehouse pool) copied in unless it has its own."""
    home = str(settings.dagster_home())
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "dagster.yaml")
    if not os.path.exists(config):
        shutil.copy(settings.project_dir() / ".dagster" / "dagster.yaml.template", config)
    return home


def dagster_instance() -> DagsterInstance:
    """The persistent instance at $DAGSTER_HOME, so CLI runs show up in `dagster dev`."""
    prepare_dagster_home()
    return DagsterInstance.get()


def run_job(
    name: str, instance: DagsterInstance | None = None, raise_on_error: bool = True
) -> ExecuteInProcessResult:
    """Execute one of the code location's jobs in-process; raises if a step fails, unless
    raise_on_error is False."""
    settings.disable_telemetry()
    with warehouse.connect() as client:
        tables.init(client)
    from orchestration.definitions import defs

    job = defs.resolve_job_def(name)
    return job.execute_in_process(
        instance=instance or dagster_instance(),
        # progress at INFO: step starts, dbt node results, forget counts
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        raise_on_error=raise_on_error,
    )


def build(full_refresh: bool = False) -> ExecuteInProcessResult:
    """`nightly_build` (pending forgets, incremental dbt build, verification), or
    `full_refresh`, which rebuilds every incremental model from raw."""
    return run_job("full_refresh" if full_refresh else "nightly_build")
