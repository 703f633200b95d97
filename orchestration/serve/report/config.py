"""What the report names comes from the dbt vars: the conversions, the conversions ROAS counts,
the attribution models and the reporting currency. Nothing in the report types them. The vars
are read as dbt reads them (orchestration/runtime/dbt_vars.py). Values are taken literally:
none of these vars is Jinja, and one that is fails here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.runtime.dbt_vars import dbt_vars


class ReportError(ValueError):
    """Bad input (unknown project, empty period, a var the report cannot show); the message is
    meant for the user as is."""


@dataclass(frozen=True)
class ReportConfig:
    """The names the report shows, in the order the vars give them."""

    conversions: tuple[str, ...]  # millimetric__conversions, each entry's name
    roas_conversions: tuple[str, ...]  # millimetric__roas_conversion_names
    models: tuple[str, ...]  # millimetric__attribution_models, in report order
    currency: str  # millimetric__reporting_currency
    lookback_days: int  # millimetric__attribution_lookback_days
    half_life_days: float  # millimetric__attribution_half_life_days


def _names(value: object, var: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ReportError(f"{var} must be a non-empty list, got {value!r}")
    names = tuple(value)
    if not all(isinstance(n, str) and n and "{{" not in n for n in names):
        raise ReportError(f"{var} must hold plain names, got {value!r}")
    if len(set(names)) != len(names):
        raise ReportError(f"{var} names something twice: {value!r}")
    return names


def report_config(
    project_dir: Path | None = None, cli_vars: str | dict | None = None
) -> ReportConfig:
    """The report's names from the dbt vars (`dbt_vars`), checked as far as the report relies on
    them: the ROAS conversions are configured conversions."""
    try:
        found = dbt_vars(project_dir, cli_vars)
    except ValueError as error:
        raise ReportError(str(error)) from None

    def need(var: str) -> object:
        if var not in found:
            raise ReportError(f"{var} is not set in dbt_project.yml")
        return found[var]

    entries = need("millimetric__conversions")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReportError(f"millimetric__conversions must be a list of mappings: {entries!r}")
    conversions = _names([e.get("name") for e in entries], "millimetric__conversions names")
    roas = _names(need("millimetric__roas_conversion_names"), "millimetric__roas_conversion_names")
    unknown = [n for n in roas if n not in conversions]
    if unknown:
        raise ReportError(
            f"millimetric__roas_conversion_names names {', '.join(unknown)}, not in "
            f"millimetric__conversions ({', '.join(conversions)})"
        )
    currency = need("millimetric__reporting_currency")
    if not isinstance(currency, str) or not currency or "{{" in currency:
        raise ReportError(f"millimetric__reporting_currency must be a code: {currency!r}")
    return ReportConfig(
        conversions=conversions,
        roas_conversions=roas,
        models=_names(need("millimetric__attribution_models"), "millimetric__attribution_models"),
        currency=currency,
        lookback_days=int(need("millimetric__attribution_lookback_days")),
        half_life_days=float(need("millimetric__attribution_half_life_days")),
    )
