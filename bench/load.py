"""Loading benchmark: `millimetric load` against the engine's own parse of the same files.

    .venv/bin/python bench/load.py [--days 7] [--visitors 100000] [--projects 2] [--seed 11]
                                   [--out bench/out-load]

1. Writes NDJSON files with `millimetric generate --format ndjson` (untimed).
2. `millimetric load DIR` into a fresh chDB directory: the loader as a user runs it.
3. The engine alone, in a fresh chDB directory of its own: `file(..., LineAsString)` with
   `JSONExtract` of every column into a MergeTree table of raw.events' columns, as ClickHouse
   would read the same files with no rule checked. This is the floor a load can approach.

Each step is a subprocess; its wall time and peak RSS (os.wait4) are printed, and the ratio of
the two, measured side by side in one run. docs/loading.md (*Speed*) quotes the results.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"

# The engine's parse: every raw.events column a client sends, read from each line's JSON.
ENGINE_PARSE = """
import sys
from orchestration.raw import tables
from orchestration.runtime import warehouse
files = sys.argv[1]
with warehouse.connect() as client:
    tables.init(client)
    client.command("CREATE DATABASE IF NOT EXISTS bench")
    client.command("CREATE TABLE bench.events AS raw.events")
    client.command(f'''
        INSERT INTO bench.events (event_id, project_id, event_name, anonymous_id, user_id,
            timestamp, received_at, url, referrer, properties, user_agent)
        SELECT
            JSONExtractString(line, 'event_id'),
            JSONExtractString(line, 'project_id'),
            JSONExtractString(line, 'event_name'),
            JSONExtractString(line, 'anonymous_id'),
            JSONExtract(line, 'user_id', 'Nullable(String)'),
            parseDateTime64BestEffortOrZero(JSONExtractString(line, 'timestamp'), 3, 'UTC'),
            parseDateTime64BestEffortOrZero(JSONExtractString(line, 'received_at'), 3, 'UTC'),
            JSONExtractString(line, 'url'),
            JSONExtractString(line, 'referrer'),
            JSONExtractRaw(line, 'properties'),
            JSONExtractString(line, 'user_agent')
        FROM file('{files}', 'LineAsString', 'line String')
    ''')
    print(client.command("SELECT count() FROM bench.events"))
"""


def timed(name: str, argv: list, env: dict, out: Path) -> tuple[float, float, str]:
    """Runs argv; returns (seconds, its own peak RSS in MiB, its stdout), printing the first
    two. The output goes to files in `out`, read when it has ended."""
    stdout, stderr = out / f"{name}.out", out / f"{name}.err"
    started = time.monotonic()
    with stdout.open("wb") as o, stderr.open("wb") as e:
        process = subprocess.Popen(argv, env=env, stdout=o, stderr=e)
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status:
        sys.exit(f"{name} failed ({status}):\n{stderr.read_text()[-3000:]}")
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    print(f"{name}: {seconds:.1f} s, peak RSS {peak:,.0f} MiB", flush=True)
    return seconds, peak, stdout.read_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--visitors", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out-load")
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    files = args.out / "files"
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }
    subprocess.run(
        [PYTHON, "-m", "orchestration.cli", "generate", "--format", "ndjson", "--out", files]
        + ["--days", str(args.days), "--visitors", str(args.visitors)]
        + ["--projects", str(args.projects), "--seed", str(args.seed)],
        env=env,
        check=True,
        capture_output=True,
    )
    events = sorted(files.glob("events-*.ndjson"))
    lines = sum(path.read_bytes().count(b"\n") for path in events)
    size = sum(path.stat().st_size for path in events) / 2**20
    print(f"files: {len(events)} NDJSON, {lines:,} lines, {size:,.0f} MiB", flush=True)

    load_seconds, load_peak, _ = timed(
        "millimetric load",
        [PYTHON, "-m", "orchestration.cli", "load", *map(str, events)],
        {**env, "MILLIMETRIC_CHDB_PATH": str(args.out / "loaded")},
        args.out,
    )
    engine_seconds, engine_peak, counted = timed(
        "engine parse",
        [PYTHON, "-c", ENGINE_PARSE, str(files / "events-*.ndjson")],
        {**env, "MILLIMETRIC_CHDB_PATH": str(args.out / "engine")},
        args.out,
    )
    print(f"engine rows: {int(counted.split()[-1]):,}")
    print(
        f"load / engine parse: {load_seconds / engine_seconds:.1f}x the time "
        f"({lines / load_seconds:,.0f} against {lines / engine_seconds:,.0f} lines/s); "
        f"peak RSS {load_peak:,.0f} MiB against {engine_peak:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
