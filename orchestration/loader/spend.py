"""Ad spend files into raw.ad_spend (docs/loading.md, *Ad spend files*).

`millimetric load` hands a file here instead of to the events loader when it is a spend file: a
CSV file whose header, or a Parquet file whose schema, names the column `spend`. No raw.events
column is called that, so an events file is never taken for a spend file.

The rules are the events loader's: every row is loaded or rejected with a reason (rejected
lines go to raw.events_rejected, like an events file's, with no person's id in them), a file
that cannot be read is reported and does not stop the others, and a reload changes nothing. The
grain is one row per (project_id, date, source, medium, campaign): a row equal to what
raw.ad_spend already holds for its key is skipped; a row that differs is a restatement (ad
platforms revise past days) and replaces the stored one, newest load winning.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import gzip
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from clickhouse_connect.driver.client import Client

from orchestration import settings
from orchestration.loader.chunks import read_in_chunks, record_rejections
from orchestration.loader.readers import (
    CSV,
    OVERSIZED_LINE,
    PARQUET,
    RawRecord,
    Unreadable,
    read_records,
)
from orchestration.loader.summary import FileSummary
from orchestration.loader.validate import MAX_ID_CHARS, MAX_TEXT_BYTES, Rejection, ids_of
from orchestration.raw.contract import (
    AD_SPEND_COLUMNS,
    AD_SPEND_KEY,
    CLIENT_AD_SPEND_COLUMNS,
    AdSpendRow,
)
from orchestration.runtime.dbt_vars import dbt_vars

SPEND_COLUMN = "spend"
# A file may carry `origin` (a re-export of raw.ad_spend keeps it); loaded_at is always the
# load's own time, so that the newest load of a key wins.
KNOWN_FIELDS = frozenset((*CLIENT_AD_SPEND_COLUMNS, "origin"))
# Sessions without a utm_campaign have the campaign '(not set)'; spend without one must match them.
NOT_SET = "(not set)"

UNPARSEABLE_CSV = "unparseable_csv"  # from the reader: wrong field count, invalid UTF-8, quoting
UNKNOWN_FIELD = "unknown_field"  # a column that is not a raw.ad_spend column
MISSING_FIELD = "missing_field"  # project_id, date, source, medium, spend or currency unset
INVALID_FIELD = "invalid_field"  # a wrong type (a number as a project_id)
OVERSIZED_FIELD = "oversized_field"  # over the events loader's limits for ids and text
INVALID_DATE = "invalid_date"  # not YYYY-MM-DD (or a Parquet date), or outside what Date holds
INVALID_SPEND = "invalid_spend"  # not a decimal number, negative, too many decimals, too large
INVALID_CURRENCY = "invalid_currency"  # not three letters, or a currency without a rate
DUPLICATE_KEY = "duplicate_key"  # the same (project_id, date, source, medium, campaign) twice
LOADER_ERROR = "loader_error"  # validating the row failed unexpectedly: a loader bug

REASON_CODES = (
    UNPARSEABLE_CSV,
    OVERSIZED_LINE,
    UNKNOWN_FIELD,
    MISSING_FIELD,
    INVALID_FIELD,
    OVERSIZED_FIELD,
    INVALID_DATE,
    INVALID_SPEND,
    INVALID_CURRENCY,
    DUPLICATE_KEY,
    LOADER_ERROR,
)

# Date holds 1970-01-01 .. 2149-06-06; ClickHouse would clamp anything outside silently.
MIN_DATE, MAX_DATE = dt.date(1970, 1, 1), dt.date(2149, 6, 6)
# Decimal(18, 6): 12 digits before the point, 6 after.
SPEND_QUANTUM = decimal.Decimal("0.000001")
MAX_SPEND = decimal.Decimal(10) ** 12
# [0-9], not \d: \d also matches other scripts' digits, which Decimal and date would accept
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DECIMAL_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
# Spend is only worth loading in a currency the models can convert (docs/attribution.md,
# *Currency*): the reporting currency, or one with a row in the seed of exchange rates. Both are
# read from where dbt reads them, so the list of currencies lives once, with the rates.
RATES_SEED = Path("seeds") / "currency_rates.csv"
REPORTING_CURRENCY_VAR = "millimetric__reporting_currency"
_SHOWN_CURRENCIES = 12  # a reason names at most this many of the known currencies

Progress = Callable[[str], None]
Key = tuple[str, dt.date, str, str, str]


def is_spend_file(path: Path, fmt: str | None) -> bool:
    """Whether `path` holds ad spend: a CSV header or Parquet schema naming the column `spend`.
    Never raises: a file that cannot even be peeked at goes to the events loader, which says
    what is wrong with it."""
    try:
        if fmt == CSV:
            return SPEND_COLUMN in _csv_header(path)
        if fmt == PARQUET:
            import pyarrow.parquet as pq

            return SPEND_COLUMN in pq.read_schema(path).names
    except Exception:
        return False
    return False


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _csv_header(path: Path) -> list[str]:
    with _open_binary(path) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
        for row in csv.reader(text):
            if any(cell.strip() for cell in row):
                return [cell.strip() for cell in row]
    return []


class _Invalid(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.reason = f"{code}: {detail}"


def known_currencies(project_dir: Path | None = None) -> frozenset[str]:
    """The currencies spend may be loaded in: those of the seed currency_rates (the same CSV
    file dbt seeds) and the reporting currency, which needs no row. Raises ValueError, naming
    the file, when the seed cannot be read."""
    project = project_dir or settings.project_dir()
    seed = project / RATES_SEED
    try:
        with seed.open(encoding="utf-8", newline="") as text:
            codes = {(row.get("currency") or "").strip() for row in csv.DictReader(text)}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValueError(f"exchange rates {seed} cannot be read: {error}") from None
    reporting = dbt_vars(project).get(REPORTING_CURRENCY_VAR)
    if isinstance(reporting, str):
        codes.add(reporting)
    return frozenset(code for code in codes if code)


def validate_spend(
    fields: dict[str, Any], origin: str, loaded_at: dt.datetime, currencies: frozenset[str]
) -> AdSpendRow:
    """The raw.ad_spend row for one record, its currency one of `currencies`
    (known_currencies). Raises _Invalid with the first rule it breaks."""
    unknown = [name for name in fields if name not in KNOWN_FIELDS]
    if unknown:
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise _Invalid(
            UNKNOWN_FIELD, f"{_cut(repr(unknown[0]))} is not a raw.ad_spend column{more}"
        )
    project_id = _text(fields, "project_id", MAX_ID_CHARS, required=True)
    date = _date(fields.get("date"))
    source = _text(fields, "source", MAX_TEXT_BYTES, required=True)
    medium = _text(fields, "medium", MAX_TEXT_BYTES, required=True)
    campaign = _text(fields, "campaign", MAX_TEXT_BYTES, required=False) or NOT_SET
    spend = _spend(fields.get("spend"))
    currency = _currency(fields.get("currency"), currencies)
    own_origin = _text(fields, "origin", MAX_TEXT_BYTES, required=False)
    return AdSpendRow(
        project_id=project_id,
        date=date,
        source=source,
        medium=medium,
        campaign=campaign,
        spend=spend,
        currency=currency,
        origin=own_origin or origin,
        loaded_at=loaded_at,
    )


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | decimal.Decimal):
        return "a number"
    return f"a {type(value).__name__}"


def _text(fields: dict[str, Any], name: str, limit: int, required: bool) -> str:
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise _Invalid(
                MISSING_FIELD, f"{name} is missing" if value is None else f"{name} is empty"
            )
        return ""
    if not isinstance(value, str):
        raise _Invalid(INVALID_FIELD, f"{name} is {_kind(value)}, expected a string")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise _Invalid(INVALID_FIELD, f"{name} contains an unpaired UTF-16 surrogate") from None
    if size > limit:
        raise _Invalid(OVERSIZED_FIELD, f"{name} has {size:,} bytes, over the limit of {limit:,}")
    return value


def _date(value: Any) -> dt.date:
    if value is None or value == "":
        raise _Invalid(MISSING_FIELD, "date is missing")
    if isinstance(value, Unreadable):
        raise _Invalid(INVALID_DATE, f"date {_cut(value.text)} cannot be read ({value.problem})")
    if isinstance(value, dt.datetime):
        # a Parquet timestamp column holding days: only midnight is a day
        if value.time() != dt.time(0) or (value.utcoffset() or dt.timedelta(0)):
            raise _Invalid(INVALID_DATE, f"date {value.isoformat()} is a time of day, not a date")
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str) and _DATE_TEXT.fullmatch(value):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            raise _Invalid(INVALID_DATE, f"date {_cut(repr(value))} is not a date") from None
    else:
        raise _Invalid(INVALID_DATE, f"date {_cut(repr(value))} is not a date (YYYY-MM-DD)")
    if not MIN_DATE <= date <= MAX_DATE:
        raise _Invalid(
            INVALID_DATE, f"date {date} is outside {MIN_DATE}..{MAX_DATE}, the range stored"
        )
    return date


def _spend(value: Any) -> decimal.Decimal:
    if value is None or value == "":
        raise _Invalid(MISSING_FIELD, "spend is missing")
    shown = _cut(repr(value))
    if isinstance(value, bool):
        raise _Invalid(INVALID_SPEND, f"spend is {shown}, not a number")
    if isinstance(value, decimal.Decimal | int):
        amount = decimal.Decimal(value)
    elif isinstance(value, float):
        # repr is the shortest text that reads back as this float: 12.3, not 12.2999999...
        amount = decimal.Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value.strip()):
        amount = decimal.Decimal(value.strip())
    else:
        raise _Invalid(INVALID_SPEND, f"spend {shown} is not a decimal number (like 1234.56)")
    if not amount.is_finite():
        raise _Invalid(INVALID_SPEND, f"spend {shown} is not a finite number")
    if amount < 0:
        raise _Invalid(INVALID_SPEND, f"spend {shown} is negative")
    if amount >= MAX_SPEND:
        raise _Invalid(INVALID_SPEND, f"spend {shown} is over what Decimal(18, 6) holds")
    rounded = amount.quantize(SPEND_QUANTUM)
    if rounded != amount:
        raise _Invalid(INVALID_SPEND, f"spend {shown} has more than 6 decimal places")
    return rounded


def _currency(value: Any, currencies: frozenset[str]) -> str:
    if value is None or value == "":
        raise _Invalid(MISSING_FIELD, "currency is missing")
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value.strip()):
        raise _Invalid(
            INVALID_CURRENCY, f"currency {_cut(repr(value))} is not a three-letter ISO 4217 code"
        )
    code = value.strip().upper()
    if code not in currencies:
        # loaded, it would leave its channel's spend and ROAS unknown in every build
        known = sorted(currencies)
        shown = ", ".join(known[:_SHOWN_CURRENCIES])
        more = len(known) - _SHOWN_CURRENCIES
        more = f" and {more} more" if more > 0 else ""
        raise _Invalid(
            INVALID_CURRENCY,
            f"currency {_cut(repr(value))} has no exchange rate in {RATES_SEED.as_posix()} and "
            f"is not the reporting currency; known: {shown or 'none'}{more}",
        )
    return code


_last_stamp = dt.datetime.min.replace(tzinfo=dt.UTC)


def _stamp() -> dt.datetime:
    """The load time of a chunk, in milliseconds, strictly after the previous chunk's: of two
    loads of one key, ReplacingMergeTree(loaded_at) keeps the later."""
    global _last_stamp
    now = dt.datetime.now(dt.UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    _last_stamp = max(now, _last_stamp + dt.timedelta(milliseconds=1))
    return _last_stamp


class _Chunk:
    def __init__(
        self,
        summary: FileSummary,
        origin: str,
        first_line: dict[Key, int],
        currencies: frozenset[str],
    ) -> None:
        self.summary = summary
        self.origin = origin
        self.currencies = currencies
        self.loaded_at = _stamp()
        self.first_line = first_line  # every key of the file so far -> its line
        self.size = 0
        self.rows: list[AdSpendRow] = []
        self.rejections: list[tuple[int, bytes, Rejection]] = []

    def add(self, record: RawRecord) -> None:
        self.size += 1
        self.summary.lines_read += 1
        try:
            if record.fields is None:
                raise _Invalid(*(record.error or f"{LOADER_ERROR}: no fields").split(": ", 1))
            row = validate_spend(record.fields, self.origin, self.loaded_at, self.currencies)
            key = tuple(getattr(row, name) for name in AD_SPEND_KEY)
            if key in self.first_line:
                raise _Invalid(
                    DUPLICATE_KEY,
                    "(project_id, date, source, medium, campaign) is already on line "
                    f"{self.first_line[key]} of this file",
                )
        except Exception as e:  # a bug here must cost one row, not the load
            self._reject(record, e)
            return
        self.first_line[key] = record.line_number
        self.summary.loaded += 1
        self.rows.append(row)

    def _reject(self, record: RawRecord, error: Exception) -> None:
        if isinstance(error, _Invalid):
            reason = error.reason
        else:
            reason = (
                f"{LOADER_ERROR}: {type(error).__name__} while validating the row; please report it"
            )
        try:  # ids as the events loader reads them; a spend row names no person, only a project
            ids = ids_of(record.fields) if record.fields is not None else record.ids
        except Exception:
            ids = {}
        rejection = Rejection(reason, project_id=ids.get("project_id"))
        self.summary.note_rejection(record.line_number, reason)
        raw = record.raw_line
        raw_bytes = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
        self.rejections.append((record.line_number, raw_bytes, rejection))


def load_spend_file(
    client: Client, path: Path, fmt: str, summary: FileSummary, chunk_size: int, say: Progress
) -> None:
    """Load one spend file into raw.ad_spend, its refused rows into raw.events_rejected, counting
    into `summary` as the events loader does (`inserted`: rows written to raw.ad_spend, new or
    restated; `duplicates_skipped`: rows equal to what raw.ad_spend holds for their key)."""
    file_name = str(path.resolve())
    first_line: dict[Key, int] = {}
    currencies = known_currencies()
    restated = 0

    def write(chunk: _Chunk) -> None:
        nonlocal restated
        restated += _write_chunk(client, chunk)
        record_rejections(client, file_name, chunk.rejections, chunk.loaded_at, summary)

    read_in_chunks(
        read_records(path, fmt, batch_rows=chunk_size),
        summary,
        chunk_size,
        lambda: _Chunk(summary, file_name, first_line, currencies),
        write,
    )
    outcome = f"stopped: {summary.error}" if summary.error else "done"
    say(
        f"{path}: ad spend {outcome}; {summary.lines_read:,} rows read, "
        f"{summary.inserted:,} written to raw.ad_spend ({restated:,} of them restating a stored "
        f"row), {summary.duplicates_skipped:,} unchanged, {summary.rejected:,} rejected "
        f"in {summary.seconds:.1f} s"
    )


def _write_chunk(client: Client, chunk: _Chunk) -> int:
    """Insert the chunk's rows that are new or differ from the stored row of their key; returns
    how many of them restate a stored row."""
    if not chunk.rows:
        return 0
    stored = _stored(client, chunk.rows)
    write = []
    restated = 0
    for row in chunk.rows:
        key = tuple(getattr(row, name) for name in AD_SPEND_KEY)
        if key not in stored:
            write.append(row)
        elif stored[key] != (row.spend, row.currency):
            write.append(row)
            restated += 1
    chunk.summary.duplicates_skipped += len(chunk.rows) - len(write)
    if write:
        client.insert("raw.ad_spend", write, column_names=list(AD_SPEND_COLUMNS))
    chunk.summary.inserted += len(write)
    return restated


def _stored(client: Client, rows: list[AdSpendRow]) -> dict[Key, tuple[decimal.Decimal, str]]:
    """(spend, currency) per key that raw.ad_spend holds, read with FINAL (the newest load of
    each key) over the chunk's projects and date range; values are bound parameters."""
    result = client.query(
        """
        SELECT project_id, date, source, medium, campaign, spend, currency
        FROM raw.ad_spend FINAL
        WHERE project_id IN {projects:Array(String)} AND date BETWEEN {lo:Date} AND {hi:Date}
        """,
        parameters={
            "projects": sorted({row.project_id for row in rows}),
            "lo": min(row.date for row in rows),
            "hi": max(row.date for row in rows),
        },
    )
    return {
        (p, d, s, m, c): (decimal.Decimal(spend), currency)
        for p, d, s, m, c, spend, currency in result.result_rows
    }
