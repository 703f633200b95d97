"""The build jobs: the nightly incremental build and the full rebuild."""

from dagster import AssetSelection, define_asset_job

from orchestration.defs.project import PIPELINE
from orchestration.runtime.runs import WAREHOUSE_TAGS

# the HTML report follows the marts in every build; a forget run does not redraw it
BUILD = PIPELINE | AssetSelection.groups("report")

nightly_build = define_asset_job(
    "nightly_build",
    selection=BUILD,
    tags=WAREHOUSE_TAGS,
    description="Pending forgets, the incremental dbt build with its tests, forget verification, "
    "the HTML report.",
)
full_refresh = define_asset_job(
    "full_refresh",
    selection=BUILD,
    tags=WAREHOUSE_TAGS,
    config={"ops": {"millimetric_dbt_models": {"config": {"full_refresh": True}}}},
    description="Like nightly_build, but every incremental model is rebuilt from raw.",
)
