"""The `millimetric` command. Each subcommand is a thin call into a function tests also call."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from clickhouse_connect.driver.exceptions import DatabaseError

from orchestration import settings, tables, warehouse

if TYPE_CHECKING:
    from orchestration.runs import RunStopped  # imports Dagster and dbt: seconds


def progress(message: str) -> None:
    """Progress lines go to stderr, so stdout stays clean for `query --format json`."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class UsageError(Exception):
    """An argument the command cannot use; the message names it and its value, on one line."""


def require_ids(**ids: str | None) -> None:
    """Each id given (not None) must not be empty, which is what an unset shell variable
    gives. Anything else is an id, blanks included: ids are stored verbatim."""
    for option, value in ids.items():
        if value == "":
            raise UsageError(f"--{option.replace('_', '-')} is empty (''); give the id to forget")


def require_at_least_one(**counts: int) -> None:
    for option, value in counts.items():
        if value < 1:
            raise UsageError(f"--{option} must be at least 1, not {value}")


def report_stopped(command: str, stopped: RunStopped, note: str = "") -> int:
    """One line for a run stopped by a signal or by waiting too long (runs.RunStopped), and
    its exit status. A signal asked this process to end, so it ends here, without the
    interpreter's teardown: chDB's embedded server has crashed in it (SIGSEGV) after an
    interrupted run, and a run thread stuck in C code would hold it up."""
    print(f"millimetric {command}: {stopped}{note}", file=sys.stderr, flush=True)
    if stopped.abandoned or stopped.exit_code > 128:
        import multiprocessing.util

        # what the teardown must still do: release the semaphores dbt's manifests hold, which
        # multiprocessing's resource tracker would otherwise report as leaked
        multiprocessing.util._exit_function()
        sys.stdout.flush()
        os._exit(stopped.exit_code)
    return stopped.exit_code


def cmd_init(args: argparse.Namespace) -> int:
    with warehouse.connect() as client:
        tables.init(client)
    print(f"raw tables ready on target {settings.target()}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.generator import generate, write_ndjson, write_to_warehouse

    # checked before generating, which takes minutes at full size
    require_at_least_one(days=args.days, visitors=args.visitors, projects=args.projects)
    if args.format == "ndjson" and args.out is None:
        raise UsageError("--format ndjson needs --out DIRECTORY")
    if args.format != "ndjson" and args.out is not None:
        raise UsageError(f"--out {args.out} is only for --format ndjson")
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} is a file, not a folder")
    traffic = generate(
        days=args.days,
        visitors=args.visitors,
        projects=args.projects,
        seed=args.seed,
        start_date=args.start_date,
        progress=progress,
    )
    if args.format == "ndjson":
        counts = write_ndjson(traffic, args.out, seed=args.seed, progress=progress)
        print(f"wrote NDJSON to {args.out}: {counts}")
    else:
        with warehouse.connect() as client:
            counts = write_to_warehouse(client, traffic, progress=progress)
        print(f"generated into raw.events: {counts}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from orchestration.loader import load_paths

    with warehouse.connect() as client:
        summary = load_paths(client, args.paths, progress=progress)
    print(summary.render())
    # a file that could not be read fails the command (scripts see it); rejected rows do not
    return 0 if summary.ok else 1


def cmd_query(args: argparse.Namespace) -> int:
    from orchestration.query import run_query

    print(run_query(args.sql, args.format))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from dagster_dbt.errors import DagsterDbtCliRuntimeError

    from orchestration.build import build
    from orchestration.runs import RunStopped

    try:
        result = build(full_refresh=args.full_refresh)
    except RunStopped as stopped:
        return report_stopped("build", stopped)
    except DagsterDbtCliRuntimeError as failed:
        # dagster-dbt's message names the failing models and tests and dbt's log; the Python
        # stack under it says nothing about them
        print(f"millimetric build: dbt failed. {failed}", file=sys.stderr)
        return 1
    from orchestration.build_summary import build_summary

    print(build_summary())
    from orchestration.defs.report.assets import report_paths

    for project, path in report_paths(result).items():
        print(f"Report for {project}: {path}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    require_ids(project_id=args.project_id, user_id=args.user_id, anonymous_id=args.anonymous_id)
    from orchestration.build import (
        dagster_instance,
        raise_if_signalled,
        run_job,
        stop_on_signals,
    )
    from orchestration.forget import request_forget
    from orchestration.forget.audit import audit_row
    from orchestration.runs import RunStopped, Waiting

    # DAGSTER_HOME is checked before anything is recorded: a request recorded by a command
    # that then fails on its own settings would sit pending, unexplained
    instance = dagster_instance()
    try:
        with stop_on_signals():
            Waiting(interrupted=raise_if_signalled).until_free(instance)
    except RunStopped as stopped:
        return report_stopped("forget", stopped, "; nothing was recorded")
    with warehouse.connect() as client:
        tables.init(client)
        request_id = request_forget(
            client, args.project_id, user_id=args.user_id, anonymous_id=args.anonymous_id
        )
    print(f"forget request {request_id} recorded", flush=True)
    if args.enqueue_only:
        print("queued: the forget_request_sensor or the next nightly_build will propagate it")
        return 0
    try:
        run_job("forget_propagation", instance=instance)
    except RunStopped as stopped:
        note = f"; forget request {request_id} stays pending: the next build or forget does it"
        return report_stopped("forget", stopped, note)
    with warehouse.connect() as client:
        row = audit_row(client, request_id)
    if row is None:
        print(f"forget request {request_id}: no audit row; see the forget_propagation run")
        return 1
    from orchestration.query import render

    print(render(list(row), [tuple(row.values())], "table"))
    return 0 if row["status"] == "verified" else 1


def cmd_report(args: argparse.Namespace) -> int:
    from orchestration.report import ReportError, write_reports

    try:
        with warehouse.connect() as client:
            paths = write_reports(
                client, project=args.project, days=args.days, out=args.out, progress=progress
            )
    except ReportError as error:
        print(f"millimetric report: {error}", file=sys.stderr)
        return 1
    for project, path in paths.items():
        print(f"Report for {project}: {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.export import ExportError, export_marts

    try:
        with warehouse.connect() as client:
            files = export_marts(
                client, args.to, args.format, args.project, args.mart, progress=progress
            )
    except ExportError as error:
        print(f"millimetric export: {error}", file=sys.stderr)
        return 1
    for exported in files:
        print(f"{exported.path}\t{exported.rows} rows")
    return 0


def cmd_bi_access(args: argparse.Namespace) -> int:
    from orchestration import bi_access

    try:
        if args.apply and settings.target() == "local":
            raise bi_access.BiAccessError(bi_access.NO_ACCESS_CONTROL)
        with warehouse.connect() as client:
            grant = bi_access.bi_access(client, args.user, args.project)
            if args.apply:
                bi_access.apply(client, grant)
    except bi_access.BiAccessError as error:
        print(f"millimetric bi-access: {error}", file=sys.stderr)
        return 1
    if args.apply:
        print(f"applied {len(grant.statements)} statements on target {settings.target()}")
        print(f"password of user {grant.user!r}, if it was created now: {grant.password}")
    else:
        print(grant.render())
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="millimetric",
        description="Millimetric warehouse. The target comes from MILLIMETRIC_TARGET "
        "(local chDB by default, at MILLIMETRIC_CHDB_PATH or .warehouse/).",
    )
    commands = root.add_subparsers(dest="command", required=True)

    commands.add_parser("init", help="create the raw-event tables (idempotent)").set_defaults(
        run=cmd_init
    )

    generate = commands.add_parser("generate", help="write synthetic traffic with ground truth")
    generate.add_argument("--days", type=int, default=30)
    generate.add_argument("--visitors", type=int, default=10_000)
    generate.add_argument("--projects", type=int, default=2)
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--start-date", type=dt.date.fromisoformat, default=None)
    generate.add_argument("--format", choices=("warehouse", "ndjson"), default="warehouse")
    generate.add_argument("--out", type=Path, default=None, help="directory for --format ndjson")
    generate.set_defaults(run=cmd_generate)

    load = commands.add_parser("load", help="load NDJSON, CSV or Parquet files into raw.events")
    load.add_argument("paths", type=Path, nargs="+")
    load.set_defaults(run=cmd_load)

    query = commands.add_parser("query", help="run SQL on the current target")
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(run=cmd_query)

    forget = commands.add_parser(
        "forget", help="forget a person or a device everywhere, then verify it"
    )
    forget.add_argument("--project-id", required=True)
    who = forget.add_mutually_exclusive_group(required=True)
    who.add_argument("--user-id")
    who.add_argument("--anonymous-id")
    forget.add_argument(
        "--enqueue-only", action="store_true", help="only record the request; do not propagate"
    )
    forget.set_defaults(run=cmd_forget)

    build = commands.add_parser(
        "build", help="run the nightly_build job in-process (forget, dbt build, verification)"
    )
    build.add_argument("--full-refresh", action="store_true")
    build.set_defaults(run=cmd_build)

    report = commands.add_parser(
        "report", help="write the HTML report of a project (every project by default)"
    )
    report.add_argument("--project", help="a project id; default: one report per project")
    report.add_argument("--days", type=int, default=30, help="days up to the latest data")
    report.add_argument(
        "--out", type=Path, help="an .html file (one project) or a folder; default: reports/"
    )
    report.set_defaults(run=cmd_report)

    export = commands.add_parser("export", help="write the marts as Parquet or CSV files")
    export.add_argument("--to", type=Path, required=True, help="the folder to write into")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("--project", help="only this project's rows, in a folder of its own")
    export.add_argument("--mart", nargs="+", help="only these marts (default: all)")
    export.set_defaults(run=cmd_export)

    bi = commands.add_parser(
        "bi-access",
        help="print (or --apply on a server) the SQL for a read-only BI user of some projects",
    )
    bi.add_argument("--user", required=True)
    bi.add_argument("--project", required=True, action="append", help="repeat for several")
    bi.add_argument("--apply", action="store_true", help="run it on the server target")
    bi.set_defaults(run=cmd_bi_access)
    return root


def main(argv: list[str] | None = None) -> int:
    settings.disable_telemetry()
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"millimetric {args.command}: {error}", file=sys.stderr)
        return 2
    except (DatabaseError, settings.SettingError) as error:
        # their own messages name the problem; a traceback would only bury it
        print(f"millimetric {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"millimetric {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
