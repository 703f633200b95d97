"""Fuzzing the loader: whatever a file holds, every record is loaded or rejected with a known
reason, the rows and files around it still load, and `millimetric load` prints no traceback.

Each case is one file, made from a seed: NDJSON (sometimes gzipped), CSV or Parquet, mixing
valid events, events with fields of the wrong type or form, random bytes, JSON of random depth
and size, and Parquet columns of random Arrow types and extreme values. What each file should
give (records, blank lines, each record's raw text) is worked out here, from the bytes written,
not by the loader.

CI runs the CI_CASES seeds 0..CI_CASES-1, the same on every run. The soak test (marker `soak`,
skipped unless chosen) runs MILLIMETRIC_FUZZ_CASES cases (default 1,000) from a random first
seed, or from MILLIMETRIC_FUZZ_SEED to replay one; a failure names its seed:

    pytest -m soak tests/test_loader_fuzz.py
    MILLIMETRIC_FUZZ_CASES=5000 pytest tests/test_loader_fuzz.py -k soak
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.loader import REASON_CODES, load_paths
from orchestration.loader.readers import LONG_LINE_KEPT_BYTES, MAX_LINE_BYTES
from orchestration.raw.contract import EVENT_COLUMNS
from orchestration.runtime import warehouse

CI_CASES = 60

REQUIRED = ("event_id", "project_id", "event_name", "anonymous_id", "timestamp")

# loader_error means validation itself failed: a loader bug, which fuzzing exists to find.
ALLOWED_CODES = set(REASON_CODES) - {"loader_error"}


@dataclass
class Case:
    """One fuzzed file and what the loader must make of it. `records` maps each record's line
    number to its raw text (None where the format does not fix it: Parquet rows are JSON that
    the loader writes)."""

    seed: int
    path: Path
    records: dict[int, bytes | None] = field(default_factory=dict)
    blank_lines: int = 0
    chunk_size: int = 50_000


# --- values --------------------------------------------------------------------------------


def random_text(rng: random.Random, max_length: int = 40) -> str:
    alphabets = [
        "abcdefghijklmnopqrstuvwxyz0123456789",
        " ,;:'\"\\/{}[]<>-_=+!?@#$%^&*()\t",
        "éüßçøåñ€£¥ユーザー🙂👍🏽中文العربية",
        "\u200b\u2028\u3000\ufeff\x00\x1f",
    ]
    length = rng.choice([0, 1, rng.randint(0, max_length)])
    return "".join(rng.choice(rng.choice(alphabets)) for _ in range(length))


def random_bytes(rng: random.Random, max_length: int = 300, forbid: bytes = b"\n") -> bytes:
    length = rng.choice([1, rng.randint(1, 20), rng.randint(1, max_length)])
    data = bytes(rng.getrandbits(8) for _ in range(length))
    for b in forbid:
        data = data.replace(bytes([b]), b"?")
    return data


def nested_json(rng: random.Random, depth: int) -> str:
    """JSON text nesting arrays and objects `depth` levels deep."""
    opening, closing = [], []
    for _ in range(depth):
        if rng.random() < 0.5:
            opening.append("[")
            closing.append("]")
        else:
            opening.append('{"k":')
            closing.append("}")
    return "".join(opening) + rng.choice(["1", '"x"', "null"]) + "".join(reversed(closing))


def random_depth(rng: random.Random) -> int:
    return rng.choice([1, 2, 5, 40, 97, 98, 99, 100, 101, 150, 900, 999, 1000, 1500, 3000, 20_000])


def random_json_value(rng: random.Random, budget: int = 3) -> object:
    roll = rng.random()
    if budget <= 0 or roll < 0.5:
        return rng.choice(
            [
                None,
                True,
                False,
                0,
                -1,
                2**63,
                10**40,
                1.5,
                -0.0,
                1e308,
                random_text(rng),
                "12,50",
                "NaN",
                "",
            ]
        )
    if roll < 0.75:
        return [random_json_value(rng, budget - 1) for _ in range(rng.randint(0, 4))]
    return {
        random_text(rng, 8): random_json_value(rng, budget - 1) for _ in range(rng.randint(0, 4))
    }


# three hours after the test starts: a received_at this late is impossible for real traffic
FUTURE = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=3)


def random_timestamp(rng: random.Random) -> object:
    year = rng.choice([1, 1899, 1900, 1970, 2024, 2299, 2300, 9999])
    iso = f"{year:04d}-03-01T12:00:00.123Z"
    return rng.choice(
        [
            iso,
            iso.replace("T", " "),
            iso.lower(),
            f"{year:04d}-03-01T12:00:00+14:00",
            f"{year:04d}-03-01",
            "10000-01-01T00:00:00Z",
            # ahead of the load, beyond and within the clock skew (received_at_in_future)
            FUTURE.strftime("%Y-%m-%dT%H:%M:%SZ"),
            (FUTURE - dt.timedelta(hours=3) + dt.timedelta(minutes=1)).isoformat(),
            "2024-02-30T10:00:00Z",
            "2024-03-01T25:00:00Z",
            "1709294400",
            1_709_294_400,
            1.7e9,
            "",
            " ",
            None,
            random_text(rng),
            [iso],
            {"t": iso},
            True,
        ]
    )


def valid_event(rng: random.Random) -> dict[str, object]:
    event: dict[str, object] = {
        "event_id": f"e{rng.randint(0, 400)}",
        "project_id": rng.choice(["p1", "p2"]),
        "event_name": rng.choice(["$pageview", "$identify", "purchase"]),
        "anonymous_id": f"a{rng.randint(0, 20)}",
        "timestamp": f"2024-03-{rng.randint(1, 28):02d}T12:{rng.randint(0, 59):02d}:00Z",
    }
    if rng.random() < 0.3:
        event["user_id"] = f"u{rng.randint(0, 10)}"
        if rng.random() < 0.3:
            del event["anonymous_id"]
    if rng.random() < 0.5:
        event["properties"] = {"revenue": rng.choice([12.5, "12.50", "12,50", "NaN", None])}
    return event


def mutated_event(rng: random.Random) -> dict[str, object]:
    event = valid_event(rng)
    for _ in range(rng.randint(1, 3)):
        name = rng.choice([*EVENT_COLUMNS, "colour", "", "user-id"])
        roll = rng.random()
        if roll < 0.2:
            event.pop(name, None)
        elif name in ("timestamp", "received_at") and roll < 0.7:
            event[name] = random_timestamp(rng)
        elif name == "properties" and roll < 0.7:
            depth = random_depth(rng)
            event[name] = rng.choice(
                [
                    random_json_value(rng),
                    json.dumps(random_json_value(rng)),
                    '{"a":' + nested_json(rng, depth) + "}",
                    "{" * rng.randint(1, 5),
                    '{"revenue": 1e400}',
                    '{"revenue": 1e-400}',
                    '{"n": ' + "9" * 4301 + "}",
                    '{"x": "\\ud800"}',
                ]
            )
        else:
            event[name] = rng.choice(
                [
                    random_json_value(rng),
                    random_text(rng, 300),
                    "x" * rng.choice([200, 201, 8192, 8193, 70_000]),
                    "é" * 4097,
                ]
            )
    return event


def ndjson_line(rng: random.Random) -> bytes:
    kind = rng.choices(
        ["valid", "mutated", "deep", "deep_properties", "bytes", "json", "broken", "blank", "long"],
        weights=[30, 30, 6, 6, 8, 6, 10, 4, 1],
    )[0]
    if kind == "long":  # around the 1 MiB line limit, under it or over (oversized_line)
        size = MAX_LINE_BYTES + rng.choice([-100, -1, 0, 1, 2, 100_000])
        head = json.dumps(valid_event(rng))[:-1].encode() + b',"url":"'
        return head + b"u" * (size - len(head) - 2) + b'"}'
    if kind == "valid":
        return json.dumps(valid_event(rng), ensure_ascii=rng.random() < 0.5).encode()
    if kind == "mutated":
        return json.dumps(mutated_event(rng), ensure_ascii=rng.random() < 0.5).encode()
    if kind == "deep":
        text = nested_json(rng, random_depth(rng))
        if rng.random() < 0.5:
            text = json.dumps(valid_event(rng))[:-1] + f',"properties":{{"d":{text}}}}}'
        return text.encode()
    if kind == "deep_properties":
        event = valid_event(rng)
        event["properties"] = '{"d":' + nested_json(rng, random_depth(rng)) + "}"
        return json.dumps(event).encode()
    if kind == "bytes":
        return random_bytes(rng)
    if kind == "json":
        return json.dumps(random_json_value(rng, budget=5)).encode()
    if kind == "broken":
        line = bytearray(json.dumps(valid_event(rng), ensure_ascii=False).encode())
        roll = rng.random()
        if roll < 0.4:
            return bytes(line[: rng.randint(0, len(line))])
        if roll < 0.8:
            for _ in range(rng.randint(1, 4)):
                line[rng.randrange(len(line))] = rng.choice(b'\x00\xff\xc3"\\{}[],: \r')
            return bytes(line)
        return rng.choice(
            [
                b'{"event_id": NaN}',
                b'{"n": ' + b"9" * 5000 + b"}",
                b"{'event_id': 'e1', 'user_id': 'u1'}",
                b"<html><body>502 Bad Gateway</body></html>",
                b'{"event_id":"e1"}{"event_id":"e2"}',
                b'{"a":"\\ud800"}',
            ]
        )
    return rng.choice([b"", b"   ", b"\t", b"\r"])


# --- files ---------------------------------------------------------------------------------


def ndjson_case(rng: random.Random, seed: int, directory: Path) -> Case:
    lines = [ndjson_line(rng) for _ in range(rng.randint(0, 40))]
    ending = rng.choice([b"\n", b"\r\n"])
    data = b"".join(line + ending for line in lines)
    if rng.random() < 0.2:
        data = data.removesuffix(ending)  # no newline at the end
    if rng.random() < 0.1:
        data = codecs.BOM_UTF8 + data
    gzipped = rng.random() < 0.2
    path = directory / f"case{seed:06d}.ndjson{'.gz' if gzipped else ''}"
    path.write_bytes(gzip.compress(data, mtime=0) if gzipped else data)
    case = Case(seed, path)
    physical = data.split(b"\n")
    if physical[-1] == b"":
        physical.pop()  # the text after the last newline, when there is none
    for number, line in enumerate(physical, start=1):
        line = line.removesuffix(b"\r")
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if line.strip():
            case.records[number] = line
        else:
            case.blank_lines += 1
    return case


def csv_case(rng: random.Random, seed: int, directory: Path) -> Case:
    header = rng.sample(EVENT_COLUMNS, rng.randint(2, len(EVENT_COLUMNS)))
    if rng.random() < 0.8:  # most files have the columns a valid row needs
        header += [name for name in REQUIRED if name not in header]
        rng.shuffle(header)
    if rng.random() < 0.1:
        header.insert(rng.randrange(len(header) + 1), "colour")
    ending = rng.choice(["\n", "\r\n"])
    chunks: list[bytes] = []
    case = Case(seed, directory / f"case{seed:06d}.csv")
    line_number = 1

    def add(record: bytes) -> None:
        nonlocal line_number
        chunks.append(record)
        line_number += record.count(b"\n")

    def add_record(start: int, text: bytes) -> None:
        # A record is blank when its text is (Unicode) whitespace only, quotes being text.
        if text.decode("utf-8", "surrogateescape").strip():
            case.records[start] = text
        else:
            case.blank_lines += 1

    add(",".join(header).encode() + ending.encode())
    for _ in range(rng.randint(0, 40)):
        start = line_number
        if rng.random() < 0.15:
            # garbage without quotes or line breaks, so that record boundaries stay known
            record = random_bytes(rng, 200, forbid=b'"\r\n')
            add_record(start, record)
            add(record + ending.encode())
            continue
        event = mutated_event(rng) if rng.random() < 0.5 else valid_event(rng)
        width = len(header) + rng.choice([0, 0, 0, 0, -1, 1])
        row = []
        for name in (header + ["extra"])[:width]:
            value = event.get(name)
            if value is None:
                row.append("")
            elif isinstance(value, str):
                row.append(value)
            else:
                row.append(json.dumps(value))
        if rng.random() < 0.2 and row:
            row[rng.randrange(len(row))] = random_text(rng) + "\n" + random_text(rng)
            # Python's csv stops at a NUL on the line it reads: inside a record of several
            # lines that would move the record boundaries this test works out.
            row = [value.replace("\x00", "") for value in row]
        out = io.StringIO()
        csv.writer(out, lineterminator=ending).writerow(row)
        record = out.getvalue().encode("utf-8")
        add_record(start, record.removesuffix(ending.encode()))
        add(record)
    data = b"".join(chunks)
    if rng.random() < 0.1:
        data = codecs.BOM_UTF8 + data
    case.path.write_bytes(data)
    return case


def arrow_column(rng: random.Random, name: str, n: int, kind: str | None = None) -> pa.Array:
    """A column of a random Arrow type (or of `kind`), with extreme values and nulls."""

    def ints(lo: int, hi: int) -> list[int | None]:
        return [
            None if rng.random() < 0.1 else rng.choice([lo, hi, 0, rng.randint(lo, hi)])
            for _ in range(n)
        ]

    big = 2**63 - 1
    ms_2024 = 1_709_294_400_000
    kind = kind or rng.choice(
        [
            "string",
            "iso",
            "binary",
            "int",
            "float",
            "bool",
            "decimal",
            "date",
            "timestamp",
            "time",
            "duration",
            "list",
            "struct",
            "map",
            "dictionary",
            "null",
            "deep",
        ]
    )
    if kind == "string":
        return pa.array([None if rng.random() < 0.1 else random_text(rng) for _ in range(n)])
    if kind == "iso":
        return pa.array([str(random_timestamp(rng)) for _ in range(n)], type=pa.large_string())
    if kind == "binary":
        return pa.array([random_bytes(rng, 30) for _ in range(n)], type=pa.binary())
    if kind == "int":
        return pa.array(ints(-(2**63), big), type=pa.int64())
    if kind == "float":
        values = [rng.choice([float("nan"), float("inf"), -1e308, 0.5, None]) for _ in range(n)]
        return pa.array(values, type=pa.float64())
    if kind == "bool":
        return pa.array([rng.choice([True, False, None]) for _ in range(n)])
    if kind == "decimal":
        values = [None if v is None else decimal.Decimal(v) / 100 for v in ints(-(10**35), 10**35)]
        return pa.array(values, type=pa.decimal128(38, 2))
    if kind == "date":
        return pa.array(ints(-(2**31), 2**31 - 1), type=pa.date32())
    if kind == "timestamp":
        unit = rng.choice(["s", "ms", "us", "ns"])
        tz = rng.choice([None, "UTC", "UTC", "+05:30", "America/New_York", "Mars/Olympus"])
        per_ms = {"s": 0.001, "ms": 1, "us": 1000, "ns": 1_000_000}[unit]
        most = big // 1000 if unit == "s" else big  # Parquet stores seconds as milliseconds
        extremes = [
            int(253_402_300_800_000 * per_ms) if unit != "ns" else most,  # year 10000
            -most,
            most,
            int(-2_208_988_800_000 * per_ms),  # 1900-01-01
        ]
        values = [
            None
            if rng.random() < 0.1
            else rng.choice(extremes)
            if rng.random() < 0.3
            else int((ms_2024 + rng.randint(0, 10**9)) * per_ms)
            for _ in range(n)
        ]
        return pa.array(values, type=pa.timestamp(unit, tz=tz))
    if kind == "time":
        return pa.array(ints(0, 10**11), type=pa.time64("us"))
    if kind == "duration":
        return pa.array(ints(-big, big), type=pa.duration(rng.choice(["s", "ns"])))
    if kind == "list":
        return pa.array([[rng.randint(0, 9)] * rng.randint(0, 3) for _ in range(n)])
    if kind == "struct":
        return pa.array(
            [{"revenue": rng.choice([1.5, None]), "s": random_text(rng)} for _ in range(n)]
        )
    if kind == "map":
        return pa.array(
            [[("k", rng.randint(0, 9))] for _ in range(n)], type=pa.map_(pa.string(), pa.int64())
        )
    if kind == "dictionary":
        return pa.array([rng.choice(["a", "b", None]) for _ in range(n)]).dictionary_encode()
    if kind == "null":
        return pa.nulls(n)
    depth = rng.randint(2, 45)  # Parquet allows 100 schema levels, two per list
    arrow_type: pa.DataType = pa.int64()
    for _ in range(depth):
        arrow_type = pa.list_(arrow_type)

    def value(level: int) -> object:
        return 1 if level == 0 else [value(level - 1)]

    return pa.array([value(depth) for _ in range(n)], type=arrow_type)


def parquet_case(rng: random.Random, seed: int, directory: Path) -> Case:
    n = rng.randint(0, 30)
    names = rng.sample(EVENT_COLUMNS, rng.randint(1, len(EVENT_COLUMNS)))
    if rng.random() < 0.8:
        names += [name for name in REQUIRED if name not in names]
    if rng.random() < 0.2:
        names.append(rng.choice(["colour", "", "__index_level_0__", "ユーザー"]))
    natural = {
        "timestamp": "timestamp",
        "received_at": "timestamp",
        "properties": "struct",
        "is_anonymous_id_fabricated": "bool",
    }
    randomized = set(rng.sample(names, min(len(names), rng.choice([0, 1, 1, 2, 3]))))
    columns = {}
    for name in names:
        if name in randomized:
            columns[name] = arrow_column(rng, name, n)
        elif name in natural:
            columns[name] = arrow_column(rng, name, n, kind=natural[name])
        else:
            values = [f"{name[:1]}{rng.randint(0, 30)}" for _ in range(n)]
            columns[name] = pa.array(values, type=rng.choice([pa.string(), pa.large_string()]))
    path = directory / f"case{seed:06d}.parquet"
    pq.write_table(pa.table(columns), path, row_group_size=rng.choice([1, 7, 1000]))
    return Case(seed, path, records={number: None for number in range(1, n + 1)})


def make_case(seed: int, directory: Path) -> Case:
    rng = random.Random(seed)
    maker = rng.choices([ndjson_case, csv_case, parquet_case], weights=[45, 25, 30])[0]
    case = maker(rng, seed, directory)
    case.chunk_size = rng.choice([1, 3, 7, 50_000, 50_000, 50_000])
    return case


# --- checks --------------------------------------------------------------------------------


def check_case(client, case: Case) -> None:
    where = f"case {case.seed} ({case.path.name}, chunk_size {case.chunk_size})"
    try:
        summary = load_paths(client, [case.path], chunk_size=case.chunk_size)
    except Exception as e:  # the point of the test: say which case, then fail
        raise AssertionError(f"{where}: load_paths raised {type(e).__name__}: {e}") from e
    (f,) = summary.files
    assert f.error is None, f"{where}: {f.error}"
    assert f.lines_read == len(case.records), where
    assert f.blank_lines == case.blank_lines, where
    assert f.loaded + f.rejected == f.lines_read, where
    assert f.inserted + f.duplicates_skipped + f.forgotten_skipped == f.loaded, where
    assert set(f.rejected_by_reason) <= ALLOWED_CODES, f"{where}: {dict(f.rejected_by_reason)}"

    rows = client.query(
        "SELECT line_number, reason, raw_line FROM raw.events_rejected WHERE file = {f:String}",
        parameters={"f": str(case.path.resolve())},
        query_formats={"String": "bytes"},
    ).result_rows
    assert len(rows) == f.rejected, where
    for line_number, reason, raw in rows:
        code, _, detail = reason.decode().partition(": ")
        assert code in ALLOWED_CODES and detail, f"{where}: line {line_number}: {reason!r}"
        assert line_number in case.records, f"{where}: line {line_number} is not a record"
        expected = case.records[line_number]
        if expected is None:
            json.loads(raw)  # a Parquet row is stored as JSON (NaN included)
        elif code == "oversized_line":  # read past, never held: its head is what is kept
            assert len(expected) > MAX_LINE_BYTES, f"{where}: line {line_number} is not long"
            assert raw == expected[:LONG_LINE_KEPT_BYTES], f"{where}: line {line_number}'s head"
        else:
            assert raw == expected, f"{where}: line {line_number} not stored verbatim"


def run_cases(seeds: range, directory: Path) -> list[Case]:
    cases = [make_case(seed, directory) for seed in seeds]
    with warehouse.connect() as client:
        for case in cases:
            check_case(client, case)
        (stored,) = client.query("SELECT count() FROM raw.events").result_rows[0]
    assert stored > 0, "no case loaded a single row: the generator has drifted"
    return cases


def test_fuzzed_files_load_or_reject_every_record(chdb_path, tmp_path):
    started = time.monotonic()
    cases = run_cases(range(CI_CASES), tmp_path)
    formats = {case.path.suffixes[0] for case in cases}
    assert formats == {".ndjson", ".csv", ".parquet"}
    print(f"{CI_CASES} fuzz cases in {time.monotonic() - started:.1f} s")


def test_the_load_command_prints_no_traceback_for_fuzzed_files(chdb_path, tmp_path):
    # A separate warehouse for the command's own process; every case in one command, so a
    # file can only be reported, never stop the ones after it.
    cases = [make_case(seed, tmp_path) for seed in range(CI_CASES)]
    env = {**os.environ, "MILLIMETRIC_CHDB_PATH": str(tmp_path / "cli_warehouse")}
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "load", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    assert "Errors (" not in output, output
    total = sum(len(case.records) for case in cases)
    assert f" of {total:,} lines loaded" in output, output


@pytest.mark.soak
def test_soak_fuzzed_files(chdb_path, tmp_path, request):
    # Skipped, not deselected, by default: a `-m 'not slow'` of someone else's would otherwise
    # replace a `-m 'not soak'` in addopts and start a soak.
    if "soak" not in request.config.option.markexpr and "MILLIMETRIC_FUZZ_CASES" not in os.environ:
        pytest.skip("soak: run with -m soak or MILLIMETRIC_FUZZ_CASES=N")
    cases = int(os.environ.get("MILLIMETRIC_FUZZ_CASES", "1000"))
    first = int(os.environ.get("MILLIMETRIC_FUZZ_SEED", random.randrange(10**6, 10**9)))
    print(f"soak: {cases} cases from seed {first} (MILLIMETRIC_FUZZ_SEED={first} replays)")
    # Files are written and checked in batches, so that disk use stays small.
    for start in range(first, first + cases, 200):
        batch = tmp_path / f"batch{start}"
        batch.mkdir()
        run_cases(range(start, min(start + 200, first + cases)), batch)
        shutil.rmtree(batch)
