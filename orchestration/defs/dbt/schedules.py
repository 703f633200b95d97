"""When the nightly build runs."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration import settings
from orchestration.defs.dbt.jobs import nightly_build

# on from the first start of a deployment, so no one has to remember to switch it on
nightly_schedule = ScheduleDefinition(
    job=nightly_build,
    cron_schedule=settings.nightly_cron(),
    execution_timezone="UTC",
    default_status=(
        DefaultScheduleStatus.RUNNING
        if settings.automations_running()
        else DefaultScheduleStatus.STOPPED
    ),
)
