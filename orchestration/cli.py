"""The `millimetric` command. Each subcommand is a thin call into a function tests also call."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from clickhouse_connect.driver.exceptions import DatabaseError

from orchestration import settings, tables, warehouse


def progress(message: str) -> None:
    """Progress lines go to stderr, so stdout stays clean for `query --format json`."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cmd_init(args: argparse.Namespace) -> int:
    with warehouse.connect() as client:
        tables.init(client)
    print(f"raw tables ready on target {settings.target()}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.generator import generate, write_ndjson, write_to_warehouse

    traffic = generate(
        days=args.days,
        visitors=args.visitors,
        projects=args.projects,
        seed=args.seed,
        start_date=args.start_date,
        progress=progress,
    )
    if args.format == "ndjson":
        if args.out is None:
            raise SystemExit("generate --format ndjson needs --out DIRECTORY")
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
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from orchestration.query import run_query

    print(run_query(args.sql, args.format))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from orchestration.build import build

    build(full_refresh=args.full_refresh)
    from orchestration.build_summary import build_summary

    print(build_summary())
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from orchestration.build import run_job
    from orchestration.forget import request_forget
    from orchestration.forget.audit import audit_row

    with warehouse.connect() as client:
        tables.init(client)
        request_id = request_forget(
            client, args.project_id, user_id=args.user_id, anonymous_id=args.anonymous_id
        )
    print(f"forget request {request_id} recorded")
    if args.enqueue_only:
        print("queued: the forget_request_sensor or the next nightly_build will propagate it")
        return 0
    run_job("forget_propagation")
    with warehouse.connect() as client:
        row = audit_row(client, request_id)
    if row is None:
        print(f"forget request {request_id}: no audit row; see the forget_propagation run")
        return 1
    from orchestration.query import render

    print(render(list(row), [tuple(row.values())], "table"))
    return 0 if row["status"] == "verified" else 1


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
    return root


def main(argv: list[str] | None = None) -> int:
    settings.disable_telemetry()
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DatabaseError as error:
        # ClickHouse's own message names the problem; a traceback would only bury it
        print(f"millimetric {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
