"""`millimetric report`: one self-contained HTML page per project, read from the marts.

See docs/reporting.md. `write_reports` is what the CLI and the `millimetric_report` asset call.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from clickhouse_connect.driver.client import Client

from orchestration import settings
from orchestration.report.data import (
    ReportData,
    ReportError,
    choose_period,
    project_spans,
    report_data,
)
from orchestration.report.render import render

__all__ = ["DEFAULT_DAYS", "ReportData", "ReportError", "report_path", "write_reports"]

DEFAULT_DAYS = 30
MAX_DAYS = 3660
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def file_name(project: str) -> str:
    """`millimetric-report-<project>.html`, the project id made safe as a file name."""
    return f"millimetric-report-{_UNSAFE.sub('_', project).strip('.') or 'project'}.html"


def report_path(project: str, out: Path | None, several: bool) -> Path:
    """Where the report of `project` goes: `out` itself when it names an .html file, else a
    file named after the project in the folder `out` (default: settings.report_dir())."""
    out = Path(out) if out is not None else settings.report_dir()
    if out.suffix.lower() in (".html", ".htm"):
        if several:
            raise ReportError(
                f"--out {out} names one file, but there is one report per project: give "
                "--project P, or a folder for --out"
            )
        return out
    return out / file_name(project)


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
) -> dict[str, Path]:
    """Write the report of `project`, or of every project with data when it is None, and
    return project -> path. Bad input raises ReportError before anything is written."""
    if not 1 <= days <= MAX_DAYS:
        raise ReportError(f"--days must be between 1 and {MAX_DAYS}, not {days}")
    if project is None:
        projects = list(project_spans(client))
        if not projects:
            raise ReportError("there is no traffic in the marts yet: run `millimetric build`")
    else:
        projects = [project]
    periods = [choose_period(client, p, days) for p in projects]
    paths = {p: report_path(p, out, several=len(projects) > 1) for p in projects}
    for path in paths.values():
        _check_writable(path)
    written = {}
    for period in periods:
        if progress:
            progress(f"report: {period.project_id}, {period.start} to {period.end}")
        page = render(report_data(client, period), settings.target())
        _write(paths[period.project_id], page)
        written[period.project_id] = paths[period.project_id]
    return written
