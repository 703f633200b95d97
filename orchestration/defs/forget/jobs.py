"""The forget job: what the sensor starts when requests are pending."""

from dagster import define_asset_job

from orchestration.defs.project import PIPELINE
from orchestration.runtime.runs import WAREHOUSE_TAGS

# The whole pipeline: a forget is done only once the build has recomputed what depended on it
# and verification has proved it.
forget_propagation_job = define_asset_job(
    "forget_propagation",
    selection=PIPELINE,
    tags=WAREHOUSE_TAGS,
    description="Propagates pending forget requests to every table and verifies them.",
)
