"""The file loader against a real chDB warehouse.

Inputs are written out by hand in each test and so are the expected results (line numbers,
reasons, stored values); nothing expected is computed by the loader's own code.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.loader import LoadSummary, load_paths
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from tests.commandkit import fill, small_disk

TS = "2024-03-01T12:00:00Z"


OMIT = object()


def event(event_id: str, **fields: object) -> str:
    """One NDJSON line: a minimal valid event (project p1, device 'a', name 'x', timestamp TS)
    with fields changed, added, or left out (OMIT)."""
    row: dict[str, object] = {
        "event_id": event_id,
        "project_id": "p1",
        "event_name": "x",
        "anonymous_id": "a",
        "timestamp": TS,
    }
    row.update(fields)
    kept = {k: v for k, v in row.items() if v is not OMIT}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def load(chdb_path):
    """Run load_paths on the test warehouse; the progress messages land in load.messages."""

    def run(paths: list[Path], **kwargs) -> LoadSummary:
        run.messages = []
        with warehouse.connect() as client:
            return load_paths(client, paths, progress=run.messages.append, **kwargs)

    return run


def write(path: Path, lines: list[str], ending: str = "\n") -> Path:
    path.write_bytes("".join(line + ending for line in lines).encode("utf-8"))
    return path


def rejected(query, path: Path) -> dict[int, tuple[str, str]]:
    """line_number -> (reason, raw_line) for one file."""
    rows = query(
        "SELECT line_number, reason, raw_line FROM raw.events_rejected WHERE file = {f:String}",
        {"f": str(path.resolve())},
    )
    return {n: (reason, raw) for n, reason, raw in rows}


def assert_invariants(summary: LoadSummary) -> None:
    for f in [*summary.files, summary]:
        assert f.loaded + f.rejected == f.lines_read
        assert f.inserted + f.duplicates_skipped + f.forgotten_skipped == f.loaded


# --- the bad-input matrix ----------------------------------------------------------------------

LONG_URL = "https://shop.example/?q=" + "x" * 8200  # 8,224 bytes: over the 8 KiB limit

MATRIX = [
    # 1: good, with every field
    '{"event_id":"e1","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    '"user_id":null,"timestamp":"2024-03-01T12:00:00.123Z","received_at":"2024-03-01T12:00:01Z",'
    '"url":"https://shop.example/?utm_source=x","referrer":"","properties":{"path":"/"},'
    '"user_agent":"UA"}',
    # 2: blank
    "",
    # 3: good; offset timestamp, properties as a string holding an object, no received_at
    '{"event_id":"e2","project_id":"p1","event_name":"signup","anonymous_id":"a1",'
    '"user_id":"u1","timestamp":"2024-03-01T14:00:00.5+02:00",'
    '"properties":"{\\"plan\\": \\"pro\\"}"}',
    # 4: good; naive timestamp with microseconds (UTC, cut to milliseconds)
    '{"event_id":"e3","project_id":"p1","event_name":"$pageview","anonymous_id":"a2",'
    '"timestamp":"2024-03-01 12:00:00.123987"}',
    # 5: truncated JSON
    '{"event_id":"e4","project_id":"p1","event_name":"$pageview","anonymous_id":"a1","timesta',
    # 6: not JSON at all
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    # 7: JSON, but not an object
    '["e5","p1"]',
    # 8: no timestamp
    '{"event_id":"e6","project_id":"p1","event_name":"$pageview","anonymous_id":"a1"}',
    # 9: impossible date
    '{"event_id":"e7","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    '"timestamp":"2024-13-45T10:00:00Z"}',
    # 10: not ISO-8601
    '{"event_id":"e8","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    '"timestamp":"31/01/2024 10:00"}',
    # 11: bad received_at
    '{"event_id":"e9","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    f'"timestamp":"{TS}","received_at":"yesterday"}}',
    # 12: empty anonymous_id and null user_id
    '{"event_id":"e10","project_id":"p1","event_name":"$pageview","anonymous_id":"",'
    f'"user_id":null,"timestamp":"{TS}"}}',
    # 13: neither id present
    f'{{"event_id":"e11","project_id":"p1","event_name":"$pageview","timestamp":"{TS}"}}',
    # 14-16: properties not an object
    '{"event_id":"e12","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    f'"timestamp":"{TS}","properties":[1,2,3]}}',
    '{"event_id":"e13","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    f'"timestamp":"{TS}","properties":"just a string"}}',
    '{"event_id":"e14","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    f'"timestamp":"{TS}","properties":"[\\"a\\",\\"b\\"]"}}',
    # 17-19: a required field missing
    f'{{"project_id":"p1","event_name":"$pageview","anonymous_id":"a1","timestamp":"{TS}"}}',
    f'{{"event_id":"e15","event_name":"$pageview","anonymous_id":"a1","timestamp":"{TS}"}}',
    f'{{"event_id":"e16","project_id":"p1","anonymous_id":"a1","timestamp":"{TS}"}}',
    # 20: url over the limit
    '{"event_id":"e17","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    f'"timestamp":"{TS}","url":"{LONG_URL}"}}',
    # 21: an id that is not a string
    f'{{"event_id":42,"project_id":"p1","event_name":"x","anonymous_id":"a1","timestamp":"{TS}"}}',
    # 22: a field raw.events does not have
    '{"event_id":"e18","project_id":"p1","event_name":"$pageview","anonymous_id":"a1",'
    f'"timestamp":"{TS}","colour":"red"}}',
    # 23: whitespace only: blank
    "   ",
]

MATRIX_REASONS = {
    5: "unparseable_json",
    6: "unparseable_json",
    7: "unparseable_json",
    8: "missing_timestamp",
    9: "invalid_timestamp",
    10: "invalid_timestamp",
    11: "invalid_timestamp",
    12: "missing_identity",
    13: "missing_identity",
    14: "properties_not_object",
    15: "properties_not_object",
    16: "properties_not_object",
    17: "missing_field",
    18: "missing_field",
    19: "missing_field",
    20: "oversized_field",
    21: "invalid_field",
    22: "unknown_field",
}


def test_bad_input_matrix_rejects_each_kind_with_its_reason_and_loads_the_rest(
    load, query, tmp_path
):
    path = write(tmp_path / "matrix.ndjson", MATRIX)
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    summary = load([path])
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=1)

    f = summary.files[0]
    assert f.error is None
    assert (f.lines_read, f.blank_lines, f.loaded, f.rejected) == (21, 2, 3, 18)
    assert (f.inserted, f.duplicates_skipped, f.fabricated_anonymous_ids) == (3, 0, 0)
    assert dict(f.rejected_by_reason) == {
        "unparseable_json": 3,
        "missing_timestamp": 1,
        "invalid_timestamp": 3,
        "missing_identity": 2,
        "properties_not_object": 3,
        "missing_field": 3,
        "oversized_field": 1,
        "invalid_field": 1,
        "unknown_field": 1,
    }
    assert_invariants(summary)

    stored = rejected(query, path)
    assert {n: reason.split(":")[0] for n, (reason, _raw) in stored.items()} == MATRIX_REASONS
    for n, (_reason, raw) in stored.items():
        assert raw == MATRIX[n - 1], f"line {n} not stored verbatim"
    assert stored[9][0] == (
        "invalid_timestamp: timestamp '2024-13-45T10:00:00Z' is not an ISO-8601 date-time"
    )
    assert stored[11][0] == (
        "invalid_timestamp: received_at 'yesterday' is not an ISO-8601 date-time"
    )
    assert stored[5][0] == "unparseable_json: Unterminated string starting at column 81"
    assert stored[7][0] == "unparseable_json: line is a JSON array, not an object"
    assert stored[17][0] == "missing_field: event_id is missing"
    assert stored[20][0] == "oversized_field: url has 8,224 bytes, over the limit of 8,192"
    assert stored[21][0] == "invalid_field: event_id is a number, expected a string"
    assert stored[22][0] == "unknown_field: 'colour' is not a raw.events column"

    # Ids parsed best-effort, for forget: from the parsed object, or from the text of a line
    # that did not parse.
    ids = {
        n: (p, a, u)
        for n, p, a, u in query(
            "SELECT line_number, project_id, anonymous_id, user_id FROM raw.events_rejected"
        )
    }
    assert ids[5] == ("p1", "a1", None)
    assert ids[6] == (None, None, None)
    assert ids[12] == ("p1", None, None)
    assert ids[18] == (None, "a1", None)

    events = query(
        "SELECT event_id, project_id, event_name, anonymous_id, user_id, toString(timestamp),"
        " url, referrer, properties, user_agent, is_anonymous_id_fabricated"
        " FROM raw.events ORDER BY event_id"
    )
    assert events == [
        (
            "e1",
            "p1",
            "$pageview",
            "a1",
            None,
            "2024-03-01 12:00:00.123",
            "https://shop.example/?utm_source=x",
            "",
            '{"path":"/"}',
            "UA",
            False,
        ),
        (
            "e2",
            "p1",
            "signup",
            "a1",
            "u1",
            "2024-03-01 12:00:00.500",
            "",
            "",
            '{"plan": "pro"}',
            "",
            False,
        ),
        ("e3", "p1", "$pageview", "a2", None, "2024-03-01 12:00:00.123", "", "", "{}", "", False),
    ]
    received = dict(query("SELECT event_id, received_at FROM raw.events"))
    assert received["e1"] == dt.datetime(2024, 3, 1, 12, 0, 1)
    # No received_at: stamped with the load time, as the ingestion service does.
    assert before <= received["e2"] <= after
    assert before <= received["e3"] <= after


def test_reloading_a_file_adds_nothing(load, query, tmp_path):
    path = write(tmp_path / "matrix.ndjson", MATRIX)
    first = load([path])
    counts = query(
        "SELECT (SELECT count() FROM raw.events), (SELECT count() FROM raw.events_rejected)"
    )
    assert counts == [(3, 18)]

    again = load([path])
    f = again.files[0]
    assert (f.lines_read, f.loaded, f.rejected) == (first.lines_read, 3, 18)
    assert (f.inserted, f.duplicates_skipped) == (0, f.loaded)
    assert f.rejected_already_recorded == 18
    assert_invariants(again)
    assert (
        query("SELECT (SELECT count() FROM raw.events), (SELECT count() FROM raw.events_rejected)")
        == counts
    )


def test_duplicates_within_a_file_and_across_files_are_skipped_first_one_wins(
    load, query, tmp_path
):
    a = write(
        tmp_path / "a.ndjson",
        [
            event("d1", event_name="first"),
            event("d1", event_name="second"),
            # the same event_id in another project is another event
            event("d1", project_id="p2", event_name="other"),
        ],
    )
    b = write(
        tmp_path / "b.ndjson",
        [
            event("d1", event_name="third"),
            event("d2", event_name="new"),
        ],
    )
    summary = load([a, b])
    fa, fb = summary.files
    assert (fa.loaded, fa.inserted, fa.duplicates_skipped) == (3, 2, 1)
    assert (fb.loaded, fb.inserted, fb.duplicates_skipped) == (2, 1, 1)
    assert (summary.inserted, summary.duplicates_skipped) == (3, 2)
    assert_invariants(summary)
    assert query("SELECT project_id, event_id, event_name FROM raw.events ORDER BY ALL") == [
        ("p1", "d1", "first"),
        ("p1", "d2", "new"),
        ("p2", "d1", "other"),
    ]


HOSTILE = [
    "x' OR 1=1 --",
    "Robert'); DROP TABLE raw.events;--",
    'say "hi"',
    "back\\slash\\",
    "ユーザー🙂",
    "{p:String}",
]


def test_hostile_ids_are_stored_verbatim_and_deduplicated(load, query, tmp_path):
    lines = [
        json.dumps(
            {
                "event_id": hostile,
                "project_id": hostile,
                "event_name": "$pageview",
                "anonymous_id": hostile,
                "user_id": hostile,
                "timestamp": TS,
            }
        )
        for hostile in HOSTILE
    ]
    path = write(tmp_path / "hostile.ndjson", lines)
    assert load([path]).inserted == len(HOSTILE)
    stored = query("SELECT event_id, project_id, anonymous_id, user_id FROM raw.events")
    assert sorted(stored) == sorted((h, h, h, h) for h in HOSTILE)

    again = load([path])  # the duplicate lookup must match these ids exactly too
    assert (again.inserted, again.duplicates_skipped) == (0, len(HOSTILE))
    assert query("SELECT count() FROM raw.events") == [(len(HOSTILE),)]


def test_user_id_only_gets_a_deterministic_flagged_anonymous_id(load, query, tmp_path):
    # Expected ids: 'fab_' + the first 32 hex digits of sha256(project_id NUL user_id),
    # computed independently with `printf 'p1\0user-42' | sha256sum`.
    a = write(
        tmp_path / "a.ndjson",
        [
            event("f1", anonymous_id=OMIT, user_id="user-42"),
            event("f2", project_id="p2", anonymous_id=OMIT, user_id="user-42"),
            event("f3", anonymous_id="dev", user_id="user-42"),
        ],
    )
    b = write(
        tmp_path / "b.csv",
        [
            "event_id,project_id,event_name,anonymous_id,user_id,timestamp",
            f"f4,p1,x,,user-42,{TS}",
        ],
    )
    summary = load([a, b])
    assert summary.fabricated_anonymous_ids == 3
    assert [f.fabricated_anonymous_ids for f in summary.files] == [2, 1]
    assert query(
        "SELECT event_id, anonymous_id, is_anonymous_id_fabricated"
        " FROM raw.events ORDER BY event_id"
    ) == [
        ("f1", "fab_c6d190e83f54eb60284c523a35da19f4", True),
        ("f2", "fab_5af4613cfba1f73aaa46ce50399a11a1", True),
        ("f3", "dev", False),
        ("f4", "fab_c6d190e83f54eb60284c523a35da19f4", True),
    ]


# --- formats -----------------------------------------------------------------------------------

CSV_LINES = [
    "event_id,project_id,event_name,anonymous_id,user_id,timestamp,received_at,url,referrer,"
    "properties,user_agent",
    # line 2: good; properties with doubled quotes, a comma inside a quoted field
    'c1,p1,$pageview,a1,,2024-03-01T12:00:00Z,,"https://shop.example/?a=1,2",,"{""k"": ""v""}",UA',
    # lines 3-4: one record over two lines (a quoted newline in the user agent); good
    'c2,p1,click,a1,u1,2024-03-01T12:00:01Z,,,,,"multi',
    'line"',
    # line 5: blank
    "",
    # line 6: too few fields
    "c3,p1,$pageview,a9",
    # line 7: bad timestamp
    "c4,p1,$pageview,a1,,2024-02-30T10:00:00Z,,,,,",
    # line 8: properties not an object
    'c5,p1,$pageview,a1,,2024-03-01T12:00:00Z,,,,"[1,2]",',
    # lines 9-10: a two-line record with an error: rejected whole, at its first line
    'c6,p1,$pageview,,,2024-03-01T12:00:00Z,,,,,"two',
    'lines"',
]


def test_csv_records_load_and_bad_records_are_rejected_at_their_line(load, query, tmp_path):
    path = write(tmp_path / "events.csv", CSV_LINES, ending="\r\n")
    summary = load([path])
    f = summary.files[0]
    assert (f.format, f.lines_read, f.blank_lines, f.loaded, f.rejected) == ("csv", 6, 1, 2, 4)
    assert_invariants(summary)

    stored = rejected(query, path)
    assert stored == {
        6: ("unparseable_csv: record has 4 fields, the header has 11", "c3,p1,$pageview,a9"),
        7: (
            "invalid_timestamp: timestamp '2024-02-30T10:00:00Z' is not an ISO-8601 date-time",
            "c4,p1,$pageview,a1,,2024-02-30T10:00:00Z,,,,,",
        ),
        8: (
            "properties_not_object: properties is a string holding an array, not an object",
            'c5,p1,$pageview,a1,,2024-03-01T12:00:00Z,,,,"[1,2]",',
        ),
        9: (
            "missing_identity: neither anonymous_id nor user_id is set",
            'c6,p1,$pageview,,,2024-03-01T12:00:00Z,,,,,"two\r\nlines"',
        ),
    }
    # A record with the wrong field count still gives its ids by position, for forget.
    assert query(
        "SELECT project_id, anonymous_id FROM raw.events_rejected WHERE line_number = 6"
    ) == [("p1", "a9")]
    assert query(
        "SELECT event_id, user_id, url, properties, user_agent FROM raw.events ORDER BY event_id"
    ) == [
        ("c1", None, "https://shop.example/?a=1,2", '{"k": "v"}', "UA"),
        ("c2", "u1", "", "{}", "multi\r\nline"),
    ]


def test_a_csv_record_is_blank_only_when_its_text_is(load, query, tmp_path):
    path = write(
        tmp_path / "quoted.csv",
        [
            "event_id,project_id,event_name,anonymous_id,timestamp",
            '"',  # lines 2-3: one quoted field holding a line break: a record, not a blank
            '"',
            "  \t",  # line 4: blank
            '""',  # line 5: one empty quoted field: a record too
            f"q1,p1,x,a,{TS}",
        ],
    )
    summary = load([path])
    f = summary.files[0]
    assert (f.lines_read, f.blank_lines, f.loaded, f.rejected) == (3, 1, 1, 2)
    assert rejected(query, path) == {
        2: ("unparseable_csv: record has 1 fields, the header has 5", '"\n"'),
        5: ("unparseable_csv: record has 1 fields, the header has 5", '""'),
    }


def test_parquet_rows_load_and_a_bad_row_is_rejected_as_json(load, query, tmp_path):
    utc = dt.UTC
    table = pa.table(
        {
            "event_id": ["q1", "q2", "q3"],
            "project_id": ["p1", "p1", "p1"],
            "event_name": ["$pageview", "$identify", "$pageview"],
            "anonymous_id": ["a1", "a1", None],
            "user_id": [None, "u1", None],
            "timestamp": pa.array(
                [
                    dt.datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=utc),
                    dt.datetime(2024, 3, 1, 12, 0, 5, tzinfo=utc),
                    dt.datetime(2024, 3, 1, 12, 0, 9, tzinfo=utc),
                ],
                type=pa.timestamp("ms", tz="UTC"),
            ),
            "url": ["https://shop.example/", "", ""],
            "properties": ['{"a":1}', '{"email":"u1@example.com"}', "{}"],
        }
    )
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    summary = load([path])
    f = summary.files[0]
    assert (f.format, f.lines_read, f.loaded, f.rejected) == ("parquet", 3, 2, 1)

    stored = rejected(query, path)
    assert list(stored) == [3]
    reason, raw = stored[3]
    assert reason == "missing_identity: neither anonymous_id nor user_id is set"
    assert json.loads(raw) == {
        "event_id": "q3",
        "project_id": "p1",
        "event_name": "$pageview",
        "anonymous_id": None,
        "user_id": None,
        "timestamp": "2024-03-01T12:00:09+00:00",
        "url": "",
        "properties": "{}",
    }
    assert query(
        "SELECT event_id, user_id, toString(timestamp), properties"
        " FROM raw.events ORDER BY event_id"
    ) == [
        ("q1", None, "2024-03-01 12:00:00.123", '{"a":1}'),
        ("q2", "u1", "2024-03-01 12:00:05.000", '{"email":"u1@example.com"}'),
    ]


def test_gzipped_ndjson_loads(load, query, tmp_path):
    path = tmp_path / "events.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(event("g1") + "\n")
    assert load([path]).inserted == 1
    assert query("SELECT event_id FROM raw.events") == [("g1",)]


def test_invalid_utf8_line_is_rejected_and_kept_byte_for_byte(load, chdb_path, tmp_path):
    bad = b'{"event_id":"u1","project_id":"p1","user_id":"caf\xe9","timestamp":"x"}'
    good = event("u2")
    path = tmp_path / "latin1.ndjson"
    path.write_bytes(bad + b"\n" + good.encode() + b"\n")
    summary = load([path])
    assert (summary.loaded, summary.rejected) == (1, 1)
    with warehouse.connect() as client:
        rows = client.query(
            "SELECT line_number, reason, raw_line, project_id FROM raw.events_rejected",
            query_formats={"String": "bytes"},
        ).result_rows
    assert rows == [(1, b"unparseable_json: not valid UTF-8 (byte 49)", bad, b"p1")]


def test_json_edge_cases(load, query, tmp_path):
    lines = [
        # 1: a UTF-8 byte-order mark before the first line is not part of the data
        "\ufeff" + event("b1"),
        # 2: NaN is not JSON
        '{"event_id":"b2","project_id":"p1","event_name":"x","anonymous_id":"a","timestamp":'
        '"2024-03-01T12:00:00Z","properties":{"v":NaN}}',
        # 3: an escaped lone surrogate cannot be stored as text
        '{"event_id":"b3","project_id":"p1","event_name":"x","anonymous_id":"a\\ud800",'
        '"timestamp":"2024-03-01T12:00:00Z"}',
        # 4: a numeric user_id is refused, but kept as text for forget
        '{"event_id":"b4","project_id":"p1","event_name":"x","user_id":42,'
        '"timestamp":"2024-03-01T12:00:00Z"}',
        # 5: the flag from an export of raw.events is accepted
        event("b5", is_anonymous_id_fabricated=True),
    ]
    path = write(tmp_path / "edge.ndjson", lines, ending="\r\n")
    summary = load([path])
    assert (summary.loaded, summary.rejected) == (2, 3)
    assert query("SELECT event_id, is_anonymous_id_fabricated FROM raw.events ORDER BY ALL") == [
        ("b1", False),
        ("b5", True),
    ]
    assert query(
        "SELECT line_number, reason, user_id FROM raw.events_rejected ORDER BY line_number"
    ) == [
        (2, "unparseable_json: NaN is not valid JSON", None),
        (
            3,
            "invalid_field: anonymous_id contains an unpaired UTF-16 surrogate, which is not text",
            None,
        ),
        (4, "invalid_field: user_id is a number, expected a string", "42"),
    ]
    raw_line_2 = query("SELECT raw_line FROM raw.events_rejected WHERE line_number = 2")
    assert raw_line_2 == [(lines[1],)]  # CRLF stripped, nothing else


# --- streaming ---------------------------------------------------------------------------------


def test_chunks_stream_and_duplicates_across_chunk_boundaries_are_caught(load, query, tmp_path):
    # Python's half, in chunks (the engine reads a file whole: tests/test_loader_engine.py)
    line = event
    lines = [
        line("s1"),
        line("s2"),
        "",  # blank lines do not count towards a chunk
        line("s3"),  # chunk 1 ends here (3 lines read)
        line("s2"),  # duplicate of a row inserted by chunk 1
        "not json",
        line("s4"),  # chunk 2 ends here
        line("s4"),  # duplicate of a row inserted by chunk 2
        line("s5"),
        line("s5"),  # duplicate within chunk 3
        line("s6"),  # chunk 4: one line
    ]
    path = write(tmp_path / "stream.ndjson", lines)
    summary = load([path], chunk_size=3, engine_parse=False)
    f = summary.files[0]
    assert (f.lines_read, f.blank_lines, f.loaded, f.rejected) == (10, 1, 9, 1)
    assert (f.inserted, f.duplicates_skipped) == (6, 3)
    assert_invariants(summary)
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [
        ("s1",),
        ("s2",),
        ("s3",),
        ("s4",),
        ("s5",),
        ("s6",),
    ]
    assert rejected(query, path) == {
        6: ("unparseable_json: Expecting value at column 1", "not json")
    }
    chunk_messages = [m for m in load.messages if "lines/s" in m]
    assert [m.split(": ", 1)[1].split(" lines read")[0] for m in chunk_messages] == ["3", "6", "9"]
    assert any("done" in m for m in load.messages)


# --- file-level problems -----------------------------------------------------------------------


def test_unknown_extension_and_missing_file_are_reported_and_others_still_load(
    load, query, tmp_path
):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    missing = tmp_path / "missing.ndjson"
    good = write(
        tmp_path / "good.ndjson",
        [event("k1")],
    )
    summary = load([notes, missing, good])
    assert not summary.ok
    assert [(f.path.name, f.error is not None) for f in summary.files] == [
        ("notes.txt", True),
        ("missing.ndjson", True),
        ("good.ndjson", False),
    ]
    assert "unsupported file type" in summary.files[0].error
    assert summary.files[1].error == "no such file or directory"
    assert summary.inserted == 1
    text = summary.render()
    assert f"{notes}: unsupported file type" in text
    assert f"{missing}: no such file or directory" in text


def test_a_directory_loads_its_supported_files_in_name_order(load, query, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(
        inbox / "b.ndjson",
        [event("n2")],
    )
    write(
        inbox / "a.csv",
        ["event_id,project_id,event_name,anonymous_id,timestamp", f"n1,p1,x,a,{TS}"],
    )
    (inbox / "README.md").write_text("not data\n")
    summary = load([inbox])
    assert [f.path.name for f in summary.files] == ["a.csv", "b.ndjson"]
    assert [p.name for p in summary.skipped] == ["README.md"]
    assert summary.ok
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [("n1",), ("n2",)]


def test_a_truncated_gzip_loads_what_it_could_read_and_reports_the_error(load, query, tmp_path):
    body = "".join(
        f'{{"event_id":"t{i}","project_id":"p1","event_name":"x","anonymous_id":"a",'
        f'"timestamp":"{TS}","properties":{{"pad":"{i:06d}{"y" * 200}"}}}}\n'
        for i in range(2000)
    )
    whole = gzip.compress(body.encode(), mtime=0)
    path = tmp_path / "cut.ndjson.gz"
    path.write_bytes(whole[: len(whole) // 2])
    summary = load([path], chunk_size=100)
    f = summary.files[0]
    assert f.error is not None
    assert 0 < f.inserted < 2000
    assert query("SELECT count() FROM raw.events") == [(f.inserted,)]
    assert str(path) in summary.render()


def test_a_file_that_is_not_parquet_is_a_file_error(load, tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_text("not parquet")
    summary = load([path])
    assert summary.files[0].error.startswith("not a readable Parquet file")
    assert summary.lines_read == 0


# --- limits and timestamps ---------------------------------------------------------------------


def test_size_limits_are_inclusive_and_bytes_are_utf8(load, query, tmp_path):
    line = event
    lines = [
        line("ok-id", anonymous_id="i" * 200),  # 1: exactly 200 characters
        line("long-id", anonymous_id="i" * 201),  # 2
        line("ok-ua", user_agent="u" * 8192),  # 3: exactly 8 KiB
        line("long-ua", user_agent="é" * 4097),  # 4: 4,097 characters but 8,194 bytes
        # '{"k": "' + n characters + '"}' is n + 9 bytes
        line("ok-props", properties=json.dumps({"k": "v" * (65536 - 9)})),  # 5: 65,536 bytes
        line("long-props", properties=json.dumps({"k": "v" * (65536 - 8)})),  # 6: 65,537 bytes
        line("long-name", event_name="n" * 201),  # 7
        line("ok-ids", user_id="ü" * 200),  # 8: ids count characters, not bytes
    ]
    path = write(tmp_path / "sizes.ndjson", lines)
    load([path])
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [
        ("ok-id",),
        ("ok-ids",),
        ("ok-props",),
        ("ok-ua",),
    ]
    assert {n: reason for n, (reason, _raw) in rejected(query, path).items()} == {
        2: "oversized_field: anonymous_id has 201 characters, over the limit of 200",
        4: "oversized_field: user_agent has 8,194 bytes, over the limit of 8,192",
        6: "oversized_field: properties has 65,537 bytes, over the limit of 65,536",
        7: "oversized_field: event_name has 201 characters, over the limit of 200",
    }


def test_timestamp_forms(load, query, tmp_path):
    def line(event_id: str, timestamp: str) -> str:
        return event(event_id, timestamp=timestamp, received_at="2024-03-02T00:00:00Z")

    cases = [
        ("z", "2024-03-01T12:00:00Z", "2024-03-01 12:00:00.000"),
        ("lower", "2024-03-01t12:00:00.250z", "2024-03-01 12:00:00.250"),
        ("offset", "2024-03-01T07:30:00.001-04:30", "2024-03-01 12:00:00.001"),
        ("naive", "2024-03-01T12:00:00", "2024-03-01 12:00:00.000"),
        ("space", "2024-03-01 12:00:00.999999", "2024-03-01 12:00:00.999"),
        ("nanos", "2024-03-01T12:00:00.123456789Z", "2024-03-01 12:00:00.123"),
    ]
    bad = [
        ("date-only", "2024-03-01"),
        ("empty", ""),
        ("words", "not-a-date"),
        ("hour-25", "2024-03-01T25:00:00Z"),
        ("too-old", "1800-01-01T00:00:00Z"),
        ("epoch", "1709294400"),  # seconds since 1970: not a date either
        ("epoch-ms", "1709294400000"),
    ]
    lines = [line(e, t) for e, t, _ in cases] + [line(e, t) for e, t in bad]
    path = write(tmp_path / "ts.ndjson", lines)
    load([path])
    assert dict(query("SELECT event_id, toString(timestamp) FROM raw.events")) == {
        e: expected for e, _t, expected in cases
    }
    reasons = {n: r for n, (r, _raw) in rejected(query, path).items()}
    assert reasons == {
        7: "invalid_timestamp: timestamp '2024-03-01' has no time of day",
        8: "invalid_timestamp: timestamp is an empty string",
        9: "invalid_timestamp: timestamp 'not-a-date' is not an ISO-8601 date-time",
        10: "invalid_timestamp: timestamp '2024-03-01T25:00:00Z' is not an ISO-8601 date-time",
        11: "invalid_timestamp: timestamp '1800-01-01T00:00:00Z' is outside 1900..2299, "
        "the range stored",
        12: "invalid_timestamp: timestamp '1709294400' is not an ISO-8601 date-time",
        13: "invalid_timestamp: timestamp '1709294400000' is not an ISO-8601 date-time",
    }


def test_render_names_files_lines_and_reasons(load, tmp_path):
    path = write(tmp_path / "matrix.ndjson", MATRIX)
    text = load([path]).render()
    assert str(path) in text
    assert "TOTAL" in text
    assert "unparseable_json: 3" in text
    assert "line 5: unparseable_json" in text
    assert "3 of 21 lines loaded" in text
    assert "... and 13 more" in text


# --- nothing a file holds stops the load ------------------------------------------------------


def nested(depth: int) -> str:
    """JSON text of `depth` nested arrays: depth 1 is '[]'."""
    return "[" * depth + "]" * depth


def with_raw_properties(event_id: str, properties_json: str) -> str:
    """An event line whose properties is the JSON text given, written as it is."""
    return event(event_id)[:-1] + f',"properties":{properties_json}}}'


def test_deep_json_is_rejected_and_the_rest_of_its_chunk_and_later_files_load(
    load, query, tmp_path
):
    # Levels count arrays and objects, the line's own object included: an event is level 1,
    # an object in properties level 2. The limit is 100.
    lines = [
        event("j1"),
        nested(1500),  # 2: the 3 KB line of the bug report
        with_raw_properties("j3", nested(1500)),  # 3
        event("j4", properties='{"a":' + nested(1500) + "}"),  # 4: properties' text that deep
        with_raw_properties("j5", '{"k":' + nested(98) + "}"),  # 5: exactly 100 levels
        with_raw_properties("j6", '{"k":' + nested(99) + "}"),  # 6: 101 levels
        event("j7", properties='{"k":' + nested(99) + "}"),  # 7: text of exactly 100 levels
        event("j8", properties='{"k":' + nested(100) + "}"),  # 8: text of 101 levels
        # 9: brackets inside strings do not count
        event("j9", url="https://shop.example/?q=" + "[{" * 200),
        event("j10"),
    ]
    a = write(tmp_path / "a.ndjson", lines)
    b = write(tmp_path / "b.ndjson", [event("j11")])
    summary = load([a, b])
    assert summary.ok
    assert [(f.lines_read, f.loaded, f.rejected) for f in summary.files] == [(10, 5, 5), (1, 1, 0)]
    assert_invariants(summary)
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [
        ("j1",),
        ("j10",),
        ("j11",),
        ("j5",),
        ("j7",),
        ("j9",),
    ]
    line = "nested_too_deep: the line nests arrays and objects over 100 levels deep"
    text = "nested_too_deep: properties nests arrays and objects over 100 levels deep"
    stored = rejected(query, a)
    assert {n: reason for n, (reason, _raw) in stored.items()} == {
        2: line,
        3: line,
        4: text,
        6: line,
        8: text,
    }
    assert stored[2][1] == lines[1]  # kept whole, verbatim
    # The ids still reach raw.events_rejected, for forget.
    assert query(
        "SELECT line_number, project_id, anonymous_id FROM raw.events_rejected"
        " WHERE line_number IN (3, 4) ORDER BY ALL"
    ) == [(3, "p1", "a"), (4, "p1", "a")]


def test_a_parquet_value_python_cannot_hold_rejects_its_row_only(load, query, tmp_path):
    table = pa.table(
        {
            "event_id": ["y1", "y2", "y3"],
            "project_id": ["p1", "p1", "p1"],
            "event_name": ["x", "x", "x"],
            "anonymous_id": ["a", "a", "a"],
            # 253,402,300,800,000 ms after 1970 is 10000-01-01: beyond Python's datetime
            "timestamp": pa.array(
                [1_709_294_400_000, 253_402_300_800_000, 1_709_294_401_000],
                type=pa.timestamp("ms", tz="UTC"),
            ),
        }
    )
    path = tmp_path / "far.parquet"
    pq.write_table(table, path)
    after = write(tmp_path / "after.ndjson", [event("y4")])
    summary = load([path, after])
    assert summary.ok
    assert [(f.lines_read, f.loaded, f.rejected) for f in summary.files] == [(3, 2, 1), (1, 1, 0)]
    assert_invariants(summary)
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [
        ("y1",),
        ("y3",),
        ("y4",),
    ]
    reason, raw = rejected(query, path)[2]
    assert reason == (
        "invalid_timestamp: timestamp '10000-01-01 00:00:00.000Z' is outside 1900..2299, "
        "the range stored"
    )
    assert json.loads(raw) == {
        "event_id": "y2",
        "project_id": "p1",
        "event_name": "x",
        "anonymous_id": "a",
        "timestamp": "10000-01-01 00:00:00.000Z",
    }


def test_properties_text_clickhouse_cannot_read_is_rejected_like_the_same_object(
    load, query, tmp_path
):
    # Stored as it is, such text makes every JSON function on the row return nothing, so a
    # revenue inside it would silently read as NULL.
    lines = [
        event("r1", properties='{"revenue": 1e400}'),
        event("r2", properties='{"revenue": 12.5, "note": "\\ud800"}'),
        with_raw_properties("r3", '{"revenue": 1e400}'),  # the object form, as before
        with_raw_properties("r4", '{"note": "\\ud800"}'),
        event("r5", properties='{"revenue": 12.5, "note": "\\ud83d\\ude00"}'),  # a valid pair
    ]
    path = write(tmp_path / "props.ndjson", lines)
    load([path])
    assert query("SELECT event_id, properties FROM raw.events") == [
        ("r5", '{"revenue": 12.5, "note": "\\ud83d\\ude00"}')
    ]
    assert {n: reason for n, (reason, _raw) in rejected(query, path).items()} == {
        1: "properties_not_object: properties holds the number 1e400, beyond the range of a double",
        2: "invalid_field: properties contains an unpaired UTF-16 surrogate, which is not text",
        3: "properties_not_object: properties contains NaN or Infinity, which JSON cannot hold",
        4: "invalid_field: properties contains an unpaired UTF-16 surrogate, which is not text",
    }


def test_the_load_command_prints_no_traceback_for_what_files_contain(chdb_path, tmp_path):
    deep = write(tmp_path / "deep.ndjson", [event("c1"), nested(1500), event("c2")])
    far = tmp_path / "far.parquet"
    pq.write_table(
        pa.table(
            {
                "event_id": ["c3"],
                "project_id": ["p1"],
                "event_name": ["x"],
                "anonymous_id": ["a"],
                "timestamp": pa.array([253_402_300_800_000], type=pa.timestamp("ms")),
            }
        ),
        far,
    )
    good = write(tmp_path / "good.ndjson", [event("c4")])
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "load", str(deep), str(far), str(good)],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "3 of 5 lines loaded (3 inserted, 0 duplicates skipped), 2 rejected." in output
    assert "nested_too_deep: 1" in output
    assert "invalid_timestamp: 1" in output


def test_the_load_command_fails_when_a_file_cannot_be_read_and_still_loads_the_others(
    query, tmp_path
):
    missing = tmp_path / "missing.ndjson"
    rejected_only = write(tmp_path / "bad.ndjson", ["not json"])
    good = write(tmp_path / "good.ndjson", [event("exit-1")])

    def millimetric_load(*paths: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "load", *map(str, paths)],
            capture_output=True,
            text=True,
            env=os.environ,
            timeout=300,
        )

    failed = millimetric_load(missing, good)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"{missing}: no such file or directory" in failed.stdout
    assert query("select count() from raw.events where event_id = 'exit-1'") == [(1,)]
    # rejected rows are the normal course of a load, not a failure
    rejections = millimetric_load(rejected_only)
    assert rejections.returncode == 0, rejections.stdout + rejections.stderr
    assert "1 rejected" in rejections.stdout


# --- revenue the marts cannot read ------------------------------------------------------------


def test_an_unreadable_revenue_is_counted_as_quarantined_and_the_purchase_still_converts(
    load, query, tmp_path
):
    def purchase(event_id: str, revenue: object) -> str:
        properties = {} if revenue is OMIT else {"revenue": revenue}
        return event(event_id, event_name="purchase", properties=properties)

    path = write(
        tmp_path / "purchases.ndjson",
        [
            purchase("comma", "12,50"),
            purchase("nan", "NaN"),
            purchase("number", 12.5),
            purchase("text", "12.50"),
            purchase("none", OMIT),
            purchase("null", None),
        ],
    )
    assert load([path]).inserted == 6  # the loader keeps them all: they are real purchases
    # One dbt process: its start-up is most of the cost. The unit test and accepted_values of
    # int_events_quarantined run too.
    run_dbt(
        ["build", "--select", "+conversions", "+int_events_quarantined"]
        + ["--indirect-selection", "cautious"],
        quiet=True,
    )
    assert query(
        "SELECT event_id, quarantine_reason FROM analytics.int_events_quarantined ORDER BY ALL"
    ) == [("comma", "revenue_not_a_decimal"), ("nan", "revenue_not_a_decimal")]
    # Every purchase still counts; the two unreadable revenues are NULL, like an absent one.
    assert query(
        "SELECT toString(revenue) FROM marts.conversions WHERE conversion_name = 'purchase'"
        " ORDER BY revenue NULLS FIRST"
    ) == [(None,), (None,), (None,), (None,), ("12.5",), ("12.5",)]


# --- hostile files and impossible values (no reader holds a line whole) -----------------------


def test_a_gzip_that_expands_to_one_huge_line_is_rejected_while_read_in_bounded_memory(
    chdb_path, tmp_path
):
    # 1 MiB compressed, one line of 21 + 1 GiB + 2 bytes, then a valid event: the line is
    # rejected with a reason and the event after it loads, in a process whose peak memory
    # stays far below the line.
    bomb = tmp_path / "bomb.ndjson.gz"
    with gzip.open(bomb, "wb", 9) as g:
        g.write(b'{"user_id":"u1","x":"')
        for _ in range(1024):
            g.write(b"a" * (1 << 20))
        g.write(b'"}\n' + event("after").encode() + b"\n")
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_OF_LOAD, str(bomb)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MILLIMETRIC_CHDB_PATH": str(chdb_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    peak_mib = int(result.stdout.split()[-1]) // 1024
    assert peak_mib < 1024, f"peak RSS {peak_mib} MiB while reading a 1 GiB line"
    with warehouse.connect() as client:
        assert client.query("SELECT event_id FROM raw.events").result_rows == [("after",)]
        ((line, reason, raw, user),) = client.query(
            "SELECT line_number, reason, raw_line, user_id FROM raw.events_rejected"
        ).result_rows
    assert line == 1
    assert reason == (
        "oversized_line: the line has 1,073,741,847 bytes, over the limit of 1,048,576 "
        "(its first 4,096 are kept)"
    )
    assert raw.startswith('{"user_id":"u1","x":"aaa') and len(raw) == 4096
    assert user == "u1"  # forget can still find the line


# the load in a process of its own, so that its peak RSS is its own (KiB, Linux)
PEAK_RSS_OF_LOAD = """
import resource, sys
from pathlib import Path
from orchestration.loader import load_paths
from orchestration.runtime import warehouse
with warehouse.connect() as client:
    summary = load_paths(client, [Path(sys.argv[1])])
assert summary.ok and summary.rejected == 1, summary.render()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_csv_record_with_a_huge_line_is_rejected_and_the_next_record_loads(load, query, tmp_path):
    header = "event_id,project_id,event_name,anonymous_id,timestamp,url"
    huge = "c1,p1,x,a," + TS + ',"' + "u" * (2 * 1024 * 1024)  # an unclosed quote, 2 MiB
    path = write(tmp_path / "long.csv", [header, huge, f"c2,p1,x,a,{TS},/ok"])
    summary = load([path])
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert query("SELECT event_id, url FROM raw.events") == [("c2", "/ok")]
    ((reason, raw),) = rejected(query, path).values()
    assert reason.startswith("oversized_line: the record has a line of 2,097,1")
    assert raw.startswith("c1,p1,x,a,") and len(raw) == 4096
    assert_invariants(summary)


def test_a_named_pipe_is_refused_before_it_is_opened_and_the_rest_loads(load, query, tmp_path):
    pipe = tmp_path / "events.ndjson"
    os.mkfifo(pipe)  # opening it would block until something writes to it
    folder = tmp_path / "inbox"
    folder.mkdir()
    os.mkfifo(folder / "also.ndjson")
    good = write(tmp_path / "good.ndjson", [event("g1")])
    summary = load([pipe, folder, good])
    errors = {f.path.name: f.error for f in summary.files if f.error}
    refused = "not a regular file (a named pipe, socket or device); not opened"
    assert errors == {"events.ndjson": refused, "also.ndjson": refused}
    assert not summary.ok
    assert query("SELECT event_id FROM raw.events") == [("g1",)]


def test_control_characters_in_ids_and_event_names_are_rejected(load, query, tmp_path):
    lines = [
        event("k1", anonymous_id="\u0000"),
        event("k2", user_id="ann\nbob"),
        event("k3", project_id="p\t1"),
        event("k4", event_name="sign\u007fup"),
        event("k5", anonymous_id="tab\u00a0ok"),  # a no-break space is text, not a control
    ]
    path = write(tmp_path / "controls.ndjson", lines)
    load([path])
    assert query("SELECT event_id FROM raw.events") == [("k5",)]
    assert {n: reason for n, (reason, _raw) in rejected(query, path).items()} == {
        1: "invalid_field: anonymous_id contains the control character U+0000 at character 1",
        2: "invalid_field: user_id contains the control character U+000A at character 4",
        3: "invalid_field: project_id contains the control character U+0009 at character 2",
        4: "invalid_field: event_name contains the control character U+007F at character 5",
    }


def test_a_received_at_later_than_the_load_is_refused(load, query, tmp_path):
    now = dt.datetime.now(dt.UTC)
    at = lambda delta: (now + delta).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731
    lines = [
        event("f1", timestamp=at(dt.timedelta(hours=3)), received_at=at(dt.timedelta(hours=3))),
        event("f2", received_at=at(dt.timedelta(minutes=2))),  # within the clock skew
        event("f3", received_at=TS),
        event("f4"),  # none: stamped with the load's time
    ]
    path = write(tmp_path / "future.ndjson", lines)
    load([path])
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [
        ("f2",),
        ("f3",),
        ("f4",),
    ]
    ((reason, _raw),) = rejected(query, path).values()
    assert reason.startswith("received_at_in_future: received_at ")
    assert "by more than 5 minutes; the API stamps it when it stores the event" in reason


def test_numbers_the_loader_cannot_keep_are_rejected_in_its_own_words(load, query, tmp_path):
    lines = [
        event("n1", properties={"revenue": 1e-400}),  # json.dumps writes 0.0: see the raw line
        '{"event_id":"n2","project_id":"p1","event_name":"x","anonymous_id":"a","timestamp":"'
        + TS
        + '","properties":{"revenue":1e-400}}',
        event("n3", properties='{"n": ' + "9" * 5000 + "}"),
        '{"event_id":"n4","project_id":"p1","event_name":"x","anonymous_id":"a","timestamp":"'
        + TS
        + '","properties":{"n":'
        + "9" * 5000
        + "}}",
        event("n5", timestamp="10000-01-01T00:00:00Z"),
        event("n6", properties='{"revenue": 0.0e-3}'),  # zero written as zero is zero
    ]
    path = write(tmp_path / "numbers.ndjson", lines)
    load([path])
    assert query("SELECT event_id FROM raw.events ORDER BY event_id") == [("n1",), ("n6",)]
    too_small = "the number 1e-400, too small for a double (it would be stored as 0)"
    too_long = "a whole number of 5,000 digits, over the 4,300 the loader keeps exactly"
    assert {n: reason for n, (reason, _raw) in rejected(query, path).items()} == {
        2: f"invalid_field: the line holds {too_small}",
        3: f"invalid_field: properties holds {too_long}",
        4: f"invalid_field: the line holds {too_long}",
        5: "invalid_timestamp: timestamp '10000-01-01T00:00:00Z' is outside 1900..2299, "
        "the range stored",
    }


def test_a_full_disk_ends_the_load_with_one_line_and_a_rerun_equals_a_load_never_stopped(
    tmp_path,
):
    rng = random.Random(7)
    lines = [
        event(f"d{i}", properties={"noise": rng.randbytes(48).hex()}) for i in range(120_000)
    ] + ['{"event_id": "bad"}']
    path = write(tmp_path / "big.ndjson", lines)

    def millimetric(warehouse_dir: Path, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "MILLIMETRIC_CHDB_PATH": str(warehouse_dir)}
        return subprocess.run(
            [sys.executable, "-m", "orchestration.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    with small_disk(tmp_path / "disk") as disk:
        full = disk / "warehouse"
        assert millimetric(full, "init").returncode == 0
        # 2 MiB left, less than the file needs (staged, then stored: about twice its
        # compressed size)
        filler = fill(disk, leave=2 * 1024 * 1024)

        stopped = millimetric(full, "load", str(path))
        assert stopped.returncode == 1, stopped.stderr[-2000:]
        assert "Traceback" not in stopped.stderr
        assert stopped.stderr.splitlines()[-1] == (
            f"millimetric load: the disk is full (no space left on device, in {full}): the "
            "file being loaded was not stored and the files before it were; free space and "
            "load the same files again: what is stored is skipped"
        )

        filler.unlink()
        again = millimetric(full, "load", str(path))
        assert again.returncode == 0, again.stderr[-2000:]
        clean = tmp_path / "never-full"
        assert millimetric(clean, "load", str(path)).returncode == 0

        contents = (
            "select * from (select 'events', count(), "
            "sum(cityHash64(project_id, event_id, properties)) from raw.events union all "
            "select 'rejected', count(), sum(cityHash64(line_number, reason)) "
            "from raw.events_rejected) order by 1"
        )
        after_full = millimetric(full, "query", contents, "--format", "csv")
        never_full = millimetric(clean, "query", contents, "--format", "csv")
        assert after_full.returncode == 0, after_full.stderr  # the warehouse still opens
        assert after_full.stdout == never_full.stdout
        assert "120000" in never_full.stdout
