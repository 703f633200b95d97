"""The short report printed after a build: what was built, and where."""

from __future__ import annotations

from orchestration import settings, warehouse

SUMMARY_MODEL = "last_non_direct"


def build_summary() -> str:
    """Row counts of the marts and the conversions credited by channel under one model."""
    with warehouse.connect() as client:
        tables = client.query(
            "select name, total_rows from system.tables where database = 'marts' order by name"
        ).result_rows
        by_channel = (
            client.query(
                """
            select conversion_name, channel, round(sum(conversions), 2), round(sum(revenue), 2)
            from marts.attribution_daily
            where model = {model:String}
            group by conversion_name, channel
            order by conversion_name, sum(conversions) desc
            """,
                parameters={"model": SUMMARY_MODEL},
            ).result_rows
            if any(name == "attribution_daily" for name, _ in tables)
            else []
        )
    where = settings.chdb_path() if settings.target() == "local" else settings.target()
    lines = [f"Built marts in {where}:"]
    lines += [f"  marts.{name:<22} {rows or 0:>12,} rows" for name, rows in tables]
    if by_channel:
        lines.append(f"Conversions by channel ({SUMMARY_MODEL} attribution):")
        lines += [
            f"  {name:<10} {channel:<26} {credited:>12,.2f}   revenue {revenue:>14,.2f}"
            for name, channel, credited, revenue in by_channel
        ]
    lines.append('Look around: millimetric query "select * from marts.sessions limit 10"')
    return "\n".join(lines)
