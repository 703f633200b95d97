"""The dbt vars the models see, read as dbt reads them, for the Python that must agree with
the models: the report's names, explain's model order, the currencies spend may be loaded in.

Why dbt_project.yml (plus any `--vars`) and not the manifest: dbt's manifest.json does not
record the project's vars. The builds that write the marts (`millimetric build`, the Dagster
jobs) pass no `--vars`, so the `vars:` of dbt_project.yml are what the marts were built with; a
caller that built with `--vars` passes the same string here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from orchestration import settings

PACKAGE = "millimetric"


def dbt_vars(project_dir: Path | None = None, cli_vars: str | dict | None = None) -> dict:
    """The vars this project's models see, resolved as dbt resolves them: the global keys of
    dbt_project.yml's `vars:`, replaced by those scoped to the project (`vars: {millimetric:
    {...}}`), replaced by `cli_vars` (dbt's `--vars`: a YAML mapping, or the dict it holds).
    Keys are replaced whole, never merged."""
    return _resolved_vars(_project(project_dir or settings.project_dir()), cli_vars)


def _project(folder: Path) -> dict:
    """The folder's dbt_project.yml."""
    return yaml.safe_load((folder / "dbt_project.yml").read_text(encoding="utf-8")) or {}


def _resolved_vars(project: dict, cli_vars: str | dict | None) -> dict:
    declared = project.get("vars") or {}
    resolved = {k: v for k, v in declared.items() if k != PACKAGE}
    if isinstance(declared.get(PACKAGE), dict):
        resolved.update(declared[PACKAGE])
    overrides = yaml.safe_load(cli_vars) if isinstance(cli_vars, str) else cli_vars
    if overrides is not None and not isinstance(overrides, dict):
        raise ValueError(f"--vars must be a YAML mapping, got {cli_vars!r}")
    resolved.update(overrides or {})
    return resolved


def settings_fingerprint(
    project_dir: Path | None = None, cli_vars: str | dict | None = None
) -> str:
    """One fingerprint of everything besides the events that shapes the models' rows: every
    var, resolved as dbt resolves it, and every seed file. Found from the project itself, so a
    var or seed added later is covered without a list to keep."""
    folder = project_dir or settings.project_dir()
    project = _project(folder)
    seeds = {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for seed_dir in project.get("seed-paths", ["seeds"])
        for path in sorted((folder / seed_dir).rglob("*.csv"))
    }
    held = {"vars": _resolved_vars(project, cli_vars), "seeds": seeds}
    return hashlib.sha256(json.dumps(held, sort_keys=True, default=str).encode()).hexdigest()
