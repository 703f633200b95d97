"""The raw concern: the tables ingestion writes, as external assets."""

from dagster import Definitions

from orchestration.defs.raw.assets import RAW_ASSETS

defs = Definitions(assets=RAW_ASSETS)
