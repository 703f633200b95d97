"""The build jobs: the nightly incremental build and the full rebuild."""

from dagster import define_asset_job

from orchestration.defs.project import PIPELINE, WAREHOUSE_TAGS

nightly_build = define_asset_job(
    "nightly_build",
    selection=PIPELINE,
    tags=WAREHOUSE_TAGS,
    description="Pending forgets, the incremental dbt build with its tests, forget verification.",
)
full_refresh = define_asset_job(
    "full_refresh",
    selection=PIPELINE,
    tags=WAREHOUSE_TAGS,
    config={"ops": {"millimetric_dbt_models": {"config": {"full_refresh": True}}}},
    description="Like nightly_build, but every incremental model is rebuilt from raw.",
)
