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

from orchestration import settings
from orchestration.loader.readers import SUPPORTED
from orchestration.raw import tables
from orchestration.runtime import warehouse

if TYPE_CHECKING:
    from orchestration.runtime.runs import RunStopped  # imports Dagster and dbt: seconds


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


# What a command that stopped on a full disk left, for the one line it ends with.
AFTER_DISK_FULL = {
    "load": "the file being loaded was not stored and the files before it were; free space "
    "and load the same files again: what is stored is skipped",
}


def disk_full_line(command: str) -> str:
    after = AFTER_DISK_FULL.get(command, "free space and run it again")
    return f"{warehouse.disk_full_reason()}: {after}"


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
    from orchestration.serve.query import run_query

    print(run_query(args.sql, args.format))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from dagster_dbt.errors import DagsterDbtCliRuntimeError

    from orchestration.launch.build import build
    from orchestration.runtime.runs import RunFailed, RunStopped

    try:
        result = build(full_refresh=args.full_refresh)
    except RunStopped as stopped:
        return report_stopped("build", stopped)
    except RunFailed as failed:
        if isinstance(failed.error, DagsterDbtCliRuntimeError):
            # dagster-dbt's message names every failing model and test and dbt's log; the
            # Python stack under it says nothing about them
            print(failed.error, file=sys.stderr)
        if warehouse.is_disk_full(failed.error):
            print(f"millimetric build: {disk_full_line('build')}", file=sys.stderr)
        else:
            print(f"millimetric build: {failed}", file=sys.stderr)
        return 1
    from orchestration.serve.build_summary import build_summary

    print(build_summary())
    from orchestration.defs.report.assets import report_paths

    for project, path in report_paths(result).items():
        print(f"Report for {project}: {path}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    require_ids(project_id=args.project_id, user_id=args.user_id, anonymous_id=args.anonymous_id)
    from orchestration.forget.now import ForgetFailed, forget_now
    from orchestration.launch.build import InProcessRunner, dagster_instance
    from orchestration.runtime.runs import RunStopped

    # DAGSTER_HOME is checked before anything is recorded: a request recorded by a command
    # that then fails on its own settings would sit pending, unexplained
    runner = InProcessRunner(dagster_instance())
    try:
        outcome = forget_now(
            runner,
            args.project_id,
            user_id=args.user_id,
            anonymous_id=args.anonymous_id,
            enqueue_only=args.enqueue_only,
            recorded=lambda request_id: print(f"forget request {request_id} recorded", flush=True),
        )
    except RunStopped as stopped:
        return report_stopped("forget", stopped)
    except ForgetFailed as failed:
        print(f"millimetric forget: {failed}", file=sys.stderr)
        return 1
    if outcome.queued:
        print("queued: the forget_request_sensor or the next nightly_build will propagate it")
        return 0
    if outcome.audit is None:
        print(
            f"millimetric forget: request {outcome.request_id} has no audit row; see the "
            "forget_propagation run. It stays pending: the next build or forget does it",
            file=sys.stderr,
        )
        return 1
    from orchestration.serve.query import render

    print(render(list(outcome.audit), [tuple(outcome.audit.values())], "table"), flush=True)
    if outcome.verified:
        return 0
    print(
        f"millimetric forget: request {outcome.request_id} is {outcome.audit['status']}, not "
        f"verified: {outcome.why_unverified}. It stays pending: the next build or forget "
        "verifies it",
        file=sys.stderr,
    )
    return 1


def cmd_report(args: argparse.Namespace) -> int:
    from orchestration.serve.report import ReportError, write_reports

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


def cmd_explain(args: argparse.Namespace) -> int:
    from orchestration.serve.explain import ExplainError, explain, render_explained

    ids = {"project": args.project, "conversion-id": args.conversion_id, "user-id": args.user_id}
    for option, value in ids.items():
        if value == "":  # what an unset shell variable gives
            raise UsageError(f"--{option} is empty (''); give the id to explain")
    try:
        with warehouse.connect() as client:
            explained = explain(client, args.project, args.conversion_id, args.user_id)
    except ExplainError as error:
        print(f"millimetric explain: {error}", file=sys.stderr)
        return 1
    print(render_explained(explained, args.format))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.serve.export import ExportError, export_marts

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
    from orchestration.serve import bi_access

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

    def command(name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
        """A subcommand whose --help opens with its one-line summary, then the details."""
        return commands.add_parser(
            name,
            help=summary,
            description=f"{summary}.\n\n{details}" if details else f"{summary}.",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    command(
        "init", "create the raw tables and forget's audit tables (safe to repeat)"
    ).set_defaults(run=cmd_init)

    generate = command(
        "generate",
        "write synthetic traffic with ground truth",
        "Visitors, devices, sessions, identifies, signups, purchases and ad spend, with the\n"
        "truth (who is who, which session converted) in the truth database (docs/generator.md).",
    )
    generate.add_argument("--days", type=int, default=30, help="days of traffic (default 30)")
    generate.add_argument(
        "--visitors",
        type=int,
        default=10_000,
        help="visitor devices, over all projects (default 10000)",
    )
    generate.add_argument("--projects", type=int, default=2, help="projects (default 2)")
    generate.add_argument(
        "--seed", type=int, default=1, help="random seed: the same seed writes the same traffic"
    )
    generate.add_argument(
        "--start-date",
        type=dt.date.fromisoformat,
        default=None,
        help="first day, YYYY-MM-DD (default 2026-01-01, so a seed always writes the same)",
    )
    generate.add_argument(
        "--format",
        choices=("warehouse", "ndjson"),
        default="warehouse",
        help="into raw.events (default) or as NDJSON files to load later",
    )
    generate.add_argument("--out", type=Path, default=None, help="directory for --format ndjson")
    generate.set_defaults(run=cmd_generate)

    load = command(
        "load",
        "load event files into raw.events and ad spend files into raw.ad_spend",
        f"Files: {SUPPORTED}.\n"
        "A folder loads its files of those types, sorted by name (dotfiles skipped).\n\n"
        "Spend files are told from event files by their columns: a CSV file whose header, or a\n"
        "Parquet file whose schema, names the column `spend` is ad spend (project_id, date,\n"
        "source, medium, campaign, spend, currency); every other file is events. NDJSON is\n"
        "always events.\n\n"
        "Every row is loaded or rejected with its reason (raw.events_rejected); reloading a\n"
        "file changes nothing. Exit 1 if a file could not be read (docs/loading.md).",
    )
    load.add_argument("paths", type=Path, nargs="+", help="files or folders to load")
    load.set_defaults(run=cmd_load)

    query = command("query", "run SQL on the current target and print the result")
    query.add_argument("sql", help='one SQL statement, e.g. "select count() from marts.users"')
    query.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people (default), csv or json for tools",
    )
    query.set_defaults(run=cmd_query)

    forget = command(
        "forget",
        "forget a person or a device everywhere, then verify it",
        "Records the request, purges every table that holds the id, rebuilds what depended on\n"
        "it and proves it gone, on disk too; prints the request's audit (docs/forget.md).",
    )
    forget.add_argument("--project-id", required=True, help="the project the id belongs to")
    who = forget.add_mutually_exclusive_group(required=True)
    who.add_argument("--user-id", help="a person: every device linked to them goes too")
    who.add_argument("--anonymous-id", help="one device")
    forget.add_argument(
        "--enqueue-only", action="store_true", help="only record the request; do not propagate"
    )
    forget.set_defaults(run=cmd_forget)

    build = command(
        "build",
        "run the nightly_build job in-process (forget, dbt build, verification, report)",
    )
    build.add_argument(
        "--full-refresh", action="store_true", help="rebuild every model from raw instead"
    )
    build.set_defaults(run=cmd_build)

    report = command("report", "write the HTML report of a project (every project by default)")
    report.add_argument("--project", help="a project id; default: one report per project")
    report.add_argument("--days", type=int, default=30, help="days up to the latest data")
    report.add_argument(
        "--out", type=Path, help="an .html file (one project) or a folder; default: reports/"
    )
    report.set_defaults(run=cmd_report)

    explain = command(
        "explain",
        "show why a conversion got its credit: its sessions, devices and each model's share",
        "Reads the marts only. A forgotten person's ids are not found (docs/attribution.md).",
    )
    explain.add_argument("--project", required=True, help="the project the id belongs to")
    which = explain.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversion-id", help="one conversion (marts.conversions)")
    which.add_argument("--user-id", help="every conversion of this person, oldest first")
    explain.add_argument(
        "--format", choices=("table", "json"), default="table", help="json: one document for tools"
    )
    explain.set_defaults(run=cmd_explain)

    export = command("export", "write the marts as Parquet or CSV files, one per mart")
    export.add_argument("--to", type=Path, required=True, help="the folder to write into")
    export.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="default parquet"
    )
    export.add_argument("--project", help="only this project's rows, in a folder of its own")
    export.add_argument("--mart", nargs="+", help="only these marts (default: all)")
    export.set_defaults(run=cmd_export)

    bi = command(
        "bi-access",
        "print (or --apply on a server) the SQL for a read-only BI user of some projects",
    )
    bi.add_argument("--user", required=True, help="the BI user's name, created if missing")
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
    except (DatabaseError, OSError) as error:
        if warehouse.is_disk_full(error):
            print(
                f"millimetric {args.command}: {disk_full_line(args.command)}",
                file=sys.stderr,
            )
            return 1
        if isinstance(error, OSError):
            raise
        # its own message names the problem; a traceback would only bury it
        print(f"millimetric {args.command}: {error}", file=sys.stderr)
        return 1
    except (settings.SettingError, warehouse.WarehouseDamaged) as error:
        print(f"millimetric {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"millimetric {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
