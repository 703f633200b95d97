"""Running the Dagster jobs in this process: the same code path the schedule and sensor use."""

from __future__ import annotations

import os
import shutil

from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration import settings, warehouse


def dagster_instance() -> DagsterInstance:
    """The instance at $DAGSTER_HOME, by default `.dagster/` with the committed template."""
    home = os.environ.setdefault("DAGSTER_HOME", str(settings.project_dir() / ".dagster"))
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "dagster.yaml")
    template = settings.project_dir() / ".dagster" / "dagster.yaml.template"
    if not os.path.exists(config) and template.is_file():
        shutil.copy(template, config)
    return DagsterInstance.get()


def run_job(name: str, instance: DagsterInstance | None = None) -> ExecuteInProcessResult:
    """Execute one of the code location's jobs in-process; raises if a step fails."""
    settings.disable_telemetry()
    with warehouse.connect() as client:
        warehouse.init(client)
    from orchestration.definitions import defs

    job = defs.resolve_job_def(name)
    return job.execute_in_process(
        instance=instance or dagster_instance(),
        # progress at INFO: step starts, dbt node results, forget counts
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )


def build(full_refresh: bool = False) -> ExecuteInProcessResult:
    """`nightly_build` (pending forgets, incremental dbt build, verification), or
    `full_refresh`, which rebuilds every incremental model from raw."""
    return run_job("full_refresh" if full_refresh else "nightly_build")
