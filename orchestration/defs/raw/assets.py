"""The raw tables, written by the ingestion service, as external assets."""

from dagster import AssetSpec

RAW_EVENTS = AssetSpec(
    key=["raw", "events"],
    group_name="raw",
    description="One row per delivered event (docs/raw-contract.md). Written by ingestion.",
)
RAW_FORGET_REQUESTS = AssetSpec(
    key=["raw", "forget_requests"],
    group_name="raw",
    description="One row per forget request; `millimetric forget` and the API write it.",
)
RAW_EVENTS_REJECTED = AssetSpec(
    key=["raw", "events_rejected"],
    group_name="raw",
    description="One row per input line the loader refused, with its reason.",
)
RAW_AD_SPEND = AssetSpec(
    key=["raw", "ad_spend"],
    group_name="raw",
    description="One row per (project_id, date, source, medium, campaign): a paid campaign's "
    "daily spend. `millimetric load` of a spend file, or the generator, writes it.",
)
RAW_ASSETS = [RAW_EVENTS, RAW_FORGET_REQUESTS, RAW_EVENTS_REJECTED, RAW_AD_SPEND]
