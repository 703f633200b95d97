"""Running the Dagster jobs in this process: the same code path the schedule and sensor use.

A run started here is tagged with this process, first waits for whatever else holds the
warehouse, saying what and for how long (orchestration/runtime/runs.py), and stops cleanly on
SIGTERM or Ctrl-C: the run is marked canceled, its warehouse slots are freed, dbt is stopped, and
RunStopped says so. Dagster on its own sets those signals aside until a step's code checks for
them, which a run waiting for its slot never does; so the job executes in a thread of its own
while this thread watches it, its signals and its waiting.
"""

from __future__ import annotations

import contextvars
import ctypes
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult, JobDefinition
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster._core.instance.ref import InstanceRef
from dagster._core.utils import make_new_run_id

from orchestration import settings
from orchestration.raw import tables
from orchestration.runtime import runs, warehouse
from orchestration.runtime.runs import RunFailed, RunStopped

# Once a stop is asked for, how long the run has to wind down (dagster-dbt forwards the
# interrupt to dbt and waits for it) before what is left of it is killed.
STOP_GRACE_SECONDS = 10.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def prepare_dagster_home() -> str:
    """$DAGSTER_HOME (default `.dagster/`), with the committed instance config (no telemetry,
    the warehouse pool, run monitoring) copied in unless it has its own. A SettingError if it
    is not a folder this process can write."""
    home = settings.dagster_home()
    config = home / "dagster.yaml"
    if not config.exists():
        try:
            shutil.copy(settings.project_dir() / ".dagster" / "dagster.yaml.template", config)
        except OSError as error:
            raise settings.SettingError(
                f"DAGSTER_HOME={home}: cannot write {config.name} ({error.strerror})"
            ) from None
    return str(home)


# Runs started by the command print to its terminal. Dagster would also copy that output into
# files, through two helper processes per run (`tail -F` and a watcher) that lag a second
# behind and print a traceback each when Ctrl-C reaches them; its event log keeps the rest.
NO_COMPUTE_LOGS = {
    "compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    }
}


def dagster_instance() -> DagsterInstance:
    """The persistent instance at $DAGSTER_HOME, so CLI runs show up in `dagster dev`, minus
    the capture of their raw output (NO_COMPUTE_LOGS)."""
    home = prepare_dagster_home()
    return DagsterInstance.from_ref(InstanceRef.from_dir(home, overrides=NO_COMPUTE_LOGS))


class _Signalled(BaseException):
    """SIGINT or SIGTERM, raised in the main thread. A BaseException, like KeyboardInterrupt,
    so that no `except Exception` on the way swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# Signals received within stop_on_signals. Python prints and drops an exception raised in a
# weakref callback or __del__, and a signal can arrive in one (CI saw SIGTERM lost in
# SQLAlchemy's _collection_gced while `forget` waited), so the waiting loops look here too.
_received: list[int] = []


def _raise_on_signals(signum: int, frame: object) -> None:
    _received.append(signum)
    raise _Signalled(signum)


def raise_if_signalled() -> None:
    """Raise again a signal whose exception was dropped; called by the waiting loops."""
    if _received:
        raise _Signalled(_received[-1])


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block SIGINT and SIGTERM end what runs with a RunStopped (exit status
    128 + the signal) instead of a traceback or nothing. Only the main thread receives
    signals; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        number: signal.signal(number, _raise_on_signals)
        for number in STOP_SIGNALS
        # `nohup` and `command &` in a script ignore SIGINT on purpose: keep it so
        if signal.getsignal(number) is not signal.SIG_IGN
    }
    _received.clear()
    try:
        yield
    except _Signalled as signalled:
        name = signal.Signals(signalled.signum).name
        raise RunStopped(f"stopped by {name}; no run had started", 128 + signalled.signum) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run_job(
    name: str, instance: DagsterInstance | None = None, raise_on_error: bool = True
) -> ExecuteInProcessResult:
    """Execute one of the code location's jobs in-process; raises RunFailed, naming the step,
    if a step fails, unless raise_on_error is False. Waits first while something else uses
    the warehouse; raises RunStopped, the run canceled and its hold on the warehouse freed,
    on SIGTERM or SIGINT or when waiting takes longer than settings.warehouse_wait_seconds()."""
    settings.disable_telemetry()
    instance = instance or dagster_instance()
    waiting = runs.Waiting(interrupted=raise_if_signalled)
    from orchestration.definitions import defs

    job = defs.resolve_job_def(name)
    with stop_on_signals():
        _take_warehouse(instance, waiting)
        return _execute_watched(job, instance, waiting, raise_on_error)


def _take_warehouse(instance: DagsterInstance, waiting: runs.Waiting) -> None:
    """Wait until nothing else holds the warehouse, then make sure its tables exist."""
    waiting.until_free(instance)
    with warehouse.connect() as client:
        tables.init(client)


@dataclass(frozen=True)
class InProcessRunner:
    """forget_now's Runner (orchestration/forget/now.py): jobs run in this process, on the
    persistent instance, with run_job's waiting and signals."""

    instance: DagsterInstance

    def wait_for_warehouse(self) -> None:
        with stop_on_signals():
            _take_warehouse(self.instance, runs.Waiting(interrupted=raise_if_signalled))

    def run(self, job: str) -> None:
        run_job(job, instance=self.instance)


def _execute_watched(
    job: JobDefinition, instance: DagsterInstance, waiting: runs.Waiting, raise_on_error: bool
) -> ExecuteInProcessResult:
    """Runs `job` in a thread and watches it from this one: a step waiting for the warehouse
    counts against the wait limit; a signal or the limit stops the run (see `_stop`)."""
    run_id = make_new_run_id()
    outcome: dict = {}

    def execute() -> None:
        try:
            outcome["result"] = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                tags=runs.owner_tags(),
                # progress at INFO: step starts, dbt node results, forget counts
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
                raise_on_error=raise_on_error,
            )
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    children_before = set(_descendants())
    # Dagster points descriptors 1 and 2 at its compute-log files while a run executes; keep
    # the real ones, to give back when the run is stopped
    terminal = (os.dup(1), os.dup(2))
    worker = threading.Thread(
        target=contextvars.copy_context().run, args=(execute,), name=f"run {run_id}", daemon=True
    )
    try:
        worker.start()
        last = time.monotonic()
        while worker.is_alive():
            worker.join(runs.POLL_SECONDS)
            raise_if_signalled()
            now = time.monotonic()
            if worker.is_alive() and runs.waiting_for_slot(instance, run_id):
                found = runs.holders(instance, waiting.notice, exclude=run_id)
                waiting.tick(found or ["another run"], now - last)
            last = now
    except (_Signalled, runs.WarehouseBusy) as reason:
        if isinstance(reason, _Signalled):
            why, code = f"stopped by {signal.Signals(reason.signum).name}", 128 + reason.signum
        else:
            why, code = str(reason), reason.exit_code
        status, abandoned = _stop(instance, run_id, worker, children_before, why, terminal)
        raise RunStopped(
            f"{why}; run {run_id} is {status}, its hold on the warehouse freed",
            code,
            abandoned=abandoned,
        ) from None
    finally:
        for descriptor in terminal:
            os.close(descriptor)
    error = outcome.get("error")
    if isinstance(error, Exception):
        raise RunFailed(job.name, _failed_steps(instance, run_id), error) from error
    if error is not None:
        raise error
    return outcome["result"]


def _failed_steps(instance: DagsterInstance, run_id: str) -> list[str]:
    failures = instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE)
    return sorted({entry.dagster_event.step_key for entry in failures if entry.dagster_event})


def _stop(
    instance: DagsterInstance,
    run_id: str,
    worker: threading.Thread,
    children_before: set[int],
    why: str,
    terminal: tuple[int, int],
) -> tuple[str, bool]:
    """Cancels the run: CANCELING, an interrupt raised in its thread (Dagster then fails the
    step, cancels the run and lets go of what it waits for), a grace period, then whatever
    processes the run started are killed, the run is marked CANCELED if Dagster could not,
    and its slots are freed. Returns its final status and whether its thread is still alive
    (stuck in C code), in which case the process should end at once (os._exit)."""
    if threading.current_thread() is threading.main_thread():
        # a second Ctrl-C must not cut the cleanup short (stop_on_signals restores them)
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
    # What the run prints from here on is its interrupted step's failure and stack, and the
    # run's event log keeps those: the one line RunStopped makes says what a person needs.
    sys.stdout.flush()
    sys.stderr.flush()
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_canceling(run, message=why)
    if worker.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(DagsterExecutionInterruptedError)
        )
        worker.join(STOP_GRACE_SECONDS)
    _kill(set(_descendants()) - children_before)
    worker.join(1.0)
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_canceled(run, message=why)
        run = instance.get_run_by_id(run_id)
    runs.free(instance, run_id)
    os.dup2(terminal[0], 1)
    os.dup2(terminal[1], 2)
    abandoned = worker.is_alive()
    return (run.status.value.lower() if run is not None else "not started"), abandoned


def _descendants(pid: int | None = None) -> list[int]:
    """Every live process below `pid` (default: this one), from /proc; empty without it."""
    children: dict[int, list[int]] = {}
    try:
        entries = [int(e) for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        fields = runs.proc_stat(entry)
        if fields and fields[0] not in ("Z", "X"):
            children.setdefault(int(fields[1]), []).append(entry)
    found, todo = [], [pid or os.getpid()]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def _kill(pids: set[int]) -> None:
    """SIGTERM, three seconds to exit, then SIGKILL."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, number)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and (pids := pids & set(_descendants())):
            time.sleep(0.1)
        if not pids:
            return


def build(full_refresh: bool = False) -> ExecuteInProcessResult:
    """`nightly_build` (pending forgets, incremental dbt build, verification), or
    `full_refresh`, which rebuilds every incremental model from raw."""
    return run_job("full_refresh" if full_refresh else "nightly_build")
