"""`forget_now`: what `millimetric forget` does, as one function the CLI and the tests call.

Wait until nothing else holds the warehouse, record the request, run the propagation (the
whole pipeline: purge, rebuild, verify), read the request's audit. Running a Dagster job is
the launch layer's (orchestration/launch/build.py), which stands above forget, so the caller
hands in a Runner: `InProcessRunner` there, or a test's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from clickhouse_connect.driver.client import Client

from orchestration import settings
from orchestration.forget.audit import audit_row
from orchestration.forget.requests import request_forget
from orchestration.forget.targets import load_manifest, purge_targets
from orchestration.forget.verify import left_on_disk, why_unverified
from orchestration.runtime import warehouse
from orchestration.runtime.runs import RunFailed, RunStopped

PROPAGATION_JOB = "forget_propagation"


class Runner(Protocol):
    """What forget_now needs from whatever runs the Dagster jobs. Both raise RunStopped, with
    its reason, when a signal or the wait limit stops them."""

    def wait_for_warehouse(self) -> None:
        """Return once nothing else holds the warehouse and its tables exist."""

    def run(self, job: str) -> None:
        """Execute the named job to its end; raise RunFailed if a step fails."""


@dataclass(frozen=True)
class ForgetOutcome:
    request_id: str
    queued: bool  # only recorded: the sensor or the next build propagates it
    audit: dict | None  # the request's audit row once propagated, None if there is none
    why_unverified: str = ""  # when propagated but not verified: what verification found

    @property
    def verified(self) -> bool:
        return self.audit is not None and self.audit["status"] == "verified"


class ForgetFailed(Exception):
    """The propagation run failed; the message names the step and the error, and says that the
    request stays pending, on one line."""


def forget_now(
    runner: Runner,
    project_id: str,
    *,
    user_id: str | None = None,
    anonymous_id: str | None = None,
    enqueue_only: bool = False,
    recorded: Callable[[str], None] = lambda _request_id: None,
) -> ForgetOutcome:
    """Forget one person or device of one project now, and return the request's audit.

    Nothing is recorded while waiting: a stop then leaves no request behind. Once recorded, the
    request is never lost: `recorded` hears its id at once, and a stop during propagation
    raises RunStopped saying the request stays pending, for the next build or forget to do."""
    try:
        runner.wait_for_warehouse()
    except RunStopped as stopped:
        raise RunStopped(f"{stopped}; nothing was recorded", stopped.exit_code) from None
    with warehouse.connect() as client:
        request_id = request_forget(client, project_id, user_id=user_id, anonymous_id=anonymous_id)
    recorded(request_id)
    if enqueue_only:
        return ForgetOutcome(request_id, queued=True, audit=None)
    pending = f"forget request {request_id} stays pending: the next build or forget does it"
    try:
        runner.run(PROPAGATION_JOB)
    except RunStopped as stopped:
        raise RunStopped(
            f"{stopped}; {pending}", stopped.exit_code, abandoned=stopped.abandoned
        ) from None
    except Exception as failed:
        if not isinstance(failed, RunFailed):  # before a step ran: taking the warehouse
            failed = RunFailed(PROPAGATION_JOB, [], failed)
        if warehouse.is_disk_full(failed.error):
            raise ForgetFailed(
                f"{warehouse.disk_full_reason()}{failed.where} of the {PROPAGATION_JOB} run; "
                f"{pending} once space is freed"
            ) from None
        raise ForgetFailed(f"{failed}; {pending}") from None
    with warehouse.connect() as client:
        audit = audit_row(client, request_id)
        why = _why_unverified(client, audit) if audit and audit["status"] != "verified" else ""
    return ForgetOutcome(request_id, queued=False, audit=audit, why_unverified=why)


def _why_unverified(client: Client, audit: dict) -> str:
    """What keeps a propagated request from being verified, judged as verify_pending judges it,
    now: the parts verification waited for may have gone since."""
    targets = purge_targets(load_manifest(settings.project_dir()))
    reasons = why_unverified(audit["remaining_rows"], *left_on_disk(client, targets))
    return "; ".join(reasons) or f"its status is {audit['status']}; see the {PROPAGATION_JOB} run"
