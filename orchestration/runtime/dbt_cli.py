"""Running dbt as a subprocess against the current target.

Every dbt invocation in this project (CLI, tests, Dagster) gets its environment from
`settings.dbt_env`, so the target, the chDB path and the telemetry switch are decided in one
place.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration import settings


def dbt_executable() -> str:
    """The dbt entry point installed beside this interpreter."""
    return str(Path(sys.executable).with_name("dbt"))


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
        env=settings.dbt_env(folder, args[args.index("--vars") + 1] if "--vars" in args else None),
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"`dbt {' '.join(args)}` failed (exit {result.returncode})\n{result.stdout or ''}"
        )
    return result
