"""Forget under faults: a replay from a device whose clock ran ahead, a load killed in the
middle of an insert, an audit table written before per-request counts, and the disk scan that
every forget test relies on."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.forget import propagate_pending, request_forget, verify_pending
from orchestration.forget.audit import audit_row
from orchestration.forget.targets import RAW_TARGETS
from orchestration.loader import LoadSummary, load_paths
from orchestration.runtime import warehouse
from tests import forgetkit
from tests.eventkit import T0, insert_events
from tests.forgetkit import (
    ADA_EMAIL,
    BOB_EMAIL,
    BOB_ID,
    assert_nowhere_on_disk,
    audit,
    files_containing,
    forget,
    identify,
    tables_holding,
    world,
    write_ndjson,
)

pipeline = forgetkit.pipeline
built_world = forgetkit.built_world

MARTS_WITH_USERS = ("sessions", "identity_stitch", "users", "conversions", "attribution_credits")


def load(path: Path) -> LoadSummary:
    with warehouse.connect() as client:
        return load_paths(client, [path])


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# 2. A replay and a device clock that runs ahead


@pytest.mark.slow
def test_a_replay_cannot_bring_back_a_person_whose_clock_ran_ahead(pipeline, query, tmp_path):
    # Ada's phone clock runs 7 hours ahead: inside the 24 h skew allowance, not quarantined
    received = utc_now()
    ahead = identify("p1", "phone", received + dt.timedelta(hours=7), "ada", ADA_EMAIL)
    ahead.received_at = received
    export = write_ndjson(tmp_path / "export.ndjson", [ahead])
    assert load(export).inserted == 1
    request_id = forget("p1", user_id="ada")
    pipeline["run"]("forget_propagation")
    assert audit(request_id)["status"] == "verified"

    # the same file again: the server received that event before the forget, whatever its
    # device said the time was
    summary = load(export)
    assert (summary.inserted, summary.forgotten_skipped) == (0, 1)
    assert_nowhere_on_disk(ADA_EMAIL, pipeline, control=BOB_EMAIL)

    # the same event written straight into raw.events, as the API does: staging keeps it out
    insert_events([ahead])
    pipeline["run"]("nightly_build")
    assert query(
        "select count() from analytics.stg_millimetric__events "
        "where project_id = 'p1' and user_id = 'ada'"
    ) == [(0,)]
    for table in MARTS_WITH_USERS:
        assert query(
            f"select count() from marts.{table} where project_id = 'p1' and user_id = 'ada'"
        ) == [(0,)], table

    # she really comes back after the forget (her clock still ahead) and signs up again:
    # received after the forget, so new data, through the loader and through staging
    returned = utc_now()
    back = identify(
        "p1", "new-phone", returned + dt.timedelta(hours=7), "ada", "ada.again@forgetme.test"
    )
    back.received_at = returned
    assert load(write_ndjson(tmp_path / "signup.ndjson", [back])).inserted == 1
    pipeline["run"]("nightly_build")
    assert query(
        "select device_count, JSONExtractString(traits, 'email') from marts.users "
        "where project_id = 'p1' and user_id = 'ada'"
    ) == [(1, "ada.again@forgetme.test")]


# 3. Temporary insert files


def insert_files(folders: list[Path]) -> dict[Path, int]:
    """The insert files (`*.native`) under the folders, with their sizes. os.walk, not rglob:
    the load renames and removes part folders while they are listed, and os.walk skips a
    folder that vanished where rglob raises."""
    sizes = {}
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                if not name.endswith(".native"):
                    continue
                file = Path(parent) / name
                try:
                    sizes[file] = file.stat().st_size
                except FileNotFoundError:  # the insert finished meanwhile
                    pass
    return sizes


def kill_while_inserting(process: subprocess.Popen, folders: list[Path]) -> bool:
    """SIGKILL `process` while one of its insert files (`*.native`) holding an email is on
    disk in one of the folders. Stopping it first makes sure the file is still there at the
    kill. False if the process ended before that happened."""
    checked: dict[Path, int] = {}  # file -> its size when it held no email yet
    while process.poll() is None:
        found = [f for f, size in insert_files(folders).items() if checked.get(f) != size]
        if not found:
            time.sleep(0.002)
            continue
        os.kill(process.pid, signal.SIGSTOP)
        for file in found:
            try:
                data = file.read_bytes()
            except FileNotFoundError:
                continue
            if b"@example.com" in data:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                return True
            checked[file] = len(data)
        os.kill(process.pid, signal.SIGCONT)
    return False


def test_a_killed_load_leaves_its_insert_files_only_in_the_warehouse(chdb_path, tmp_path):
    exports = tmp_path / "exports"
    system_tmp = tmp_path / "system_tmp"  # the load's /tmp: TMPDIR points here
    system_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(system_tmp), "DAGSTER_HOME": str(tmp_path / "dagster")}
    millimetric = str(Path(sys.executable).with_name("millimetric"))
    generate = ["generate", "--days", "3", "--visitors", "3000", "--projects", "1"]
    subprocess.run(
        [millimetric, *generate, "--format", "ndjson", "--out", str(exports)],
        env=env,
        check=True,
        capture_output=True,
    )

    loading = subprocess.Popen(
        [millimetric, "load", str(exports)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        caught = kill_while_inserting(loading, [system_tmp, chdb_path])
    finally:
        if loading.poll() is None:
            loading.kill()
        loading.wait()
    assert caught, "the load finished before an insert of personal data could be caught"

    # nothing was left where forget cannot reach
    assert sorted(system_tmp.rglob("*")) == []
    # the insert it was killed in left its file inside the warehouse directory, emails and all
    leftovers = sorted(chdb_path.rglob("*.native"))
    assert any(b"@example.com" in f.read_bytes() for f in leftovers)

    # the next process to open the warehouse removes it
    subprocess.run([millimetric, "init"], env=env, check=True, capture_output=True)
    assert sorted(chdb_path.rglob("*.native")) == []
    assert sorted(system_tmp.rglob("*")) == []


def test_verification_fails_while_an_insert_file_is_left_in_the_warehouse(chdb_path, query):
    insert_events(world())
    targets = list(RAW_TARGETS)
    with warehouse.connect() as client:
        # a key with no rows: nothing to rewrite, so only the insert file can hold it back
        request_id = request_forget(client, "p1", user_id="nobody")
        propagate_pending(client, targets)
        stuck = warehouse.insert_temp_dir() / "tmp_stuck.native"
        stuck.write_text(ADA_EMAIL)
        outcome = verify_pending(client, targets, wait_seconds=5)
        assert (outcome["verified"], outcome["unverified"], outcome["temp_files"]) == (0, 1, 1)
        assert audit_row(client, request_id)["status"] == "propagated"

        stuck.unlink()
        outcome = verify_pending(client, targets, wait_seconds=5)
        assert (outcome["verified"], outcome["temp_files"]) == (1, 0)
        assert audit_row(client, request_id)["status"] == "verified"


# 5. The audit: an existing table from before per-request counts and history

OLD_FORGET_LOG_DDL = """
    CREATE TABLE audit.forget_log
    (
        request_id String,
        project_id String,
        key_type LowCardinality(String),
        forgotten_key String,
        status LowCardinality(String),
        rows_removed Map(String, UInt64),
        remaining_rows Map(String, UInt64),
        received_at DateTime64(3, 'UTC'),
        started_at Nullable(DateTime64(3, 'UTC')),
        finished_at Nullable(DateTime64(3, 'UTC')),
        verified_at Nullable(DateTime64(3, 'UTC')),
        updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
    )
    ENGINE = ReplacingMergeTree(updated_at)
    ORDER BY request_id
"""


def test_init_migrates_an_old_audit_table_keeping_every_row(chdb_path, query):
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    columns = ["request_id", "project_id", "key_type", "forgotten_key", "status"]
    columns += ["rows_removed", "remaining_rows", "received_at", "started_at"]
    columns += ["finished_at", "verified_at"]
    # the old table carried each request's counts over from state to state
    states = [
        ["r1", "p1", "user_id", "ada", "propagating", {}, {}, at, at, None, None],
        ["r1", "p1", "user_id", "ada", "propagated", {"raw.events": 40}, {}, at, at, at, None],
        ["r1", "p1", "user_id", "ada", "verified", {"raw.events": 40}, {"raw.events": 0}]
        + [at, at, at, at],
        ["r2", "p1", "invalid", "", "invalid", {}, {}, at, None, None, None],
    ]
    with warehouse.connect() as client:
        client.command("CREATE DATABASE audit")
        client.command(OLD_FORGET_LOG_DDL)
        client.command("SYSTEM STOP MERGES audit.forget_log")  # keep every old row as it is
        for state in states:
            client.insert("audit.forget_log", [state], column_names=columns)
    assert query("select count() from audit.forget_log") == [(4,)]

    assert main(["init"]) == 0
    assert main(["init"]) == 0
    assert query(
        "select engine from system.tables where database = 'audit' and name = 'forget_log'"
    ) == [("MergeTree",)]
    assert query("select count() from audit.forget_log") == [(4,)]
    assert query("select count() from system.tables where database = 'audit'") == [(2,)]
    from orchestration.forget.audit import audit_history

    with warehouse.connect() as client:
        r1, r2 = audit_row(client, "r1"), audit_row(client, "r2")
        history = audit_history(client, "r1")
    assert r1["status"] == "verified" and r1["verified_at"] is not None
    assert r1["rows_removed"] == {"raw.events": 40}  # counted once, not once per state
    assert r1["remaining_rows"] == {"raw.events": 0}
    assert r2["status"] == "invalid"
    assert [h["status"] for h in history] == ["propagating", "propagated", "verified"]


# 6. The disk scan


def test_the_disk_scan_sees_every_stored_email(chdb_path):
    insert_events(world())
    emails = {e.properties["email"] for e in world() if "email" in e.properties}
    assert len(emails) == 4
    for email in sorted(emails):
        assert files_containing(email, chdb_path), email
    assert files_containing("nobody.ever@forgetme.test", chdb_path) == []


def test_the_disk_scan_reads_zstd_columns(chdb_path):
    """ZSTD is not ClickHouse's default codec for data, but a column may ask for it, and the
    primary index and marks use it; the scan decompresses it like LZ4."""
    with warehouse.connect() as client:
        client.command(
            "create table default.zstd_emails (email String CODEC(ZSTD)) "
            "engine = MergeTree order by tuple()"
        )
        emails = [[f"u{n}.z9w4t@forgetme.test"] for n in range(2000)] + [[BOB_EMAIL]]
        client.insert("default.zstd_emails", emails, column_names=["email"])
    assert files_containing(BOB_EMAIL, chdb_path)


def test_the_disk_scan_reads_the_primary_index(chdb_path):
    """A table sorted by user id keeps ids in its primary index (ZSTD) as well as in its column
    data; the scan finds them in both, and names the table the files belong to."""
    with warehouse.connect() as client:
        client.command(
            "create table default.by_user (user_id String, n UInt64) "
            "engine = MergeTree order by user_id"
        )
        # enough granules for ZSTD to compress the index (a few keys are stored as they are)
        client.command(
            "insert into default.by_user select {id:String}, 0 union all "
            "select concat('u', toString(number), '.r8d3w'), number from numbers(200000)",
            parameters={"id": BOB_ID},
        )
    found = files_containing(BOB_ID, chdb_path)
    index = [Path(file) for file in found if file.endswith("primary.cidx")]
    assert index, found
    assert all(BOB_ID.encode() not in file.read_bytes() for file in index), "seen undecompressed"
    assert tables_holding(BOB_ID, chdb_path) == {"default.by_user"}


def test_the_disk_scan_refuses_a_block_it_cannot_decompress():
    """A codec the scan does not know raises, so a forget test fails rather than passing blind."""
    payload = b"bob.z9w4t@forgetme.test"
    header = bytes([0x91]) + (9 + len(payload)).to_bytes(4, "little")
    block = bytes(16) + header + len(payload).to_bytes(4, "little") + payload
    with pytest.raises(forgetkit.UnreadableData, match="compression method 0x91 at byte 0"):
        forgetkit.decompressed(block, "x.bin")
    # the same block marked as stored without compression is read
    assert forgetkit.decompressed(bytes(16) + bytes([0x02]) + block[17:], "x.bin") == payload


def test_the_disk_scan_reads_a_column_across_its_compressed_blocks(chdb_path):
    """Written last among thousands of similar values, the email is made of back-references
    in an LZ4 block far into the column; the scan reads the decompressed stream as a whole."""
    filler = [
        identify("p1", f"d{n}", T0, f"u{n}", f"u{n}.q7k2m@forgetme.test") for n in range(5000)
    ]
    insert_events([*filler, identify("p1", "laptop", T0, "ada", ADA_EMAIL)])
    assert files_containing(ADA_EMAIL, chdb_path)
