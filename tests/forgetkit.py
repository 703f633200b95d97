"""A small world for forget tests: two projects that share id strings, a person on two
devices, a shared device, and a hostile id. The fixtures that build it once through the real
Dagster jobs and give each test a copy, and the disk scan that is forget's bar."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lz4.block
import pytest
import zstandard
from dagster import DagsterInstance

from orchestration import settings
from orchestration.forget import propagate, request_forget
from orchestration.forget.audit import audit_row
from orchestration.forget.targets import EXEMPT_TABLES
from orchestration.launch.build import prepare_dagster_home, run_job
from orchestration.runtime import warehouse
from tests.eventkit import COLUMNS, T0, Event, insert_events, minutes

HOSTILE_ID = "x' OR 1=1 --"
ADA_EMAIL = "ada.q7k2m@forgetme.test"
BOB_EMAIL = "bob.z9w4t@forgetme.test"
# ids long and odd enough that finding one in a decompressed file cannot be chance
BOB_ID = "bob.r8d3w"
CY_ID = "cy.h6t2v"
CY_SERVER = "server.c3x8n"


def identify(project: str, device: str, at: dt.datetime, user: str, email: str) -> Event:
    traits = {"email": email, "plan": "pro", "tier": "gold", "team_size": 4}
    return Event(project, device, at, "$identify", user, properties=traits)


def world() -> list[Event]:
    """p1: Ada browses on her laptop from an ad, signs up, buys; later logs in on her phone.
    The laptop is shared: Bob identifies on it after Ada. A hostile id signs up too. Cy's
    server sends all her events with her user_id, so the "server" device is hers alone.
    p2: the same strings 'ada' and 'laptop' belong to someone else entirely."""
    day = dt.timedelta(days=1)
    ad = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring"
    return [
        Event("p1", "laptop", T0, url=ad),
        Event("p1", "laptop", T0 + minutes(5)),
        identify("p1", "laptop", T0 + day, "ada", ADA_EMAIL),
        Event(
            "p1",
            "laptop",
            T0 + day + minutes(2),
            "purchase",
            "ada",
            properties={"revenue": 120.5, "currency": "EUR", "note": ADA_EMAIL},
        ),
        Event("p1", "phone", T0 + 2 * day, url="https://shop.example/?gclid=g1"),
        identify("p1", "phone", T0 + 2 * day + minutes(1), "ada", ADA_EMAIL),
        Event("p1", "laptop", T0 + 3 * day, user_id="ada"),
        identify("p1", "laptop", T0 + 3 * day + minutes(3), BOB_ID, BOB_EMAIL),
        Event(
            "p1",
            "laptop",
            T0 + 3 * day + minutes(4),
            "purchase",
            BOB_ID,
            properties={"revenue": 9.99, "currency": "EUR"},
        ),
        Event("p1", "tablet", T0 + 4 * day, referrer="https://www.google.com/"),
        identify("p1", "tablet", T0 + 4 * day + minutes(1), HOSTILE_ID, "h@forgetme.test"),
        Event("p1", CY_SERVER, T0 + 5 * day, "signup", CY_ID),
        Event("p1", CY_SERVER, T0 + 5 * day + minutes(1), user_id=CY_ID),
        Event("p2", "laptop", T0, url=ad),
        identify("p2", "laptop", T0 + minutes(3), "ada", "other.ada@p2.test"),
        Event(
            "p2",
            "laptop",
            T0 + minutes(9),
            "purchase",
            "ada",
            properties={"revenue": 50, "currency": "USD"},
        ),
    ]


class UnreadableData(Exception):
    """A data file the scan cannot decompress: it could hold the text unseen."""


# ClickHouse's compressed block: a 16-byte checksum, then a 9-byte header (method, compressed
# size including the header, decompressed size; little-endian), then the data.
_CHECKSUM, _HEADER = 16, 9
_NONE, _LZ4, _ZSTD = 0x02, 0x82, 0x90


def decompressed(data: bytes, name: str = "") -> bytes:
    """The bytes a ClickHouse compressed file holds: its blocks decompressed and joined, so a
    value that spans two blocks is found too. Raises UnreadableData on anything else."""
    out, offset = [], 0
    while offset < len(data):
        if len(data) - offset < _CHECKSUM + _HEADER:
            raise UnreadableData(f"{name}: truncated block header at byte {offset}")
        head = offset + _CHECKSUM
        method = data[head]
        size = int.from_bytes(data[head + 1 : head + 5], "little")
        plain_size = int.from_bytes(data[head + 5 : head + 9], "little")
        end = head + size
        if size < _HEADER or end > len(data) or plain_size > 256 * size:
            raise UnreadableData(f"{name}: bad block sizes at byte {offset}")
        payload = data[head + _HEADER : end]
        if method == _NONE:
            block = payload
        elif method == _LZ4:
            try:
                block = lz4.block.decompress(payload, uncompressed_size=plain_size)
            except lz4.block.LZ4BlockError as error:
                raise UnreadableData(f"{name}: block at byte {offset}: {error}") from error
        elif method == _ZSTD:
            try:
                block = zstandard.ZstdDecompressor().decompress(payload, max_output_size=plain_size)
            except zstandard.ZstdError as error:
                raise UnreadableData(f"{name}: block at byte {offset}: {error}") from error
        else:
            raise UnreadableData(f"{name}: compression method 0x{method:02x} at byte {offset}")
        if len(block) != plain_size:
            raise UnreadableData(f"{name}: block at byte {offset} is not {plain_size} bytes")
        out.append(block)
        offset = end
    return b"".join(out)


# Files ClickHouse writes in compressed blocks: column data, the primary index (it holds the
# sort key's values, user and device ids included, ZSTD by default) and marks (offsets)
_COMPRESSED = {".bin", ".cidx", ".cmrk2", ".cmrk3", ".cmrk4"}


def _readable(path: Path) -> bytes:
    """A file's bytes as stored, plus, for a file written in compressed blocks, what they hold."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:  # removed while the scan ran (a replaced part): gone anyway
        return b""
    return data + decompressed(data, str(path)) if path.suffix in _COMPRESSED else data


def files_containing(text: str, *folders: Path) -> list[str]:
    """Every file under the folders whose bytes contain text, as ClickHouse stores it: column
    data is LZ4-compressed and the primary index ZSTD-compressed, so their blocks are
    decompressed first. A file it cannot decompress raises UnreadableData rather than passing
    unread."""
    needle = text.encode()
    return sorted(
        str(path)
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and needle in _readable(path)
    )


def tables_holding(text: str, warehouse_dir: Path) -> set[str]:
    """The warehouse tables with a file that holds text, by the data paths chDB reports for
    each table; a file of no table is named by its path."""
    with warehouse.connect() as client:
        rows = client.query("select database || '.' || name, data_paths from system.tables")
        paths = [(Path(p).resolve(), table) for table, data in rows.result_rows for p in data]
    holding = set()
    for file in files_containing(text, warehouse_dir):
        resolved = Path(file).resolve()
        tables = [table for path, table in paths if resolved.is_relative_to(path)]
        holding.update(tables or [file])
    return holding


@pytest.fixture(scope="session")
def built_world(tmp_path_factory) -> Path:
    """The world as nightly_build leaves it, built once per test process: the chDB directory
    and the DAGSTER_HOME whose event log holds that run. Each test gets a copy (`pipeline`)."""
    root = tmp_path_factory.mktemp("forget_world")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MILLIMETRIC_TARGET", "local")
        env.setenv("MILLIMETRIC_CHDB_PATH", str(root / "warehouse"))
        env.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        settings.disable_telemetry()
        prepare_dagster_home()
        insert_events(world())
        with DagsterInstance.get() as instance:
            assert run_job("nightly_build", instance=instance).success
    return root


@pytest.fixture
def pipeline(chdb_path, dagster_home, built_world):
    """This test's copy of the built world, with a Dagster instance whose event log is on disk.
    chDB's links between its folders are relative, so the copy opens on its own files."""
    shutil.copytree(built_world / "warehouse", chdb_path, symlinks=True)
    shutil.copytree(built_world / "dagster_home", dagster_home, symlinks=True, dirs_exist_ok=True)

    def run(job: str, raise_on_error: bool = True):
        with DagsterInstance.get() as fresh:
            return run_job(job, instance=fresh, raise_on_error=raise_on_error)

    return {"home": dagster_home, "run": run, "warehouse": chdb_path}


@contextmanager
def crash_after_purging(table: str) -> Iterator[None]:
    """Failure injection, for tests only: within this block a forget pass raises right after it
    has purged `table` and put what it removed on record, as a killed process would stop."""
    record_removed = propagate.record_removed

    def record_then_crash(client, keys, purged_table, removed, started) -> None:
        record_removed(client, keys, purged_table, removed, started)
        if purged_table == table:
            raise RuntimeError(f"injected failure after purging {table}")

    propagate.record_removed = record_then_crash
    try:
        yield
    finally:
        propagate.record_removed = record_removed


def forget(project_id: str, **key) -> str:
    with warehouse.connect() as client:
        return request_forget(client, project_id, **key)


def audit(request_id: str) -> dict:
    with warehouse.connect() as client:
        return audit_row(client, request_id)


def assert_nowhere_on_disk(text: str, pipeline: dict, control: str) -> None:
    """`text` is in no file of the warehouse, DAGSTER_HOME or dbt's target folder, while `control`,
    someone who was not forgotten, is still found in the warehouse by the same scan: a scan
    that cannot see stored values would pass anything."""
    assert files_containing(control, pipeline["warehouse"]), f"the scan must see {control}"
    folders = [pipeline["warehouse"], pipeline["home"], settings.dbt_target_dir()]
    assert files_containing(text, *folders) == []


def assert_id_nowhere_on_disk(forgotten: str, pipeline: dict, control: str) -> None:
    """A forgotten user or device id is in no file of the warehouse but the tables that keep
    the bare id by design (forget's EXEMPT_TABLES: the request, the audit log, the tombstones),
    nor in DAGSTER_HOME or dbt's target folder. Ids live in every derived table, and in the
    primary index of those sorted by them, so this reaches further than a trait. `control`,
    an id that was not forgotten, must be found by the same scan in a derived table."""
    warehouse_dir = pipeline["warehouse"]
    derived = {
        t for t in tables_holding(control, warehouse_dir) if t.startswith(("analytics.", "marts."))
    }
    assert derived, f"the scan must see {control} in a derived table"
    assert tables_holding(forgotten, warehouse_dir) - set(EXEMPT_TABLES) == set()
    assert files_containing(forgotten, pipeline["home"], settings.dbt_target_dir()) == []


def write_ndjson(path: Path, events: list[Event]) -> Path:
    """The events as an export file, one JSON object per line, received_at included."""
    lines = [json.dumps(dict(zip(COLUMNS, e.row(), strict=True)), default=str) for e in events]
    path.write_text("\n".join(lines) + "\n")
    return path
