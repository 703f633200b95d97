"""Start forget propagation when new requests land in raw.forget_requests."""

from __future__ import annotations

from clickhouse_connect.driver.exceptions import ClickHouseError
from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from orchestration import settings
from orchestration.defs.forget.jobs import forget_propagation_job
from orchestration.forget import pending_requests
from orchestration.raw import tables
from orchestration.runtime import runs, warehouse

IN_PROGRESS = [DagsterRunStatus.QUEUED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


def count_pending_requests() -> int:
    """Pending forget requests, creating the raw tables first on a new warehouse."""
    with warehouse.connect() as client:
        tables.init(client)
        return len(pending_requests(client))


def evaluate_forget_requests(context: SensorEvaluationContext):
    """A run request when requests are pending; a skip, with its reason, when the warehouse
    is busy (chDB lets one process at a time open it) or nothing is pending. A run whose
    process died first loses its hold on the warehouse, so it cannot keep the sensor waiting."""
    runs.release_dead_runs(context.instance, context.log.warning)
    busy = context.instance.get_runs(filters=RunsFilter(statuses=IN_PROGRESS), limit=1)
    if busy:
        return SkipReason(f"run {busy[0].run_id} is using the warehouse; checking next tick")
    locked = SkipReason("the warehouse is locked by another process; checking next tick")
    if warehouse.is_locked():
        return locked
    try:
        # the code server evaluating this lives for days: opening chDB here would keep its
        # threads and files each minute (orchestration/runtime/warehouse.py)
        pending = warehouse.in_own_process(count_pending_requests)
    except (ClickHouseError, RuntimeError):
        # the holder may have taken the directory between the check and the open
        if warehouse.is_locked():
            return locked
        raise
    if not pending:
        return SkipReason("no pending forget requests")
    # no run_key: a failed forget run is retried on the next tick while requests stay pending
    return RunRequest(tags={"millimetric/forget_requests": str(pending)})


# on from the first start of a deployment: a forget request must not wait for someone to
# switch the sensor on (GDPR's "without undue delay")
@sensor(
    job=forget_propagation_job,
    minimum_interval_seconds=60,
    default_status=(
        DefaultSensorStatus.RUNNING
        if settings.automations_running()
        else DefaultSensorStatus.STOPPED
    ),
)
def forget_request_sensor(context: SensorEvaluationContext):
    return evaluate_forget_requests(context)
