"""The short report printed after a build: what was built, and where."""

from __future__ import annotations

from orchestration import settings
from orchestration.runtime import warehouse
from orchestration.serve.report.data import known_sum

SUMMARY_MODEL = "last_non_direct"

# Float division: ClickHouse raises on a Decimal divided by zero, and spend can be zero.
ROAS_BY_CHANNEL = f"""
    select
        channel,
        any(reporting_currency) as currency,
        {known_sum("spend")} as channel_spend,
        sum(conversions) as channel_conversions,
        {known_sum("revenue")} as channel_revenue,
        toFloat64(channel_revenue) / nullIf(toFloat64(channel_spend), 0) as channel_roas
    from marts.attribution_roas
    where model = {{model:String}}
    group by channel
    order by channel_spend desc, channel_revenue desc
"""


def _money(value) -> str:
    """An amount, or `unknown` where a currency had no exchange rate (docs/attribution.md)."""
    return "unknown" if value is None else f"{value:,.2f}"


def build_summary() -> str:
    """Row counts of the marts, the conversions credited by channel under one model, and spend
    and ROAS by channel under the same model."""
    with warehouse.connect() as client:
        tables = client.query(
            "select name, total_rows from system.tables where database = 'marts' order by name"
        ).result_rows
        by_channel = (
            client.query(
                f"""
            select conversion_name, channel, round(sum(conversions), 2),
                round({known_sum("revenue")}, 2)
            from marts.attribution_daily
            where model = {{model:String}}
            group by conversion_name, channel
            order by conversion_name, sum(conversions) desc
            """,
                parameters={"model": SUMMARY_MODEL},
            ).result_rows
            if any(name == "attribution_daily" for name, _ in tables)
            else []
        )
        roas = (
            client.query(ROAS_BY_CHANNEL, parameters={"model": SUMMARY_MODEL}).result_rows
            if any(name == "attribution_roas" for name, _ in tables)
            else []
        )
    where = settings.chdb_path() if settings.target() == "local" else settings.target()
    lines = [f"Built marts in {where}:"]
    lines += [f"  marts.{name:<22} {rows or 0:>12,} rows" for name, rows in tables]
    if by_channel:
        lines.append(f"Conversions by channel ({SUMMARY_MODEL} attribution):")
        lines += [
            f"  {name:<10} {channel:<26} {credited:>12,.2f}   revenue {_money(revenue):>14}"
            for name, channel, credited, revenue in by_channel
        ]
    if roas:
        lines.append(f"Spend and ROAS by channel ({SUMMARY_MODEL} attribution, {roas[0][1]}):")
        lines += [
            f"  {channel:<26} spend {_money(spend):>12}   conversions {conversions:>9,.2f}   "
            f"revenue {_money(revenue):>12}   ROAS {'-' if ratio is None else f'{ratio:.2f}':>6}"
            for channel, _currency, spend, conversions, revenue, ratio in roas
        ]
    lines.append('Look around: millimetric query "select * from marts.sessions limit 10"')
    return "\n".join(lines)
