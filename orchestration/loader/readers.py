"""Reading input files into records: one per NDJSON line, CSV record or Parquet row.

A reader only splits and parses; it judges nothing about the event (validate.py does). It
yields `None` for a blank line, so that blank lines are counted but never become rows, and a
`RawRecord` for everything else, with `fields` set when the record parsed, or `error` (a
reason starting with a stable code) and best-effort ids when it did not.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

NDJSON = "ndjson"
CSV = "csv"
PARQUET = "parquet"

# Suffix (lower-cased) -> format. `.gz` is handled on top for the text formats only: Parquet
# compresses internally.
SUFFIXES = {".ndjson": NDJSON, ".jsonl": NDJSON, ".json": NDJSON, ".csv": CSV, ".parquet": PARQUET}
SUPPORTED = ".ndjson .jsonl .json .csv .parquet (and .ndjson.gz .jsonl.gz .json.gz .csv.gz)"

ID_FIELDS = ("project_id", "anonymous_id", "user_id")

# pandas writes its index into Parquet under these names; they are not event data.
_PANDAS_INDEX = re.compile(r"__index_level_\d+__")

# JSON nested deeper than this many levels of arrays and objects is refused (nested_too_deep), in
# a line and in the text of `properties`. Python's parser recurses once per level and gives up
# near its recursion limit, at a depth that varies with the caller's own stack; a fixed limit far
# below it makes the outcome the same everywhere, and keeps every later step (serializing,
# reprs in reasons) safely shallow. ClickHouse's JSON functions stop at 1,024 levels.
MAX_JSON_DEPTH = 100

# No valid event comes near this: every field's limit together is under 100 KiB, and JSON
# escaping at most sextuples text. A longer line (or CSV record) is rejected while it is read,
# without ever being held whole: a small gzip file can expand to one line of gigabytes.
MAX_LINE_BYTES = 1024 * 1024
# What raw_line keeps of such a line: enough to see what it was and to find its ids.
LONG_LINE_KEPT_BYTES = 4096
OVERSIZED_LINE = "oversized_line"

# CSV fields may legitimately exceed the csv module's default 128 KiB limit only to be rejected
# as oversized by validation, which gives a better reason than "field larger than field limit".
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


class FileError(Exception):
    """The file as a whole cannot be read (not the format its name says, unreadable header)."""


@dataclass(slots=True)
class RawRecord:
    """One input record. `raw_line` is verbatim (without its line ending); it is bytes only
    when the input was not valid UTF-8. Exactly one of `fields` and `error` is set."""

    line_number: int
    raw_line: str | bytes
    fields: dict[str, Any] | None = None
    error: str | None = None
    # Only for unparseable records: ids recovered from the text, so forget can find the line.
    ids: dict[str, str] = field(default_factory=dict)


def detect_format(path: Path) -> str | None:
    """The format a file name says (ndjson, csv, parquet), or None if unsupported."""
    suffixes = [s.lower() for s in path.suffixes]
    if not suffixes:
        return None
    if suffixes[-1] == ".gz":
        if len(suffixes) < 2:
            return None
        fmt = SUFFIXES.get(suffixes[-2])
        return fmt if fmt in (NDJSON, CSV) else None
    return SUFFIXES.get(suffixes[-1])


def read_records(path: Path, fmt: str, batch_rows: int = 50_000) -> Iterator[RawRecord | None]:
    """Stream the records of one file in order. Memory is bounded by one line (NDJSON, CSV) or
    one batch of `batch_rows` rows (Parquet). Raises FileError (or OSError) for whole-file
    problems; a bad record is yielded with `error` set instead."""
    if fmt == NDJSON:
        return _ndjson(path)
    if fmt == CSV:
        return _csv(path)
    if fmt == PARQUET:
        return _parquet(path, batch_rows)
    raise ValueError(f"unknown format {fmt!r}")


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


# --- NDJSON ---------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are Python's extension, not JSON; ClickHouse's JSON functions choke on
    # them later, so they make the line unparseable here.
    raise ValueError(f"{name} is not valid JSON")


# Python turns the text of an integer into a number only up to this many digits (its default
# sys.get_int_max_str_digits()); a longer one cannot be kept exactly.
MAX_INT_DIGITS = 4300


class NumberNotKept(ValueError):
    """A JSON number the loader cannot keep as it was written: too many digits for an integer,
    or so close to zero that a double would hold 0 (1e-400)."""


# The JSON decoder calls these for every number of every line: the common case is int() or
# float() and one comparison, and the checks run only on what they flag.
def kept_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # only over MAX_INT_DIGITS: the decoder hands over digits alone
        raise NumberNotKept(
            f"a whole number of {len(text.lstrip('-')):,} digits, over the {MAX_INT_DIGITS:,} "
            "the loader keeps exactly"
        ) from None


def kept_float(text: str) -> float:
    """The number as a double; NumberNotKept when a non-zero number would become 0. (One
    beyond a double becomes infinity, which the checks on properties refuse.)"""
    value = float(text)
    if value == 0 and any(digit in text.lower().partition("e")[0] for digit in "123456789"):
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise NumberNotKept(f"the number {shown}, too small for a double (it would be stored as 0)")
    return value


_decoder = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=kept_float, parse_int=kept_int
)


def _ndjson(path: Path) -> Iterator[RawRecord | None]:
    with _open_binary(path) as f:
        for line_number, data in enumerate(_bounded_lines(f), start=1):
            if isinstance(data, _LongLine):
                yield data.record(line_number)
            else:
                yield ndjson_record(line_number, data)


def ndjson_record(line_number: int, data: bytes) -> RawRecord | None:
    """One NDJSON line (at most MAX_LINE_BYTES, with or without its line ending) as a record;
    None when it is blank. The engine's half of a load (engine.py) hands over the lines it
    leaves to Python through here too."""
    data = data.rstrip(b"\n").removesuffix(b"\r")
    if line_number == 1:
        data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return RawRecord(
            line_number,
            data,
            error=f"unparseable_json: not valid UTF-8 (byte {e.start})",
            # An id with a replaced byte is not the real id: drop it rather than mislead.
            ids={
                k: v
                for k, v in ids_from_text(data.decode("utf-8", "replace")).items()
                if "\ufffd" not in v
            },
        )
    return _parse_json_line(line_number, text)


def long_line_record(line_number: int, head: bytes, size: int) -> RawRecord:
    """The rejection of a line of `size` bytes over MAX_LINE_BYTES, from its first bytes."""
    return _LongLine(head[:LONG_LINE_KEPT_BYTES], size).record(line_number)


@dataclass(frozen=True, slots=True)
class _LongLine:
    """A line over MAX_LINE_BYTES: its first bytes and its length; the rest was read past."""

    head: bytes
    size: int

    def record(self, line_number: int) -> RawRecord:
        head = self.head.decode("utf-8", "replace")
        return RawRecord(
            line_number,
            self.head[:LONG_LINE_KEPT_BYTES],
            error=f"{OVERSIZED_LINE}: the line has {self.size:,} bytes, over the limit of "
            f"{MAX_LINE_BYTES:,} (its first {LONG_LINE_KEPT_BYTES:,} are kept)",
            ids={k: v for k, v in ids_from_text(head).items() if "\ufffd" not in v},
        )


def _bounded_lines(f: IO[bytes]) -> Iterator[bytes | _LongLine]:
    """The file's lines, each read with at most MAX_LINE_BYTES + 2 bytes in memory (the text and
    its line ending): a line whose text is longer is read past in pieces and comes as a
    _LongLine."""
    while True:
        data = f.readline(MAX_LINE_BYTES + 2)
        if not data:
            return
        size = len(_line_text(data))
        if size <= MAX_LINE_BYTES:
            yield data
            continue
        if not data.endswith(b"\n"):
            size = len(data) + _read_past_line(f)
        yield _LongLine(data[:LONG_LINE_KEPT_BYTES], size)


def _line_text(line: bytes | str) -> bytes | str:
    """A line without its ending: \n, \r\n or \r."""
    if isinstance(line, bytes):
        return line.removesuffix(b"\n").removesuffix(b"\r")
    return line.removesuffix("\n").removesuffix("\r")


def _read_past_line(f: IO) -> int:
    """Reads to the end of the current line in pieces of MAX_LINE_BYTES; returns its length
    without the line ending."""
    size = 0
    while True:
        piece = f.readline(MAX_LINE_BYTES)
        if not piece:
            return size
        # a text stream (CSV, newline="") ends lines at \r too, a binary one at \n only
        if piece.endswith(("\n", "\r") if isinstance(piece, str) else b"\n"):
            return size + len(_line_text(piece))
        size += len(piece)


def _parse_json_line(line_number: int, text: str) -> RawRecord:
    try:
        value = _decoder.decode(text)
    except RecursionError:
        return _too_deep_line(line_number, text)
    except NumberNotKept as e:
        return RawRecord(
            line_number, text, error=f"invalid_field: the line holds {e}", ids=ids_from_text(text)
        )
    except ValueError as e:
        if isinstance(e, json.JSONDecodeError):
            # Some messages already end in "at" ("Unterminated string starting at").
            at = " column" if e.msg.endswith(" at") else " at column"
            detail = f"{e.msg}{at} {e.colno}"
        else:
            detail = str(e)
        return RawRecord(
            line_number,
            text,
            error=f"unparseable_json: {detail}",
            ids=ids_from_text(text),
        )
    if not isinstance(value, dict):
        kind = _json_kind(value)
        return RawRecord(
            line_number, text, error=f"unparseable_json: line is {kind}, not an object"
        )
    if nests_too_deep(text, value):
        return _too_deep_line(line_number, text)
    return RawRecord(line_number, text, fields=value)


def _too_deep_line(line_number: int, text: str) -> RawRecord:
    return RawRecord(
        line_number,
        text,
        error=f"nested_too_deep: {too_deep('the line')}",
        ids=ids_from_text(text),
    )


def too_deep(what: str) -> str:
    """The detail of a nested_too_deep reason."""
    return f"{what} nests arrays and objects over {MAX_JSON_DEPTH} levels deep"


def nests_too_deep(text: str, value: Any) -> bool:
    """Whether `value`, parsed from the JSON `text`, nests arrays and objects more than
    MAX_JSON_DEPTH levels deep (the outermost one is level 1)."""
    # Counting brackets runs at C speed and clears almost every line without walking it.
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    # Iterative, so that the walk itself cannot run out of stack.
    pending = [(value, 1)] if isinstance(value, dict | list) else []
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > MAX_JSON_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool) or value is None:
        return f"JSON {json.dumps(value)}"
    return "a JSON number"


# Ids out of a line that did not parse: `"user_id": "..."` as JSON writes it, or the
# single-quoted form of a Python repr. Best effort only: it lets forget find most such lines.
_ID_IN_TEXT = re.compile(
    r"""(?<![\w$])["']?(project_id|anonymous_id|user_id)["']?\s*[:=]\s*"""
    r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
)


def ids_from_text(text: str) -> dict[str, str]:
    """project_id / anonymous_id / user_id as they appear in unparseable text (first wins)."""
    found: dict[str, str] = {}
    for m in _ID_IN_TEXT.finditer(text):
        name = m.group(1)
        if name in found:
            continue
        if m.group(2) is not None:
            try:
                found[name] = json.loads(f'"{m.group(2)}"')
            except ValueError:
                found[name] = m.group(2)
        else:
            found[name] = m.group(3)
    return {k: v for k, v in found.items() if v != "" and _verbatim(v)[1]}


# --- CSV ------------------------------------------------------------------------------------


class _LineTooLong(FileError):
    """A CSV line over MAX_LINE_BYTES characters, read past. In the header it ends the file;
    in a record it rejects that record."""

    def __init__(self, head: str, size: int) -> None:
        super().__init__(f"a line has {size:,} characters, over the limit of {MAX_LINE_BYTES:,}")
        self.head = head
        self.size = size


class _LineTap:
    """Feeds lines to csv.reader while keeping the text of the record being read, so that a
    rejected record's raw_line is exactly what the file held, quoted newlines included."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self.lines_consumed = 0
        self.buffer: list[str] = []

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        line = self._text.readline(MAX_LINE_BYTES + 2)
        if not line:
            raise StopIteration
        self.lines_consumed += 1
        size = len(_line_text(line))
        if size > MAX_LINE_BYTES:
            if not line.endswith(("\n", "\r")):
                size = len(line) + _read_past_line(self._text)
            head = ("".join(self.buffer) + line)[:LONG_LINE_KEPT_BYTES]
            self.buffer.clear()
            raise _LineTooLong(head, size)
        self.buffer.append(line)
        return line

    def take(self) -> str:
        raw = "".join(self.buffer)
        self.buffer.clear()
        if raw.endswith("\r\n"):
            return raw[:-2]
        return raw[:-1] if raw.endswith(("\n", "\r")) else raw


def _verbatim(raw: str) -> tuple[str | bytes, bool]:
    """The raw text, or its original bytes when it held invalid UTF-8 (surrogate-escaped)."""
    try:
        raw.encode("utf-8")
        return raw, True
    except UnicodeEncodeError:
        return raw.encode("utf-8", "surrogateescape"), False


def _csv(path: Path) -> Iterator[RawRecord | None]:
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    with _open_binary(path) as binary:
        # surrogateescape: a bad byte fails only its own record, not the whole file.
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        tap = _LineTap(text)
        reader = csv.reader(tap, strict=False)
        header = _csv_header(path, reader, tap)
        if header is None:
            return
        while True:
            start = tap.lines_consumed + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except _LineTooLong as long:
                head, _ = _verbatim(long.head)
                yield RawRecord(
                    start,
                    head,
                    error=f"{OVERSIZED_LINE}: the record has a line of {long.size:,} characters, "
                    f"over the limit of {MAX_LINE_BYTES:,} (its first "
                    f"{LONG_LINE_KEPT_BYTES:,} are kept)",
                )
                # a fresh reader: the cut record's half-parsed state must not run on
                reader = csv.reader(tap, strict=False)
                continue
            except csv.Error as e:
                raw, _ = _verbatim(tap.take())
                yield RawRecord(start, raw, error=f"unparseable_csv: {e}")
                continue
            raw, valid_utf8 = _verbatim(tap.take())
            # Blank is what the text shows, not what it parses to: a quoted newline ("\n") is
            # a record of one field, and is checked like any other.
            if not raw.strip():
                yield None
                continue
            if not valid_utf8:
                yield RawRecord(
                    start,
                    raw,
                    error="unparseable_csv: not valid UTF-8",
                    ids=_ids_by_position(header, row),
                )
                continue
            if len(row) != len(header):
                yield RawRecord(
                    start,
                    raw,
                    error=f"unparseable_csv: record has {len(row)} fields, "
                    f"the header has {len(header)}",
                    ids=_ids_by_position(header, row),
                )
                continue
            # An empty cell is an absent value: CSV cannot tell '' from null.
            fields = {
                name: (value if value != "" else None)
                for name, value in zip(header, row, strict=True)
            }
            yield RawRecord(start, raw, fields=fields)


def _csv_header(path: Path, reader: Any, tap: _LineTap) -> list[str] | None:
    for row in reader:
        tap.take()
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank lines before the header are tolerated
        header = [name.strip() for name in row]
        if any("\udc80" <= ch <= "\udcff" for name in header for ch in name):
            raise FileError("the CSV header is not valid UTF-8")
        seen = set()
        for name in header:
            if name in seen:
                raise FileError(f"the CSV header names column {name!r} twice")
            seen.add(name)
        return header
    return None  # an empty file: no header, no rows


def _ids_by_position(header: list[str], row: list[str]) -> dict[str, str]:
    """Ids from a record whose field count is off. Positional, so only right when the damage is
    after the id columns (a truncated line, an unquoted comma in the user agent), which is the
    common case; better a likely id than none for forget."""
    found = {}
    for name in ID_FIELDS:
        if name in header:
            i = header.index(name)
            if i < len(row) and row[i] != "":
                value, ok = _verbatim(row[i])
                if ok:
                    found[name] = value
    return found


# --- Parquet --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A Parquet value that has no Python form: a timestamp or date in year 10000, a time zone
    Python does not know. It stands in for the value so that validation rejects its row alone;
    `text` is Arrow's own rendering of it, as written to raw_line."""

    arrow_type: str
    text: str
    problem: str  # "out of range", or the conversion error

    def __repr__(self) -> str:
        return repr(self.text)


def json_default(value: Any) -> Any:
    """json.dumps fallback for the Python values Parquet columns decode to."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Unreadable):
        return value.text
    return str(value)


def row_as_json(row: dict[str, Any]) -> str:
    """A Parquet row as the JSON text stored as its raw_line."""
    return json.dumps(row, ensure_ascii=False, default=json_default, separators=(",", ":"))


def _parquet(path: Path, batch_rows: int) -> Iterator[RawRecord | None]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except pa.ArrowException as e:
        raise FileError(f"not a readable Parquet file: {e}") from e
    with parquet:
        keep = [n for n in parquet.schema_arrow.names if not _PANDAS_INDEX.fullmatch(n)]
        line_number = 0
        for batch in parquet.iter_batches(batch_size=batch_rows, columns=keep):
            for row in _python_rows(batch):
                line_number += 1
                yield RawRecord(line_number, row_as_json(row), fields=row)


def _python_rows(batch: Any) -> list[dict[str, Any]]:
    """The batch's rows as Python values. A value without a Python form becomes an Unreadable,
    so that it costs its row, not the batch (to_pylist fails as a whole on a single one)."""
    try:
        return batch.to_pylist()
    except Exception:  # OverflowError, ValueError, a time zone error... depending on the type
        columns = [_python_values(column) for column in batch.columns]
        names = batch.schema.names
        return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _python_values(column: Any) -> list[Any]:
    try:
        return column.to_pylist()
    except Exception:
        return [_python_value(column, i) for i in range(len(column))]


def _python_value(column: Any, i: int) -> Any:
    try:
        return column[i].as_py()
    except Exception as e:
        import pyarrow as pa

        try:
            # Arrow renders what Python cannot hold: '10000-01-01 00:00:00.000Z'
            text = str(column.slice(i, 1).cast(pa.string())[0].as_py())
        except Exception:
            text = f"<{column.type}>"
        problem = "out of range" if isinstance(e, OverflowError) else f"{type(e).__name__}: {e}"
        return Unreadable(str(column.type), text, problem)


def reader_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "this file cannot be read further", as opposed to a database
    failure, which must stop the whole load."""
    errors: list[type[BaseException]] = [FileError, OSError, EOFError, UnicodeDecodeError]
    import zlib

    errors.append(zlib.error)
    try:
        import pyarrow as pa

        errors.append(pa.ArrowException)
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    return tuple(errors)
