"""What every concern in defs/ shares: the dbt project, the warehouse pool and tags (defined
with the runs that hold them, orchestration/runtime/runs.py), the pipeline."""

from __future__ import annotations

from functools import cache

from dagster import AssetSelection
from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings
from orchestration.runtime.dbt_cli import dbt_executable, run_dbt

# forget propagation -> dbt build -> forget verification, ordered by asset dependencies
PIPELINE = AssetSelection.groups("forget", "seeds", "staging", "intermediate", "marts")


@cache
def dbt_project() -> DbtProject:
    """The dbt project, parsed once per process so that its manifest exists."""
    folder = settings.project_dir()
    target_dir = settings.dbt_target_dir(folder)
    if not (target_dir / "manifest.json").is_file():
        run_dbt(["parse", "--quiet"], quiet=True)
    return DbtProject(
        project_dir=folder, profiles_dir=folder, target=settings.target(), target_path=target_dir
    )


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project(),
        profiles_dir=str(settings.project_dir()),
        target=settings.target(),
        dbt_executable=dbt_executable(),
    )
