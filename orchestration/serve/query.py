"""Ad-hoc SQL against the current target, rendered for humans (table) or scripts (csv, json)."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from typing import Any

from orchestration.runtime import warehouse

FORMATS = ("table", "csv", "json")


def _plain(value: Any) -> Any:
    """A JSON-safe version of a ClickHouse value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def render(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """Rows as an aligned text table, CSV with a header, or one JSON array of row objects."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, map(_plain, row), strict=True)) for row in rows])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return out.getvalue().rstrip("\n")
    cells = [[("NULL" if v is None else str(_plain(v))) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def run_query(sql: str, fmt: str = "table") -> str:
    """Run one SQL statement on the current target and render its result."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with warehouse.connect() as client:
        result = client.query(sql)
        return render(list(result.column_names), result.result_rows, fmt)
