"""What every concern in defs/ shares: the dbt project, the warehouse pool and tags (defined
with the runs that hold them, orchestration/runtime/runs.py), the pipeline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dagster import AssetSelection
from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings
from orchestration.runtime.dbt_cli import dbt_executable, run_dbt

# forget propagation -> dbt build -> forget verification, ordered by asset dependencies
PIPELINE = AssetSelection.groups("forget", "seeds", "staging", "intermediate", "marts")


# what the manifest is parsed from: a model, macro, seed or setting edited since it was written
# makes it stale
PROJECT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt")


def manifest_is_stale(folder: Path, manifest: Path) -> bool:
    """Whether a project file changed since `manifest` was written (or there is none)."""
    if not manifest.is_file():
        return True
    written = manifest.stat().st_mtime
    for name in PROJECT_SOURCES:
        source = folder / name
        # a folder's own time changes when a file in it is added, removed or renamed
        paths = [source, *source.rglob("*")] if source.is_dir() else [source]
        if any(path.stat().st_mtime > written for path in paths if path.exists()):
            return True
    return False


@cache
def dbt_project() -> DbtProject:
    """The dbt project, parsed once per process, again when a project file changed since its
    manifest was written: the assets must be the models dbt will run."""
    folder = settings.project_dir()
    target_dir = settings.dbt_target_dir(folder)
    if manifest_is_stale(folder, target_dir / "manifest.json"):
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
