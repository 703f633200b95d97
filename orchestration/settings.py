"""The one place that picks the target and the paths. Everything else asks here."""

from __future__ import annotations

import os
from pathlib import Path

TARGETS = ("local", "server", "cluster")


class SettingError(ValueError):
    """An environment variable holds a value this project cannot use. The message names the
    variable and its value, and is meant to be shown as it is, on one line."""


def usable_folder(path: Path, variable: str) -> Path:
    """`path`, created if missing. A SettingError naming `variable` if it is a file or cannot
    be created: chDB and Dagster would fail later, with a traceback that names neither."""
    label = f"{variable}={path}" if os.environ.get(variable) else f"{path} (${variable} unset)"
    if path.exists() and not path.is_dir():
        raise SettingError(f"{label} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        blocker = next((p for p in path.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise SettingError(f"{label} cannot be created: {blocker} is a file") from None
        raise SettingError(f"{label} cannot be created: {error.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise SettingError(f"{label} is not writable")
    return path


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


def dbt_target_dir(project: Path | None = None) -> Path:
    """Where dbt writes a project's manifest, compiled SQL and run results: $DBT_TARGET_PATH
    (dbt's own variable; relative to the project, as dbt reads it), else `target/`. Two test
    workers on one checkout each set their own (scripts/pytest-files)."""
    return (project or project_dir()) / os.environ.get("DBT_TARGET_PATH", "target")


def target() -> str:
    """The dbt target every command uses, from $MILLIMETRIC_TARGET (default `local`)."""
    name = os.environ.get("MILLIMETRIC_TARGET", "local")
    if name not in TARGETS:
        raise SystemExit(f"MILLIMETRIC_TARGET={name!r} is not one of {', '.join(TARGETS)}")
    return name


def chdb_path() -> Path:
    """The embedded warehouse's data directory: $MILLIMETRIC_CHDB_PATH, else `.warehouse/`;
    created if missing, a SettingError if it is a file or cannot be created."""
    env = os.environ.get("MILLIMETRIC_CHDB_PATH")
    path = Path(env).resolve() if env else project_dir() / ".warehouse"
    return usable_folder(path, "MILLIMETRIC_CHDB_PATH")


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
    """$DAGSTER_HOME, else `.dagster/` in the project, made absolute and set in the environment,
    since Dagster reads it from there (and wants it absolute); created if missing, a
    SettingError if it is a file or cannot be created."""
    home = Path(os.environ.get("DAGSTER_HOME") or project_dir() / ".dagster").resolve()
    usable_folder(home, "DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


# How long a run waits for another run (or process) to release the warehouse.
WAREHOUSE_WAIT_ENV = "MILLIMETRIC_WAREHOUSE_WAIT_SECONDS"


def warehouse_wait_seconds() -> float:
    """How long `build` and `forget` wait for whatever holds the warehouse before they give up:
    $MILLIMETRIC_WAREHOUSE_WAIT_SECONDS, default 1800 (a nightly build is minutes; a run that
    holds it longer is more likely stuck than busy). 0 gives up at once."""
    raw = os.environ.get(WAREHOUSE_WAIT_ENV, "1800")
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise SettingError(f"{WAREHOUSE_WAIT_ENV}={raw!r} is not a number of seconds (0 or more)")
    return seconds


def nightly_cron() -> str:
    """When `nightly_build` runs (UTC): $MILLIMETRIC_NIGHTLY_CRON, default 02:00."""
    return os.environ.get("MILLIMETRIC_NIGHTLY_CRON", "0 2 * * *")


# Whether the nightly schedule and the forget sensor run without anyone switching them on.
AUTOMATIONS_ENV = "MILLIMETRIC_AUTOMATIONS"
AUTOMATIONS = ("running", "stopped")


def automations_running() -> bool:
    """Whether the nightly schedule and the forget sensor start running on a new deployment:
    $MILLIMETRIC_AUTOMATIONS, `running` (default) or `stopped` (a staging copy that must not
    build or forget by itself). Only their default: a switch flipped in the Dagster UI is kept
    by the instance and wins. Any other value is a SettingError."""
    raw = os.environ.get(AUTOMATIONS_ENV) or "running"
    if raw not in AUTOMATIONS:
        raise SettingError(f"{AUTOMATIONS_ENV}={raw!r} is not one of {', '.join(AUTOMATIONS)}")
    return raw == "running"


# The environment variable that hands dbt the settings fingerprint
# (macros/incremental/settings_fingerprint.sql reads it).
SETTINGS_FINGERPRINT_ENV = "MILLIMETRIC_SETTINGS_FINGERPRINT"


def dbt_env(dbt_project: Path | None = None, cli_vars: str | None = None) -> dict[str, str]:
    """The environment a dbt subprocess needs: this one, with the target, the absolute chDB
    path and the profiles folder decided here, no telemetry, and the fingerprint of the
    settings the models will be built with (the project's vars, `cli_vars` over them, and its
    seeds: macros/incremental/settings_fingerprint.sql)."""
    from orchestration.runtime.dbt_vars import settings_fingerprint  # it reads settings

    disable_telemetry()
    env = dict(os.environ)
    env["MILLIMETRIC_TARGET"] = target()
    if env["MILLIMETRIC_TARGET"] == "local":
        env["MILLIMETRIC_CHDB_PATH"] = str(chdb_path())
    env["DBT_PROFILES_DIR"] = str(project_dir())
    env[SETTINGS_FINGERPRINT_ENV] = settings_fingerprint(dbt_project, cli_vars)
    return env


def report_dir() -> Path:
    """Where `millimetric report` and the `millimetric_report` asset write by default:
    $MILLIMETRIC_REPORT_DIR, else `reports/` in the project."""
    env = os.environ.get("MILLIMETRIC_REPORT_DIR")
    return Path(env).resolve() if env else project_dir() / "reports"


def clickhouse_cluster() -> str | None:
    """The cluster of the `cluster` target ($CLICKHOUSE_CLUSTER), for ON CLUSTER statements."""
    return os.environ.get("CLICKHOUSE_CLUSTER") or None
