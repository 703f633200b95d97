"""Every table the models build, read back in a canonical order, for rebuild-equality oracles."""

from __future__ import annotations

from collections import Counter

from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt

# Build metadata, not data: it records when a row was processed, so it differs between an
# incremental run and a full rebuild by design.
BUILD_METADATA_COLUMNS = {"built_at"}


def is_change_set(table: str) -> bool:
    """A `*_this_run` model holds what one run recomputes (docs/incremental.md), not data."""
    return table.endswith("_this_run")


def model_tables(client) -> list[str]:
    rows = client.query(
        """
        select database || '.' || name from system.tables
        where database in ('analytics', 'marts') and engine not in ('View', 'MaterializedView')
            and not startsWith(name, '.')
        order by 1
        """
    ).result_rows
    return [name for (name,) in rows if not is_change_set(name)]


def snapshot() -> dict[str, list[tuple]]:
    """Each model table's rows, sorted, without build metadata columns."""
    out: dict[str, list[tuple]] = {}
    with warehouse.connect() as client:
        for table in model_tables(client):
            database, name = table.split(".")
            columns = [
                c
                for (c,) in client.query(
                    "select name from system.columns where database = {d:String} and "
                    "table = {t:String} order by position",
                    parameters={"d": database, "t": name},
                ).result_rows
                if c not in BUILD_METADATA_COLUMNS
            ]
            select = ", ".join(f"`{c}`" for c in columns)
            out[table] = sorted(client.query(f"select {select} from {table}").result_rows, key=repr)
    return out


def assert_same_tables(actual: dict, expected: dict) -> None:
    """Row-for-row equality, with the first differing rows named when it fails."""
    assert sorted(actual) == sorted(expected), "different sets of tables"
    for table in expected:
        got, want = actual[table], expected[table]
        if got == want:
            continue
        # multisets, so that a soak's tables of 100k rows are compared in linear time
        missing = list((Counter(want) - Counter(got)).elements())[:3]
        extra = list((Counter(got) - Counter(want)).elements())[:3]
        raise AssertionError(
            f"{table}: {len(got)} rows vs {len(want)}; missing {missing}; extra {extra}"
        )


def assert_equals_full_rebuild() -> None:
    """The warehouse as built equals a full rebuild of the same raw data, row for row."""
    built = snapshot()
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(built, snapshot())
