"""`millimetric export`: the files read back (DuckDB for Parquet, pyarrow for CSV) equal the marts
row for row, with the contract's types, on a real chDB warehouse built by real dbt."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from orchestration.cli import main
from orchestration.runtime import warehouse
from orchestration.serve import export
from tests.conftest import Query
from tests.traffickit import write_generated

WORLD = {"days": 14, "visitors": 1500, "projects": 2, "seed": 33}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(module_warehouse) -> Query:
    return module_warehouse("export", lambda: write_generated(**WORLD))


def mart_columns(built: Query) -> dict[str, list[tuple[str, str]]]:
    """mart -> [(column, ClickHouse type)], from system.columns."""
    marts: dict[str, list[tuple[str, str]]] = {}
    for table, name, type_ in built(
        "select table, name, type from system.columns where database = 'marts' "
        "order by table, position"
    ):
        marts.setdefault(table, []).append((name, type_))
    return marts


def expected_arrow_type(clickhouse_type: str) -> pa.DataType:
    """The contract's type, as Parquet must keep it: decimals stay decimals, UTC stays UTC."""
    inner = re.fullmatch(r"(?:Nullable|LowCardinality)\((.*)\)", clickhouse_type)
    if inner:
        return expected_arrow_type(inner.group(1))
    if m := re.fullmatch(r"Decimal\((\d+), (\d+)\)", clickhouse_type):
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    if clickhouse_type == "DateTime64(3, 'UTC')":
        return pa.timestamp("ms", tz="UTC")
    return {
        "String": pa.string(),
        "Date": pa.date32(),
        "Float64": pa.float64(),
        "UInt8": pa.uint8(),
        "UInt64": pa.uint64(),
        "Int64": pa.int64(),
    }[clickhouse_type]


def normalised(value):
    """Python values from either side, made comparable: aware UTC datetimes become naive UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def rows_of(rows) -> list[tuple]:
    return sorted((tuple(normalised(v) for v in row) for row in rows), key=repr)


def mart_rows(mart: str, project: str | None = None) -> list[tuple]:
    where = f"where project_id = '{project}'" if project else ""
    with warehouse.connect() as client:
        return rows_of(client.query(f"select * from marts.{mart} {where}").result_rows)


def test_parquet_equals_every_mart_row_for_row_with_the_contract_types(built, tmp_path, capsys):
    assert main(["export", "--to", str(tmp_path)]) == 0
    columns = mart_columns(built)
    assert {"sessions", "users", "conversions", "attribution_credits"} <= set(columns)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{m}.parquet" for m in columns] + [export.MANIFEST]
    )
    reader = duckdb.connect()
    reader.execute("set TimeZone = 'UTC'")
    for mart, cols in columns.items():
        path = tmp_path / f"{mart}.parquet"
        schema = pq.read_schema(path)
        assert schema.names == [name for name, _ in cols]
        for (name, type_), arrow_field in zip(cols, schema, strict=True):
            assert arrow_field.type == expected_arrow_type(type_), (mart, name, type_)
        from_duckdb = rows_of(reader.execute(f"select * from read_parquet('{path}')").fetchall())
        assert from_duckdb == mart_rows(mart), mart
        assert from_duckdb, f"marts.{mart} is empty: the comparison says nothing"
    # stdout lists the files, progress went to stderr
    out = capsys.readouterr()
    assert all("\t" in line for line in out.out.strip().splitlines())
    assert "rows ->" in out.err


def test_csv_of_one_project_equals_its_rows(built, tmp_path):
    marts = ["sessions", "conversions", "attribution_daily"]
    assert main(["export", "--to", str(tmp_path), "--format", "csv", "--project", "proj_02",
                 "--mart", *marts]) == 0  # fmt: skip
    folder = tmp_path / "proj_02"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{m}.csv" for m in marts] + [export.MANIFEST]
    )
    columns = mart_columns(built)
    for mart in marts:
        types = {name: expected_arrow_type(type_) for name, type_ in columns[mart]}
        # NULL is an empty unquoted field, an empty string a quoted "" (as DuckDB reads them)
        options = pa_csv.ConvertOptions(
            column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False
        )
        table = pa_csv.read_csv(folder / f"{mart}.csv", convert_options=options)
        rows = rows_of(zip(*(table.column(n).to_pylist() for n in types), strict=True))
        assert rows == mart_rows(mart, "proj_02"), mart
        assert {row[list(types).index("project_id")] for row in rows} == {"proj_02"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mart", "sessions", "nope"], "unknown mart(s) 'nope'; the marts are: "),
        (["--project", "proj_99"], "unknown project 'proj_99'; projects: proj_01, proj_02"),
    ],
    ids=["unknown-mart", "unknown-project"],
)
def test_bad_input_is_one_clear_line(built, tmp_path, capsys, args, message):
    assert main(["export", "--to", str(tmp_path / "out"), *args]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("millimetric export: ") and message in err and "\n" not in err
    if "mart" in message:
        assert all(m in err for m in mart_columns(built))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unwritable_folder_is_one_clear_line(built, capsys):
    assert main(["export", "--to", "/proc/millimetric-export"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("millimetric export: cannot write to /proc/millimetric-export")
    assert "\n" not in err


def test_files_open_as_paths_bi_tools_use(built, tmp_path):
    """A BI tool or DuckDB reads the folder as a whole: one glob over it sees every mart."""
    with warehouse.connect() as client:
        export.export_marts(client, Path(tmp_path), marts=["sessions", "web_daily"])
    [(sessions,)] = duckdb.sql(f"select count(*) from '{tmp_path}/sessions.parquet'").fetchall()
    [(expected,)] = built("select count() from marts.sessions")
    assert sessions == expected


# --- whole or absent ----------------------------------------------------------------------------


def file_rows(path: Path) -> int:
    """Rows in an exported file, counted by reading it (DuckDB for Parquet, pyarrow for CSV)."""
    if path.suffix == ".parquet":
        [(rows,)] = duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchall()
        return rows
    return pa_csv.read_csv(path).num_rows


def contents(folder: Path) -> dict[str, bytes]:
    """Every file of a folder and its bytes, subfolders as their own listing."""
    return {p.name: contents(p) if p.is_dir() else p.read_bytes() for p in sorted(folder.iterdir())}


def assert_manifest_matches(built: Query, folder: Path, fmt: str, project, marts) -> dict:
    """The manifest names exactly the folder's files, their rows as read from the files and
    as counted in the marts, their columns with the marts' types, the format and the project."""
    manifest = json.loads((folder / export.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["layout_version"] == export.LAYOUT_VERSION
    assert (manifest["format"], manifest["project"]) == (fmt, project)
    assert manifest["all_projects"] is (project is None)
    assert manifest["exported_at"].endswith("Z")
    exported_at = dt.datetime.fromisoformat(manifest["exported_at"])
    assert dt.timedelta(0) <= dt.datetime.now(dt.UTC) - exported_at < dt.timedelta(minutes=10)
    assert list(manifest["marts"]) == list(marts)
    files = [entry["file"] for entry in manifest["marts"].values()]
    assert files == [f"{mart}.{fmt}" for mart in marts]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*files, export.MANIFEST])
    columns = mart_columns(built)
    where = f" where project_id = '{project}'" if project else ""
    for mart, entry in manifest["marts"].items():
        path = folder / entry["file"]
        assert [(c["name"], c["type"]) for c in entry["columns"]] == columns[mart], mart
        [(in_mart,)] = built(f"select count() from marts.{mart}{where}")
        assert entry["rows"] == file_rows(path) == in_mart > 0, mart
        if fmt == "parquet":
            schema = pq.read_schema(path)
            assert [(f.name, str(f.type)) for f in schema] == [
                (c["name"], c["file_type"]) for c in entry["columns"]
            ]
    return manifest


def test_the_manifest_lists_what_belongs_together(built, tmp_path):
    with warehouse.connect() as client:
        every = export.mart_names(client)
        export.export_marts(client, tmp_path / "all")
        marts = ["conversions", "sessions"]
        export.export_marts(client, tmp_path, "csv", project="proj_01", marts=marts)
    assert_manifest_matches(built, tmp_path / "all", "parquet", None, every)
    assert_manifest_matches(built, tmp_path / "proj_01", "csv", "proj_01", marts)


def test_an_earlier_exports_files_are_replaced_as_one_step(built, tmp_path, capsys):
    """A second export into the folder leaves only its own files and manifest: the earlier
    export's `users.parquet`, not asked for this time, is gone, and the command says so."""
    folder = tmp_path / "exports"
    assert main(["export", "--to", str(folder), "--mart", "users", "sessions"]) == 0
    assert "into the new folder" in capsys.readouterr().err
    assert main(["export", "--to", str(folder), "--mart", "sessions", "web_daily"]) == 0
    err = capsys.readouterr().err
    assert "replaced the export of 20" in err and "as one step" in err
    assert "removed its files not exported this time: users.parquet" in err
    assert_manifest_matches(built, folder, "parquet", None, ["sessions", "web_daily"])
    # nothing is left beside the folder either: the swapped-out folder is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]


@pytest.mark.parametrize(
    "foreign",
    ["notes.txt", "users.parquet", "proj_01/sessions.parquet", ".DS_Store"],
    ids=["a-note", "an-export-without-manifest", "a-subfolder", "a-hidden-file"],
)
def test_a_folder_holding_other_files_is_refused_and_left_as_it_was(
    built, tmp_path, capsys, foreign
):
    """Files no export listed are never deleted: the export refuses with one line and changes
    nothing, neither the foreign file nor the earlier export beside it."""
    folder = tmp_path / "exports"
    assert main(["export", "--to", str(folder), "--mart", "web_daily"]) == 0
    if foreign == "users.parquet":  # as an export before manifests left it
        (folder / export.MANIFEST).unlink()
    (folder / foreign).parent.mkdir(exist_ok=True)
    (folder / foreign).write_bytes(b"someone else's")
    before = contents(tmp_path)
    capsys.readouterr()
    assert main(["export", "--to", str(folder), "--mart", "sessions"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"millimetric export: refusing to export into {folder}: it holds ")
    assert foreign.split("/")[0] in err and "nothing was changed" in err and "\n" not in err
    assert contents(tmp_path) == before


def test_a_failed_export_leaves_the_previous_one_as_it_was(built, tmp_path):
    """An export that stops half-way (here Ctrl-C after its first mart) removes what it wrote
    and leaves the previous export whole and readable."""
    folder = tmp_path / "exports"
    with warehouse.connect() as client:
        export.export_marts(client, folder, marts=["users", "conversions"])
    before = contents(tmp_path)

    def interrupted(message: str) -> None:
        if "rows ->" in message:
            raise KeyboardInterrupt

    with warehouse.connect() as client, pytest.raises(KeyboardInterrupt):
        export.export_marts(client, folder, marts=["sessions", "users"], progress=interrupted)
    assert contents(tmp_path) == before
    assert_manifest_matches(built, folder, "parquet", None, ["users", "conversions"])


def test_a_crash_between_the_two_renames_is_repaired_by_the_next_export(built, tmp_path):
    """Where the filesystem cannot swap two folders in one call, the export renames twice; a
    crash between the two leaves the previous export in `.<name>.replaced-*` (made here by
    hand, as that crash would). The next export puts it back, then replaces it as usual."""
    folder = tmp_path / "exports"
    with warehouse.connect() as client:
        export.export_marts(client, folder, marts=["users"])
        folder.rename(tmp_path / ".exports.replaced-0123abcd")
        said: list[str] = []
        export.export_marts(client, folder, marts=["web_daily"], progress=said.append)
    assert any("put back the previous export" in line for line in said), said
    assert any("replaced the export of" in line and "users.parquet" in line for line in said)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]
    assert_manifest_matches(built, folder, "parquet", None, ["web_daily"])


KILLED = """
import sys
from pathlib import Path
from orchestration.serve import export
from orchestration.runtime import warehouse
with warehouse.connect() as client:
    export.export_marts(client, Path(sys.argv[1]), marts=["sessions", "wide_killed"])
"""


def test_a_killed_export_leaves_the_previous_one_whole_and_the_next_removes_its_leftovers(
    built, tmp_path, capsys
):
    """kill -9 of an export while it writes a big mart: the previous export stays whole and
    readable; what the killed one left (its hidden folder, and the `*.partial` an older
    version wrote in the folder itself, ids and all) is gone after the next export."""
    folder = tmp_path / "exports"
    assert main(["export", "--to", str(folder), "--mart", "users", "conversions"]) == 0
    previous = contents(folder)
    with warehouse.connect() as client:
        client.command(
            "create table marts.wide_killed engine = MergeTree order by id as select number "
            "as id, repeat('x', 200) || toString(number) as payload from numbers(2000000)"
        )
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED, str(folder)],
            cwd=Path(__file__).resolve().parent.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        half = []
        while not half and process.poll() is None and time.monotonic() < deadline:
            half = list(tmp_path.glob(".exports.export-*/wide_killed.parquet.partial"))
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert half, "the export ended before it could be killed mid-write"
        [staging] = list(tmp_path.glob(".exports.export-*"))
        assert (staging / "sessions.parquet").exists()  # written whole, never swapped in
        # the previous export is untouched and whole
        assert contents(folder) == previous
        assert_manifest_matches(built, folder, "parquet", None, ["users", "conversions"])
        # and what an export before this layout left when killed: the half-written file itself
        legacy = folder / "attribution_credits.parquet.partial"
        legacy.write_bytes(b"PAR1 half a file")

        capsys.readouterr()
        assert main(["export", "--to", str(folder), "--mart", "web_daily"]) == 0
        err = capsys.readouterr().err
        assert "removed what a stopped export left" in err and legacy.name in err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]
        assert_manifest_matches(built, folder, "parquet", None, ["web_daily"])
    finally:
        with warehouse.connect() as client:
            client.command("drop table if exists marts.wide_killed sync")


MEASURE = """
import resource, sys
from pathlib import Path
from orchestration.serve import export
from orchestration.runtime import warehouse
with warehouse.connect() as client:
    if sys.argv[1] == "export":
        export.export_marts(
            client, Path(sys.argv[2]), marts=["wide"], progress=lambda m: print(m, file=sys.stderr)
        )
    else:
        client.query("select count(), sum(length(payload)) from marts.wide")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def test_a_big_mart_streams_in_chunks_with_bounded_memory(built, tmp_path):
    """A 700 MB mart is written a chunk at a time, with a progress line per chunk, and the
    export's peak memory grows by a few chunks only, measured in fresh processes (chDB's own
    baseline subtracted). Runs last: it adds, then drops, marts.wide."""
    rows, width = 2_500_000, 260
    with warehouse.connect() as client:
        client.command(
            "create table marts.wide engine = MergeTree order by id as "
            f"select number as id, repeat('x', {width}) || toString(number) as payload, "
            "toDecimal128(number / 7, 18) as credit, "
            "toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + number as touched_at "
            f"from numbers({rows})"
        )
    try:

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-c", MEASURE, *args],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
            )

        baseline = int(run("count").stdout.split()[-1])
        exported = run("export", str(tmp_path))
        data = rows * (width + 8 + 16 + 8)
        growth = int(exported.stdout.split()[-1]) - baseline
        assert growth < data / 3, (baseline, growth, data)
        # a row group per chunk, each at most a chunk plus the ClickHouse block that filled it
        parquet = pq.ParquetFile(tmp_path / "wide.parquet")
        sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
        assert sum(sizes) == rows and len(sizes) >= rows // (export.CHUNK_ROWS + 65_536)
        assert max(sizes) < export.CHUNK_ROWS + 65_536
        assert exported.stderr.count(" / ") == len(sizes) - 1
        # the same rows: every column's aggregate agrees with chDB's
        aggregates = (
            "count(*), sum(id), sum(length(payload)), sum(credit), min(touched_at), max(touched_at)"
        )
        [from_duckdb] = duckdb.sql(
            f"select {aggregates.replace('length', 'strlen')} from '{tmp_path}/wide.parquet'"
        ).fetchall()
        [from_chdb] = built(f"select {aggregates} from marts.wide")
        assert tuple(normalised(v) for v in from_duckdb) == tuple(normalised(v) for v in from_chdb)
    finally:
        with warehouse.connect() as client:
            client.command("drop table marts.wide sync")
