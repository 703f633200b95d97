"""Jobs and the nightly schedule."""

from __future__ import annotations

import os

from dagster import AssetSelection, ScheduleDefinition, define_asset_job, sensor

from orchestration.defs.forget.sensors import evaluate_forget_requests

# forget propagation -> dbt build -> forget verification, ordered by asset dependencies
PIPELINE = AssetSelection.groups("forget", "seeds", "staging", "intermediate", "marts")
# runs that open the warehouse wait for one another (.dagster/dagster.yaml)
WAREHOUSE_TAGS = {"millimetric/warehouse": "embedded"}

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
forget_propagation = define_asset_job(
    "forget_propagation",
    selection=PIPELINE,
    tags=WAREHOUSE_TAGS,
    description="Propagates pending forget requests to every table and verifies them.",
)

nightly_schedule = ScheduleDefinition(
    job=nightly_build,
    cron_schedule=os.environ.get("MILLIMETRIC_NIGHTLY_CRON", "0 2 * * *"),
    execution_timezone="UTC",
)


@sensor(job=forget_propagation, minimum_interval_seconds=60)
def forget_request_sensor(context):
    return evaluate_forget_requests(context)
