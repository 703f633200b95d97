"""`init`: every table this repository owns outside dbt, created on any target."""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from orchestration.forget.audit import create_audit_tables
from orchestration.raw.contract import create_raw_tables


def init(client: Client) -> None:
    """Create the raw-event tables (the raw contract) and forget's audit tables. Safe to run
    repeatedly."""
    create_raw_tables(client)
    create_audit_tables(client)
