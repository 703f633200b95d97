"""Forget, end to end through the real Dagster jobs on a real chDB directory.

The oracle for every forget: afterwards each derived table equals a full rebuild from the raw
events that remain, row for row; and the person's email is in no file on disk."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from orchestration.defs.forget.assets import current_targets
from orchestration.forget import request_forget
from orchestration.forget.audit import audit_row
from orchestration.forget.requests import ForgetKey
from orchestration.forget.verify import remaining_rows
from orchestration.runtime import warehouse
from tests import forgetkit
from tests.eventkit import COLUMNS, Event, insert_events
from tests.forgetkit import (
    ADA_EMAIL,
    BOB_EMAIL,
    BOB_ID,
    CY_ID,
    CY_SERVER,
    HOSTILE_ID,
    assert_id_nowhere_on_disk,
    assert_nowhere_on_disk,
    audit,
    crash_after_purging,
    files_containing,
    forget,
    world,
)
from tests.snapshots import assert_equals_full_rebuild

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

pipeline = forgetkit.pipeline
built_world = forgetkit.built_world


def rows_holding(project_id: str, key_type: str, key: str) -> dict[str, int]:
    """The rows that hold this key in each purged table, tables without any left out: what a
    forget of it must remove, counted before the forget."""
    request = ForgetKey("expected", project_id, key_type, key, dt.datetime.now(dt.UTC))
    with warehouse.connect() as client:
        counts = remaining_rows(client, [request], current_targets())["expected"]
    return {table: n for table, n in counts.items() if n}


def partitions_holding(project_id: str, key_type: str, key: str) -> int:
    """(table, partition) pairs of the purged tables that a forget of this key may rewrite,
    counted before the forget: those holding the key, and, in the tables that recompute or drop
    the devices a forgotten person used, those holding such a device (a device of theirs is
    one that sent their events or that identity_stitch links to them)."""
    total = 0
    with warehouse.connect() as client:
        for target in current_targets():
            columns = dict(target.columns_by_key_type)[key_type]
            touches_devices = target.reprocess_devices or target.drops_affected_devices
            if not (columns or touches_devices) or not client.command(
                f"exists table {target.table}"
            ):
                continue
            held = [f"`{c}` = {{k:String}}" for c in columns]
            if touches_devices and key_type == "user_id":
                held.append(
                    "anonymous_id in (select anonymous_id from raw.events "
                    "where project_id = {p:String} and user_id = {k:String} "
                    "union distinct select anonymous_id from marts.identity_stitch "
                    "where project_id = {p:String} and user_id = {k:String})"
                )
            total += int(
                client.command(
                    f"select count(distinct _partition_id) from {target.table} "
                    f"where project_id = {{p:String}} and ({' or '.join(held)})",
                    parameters={"p": project_id, "k": key},
                    settings={"apply_deleted_mask": 0},
                )
            )
    return total


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if n}


def test_forget_a_user_everywhere(pipeline, query):
    assert files_containing(ADA_EMAIL, pipeline["warehouse"]), "the scan must see the email"
    expected = rows_holding("p1", "user_id", "ada")
    assert expected["raw.events"] == 4  # two identifies, a purchase, a logged-in view
    request_id = forget("p1", user_id="ada")
    pipeline["run"]("forget_propagation")

    row = audit(request_id)
    assert row["status"] == "verified" and row["verified_at"] is not None
    assert nonzero(row["rows_removed"]) == expected
    assert set(row["remaining_rows"].values()) == {0}
    assert_nowhere_on_disk(ADA_EMAIL, pipeline, control=BOB_EMAIL)
    for table in ("sessions", "identity_stitch", "users", "conversions", "attribution_credits"):
        assert query(
            f"select count() from marts.{table} where project_id = 'p1' and user_id = 'ada'"
        ) == [(0,)], table
    # her anonymous phone visit stays, linked to nobody
    assert query(
        "select user_id from marts.sessions where project_id = 'p1' and anonymous_id = 'phone'"
    ) == [(None,)]
    # p2's 'ada' is someone else: untouched
    assert query("select count() from marts.users where project_id = 'p2' and user_id = 'ada'") == [
        (1,)
    ]
    assert query(
        "select JSONExtractString(traits, 'email') from marts.users where project_id = 'p2'"
    ) == [("other.ada@p2.test",)]
    # Bob keeps his account and his purchase
    bobs = "select count() from marts.conversions where user_id = {id:String}"
    assert query(bobs, {"id": BOB_ID}) == [(2,)]
    assert_equals_full_rebuild()


def test_verification_counts_each_row_once_per_key_within_its_project(pipeline, query):
    """The grouped count behind verification, checked before any forget against plain
    per-table counts: a row holding the key in two columns counts once, p2's 'ada' not at all."""
    keys = [
        ForgetKey("r-ada", "p1", "user_id", "ada", dt.datetime.now(dt.UTC)),
        ForgetKey("r-laptop", "p1", "anonymous_id", "laptop", dt.datetime.now(dt.UTC)),
    ]
    with warehouse.connect() as client:
        counts = remaining_rows(client, keys, current_targets())
    expected_ada = {
        "raw.events": "user_id = 'ada'",
        "analytics.int_events_identified": "user_id = 'ada' or resolved_user_id = 'ada'",
        "marts.attribution_credits": "user_id = 'ada'",
    }
    for table, condition in expected_ada.items():
        [(n,)] = query(f"select count() from {table} where project_id = 'p1' and ({condition})")
        assert n > 0 and counts["r-ada"][table] == n, table
    [(n,)] = query(
        "select count() from raw.events where project_id = 'p1' and anonymous_id = 'laptop'"
    )
    assert n > 0 and counts["r-laptop"]["raw.events"] == n
    assert "marts.users" not in counts["r-laptop"]  # no device column there


def test_forget_a_device(pipeline, query):
    request_id = forget("p1", anonymous_id="laptop")
    pipeline["run"]("forget_propagation")

    assert audit(request_id)["status"] == "verified"
    assert query(
        "select count() from raw.events where project_id = 'p1' and anonymous_id = 'laptop'"
    ) == [(0,)]
    # Ada keeps her phone; Bob, known only from the laptop, is gone
    assert query(
        "select user_id, device_count from marts.users where project_id = 'p1' order by user_id"
    ) == [("ada", 1), (CY_ID, 1), (HOSTILE_ID, 1)]
    assert query(
        "select count() from marts.sessions where project_id = 'p2' and anonymous_id = 'laptop'"
    ) == [(1,)]
    # Ada's identify on her phone stays
    assert_nowhere_on_disk(BOB_EMAIL, pipeline, control=ADA_EMAIL)
    # Bob's id is in every derived table he was in, and in the sort key of some
    assert_id_nowhere_on_disk(BOB_ID, pipeline, control=CY_ID)
    assert_equals_full_rebuild()


def test_a_batch_with_unknown_and_hostile_ids_rewrites_each_partition_once(pipeline, query):
    expected_hostile = rows_holding("p1", "user_id", HOSTILE_ID)
    assert expected_hostile["raw.events"] == 1
    hostile_partitions = partitions_holding("p1", "user_id", HOSTILE_ID)
    # one connection for the 302 requests and their audits: opening chDB once per call took
    # 270 of this test's 320 s
    with warehouse.connect() as client:
        unknown = [request_forget(client, "p1", user_id=f"nobody-{n}") for n in range(300)]
        hostile = request_forget(client, "p1", user_id=HOSTILE_ID)
        same_string_other_project = request_forget(client, "p2", user_id=HOSTILE_ID)
    result = pipeline["run"]("forget_propagation")

    metadata = next(
        m.event_specific_data.materialization.metadata
        for m in result.get_asset_materialization_events()
        if m.asset_key.to_user_string() == "forget/propagation"
    )
    assert metadata["requests"].value == 302
    # 302 requests, yet no more rewrites than partitions that held the one real person
    assert 0 < metadata["partitions_rewritten"].value <= hostile_partitions
    with warehouse.connect() as client:
        audits = {r: audit_row(client, r) for r in [*unknown, hostile, same_string_other_project]}
    assert {r: a["status"] for r, a in audits.items()} == dict.fromkeys(audits, "verified")
    # each request's own removals, not the batch's totals
    assert nonzero(audits[hostile]["rows_removed"]) == expected_hostile
    for request_id in [*unknown, same_string_other_project]:
        assert nonzero(audits[request_id]["rows_removed"]) == {}, request_id
    # the hostile id is a literal: only its own row went, everyone else stayed
    assert query(
        "select count() from raw.events where user_id = {u:String}", {"u": HOSTILE_ID}
    ) == [(0,)]
    assert query("select count(distinct user_id) from raw.events where project_id = 'p1'") == [(3,)]
    assert query("select count() from raw.events") == [(len(world()) - 1,)]
    assert_equals_full_rebuild()


def test_a_device_only_the_forgotten_person_used_leaves_the_device_tables(pipeline, query):
    """Cy's server sent only her events. int_devices_bot_flagged has no user column, yet its
    row for that device must go with her: a rebuild from what remains has no such device."""
    flags = "analytics.int_devices_bot_flagged"
    device = f"select count() from {flags} where anonymous_id = {{id:String}}"
    assert query(device, {"id": CY_SERVER}) == [(1,)]
    forget("p1", user_id=CY_ID)
    pipeline["run"]("forget_propagation")
    assert query(device, {"id": CY_SERVER}) == [(0,)]
    assert_id_nowhere_on_disk(CY_ID, pipeline, control=BOB_ID)
    assert_id_nowhere_on_disk(CY_SERVER, pipeline, control=BOB_ID)
    # the shared laptop and Ada's phone keep their rows
    assert query(
        "select count() from analytics.int_devices_bot_flagged where project_id = 'p1'"
    ) == [(3,)]
    assert_equals_full_rebuild()


def test_a_crashed_forget_resumes_and_loses_nothing_else(pipeline, query):
    before = query("select count() from raw.events")[0][0]
    expected = rows_holding("p1", "user_id", "ada")
    request_id = forget("p1", user_id="ada")
    with crash_after_purging("marts.sessions"):
        crashed = pipeline["run"]("forget_propagation", raise_on_error=False)
    assert not crashed.success
    assert audit(request_id)["status"] == "propagating"
    # what the crashed pass removed is on record already
    assert audit(request_id)["rows_removed"].get("marts.sessions") == expected["marts.sessions"]

    pipeline["run"]("forget_propagation")
    row = audit(request_id)
    assert row["status"] == "verified"
    # the resume added to the crashed pass's figures: together, every row she had, once
    assert nonzero(row["rows_removed"]) == expected
    # exactly her four events went, once
    assert query("select count() from raw.events") == [(before - 4,)]

    # the history keeps both passes, each with what it removed
    from orchestration.forget.audit import audit_history

    with warehouse.connect() as client:
        history = audit_history(client, request_id)
    assert [h["status"] for h in history][-2:] == ["propagated", "verified"]
    passes: dict = {}
    for state in history:
        if state["status"] == "propagating":
            removed = passes.setdefault(state["started_at"], {})
            for table, n in state["rows_removed"].items():
                removed[table] = removed.get(table, 0) + n
    crashed_pass, resumed_pass = passes.values()
    assert crashed_pass["marts.sessions"] > 0 and "raw.events" not in crashed_pass
    assert resumed_pass["raw.events"] == 4 and "marts.sessions" not in resumed_pass
    assert_nowhere_on_disk(ADA_EMAIL, pipeline, control=BOB_EMAIL)
    assert_equals_full_rebuild()


def test_tombstones_keep_replayed_events_out_and_let_a_new_signup_in(pipeline, query, tmp_path):
    forget("p1", user_id="ada")
    pipeline["run"]("forget_propagation")

    # a backfill from an old export replays her events, one of them broken, next to someone
    # else's event that was never loaded
    replayed = [e for e in world() if e.user_id == "ada" and e.project_id == "p1"]
    stranger = Event("p1", "stranger-device", replayed[0].at)
    lines = [json.dumps(dict(zip(COLUMNS, e.row(), strict=True)), default=str) for e in replayed]
    broken = json.loads(lines[0]) | {"timestamp": "not a time", "event_id": "broken-ada"}
    # a forged replay: a new event_id, and both clocks three hours ahead, so that neither says
    # it is older than the forget; the API could never have received it in the future
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    forged = json.loads(lines[0]) | {
        "event_id": "forged-ada",
        "event_name": "$identify",
        "properties": {"email": ADA_EMAIL},
        "timestamp": ahead,
        "received_at": ahead,
    }
    lines += [
        json.dumps(broken),
        json.dumps(forged),
        json.dumps(dict(zip(COLUMNS, stranger.row(), strict=True)), default=str),
    ]
    export = tmp_path / "old-export.ndjson"
    export.write_text("\n".join(lines) + "\n")
    from orchestration.loader import load_paths

    with warehouse.connect() as client:
        summary = load_paths(client, [export])
    # her rows stay off disk, the rejected one too; the stranger's row goes through
    assert (summary.loaded, summary.forgotten_skipped, summary.inserted) == (5, 4, 1)
    assert (summary.rejected, summary.rejected_forgotten) == (2, 2)
    assert summary.files[0].rejected_by_reason["received_at_in_future"] == 1
    assert "4 loaded and 2 rejected lines belong to a forgotten user" in summary.render()
    assert query("select count() from raw.events where project_id = 'p1' and user_id = 'ada'") == [
        (0,)
    ]
    assert query("select count() from raw.events where anonymous_id = 'stranger-device'") == [(1,)]
    assert query("select count() from raw.events_rejected") == [(0,)]
    assert_nowhere_on_disk(ADA_EMAIL, pipeline, control=BOB_EMAIL)
    pipeline["run"]("nightly_build")
    for table in ("sessions", "identity_stitch", "users", "conversions", "attribution_credits"):
        assert query(
            f"select count() from marts.{table} where project_id = 'p1' and user_id = 'ada'"
        ) == [(0,)], table

    # she comes back later and signs up afresh: that is new data
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=1)
    insert_events(
        [
            Event(
                "p1",
                "new-laptop",
                later,
                "$identify",
                "ada",
                properties={"email": "ada.again@forgetme.test"},
            )
        ]
    )
    pipeline["run"]("nightly_build")
    assert query(
        "select device_count from marts.users where project_id = 'p1' and user_id = 'ada'"
    ) == [(1,)]
