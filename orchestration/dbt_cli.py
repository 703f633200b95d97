"""Running dbt as a subprocess against the current target.

Every dbt invocation in this project (CLI, tests, Dagster) gets its environment from `dbt_env`,
so the target, the chDB path and the telemetry switch are decided in one place.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration import settings


def dbt_executable() -> str:
    """The dbt entry point installed beside this interpreter."""
    return str(Path(sys.executable).with_name("dbt"))


def dbt_env() -> dict[str, str]:
    """The environment a dbt subprocess needs: target, absolute chDB path, no telemetry."""
    settings.disable_telemetry()
    env = dict(os.environ)
    env["MILLIMETRIC_TARGET"] = settings.target()
    env["MILLIMETRIC_CHDB_PATH"] = str(settings.chdb_path())
    env["DBT_PROFILES_DIR"] = str(settings.project_dir())
    return env


def run_dbt(
    args: list[str], project_dir: Path | None = None, check: bool = True, quiet: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` in `project_dir` (default: this project). With check, a failing dbt
    raises with its output attached; with quiet, output is captured instead of streamed."""
    folder = project_dir or settings.project_dir()
    command = [dbt_executable(), *args, "--project-dir", str(folder)]
    result = subprocess.run(
        command,
        cwd=folder,
        env=dbt_env(),
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"`dbt {' '.join(args)}` failed (exit {result.returncode})\n{result.stdout or ''}"
        )
    return result
