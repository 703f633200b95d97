"""Start forget propagation when new requests land in raw.forget_requests."""

from __future__ import annotations

from clickhouse_connect.driver.exceptions import ClickHouseError
from dagster import DagsterRunStatus, RunRequest, RunsFilter, SensorEvaluationContext, SkipReason

from orchestration import warehouse
from orchestration.forget import pending_requests

IN_PROGRESS = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
]


def evaluate_forget_requests(context: SensorEvaluationContext):
    """A run request when requests are pending; a skip, with its reason, when the warehouse
    is busy (chDB lets one process at a time open it) or nothing is pending."""
    busy = context.instance.get_runs(filters=RunsFilter(statuses=IN_PROGRESS), limit=1)
    if busy:
        return SkipReason(f"run {busy[0].run_id} is using the warehouse; checking next tick")
    try:
        with warehouse.connect() as client:
            pending = pending_requests(client)
    except (ClickHouseError, RuntimeError) as error:
        if "lock" in str(error).lower():
            return SkipReason("the warehouse is locked by another process; checking next tick")
        raise
    if not pending:
        return SkipReason("no pending forget requests")
    newest = max(str(k.requested_at) for k in pending)
    context.update_cursor(newest)
    return RunRequest(run_key=f"forget-{newest}-{len(pending)}")
