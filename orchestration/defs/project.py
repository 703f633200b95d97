"""What every concern in defs/ shares: the dbt project, the warehouse pool, the pipeline."""

from __future__ import annotations

from functools import cache

from dagster import AssetSelection
from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings
from orchestration.dbt_cli import dbt_executable, run_dbt

# chDB allows one process per data directory, so every step that opens the warehouse takes
# this pool (limit 1, .dagster/dagster.yaml). On a server it still keeps forget and build
# from interleaving (docs/forget.md, "The race").
WAREHOUSE_POOL = "warehouse"
# Runs that open the warehouse wait for one another (.dagster/dagster.yaml).
WAREHOUSE_TAGS = {"millimetric/warehouse": "embedded"}
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
