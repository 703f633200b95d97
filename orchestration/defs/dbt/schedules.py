"""When the nightly build runs."""

from dagster import ScheduleDefinition

from orchestration import settings
from orchestration.defs.dbt.jobs import nightly_build

nightly_schedule = ScheduleDefinition(
    job=nightly_build,
    cron_schedule=settings.nightly_cron(),
    execution_timezone="UTC",
)
