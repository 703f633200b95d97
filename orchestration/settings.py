"""The one place that picks the target and the paths. Everything else asks here."""

from __future__ import annotations

import os
from pathlib import Path

TARGETS = ("local", "server", "cluster")


def project_dir() -> Path:
    """The dbt project root: $MILLIMETRIC_PROJECT_DIR, else the nearest dbt_project.yml up from
    the working directory, else the checkout this package was installed from."""
    env = os.environ.get("MILLIMETRIC_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "dbt_project.yml").is_file():
            return folder
    return Path(__file__).resolve().parent.parent


def target() -> str:
    """The dbt target every command uses, from $MILLIMETRIC_TARGET (default `local`)."""
    name = os.environ.get("MILLIMETRIC_TARGET", "local")
    if name not in TARGETS:
        raise SystemExit(f"MILLIMETRIC_TARGET={name!r} is not one of {', '.join(TARGETS)}")
    return name


def chdb_path() -> Path:
    """The embedded warehouse's data directory: $MILLIMETRIC_CHDB_PATH, else `.warehouse/`."""
    env = os.environ.get("MILLIMETRIC_CHDB_PATH")
    return Path(env).resolve() if env else project_dir() / ".warehouse"


def disable_telemetry() -> None:
    """dbt and Dagster phone home by default; this project never does."""
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
