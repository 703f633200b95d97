"""One warehouse build: the raw tables exist, then dbt builds and tests every model."""

from __future__ import annotations

from orchestration import warehouse
from orchestration.dbt_cli import run_dbt


def build(full_refresh: bool = False) -> None:
    """Create the raw tables if needed, then `dbt build` (seeds, models, tests). Incremental
    models only process new rows unless full_refresh."""
    with warehouse.connect() as client:
        warehouse.init(client)
    run_dbt(["build", *(["--full-refresh"] if full_refresh else [])])
