"""The Dagster code location: assembles what orchestration/defs/ defines."""

from dagster import Definitions

from orchestration import settings
from orchestration.defs.dbt.assets import millimetric_dbt_models
from orchestration.defs.forget.assets import forget_propagation, forget_verification
from orchestration.defs.jobs import (
    forget_propagation as forget_propagation_job,
)
from orchestration.defs.jobs import (
    forget_request_sensor,
    full_refresh,
    nightly_build,
    nightly_schedule,
)
from orchestration.defs.project import dbt_resource
from orchestration.defs.raw.assets import RAW_ASSETS

settings.disable_telemetry()

defs = Definitions(
    assets=[*RAW_ASSETS, forget_propagation, millimetric_dbt_models, forget_verification],
    jobs=[nightly_build, full_refresh, forget_propagation_job],
    schedules=[nightly_schedule],
    sensors=[forget_request_sensor],
    resources={"dbt": dbt_resource()},
)
