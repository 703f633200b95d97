"""`write_ndjson`: the events as NDJSON files, as the collector would hand them to the loader,
plus a small share of malformed lines the loader must reject, and the ad spend as the CSV file an
ad platform export would be."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator import ids
from orchestration.generator.arrays import concat_strings
from orchestration.generator.spend import write_spend_csv
from orchestration.generator.traffic import Traffic

LINES_PER_FILE = 250_000
# Oversized lines carry a url longer than this: far beyond the loader's limit for url (8 KiB,
# orchestration/loader/validate.py), so they stay oversized if that limit is raised a little.
OVERSIZED_URL_BYTES = 16 * 1024

MALFORMED_KINDS = (
    "unparseable_json",  # truncated line, Python-repr quoting, or an HTML error page
    "missing_timestamp",  # no "timestamp" key
    "invalid_timestamp",  # a "timestamp" string that is not an ISO-8601 instant
    "missing_identity",  # neither anonymous_id nor user_id (absent, null or empty)
    "properties_not_object",  # properties is an array, a number or a string without an object
    "oversized_field",  # url longer than OVERSIZED_URL_BYTES
)


def _json_string(values: pa.Array) -> pa.Array:
    """values as JSON string bodies (without the quotes)."""
    escaped = pc.replace_substring(values, "\\", "\\\\")
    return pc.replace_substring(escaped, '"', '\\"')


def _iso(ts: pa.Array) -> pa.Array:
    """YYYY-MM-DDTHH:MM:SS.mmmZ. Casting a naive ms timestamp prints 'YYYY-MM-DD HH:MM:SS.mmm'
    (always three digits) some 30x faster than strftime."""
    text = pc.cast(ts.cast(pa.timestamp("ms")), pa.string())
    return concat_strings(pc.utf8_replace_slice(text, 10, 11, "T"), "Z")


def event_lines(events: pa.Table) -> pa.Array:
    """One compact JSON object per row, each ending in a newline. Field names are the raw.events
    column names (without is_anonymous_id_fabricated); properties is embedded as an object."""
    c = events.combine_chunks()
    user_id = concat_strings('"', _json_string(c["user_id"]), '"').fill_null("null")
    return concat_strings(
        '{"event_id":"',
        _json_string(c["event_id"]),
        '","project_id":"',
        _json_string(c["project_id"]),
        '","event_name":"',
        _json_string(c["event_name"]),
        '","anonymous_id":"',
        _json_string(c["anonymous_id"]),
        '","user_id":',
        user_id,
        ',"timestamp":"',
        _iso(c["timestamp"]),
        '","received_at":"',
        _iso(c["received_at"]),
        '","url":"',
        _json_string(c["url"]),
        '","referrer":"',
        _json_string(c["referrer"]),
        '","properties":',
        c["properties"],
        ',"user_agent":"',
        _json_string(c["user_agent"]),
        '"}\n',
    ).combine_chunks()


def _row_dict(events: pa.Table, row: int) -> dict:
    d = events.slice(row, 1).to_pylist()[0]
    d.pop("is_anonymous_id_fabricated", None)
    for key in ("timestamp", "received_at"):
        d[key] = d[key].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    d["properties"] = json.loads(d["properties"])
    return d


def _dumps(d: dict) -> str:
    return json.dumps(d, separators=(",", ":"))


def _malformed_line(kind: str, d: dict, rng: np.random.Generator, variant: int) -> str:
    if kind == "unparseable_json":
        text = _dumps(d)
        if variant % 3 == 0:
            return text[: int(rng.integers(20, len(text) - 10))]
        if variant % 3 == 1:
            return repr(d)  # single-quoted keys: not JSON
        return "<html><body><h1>502 Bad Gateway</h1></body></html>"
    if kind == "missing_timestamp":
        del d["timestamp"]
    elif kind == "invalid_timestamp":
        d["timestamp"] = ("2026-02-30T25:61:00.000Z", "not-a-date", "", "31/01/2026 10:00")[
            variant % 4
        ]
    elif kind == "missing_identity":
        if variant % 3 == 0:
            del d["anonymous_id"], d["user_id"]
        elif variant % 3 == 1:
            d["anonymous_id"], d["user_id"] = None, None
        else:
            d["anonymous_id"], d["user_id"] = "", None
    elif kind == "properties_not_object":
        d["properties"] = ([1, 2, 3], "just a string", '["a","b"]', 42)[variant % 4]
    elif kind == "oversized_field":
        pad = OVERSIZED_URL_BYTES + int(rng.integers(1, 4096))
        d["url"] = d["url"] + ("&" if "?" in d["url"] else "?") + "q=" + "x" * pad
    else:
        raise ValueError(kind)
    return _dumps(d)


def _malformed(events: pa.Table, n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """n malformed lines, each made from a real row but with a fresh event_id; and their kinds."""
    kinds = rng.permutation(np.arange(n) % len(MALFORMED_KINDS))
    sources = rng.integers(0, events.num_rows, n)
    fresh_ids = ids.random_uuids(rng, n).to_pylist()
    lines = []
    for j in range(n):
        d = _row_dict(events, int(sources[j]))
        d["event_id"] = fresh_ids[j]
        lines.append(_malformed_line(MALFORMED_KINDS[kinds[j]], d, rng, j // len(MALFORMED_KINDS)))
    return lines, kinds


def _write_lines(path: Path, lines: pa.Array) -> None:
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    _validity, offsets_buf, data = lines.buffers()
    offset_type = np.int64 if pa.types.is_large_string(lines.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=offset_type)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    with path.open("wb") as f:
        f.write(memoryview(data)[int(offsets[0]) : int(offsets[-1])])


def write_ndjson(
    traffic: Traffic,
    out_path: Path,
    seed: int,
    malformed_share: float = 0.005,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write traffic.events (every row, redeliveries included, in received_at order) as NDJSON
    files events-<start>-s<seed>-NNN.ndjson in the directory out_path, with
    round(malformed_share * rows) extra malformed lines spread among them, and traffic.ad_spend
    as ad_spend-<start>-s<seed>.csv beside them (`millimetric load` tells it by its header).

    Files of the same name are overwritten; nothing else in the directory is touched. Returns
    {"events", "malformed", "lines", "files", "paths", "malformed_by_kind", "ad_spend",
    "ad_spend_path"}.
    """
    say = progress or (lambda _msg: None)
    out_path = Path(out_path)
    out_path.mkdir(parents=True, exist_ok=True)
    events = traffic.events.combine_chunks()
    n_valid = events.num_rows
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    n_bad = int(round(malformed_share * n_valid)) if n_valid else 0
    bad_lines, bad_kinds = _malformed(events, n_bad, rng)
    bad = pa.array([line + "\n" for line in bad_lines], type=pa.string())

    # Merge: malformed line j goes right before valid row insert_at[j].
    insert_at = np.sort(rng.integers(0, n_valid + 1, n_bad))
    keys = np.concatenate([2 * np.arange(n_valid) + 1, 2 * insert_at])
    order = np.argsort(keys, kind="stable")  # < n_valid: valid row; else malformed line
    total = order.shape[0]
    prefix = f"events-{traffic.start_date:%Y%m%d}-s{traffic.seed}"
    paths = []
    for i, lo in enumerate(range(0, total, LINES_PER_FILE)):
        part = order[lo : lo + LINES_PER_FILE]
        valid = part[part < n_valid]
        malformed = part[part >= n_valid] - n_valid
        v0 = int(valid[0]) if valid.size else 0
        m0 = int(malformed[0]) if malformed.size else 0
        lines = pa.concat_arrays(
            [
                event_lines(events.slice(v0, valid.size)),
                bad.slice(m0, malformed.size),
            ]
        )
        # Both runs are contiguous, so positions inside the chunk follow from the merge order.
        local = np.where(part < n_valid, part - v0, valid.size + (part - n_valid - m0))
        path = out_path / f"{prefix}-{i:03d}.ndjson"
        _write_lines(path, lines.take(pa.array(local)))
        paths.append(str(path))
        say(f"ndjson: wrote {path.name} ({part.size:,} lines)")

    spend_path = write_spend_csv(
        traffic.ad_spend, out_path / f"ad_spend-{traffic.start_date:%Y%m%d}-s{traffic.seed}.csv"
    )
    say(f"csv: wrote {spend_path.name} ({traffic.ad_spend.num_rows:,} campaign days)")
    by_kind = {k: int(np.sum(bad_kinds == i)) for i, k in enumerate(MALFORMED_KINDS)}
    return {
        "events": n_valid,
        "malformed": n_bad,
        "lines": total,
        "files": len(paths),
        "paths": paths,
        "malformed_by_kind": by_kind,
        "ad_spend": traffic.ad_spend.num_rows,
        "ad_spend_path": str(spend_path),
    }
