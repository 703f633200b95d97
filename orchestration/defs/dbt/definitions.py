"""The dbt concern: every model, seed and test, the build jobs and their schedule."""

from dagster import Definitions

from orchestration.defs.dbt.assets import millimetric_dbt_models
from orchestration.defs.dbt.jobs import full_refresh, nightly_build
from orchestration.defs.dbt.schedules import nightly_schedule
from orchestration.defs.project import dbt_resource

defs = Definitions(
    assets=[millimetric_dbt_models],
    jobs=[nightly_build, full_refresh],
    schedules=[nightly_schedule],
    resources={"dbt": dbt_resource()},
)
