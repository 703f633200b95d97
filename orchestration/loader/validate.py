"""Turning one parsed record into a raw.events row, or into a rejection with its reason.

Every reason starts with one of the stable codes below, then ': ' and a human detail, e.g.
"invalid_timestamp: timestamp '2024-13-45T10:00:00Z' is not an ISO-8601 date-time". Code names
match the malformed kinds the traffic generator writes (orchestration/generator/ndjson.py), so
a load of generated files can be checked kind by kind. Size limits: docs/loading.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from orchestration.loader.readers import (
    ID_FIELDS,
    OVERSIZED_LINE,
    NumberNotKept,
    Unreadable,
    json_default,
    kept_float,
    kept_int,
    nests_too_deep,
    too_deep,
)
from orchestration.raw.contract import EVENT_COLUMNS, RawEvent

# Size limits. Ids and event names are counted in characters (they are short and compared as
# text); free text and properties in UTF-8 bytes, which is what they cost in storage.
MAX_ID_CHARS = 200  # event_id, project_id, anonymous_id, user_id
MAX_EVENT_NAME_CHARS = 200
MAX_TEXT_BYTES = 8 * 1024  # url, referrer, user_agent
MAX_PROPERTIES_BYTES = 64 * 1024  # the properties JSON text as stored
# MAX_JSON_DEPTH (100 levels of arrays and objects) is in readers.py: the parser needs it too.

# DateTime64(3) holds 1900-01-01 .. 2299-12-31; outside that ClickHouse would clamp silently.
MIN_YEAR, MAX_YEAR = 1900, 2299
# The API stamps received_at when it stores a row, so a later one is impossible for real
# traffic: only a replay can carry it, and forget's tombstones would take it for a new event
# (docs/forget.md). This much is allowed for the two clocks to differ.
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
# C0 control characters and DEL: no SDK sends them in an id or an event name, and a NUL or a
# newline in one breaks every tool that prints or exports it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_CHECKED_FIELDS = ("project_id", "anonymous_id", "user_id", "event_name")

UNPARSEABLE_JSON = "unparseable_json"  # invalid JSON, invalid UTF-8, or not an object
UNPARSEABLE_CSV = "unparseable_csv"  # wrong field count, invalid UTF-8, malformed quoting
UNKNOWN_FIELD = "unknown_field"  # a key/column that is not a raw.events column
MISSING_FIELD = "missing_field"  # event_id, project_id or event_name absent, null or ''
INVALID_FIELD = "invalid_field"  # a value of the wrong type (e.g. a number as an id)
MISSING_IDENTITY = "missing_identity"  # neither anonymous_id nor user_id
MISSING_TIMESTAMP = "missing_timestamp"  # timestamp absent or null
INVALID_TIMESTAMP = "invalid_timestamp"  # timestamp or received_at not an ISO-8601 date-time
RECEIVED_AT_IN_FUTURE = "received_at_in_future"  # later than the load, past MAX_CLOCK_SKEW
PROPERTIES_NOT_OBJECT = "properties_not_object"  # properties not a JSON object (or its text)
OVERSIZED_FIELD = "oversized_field"  # a field over its size limit
# OVERSIZED_LINE (readers.py): a line over MAX_LINE_BYTES, rejected while it is read
NESTED_TOO_DEEP = "nested_too_deep"  # the line, or properties' text, over MAX_JSON_DEPTH levels
# Not a property of the data: validation itself failed. The row is kept in raw.events_rejected
# rather than the load stopping, and the reason says to report it.
LOADER_ERROR = "loader_error"

REASON_CODES = (
    UNPARSEABLE_JSON,
    UNPARSEABLE_CSV,
    UNKNOWN_FIELD,
    MISSING_FIELD,
    INVALID_FIELD,
    MISSING_IDENTITY,
    MISSING_TIMESTAMP,
    INVALID_TIMESTAMP,
    RECEIVED_AT_IN_FUTURE,
    PROPERTIES_NOT_OBJECT,
    OVERSIZED_FIELD,
    OVERSIZED_LINE,
    NESTED_TOO_DEEP,
    LOADER_ERROR,
)

KNOWN_FIELDS = frozenset(EVENT_COLUMNS)

FABRICATED_PREFIX = "fab_"


@dataclass(slots=True)
class Event:
    """A valid row. `fabricated` is true when this load made up the anonymous_id (not when the
    input already carried the flag)."""

    row: RawEvent
    fabricated: bool

    @property
    def key(self) -> tuple[str, str]:
        """(project_id, event_id): what makes two rows the same event."""
        return self.row.project_id, self.row.event_id


@dataclass(slots=True)
class Rejection:
    """Why a record was refused, with the ids that could still be read from it."""

    reason: str
    project_id: str | None = None
    anonymous_id: str | None = None
    user_id: str | None = None

    @property
    def code(self) -> str:
        return self.reason.split(":", 1)[0]


class _Invalid(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.reason = f"{code}: {detail}"


def fabricate_anonymous_id(project_id: str, user_id: str) -> str:
    """The anonymous_id given to an event that carries only a user_id. Deterministic, so a
    person's fabricated device is the same across loads and files; scoped to the project."""
    digest = hashlib.sha256(f"{project_id}\x00{user_id}".encode()).hexdigest()
    return FABRICATED_PREFIX + digest[:32]


def validate(fields: dict[str, Any], received_at_default: dt.datetime) -> Event | Rejection:
    """An Event if every rule holds, else a Rejection naming the first rule broken.
    `received_at_default` (UTC) stamps rows that carry no received_at."""
    try:
        return _validate(fields, received_at_default)
    except _Invalid as e:
        return Rejection(e.reason, **ids_of(fields))
    except Exception as e:  # a bug here must cost one row, not the load (docs/loading.md)
        reason = f"{LOADER_ERROR}: {type(e).__name__} while validating the row; please report it"
        try:
            return Rejection(reason, **ids_of(fields))
        except Exception:
            return Rejection(reason)


def ids_of(fields: dict[str, Any]) -> dict[str, str | None]:
    """project_id / anonymous_id / user_id as far as they can be read from a rejected record."""
    found: dict[str, str | None] = {}
    for name in ID_FIELDS:
        value = fields.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # an SDK sending a numeric id: forget will ask for its text
        found[name] = value if isinstance(value, str) and value and _encodable(value) else None
    return found


def _validate(fields: dict[str, Any], received_at_default: dt.datetime) -> Event:
    unknown = [name for name in fields if name not in KNOWN_FIELDS]
    if unknown:
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise _Invalid(UNKNOWN_FIELD, f"{_show(unknown[0])} is not a raw.events column{more}")

    values = {
        "event_id": _required(fields, "event_id"),
        "project_id": _required(fields, "project_id"),
        "event_name": _required(fields, "event_name"),
        "anonymous_id": _optional_id(fields, "anonymous_id"),
        "user_id": _optional_id(fields, "user_id"),
    }
    if values["anonymous_id"] is None and values["user_id"] is None:
        raise _Invalid(MISSING_IDENTITY, "neither anonymous_id nor user_id is set")
    for name in CONTROL_CHECKED_FIELDS:
        _refuse_control_characters(name, values[name])

    timestamp = _instant(fields, "timestamp")
    if timestamp is None:
        raise _Invalid(MISSING_TIMESTAMP, "timestamp is missing")
    values["timestamp"] = timestamp
    values["received_at"] = _received_at(fields, received_at_default)
    for name in ("url", "referrer", "user_agent"):
        values[name] = _optional_text(fields, name)
    values["properties"] = _properties(fields.get("properties"))
    flagged = _optional_flag(fields, "is_anonymous_id_fabricated")
    _check_sizes({name: value for name, value in values.items() if name in SIZE_LIMITS})

    fabricated = values["anonymous_id"] is None
    if fabricated:
        values["anonymous_id"] = fabricate_anonymous_id(values["project_id"], values["user_id"])
    row = RawEvent(**values, is_anonymous_id_fabricated=fabricated or flagged)
    return Event(row, fabricated)


# (limit, unit) per stored text field; ids and names in characters, the rest in UTF-8 bytes.
SIZE_LIMITS: dict[str, tuple[int, str]] = {
    "event_id": (MAX_ID_CHARS, "characters"),
    "project_id": (MAX_ID_CHARS, "characters"),
    "anonymous_id": (MAX_ID_CHARS, "characters"),
    "user_id": (MAX_ID_CHARS, "characters"),
    "event_name": (MAX_EVENT_NAME_CHARS, "characters"),
    "url": (MAX_TEXT_BYTES, "bytes"),
    "referrer": (MAX_TEXT_BYTES, "bytes"),
    "user_agent": (MAX_TEXT_BYTES, "bytes"),
    "properties": (MAX_PROPERTIES_BYTES, "bytes"),
}


def _check_sizes(values: dict[str, str | None]) -> None:
    """Raise oversized_field for the first value over its limit. Also refuses text that cannot
    be stored as UTF-8 (checked by measuring it)."""
    for name, value in values.items():
        if value is None:
            continue
        limit, unit = SIZE_LIMITS[name]
        if value.isascii():  # the common case: characters == bytes, and always storable
            size = len(value)
        else:
            size = _utf8_size(name, value) if unit == "bytes" else _chars(name, value)
        if size > limit:
            raise _Invalid(
                OVERSIZED_FIELD, f"{name} has {size:,} {unit}, over the limit of {limit:,}"
            )


def _chars(name: str, value: str) -> int:
    _utf8_size(name, value)  # for the storability check only
    return len(value)


def _show(value: Any, limit: int = 60) -> str:
    """A value for a reason's detail: repr, cut short so one huge field can't bloat the reason."""
    return _cut(repr(value), limit)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Unreadable):
        return f"a Parquet {_cut(value.arrow_type)} that Python cannot hold ({value.problem})"
    return f"a {type(value).__name__}"


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _required(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if value is None or value == "":
        raise _Invalid(MISSING_FIELD, f"{name} is missing" if value is None else f"{name} is empty")
    if not isinstance(value, str):
        raise _Invalid(INVALID_FIELD, f"{name} is {_type_name(value)}, expected a string")
    return value


def _optional_id(fields: dict[str, Any], name: str) -> str | None:
    # Absent, null and '' all mean "not known" (SDKs send ''; CSV cannot tell them apart).
    value = fields.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _Invalid(INVALID_FIELD, f"{name} is {_type_name(value)}, expected a string")
    return value


def _optional_text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid(INVALID_FIELD, f"{name} is {_type_name(value)}, expected a string")
    return value


def _optional_flag(fields: dict[str, Any], name: str) -> bool:
    value = fields.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0"):
        return False
    raise _Invalid(INVALID_FIELD, f"{name} is {_show(value)}, expected true or false")


def _instant(fields: dict[str, Any], name: str) -> dt.datetime | None:
    """The field as a UTC datetime truncated to milliseconds; None if absent or null."""
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # Parquet timestamp columns arrive typed
        parsed = value
    elif isinstance(value, Unreadable) and value.problem == "out of range":
        raise _Invalid(INVALID_TIMESTAMP, f"{name} {_show(value)} is {_OUT_OF_RANGE}")
    elif isinstance(value, str):
        parsed = _parse_iso(name, value)
    else:
        raise _Invalid(
            INVALID_TIMESTAMP, f"{name} is {_type_name(value)}, expected an ISO-8601 string"
        )
    try:
        utc = parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    except OverflowError:
        raise _Invalid(INVALID_TIMESTAMP, f"{name} {_show(value)} is out of range") from None
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise _Invalid(INVALID_TIMESTAMP, f"{name} {_show(value)} is {_OUT_OF_RANGE}")
    # DateTime64(3): keep milliseconds, drop (not round) the rest, so a reload is identical.
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


_OUT_OF_RANGE = f"outside {MIN_YEAR}..{MAX_YEAR}, the range stored"
_YEAR_BEYOND_9999 = re.compile(r"[+-]?[0-9]{5,}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")


def _received_at(fields: dict[str, Any], now: dt.datetime) -> dt.datetime:
    """The row's received_at, or `now` (the chunk's load time) when it has none; refused when
    it is later than `now` by more than MAX_CLOCK_SKEW."""
    received_at = _instant(fields, "received_at")
    if received_at is None:
        return now
    if received_at > now + MAX_CLOCK_SKEW:
        raise _Invalid(
            RECEIVED_AT_IN_FUTURE,
            f"received_at {received_at:%Y-%m-%dT%H:%M:%S}Z is later than this load "
            f"({now:%Y-%m-%dT%H:%M:%S}Z) by more than {MAX_CLOCK_SKEW.seconds // 60} minutes; "
            "the API stamps it when it stores the event",
        )
    return received_at


def _refuse_control_characters(name: str, value: str | None) -> None:
    found = _CONTROL.search(value) if value is not None else None
    if found is not None:
        raise _Invalid(
            INVALID_FIELD,
            f"{name} contains the control character U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}",
        )


def _parse_iso(name: str, value: str) -> dt.datetime:
    text = value.strip()
    if not text:
        raise _Invalid(INVALID_TIMESTAMP, f"{name} is an empty string")
    not_iso = _Invalid(INVALID_TIMESTAMP, f"{name} {_show(value)} is not an ISO-8601 date-time")
    if "T" not in text and " " not in text and "t" not in text:
        # A date alone is not an instant (fromisoformat would silently take midnight). Anything
        # else without a time, such as epoch seconds '1709294400', is simply not ISO-8601.
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise not_iso from None
        raise _Invalid(INVALID_TIMESTAMP, f"{name} {_show(value)} has no time of day")
    try:
        # upper(): RFC 3339 allows 't' and 'z', which fromisoformat does not.
        return dt.datetime.fromisoformat(text.upper())
    except ValueError:
        if _YEAR_BEYOND_9999.match(text):  # a date-time, just not one Python can hold
            raise _Invalid(INVALID_TIMESTAMP, f"{name} {_show(value)} is {_OUT_OF_RANGE}") from None
        raise not_iso from None


def _properties(value: Any) -> str:
    """properties as the JSON object text stored: an object is serialized compactly, a string
    holding an object is kept verbatim."""
    if value is None:
        return "{}"
    if isinstance(value, dict):
        try:
            return json.dumps(
                value,
                ensure_ascii=False,
                allow_nan=False,
                separators=(",", ":"),
                default=json_default,
            )
        except ValueError:
            raise _Invalid(
                PROPERTIES_NOT_OBJECT, "properties contains NaN or Infinity, which JSON cannot hold"
            ) from None
    if isinstance(value, str):
        try:
            parsed = json.loads(
                value, parse_constant=_no_constants, parse_float=_finite_float, parse_int=kept_int
            )
        except RecursionError:
            raise _Invalid(NESTED_TOO_DEEP, too_deep("properties")) from None
        except _OutOfRange as e:
            raise _Invalid(PROPERTIES_NOT_OBJECT, f"properties holds {e}") from None
        except NumberNotKept as e:
            raise _Invalid(INVALID_FIELD, f"properties holds {e}") from None
        except ValueError:
            raise _Invalid(
                PROPERTIES_NOT_OBJECT, f"properties is a string that is not JSON: {_show(value)}"
            ) from None
        if not isinstance(parsed, dict):
            raise _Invalid(
                PROPERTIES_NOT_OBJECT,
                f"properties is a string holding {_type_name(parsed)}, not an object",
            )
        if nests_too_deep(value, parsed):
            raise _Invalid(NESTED_TOO_DEEP, too_deep("properties"))
        # The text is stored as it is, so what ClickHouse cannot read in it must be refused
        # here, as it is for an object (whose re-serialization meets the same checks): left in,
        # either of these makes every JSON function on the row return nothing.
        if "\\u" in value and not _encodable(json.dumps(parsed, ensure_ascii=False)):
            raise _Invalid(
                INVALID_FIELD, "properties contains an unpaired UTF-16 surrogate, which is not text"
            )
        return value
    raise _Invalid(PROPERTIES_NOT_OBJECT, f"properties is {_type_name(value)}, not an object")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class _OutOfRange(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = kept_float(text)
    if math.isinf(value):
        raise _OutOfRange(f"the number {_cut(text, 30)}, beyond the range of a double")
    return value


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _utf8_size(name: str, text: str) -> int:
    """UTF-8 length; rejects text a JSON '\\ud800' escape left with an unpaired surrogate,
    which could not be stored."""
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise _Invalid(
            INVALID_FIELD, f"{name} contains an unpaired UTF-16 surrogate, which is not text"
        ) from None
