"""The engine's half of a load: chDB reads an NDJSON file itself and stages each line in
raw.events_loading, and the new rows go from there to raw.events in one statement.

A line is `clean` when the engine can tell it breaks no rule of validate.py *and* compute the
row exactly as validate.py would: every value a plain JSON string (no escapes, no control
characters), the timestamps in the form `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, `properties` a flat
object whose text the engine writes back unchanged. Every other line is `to_check`: kept
verbatim and handed to Python (readers.py, validate.py), which gives it a row or a reason. So
the engine is only a shortcut: a line it cannot vouch for is judged the way it always was, and
tests/test_loader_fuzz.py checks that the two halves store the same rows.

Memory stays bounded: the engine reads the file line by line under a query memory limit, and a
file it cannot read that way (a line of gigabytes, a corrupt gzip) is read by Python instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clickhouse_connect.driver.client import Client

from orchestration.loader import validate as v
from orchestration.loader.readers import (
    LONG_LINE_KEPT_BYTES,
    MAX_LINE_BYTES,
    RawRecord,
    long_line_record,
    ndjson_record,
)
from orchestration.raw.contract import EVENT_COLUMNS, LOADING_COLUMNS
from orchestration.runtime import warehouse

STAGE = "raw.events_loading"

# Under this the engine reads a file; over it (a line of hundreds of MiB) it stops and Python
# reads the file instead. Blocks of at most 4 MiB of lines, gathered into parts of at most
# 8 MiB, keep a file of ordinary traffic under 250 MiB, whatever its size, in the same time as
# twice those sizes, which took 350-400 MiB and now and then crossed the limit
# (docs/loading.md, *Speed*).
_ENGINE_MEMORY = 400 * 1024 * 1024
_ENGINE_SETTINGS = {
    "max_memory_usage": _ENGINE_MEMORY,
    "input_format_parallel_parsing": 0,
    "max_block_size": 65536,
    "input_format_max_block_size_bytes": 4 * 1024 * 1024,
    # the insert gathers blocks up to this much before it writes a part (default: 1M rows)
    "min_insert_block_size_rows": 32768,
    "min_insert_block_size_bytes": 8 * 1024 * 1024,
    # evaluate each expression once per block: lazily (per branch of every if) it costs 30x
    "short_circuit_function_evaluation": "disable",
}
# Python takes `to_check` lines back in pages of at most this many bytes.
_PAGE_BYTES = 64 * 1024 * 1024

_FIELDS = tuple(v.KNOWN_FIELDS)


def _raw(name: str) -> str:
    return f"r_{name}"


def _absent(name: str) -> str:
    return f"{_raw(name)} IN ('', 'null')"


def _text(name: str) -> str:
    """The field's string value: the raw JSON text without its quotes (a clean line has no
    escapes, so that is the value)."""
    return f"substring({_raw(name)}, 2, length({_raw(name)}) - 2)"


def _value(name: str) -> str:
    """An optional text field's stored value: '' when absent or null."""
    return f"if({_absent(name)}, '', {_text(name)})"


def _is_text(name: str) -> str:
    return f"startsWith({_raw(name)}, '\"')"


def _id(name: str, required: bool) -> str:
    limit = v.MAX_EVENT_NAME_CHARS if name == "event_name" else v.MAX_ID_CHARS
    kind = _is_text(name) if required else f"({_absent(name)} OR {_is_text(name)})"
    low = 1 if required else 0
    return f"({kind} AND lengthUTF8({_text(name)}) BETWEEN {low} AND {limit})"


def _free_text(name: str) -> str:
    return (
        f"(({_absent(name)} OR {_is_text(name)}) AND length({_text(name)}) <= {v.MAX_TEXT_BYTES})"
    )


# RFC 3339 in UTC, years validate.MIN_YEAR..MAX_YEAR (1900..2299), at most microseconds.
_INSTANT = (
    r"^(19[0-9][0-9]|2[0-2][0-9][0-9])-[0-9][0-9]-[0-9][0-9]"
    r"T[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\\.[0-9]{1,6})?Z$"
)
assert (v.MIN_YEAR, v.MAX_YEAR) == (1900, 2299), "_INSTANT spells out the years"


def _instant(name: str) -> str:
    """The field as DateTime64(3), truncated like validate.py; NULL when it is no such date
    (Feb 30th, 24:00): the round trip of its first 19 characters must give them back."""
    return f"parseDateTime64BestEffortOrNull({_text(name)}, 3, 'UTC')"


def _instant_ok(name: str) -> str:
    return (
        f"({_is_text(name)} AND match({_text(name)}, '{_INSTANT}') "
        f"AND formatDateTime({_instant(name)}, '%Y-%m-%dT%H:%i:%S', 'UTC') "
        f"= substring({_text(name)}, 1, 19))"
    )


# `properties` as the engine writes it back equals validate.py's compact json.dumps exactly
# when: it is a flat object (no nested objects or arrays, whose duplicate keys Python would
# merge), its keys are distinct, and the line holds it verbatim (so no float the engine
# rewrites, such as 1.0 or 1E5), with no exponent or tiny number (Python writes 1e-05).
_PROPERTIES_OK = f"""(
    {_absent("properties")}
    OR (startsWith(r_properties, '{{')
        AND position(substring(r_properties, 2), '{{') = 0
        AND position(r_properties, '[') = 0
        AND NOT match(r_properties, '[:,]-?[0-9][0-9.]*[eE]|[:,]-?0\\\\.0000')
        AND position(text, r_properties) > 0
        AND length(r_properties) <= {v.MAX_PROPERTIES_BYTES}
        AND length(arrayDistinct(JSONExtractKeys(r_properties)))
            = length(JSONExtractKeys(r_properties)))
)"""

_CLEAN = f"""(
    line_bytes <= {MAX_LINE_BYTES}
    AND isValidJSON(text)
    AND position(text, '\\\\') = 0
    -- no control character (C0, DEL) anywhere: valid JSON holds none inside a string, so
    -- only these can be left, between tokens or inside one (a regex took 4x as long)
    AND NOT multiSearchAny(text, ['\\t', '\\r', '\\x7f'])
    AND isValidUTF8(text)
    AND startsWith(text, '{{')
    AND length(kv) > 0
    AND length(arrayDistinct(kv.1)) = length(kv.1)
    AND hasAll({list(_FIELDS)}, kv.1)
    AND {_id("event_id", True)} AND {_id("project_id", True)} AND {_id("event_name", True)}
    AND {_id("anonymous_id", False)} AND {_id("user_id", False)}
    AND (anonymous_id_sent != '' OR user_id_sent != '')
    AND {_instant_ok("timestamp")}
    AND ({_absent("received_at")} OR ({_instant_ok("received_at")}
         AND {_instant("received_at")} <= {{now:DateTime64(3, 'UTC')}}
            + INTERVAL {int(v.MAX_CLOCK_SKEW.total_seconds())} SECOND))
    AND {_free_text("url")} AND {_free_text("referrer")} AND {_free_text("user_agent")}
    AND {_PROPERTIES_OK}
    AND r_is_anonymous_id_fabricated IN ('', 'null', 'true', 'false')
)"""

# The anonymous_id of a row that carries only a user_id: validate.fabricate_anonymous_id.
_FABRICATED = (
    f"'{v.FABRICATED_PREFIX}' || "
    "substring(lower(hex(SHA256(concat(project_id_sent, '\\0', user_id_sent)))), 1, 32)"
)

_STAGE_LINES = f"""
INSERT INTO {STAGE} ({", ".join(LOADING_COLUMNS)})
SELECT
    line_number,
    multiIf(blank, 'blank', clean, 'clean', 'to_check') AS verdict,
    if(clean, {_text("event_id")}, '') AS event_id,
    if(clean, project_id_sent, JSONExtractString(text, 'project_id')) AS project_id,
    if(clean, {_text("event_name")}, '') AS event_name,
    multiIf(NOT clean, JSONExtractString(text, 'anonymous_id'),
            anonymous_id_sent = '', {_FABRICATED}, anonymous_id_sent) AS anonymous_id,
    nullIf(if(clean, user_id_sent, JSONExtractString(text, 'user_id')), '') AS user_id,
    ifNull(if(clean, {_instant("timestamp")}, NULL), toDateTime64(0, 3, 'UTC')) AS timestamp,
    ifNull(if(clean AND NOT ({_absent("received_at")}), {_instant("received_at")},
       {{now:DateTime64(3, 'UTC')}}), toDateTime64(0, 3, 'UTC')) AS received_at,
    if(clean, {_value("url")}, '') AS url,
    if(clean, {_value("referrer")}, '') AS referrer,
    if(clean, if({_absent("properties")}, '{{}}', r_properties), '') AS properties,
    if(clean, {_value("user_agent")}, '') AS user_agent,
    clean AND (anonymous_id_sent = '' OR r_is_anonymous_id_fabricated = 'true')
        AS is_anonymous_id_fabricated,
    clean AND anonymous_id_sent = '' AS fabricated,
    if(clean OR blank, '', if(line_bytes > {MAX_LINE_BYTES},
        substring(sent_line, 1, {LONG_LINE_KEPT_BYTES}), sent_line)) AS line,
    line_bytes
FROM (
    SELECT
        *,
        line_bytes <= {MAX_LINE_BYTES} AND match(text, '^[ \\\\t\\\\r\\\\x0b\\\\x0c]*$') AS blank,
        {_value("anonymous_id")} AS anonymous_id_sent,
        {_value("user_id")} AS user_id_sent,
        {_text("project_id")} AS project_id_sent,
        NOT blank AND {_CLEAN} AS clean
    FROM (
        -- each level reads the one below as columns, so that the engine computes a line's
        -- JSON keys and values once, not once per use
        SELECT *, {", ".join(f"kv.2[indexOf(kv.1, '{name}')] AS {_raw(name)}" for name in _FIELDS)}
        FROM (
            SELECT
                _row_number + 1 AS line_number,
                line AS sent_line,
                -- without its ending, as Python counts it: \\n is gone already, a \\r goes too
                if(endsWith(line, '\\r'), substring(line, 1, length(line) - 1), line) AS unended,
                length(unended) AS line_bytes,
                if(line_number = 1 AND startsWith(unended, '\\xEF\\xBB\\xBF'),
                   substring(unended, 4), unended) AS text,
                JSONExtractKeysAndValuesRaw(text) AS kv
            FROM file({{path:String}}, 'LineAsString', 'line String')
        )
    )
)
"""


def clear(client: Client) -> None:
    """Empty the stage, and hand the memory the last file took back to the system (the
    engine's allocator keeps it otherwise, and a load of many files would creep upwards)."""
    client.command(f"TRUNCATE TABLE {STAGE}")
    client.command("SYSTEM JEMALLOC PURGE")


def stage_file(client: Client, path: Path, now: dt.datetime) -> str | None:
    """Stage every line of an NDJSON file (plain or gzip); None when done, else why the engine
    could not read it (the stage is then empty again, for Python to read the file)."""
    try:
        client.command(
            _STAGE_LINES,
            parameters={"path": str(path.resolve()), "now": now},
            settings=_ENGINE_SETTINGS,
        )
    except Exception as e:  # the file's fault or the engine's: Python reads it and says which
        if warehouse.is_disk_full(e):
            raise
        clear(client)
        if "MEMORY_LIMIT_EXCEEDED" in str(e):
            return f"a line too long to hold within {_ENGINE_MEMORY // 2**20} MiB"
        return str(e).splitlines()[0][:200]
    return None


@dataclass
class Staged:
    blank: int
    clean: int
    fabricated: int


def staged_counts(client: Client) -> Staged:
    blank, clean, fabricated = client.query(
        f"SELECT countIf(verdict = 'blank'), countIf(verdict = 'clean'), "
        f"countIf(verdict = 'clean' AND fabricated) FROM {STAGE}"
    ).result_rows[0]
    return Staged(blank, clean, fabricated)


def lines_to_check(client: Client) -> Iterator[RawRecord | None]:
    """The `to_check` lines as records, in file order, read back in pages of bounded size."""
    after = 0
    while True:
        sizes = client.query(
            f"SELECT line_number, length(line) FROM {STAGE} "
            "WHERE verdict = 'to_check' AND line_number > {after:UInt64} "
            "ORDER BY line_number LIMIT 10000",
            parameters={"after": after},
        ).result_rows
        if not sizes:
            return
        last, total = sizes[0][0], 0
        for line_number, size in sizes:
            if total and total + size > _PAGE_BYTES:
                break
            last, total = line_number, total + size
        rows = client.query(
            f"SELECT line_number, line, line_bytes FROM {STAGE} "
            "WHERE verdict = 'to_check' AND line_number > {after:UInt64} "
            "AND line_number <= {last:UInt64} ORDER BY line_number",
            parameters={"after": after, "last": last},
            column_formats={"line": "bytes"},
        ).result_rows
        for line_number, line, line_bytes in rows:
            if line_bytes > MAX_LINE_BYTES:
                yield long_line_record(line_number, line, line_bytes)
            else:
                yield ndjson_record(line_number, line)
        after = last


def stage_valid(client: Client, rows: list[tuple[int, v.Event]]) -> None:
    """Rows Python found valid, with their line numbers."""
    if rows:
        client.insert(
            STAGE,
            [(n, "valid", *event.row, event.fabricated) for n, event in rows],
            column_names=["line_number", "verdict", *EVENT_COLUMNS, "fabricated"],
        )


# What becomes of each staged row that is the first of its (project_id, event_id) in file
# order: `stored` when raw.events holds the key already, `forgotten` when a tombstone covers it
# (forget/tombstones.py: a key forgotten at or after the event happened or was received).
_DECISIONS = "millimetric_loader_decisions"
_DECIDE = f"""
INSERT INTO {_DECISIONS}
SELECT
    line_number,
    (project_id, event_id) IN (
        SELECT project_id, event_id FROM raw.events
        WHERE project_id IN (SELECT project_id FROM {STAGE} WHERE verdict IN ('clean', 'valid'))
          AND (project_id, event_id) IN (
              SELECT project_id, event_id FROM {STAGE} WHERE verdict IN ('clean', 'valid'))
    ) AS stored,
    ifNull(least(timestamp, received_at) <= device_forgotten_at
           OR least(timestamp, received_at) <= user_forgotten_at, false) AS forgotten
FROM (
    SELECT line_number, project_id, event_id, anonymous_id, user_id, timestamp, received_at
    FROM {STAGE}
    WHERE verdict IN ('clean', 'valid')
    ORDER BY line_number
    LIMIT 1 BY project_id, event_id
) AS staged
LEFT JOIN (
    SELECT project_id, forgotten_key AS anonymous_id, max(forgotten_at) AS device_forgotten_at
    FROM audit.forget_tombstones WHERE key_type = 'anonymous_id' GROUP BY ALL
) AS devices USING (project_id, anonymous_id)
LEFT JOIN (
    SELECT project_id, forgotten_key AS user_id, max(forgotten_at) AS user_forgotten_at
    FROM audit.forget_tombstones WHERE key_type = 'user_id' GROUP BY ALL
) AS users USING (project_id, user_id)
"""
# tombstones not found are NULL, not the epoch: an event may predate 1970
_JOIN_SETTINGS = {"join_use_nulls": 1}


@dataclass
class Written:
    inserted: int
    # the rest of the staged valid rows are duplicates: repeats in the file or stored already
    forgotten_skipped: int


def write_new_rows(client: Client) -> Written:
    """Insert the staged rows raw.events does not hold and no tombstone covers (the first of
    each key in file order); count those inserted and those a tombstone kept out."""
    client.command(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_DECISIONS} "
        "(line_number UInt64, stored Bool, forgotten Bool)"
    )
    client.command(f"TRUNCATE TABLE {_DECISIONS}")
    client.command(_DECIDE, settings=_JOIN_SETTINGS)
    inserted, forgotten = client.query(
        f"SELECT countIf(NOT stored AND NOT forgotten), countIf(NOT stored AND forgotten) "
        f"FROM {_DECISIONS}"
    ).result_rows[0]
    columns = ", ".join(EVENT_COLUMNS)
    client.command(
        f"INSERT INTO raw.events ({columns}) SELECT {columns} FROM {STAGE} "
        "WHERE verdict IN ('clean', 'valid') "  # a `valid` row shares its to_check line's number
        f"AND line_number IN (SELECT line_number FROM {_DECISIONS} "
        "WHERE NOT stored AND NOT forgotten)"
    )
    return Written(inserted=inserted, forgotten_skipped=forgotten)
