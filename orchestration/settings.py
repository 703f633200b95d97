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


def clickhouse_server() -> dict:
    """Connection arguments for the server and cluster targets, from the same CLICKHOUSE_*
    variables profiles.yml reads."""
    return {
        "host": os.environ.get("CLICKHOUSE_HOST", "localhost"),
        "port": int(os.environ.get("CLICKHOUSE_PORT", "8123")),
        "username": os.environ.get("CLICKHOUSE_USER", "default"),
        "password": os.environ.get("CLICKHOUSE_PASSWORD", ""),
        "secure": os.environ.get("CLICKHOUSE_SECURE", "false").lower() in ("1", "true", "yes"),
    }


def dagster_home() -> Path:
    """$DAGSTER_HOME, else `.dagster/` in the project; set in the environment, since Dagster
    reads it from there."""
    home = os.environ.setdefault("DAGSTER_HOME", str(project_dir() / ".dagster"))
    return Path(home)


def nightly_cron() -> str:
    """When `nightly_build` runs (UTC): $MILLIMETRIC_NIGHTLY_CRON, default 02:00."""
    return os.environ.get("MILLIMETRIC_NIGHTLY_CRON", "0 2 * * *")


# Failure injection for the crash-and-resume test: a forget pass raises after purging this table.
FORGET_CRASH_AFTER_ENV = "MILLIMETRIC_FORGET_CRASH_AFTER"


def forget_crash_after_table() -> str | None:
    return os.environ.get(FORGET_CRASH_AFTER_ENV)


def dbt_env() -> dict[str, str]:
    """The environment a dbt subprocess needs: this one, with the target, the absolute chDB
    path and the profiles folder decided here, and no telemetry."""
    disable_telemetry()
    env = dict(os.environ)
    env["MILLIMETRIC_TARGET"] = target()
    env["MILLIMETRIC_CHDB_PATH"] = str(chdb_path())
    env["DBT_PROFILES_DIR"] = str(project_dir())
    return env
