"""Millimetric warehouse: Dagster orchestration and the `millimetric` CLI."""
