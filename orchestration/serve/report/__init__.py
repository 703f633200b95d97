"""`millimetric report`: one self-contained HTML page per project, read from the marts.

See docs/reporting.md. `write_reports` is what the CLI and the `millimetric_report` asset call.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from clickhouse_connect.driver.client import Client

from orchestration import settings
from orchestration.serve.report.config import ReportConfig, report_config
from orchestration.serve.report.data import (
    ReportData,
    ReportError,
    choose_period,
    project_spans,
    report_data,
)
from orchestration.serve.report.render import render

__all__ = [
    "DEFAULT_DAYS",
    "ReportConfig",
    "ReportData",
    "ReportError",
    "file_name",
    "file_names",
    "report_config",
    "report_path",
    "write_reports",
]

DEFAULT_DAYS = 30
MAX_DAYS = 3660
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
# the readable part of a file name is cut here: a file name has at most 255 bytes
READABLE_CHARS = 80
# hex digits of the id's SHA-256 in a file name: ids that read alike still get files of their own
HASH_DIGITS = 8


def file_name(project: str, digits: int = HASH_DIGITS) -> str:
    """`millimetric-report-<readable>-<hash>.html`: the project id made safe as a file name
    (other characters become `_`), then the first `digits` hex digits of the SHA-256 of the
    exact id, so `a b` and `a_b` never share a file."""
    readable = _UNSAFE.sub("_", project).strip(".")[:READABLE_CHARS] or "project"
    digest = hashlib.sha256(project.encode("utf-8")).hexdigest()[:digits]
    return f"millimetric-report-{readable}-{digest}.html"


def file_names(projects: list[str], digits: int = HASH_DIGITS) -> dict[str, str]:
    """project -> file name, distinct for distinct ids: ids whose short names collide (a
    readable part and a hash prefix alike, which a hostile id could be made to do) get the
    whole SHA-256 instead."""
    names = {project: file_name(project, digits) for project in projects}
    seen = Counter(names.values())
    return {p: name if seen[name] == 1 else file_name(p, 64) for p, name in names.items()}


def report_path(project: str, out: Path | None, several: bool, name: str | None = None) -> Path:
    """Where the report of `project` goes: `out` itself when it names an .html file, else the
    file `name` (default: file_name(project)) in the folder `out` (default:
    settings.report_dir())."""
    out = Path(out) if out is not None else settings.report_dir()
    if out.suffix.lower() in (".html", ".htm"):
        if several:
            raise ReportError(
                f"--out {out} names one file, but there is one report per project: give "
                "--project P, or a folder for --out"
            )
        return out
    return out / (name or file_name(project))


def _check_writable(path: Path) -> None:
    """Fail on an unwritable --out before any query runs, with the reason."""
    try:
        if path.is_dir():
            raise ReportError(f"cannot write the report to {path}: it is a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        probe = path.with_name(f".{path.name}.probe")
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise ReportError(f"cannot write the report to {path}: {error.strerror or error}") from None


def _write(path: Path, page: str) -> None:
    """Write atomically: a reader (or a browser) never sees half a report."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        raise ReportError(f"cannot write the report to {path}: {error.strerror or error}") from None


def write_reports(
    client: Client,
    project: str | None = None,
    days: int = DEFAULT_DAYS,
    out: Path | None = None,
    progress: Callable[[str], None] | None = None,
    config: ReportConfig | None = None,
) -> dict[str, Path]:
    """Write the report of `project`, or of every project with data when it is None, and
    return project -> path. The conversions, models and currency are `config`'s, by default
    the dbt vars of the project (config.py). Bad input raises ReportError before anything is
    written."""
    if not 1 <= days <= MAX_DAYS:
        raise ReportError(f"--days must be between 1 and {MAX_DAYS}, not {days}")
    config = config or report_config()
    if project is None:
        projects = list(project_spans(client))
        if not projects:
            raise ReportError("there is no traffic in the marts yet: run `millimetric build`")
    else:
        projects = [project]
    periods = [choose_period(client, p, days) for p in projects]
    # named against every project with data, so that `--project P` picks the file the run
    # without --project gives P
    names = file_names(sorted(set(project_spans(client)) | set(projects)))
    paths = {p: report_path(p, out, len(projects) > 1, names[p]) for p in projects}
    for path in paths.values():
        _check_writable(path)
    written = {}
    for period in periods:
        if progress:
            progress(f"report: {period.project_id}, {period.start} to {period.end}")
        page = render(report_data(client, period, config), settings.target())
        _write(paths[period.project_id], page)
        written[period.project_id] = paths[period.project_id]
    return written
