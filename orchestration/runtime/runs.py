"""Who holds the warehouse: the runs that use it, the processes behind them, and waiting.

chDB lets one process at a time open the warehouse, so every step that opens it takes the
`warehouse` pool (limit 1). Dagster frees a step's slot when the step ends, but not when its
process dies (kill -9, the OOM killer, a closed laptop): the run stays STARTED, keeps its slot,
and every later run would wait on it for ever. So each run started here is tagged with its
process (pid, host, and the process's start time, which tells a pid from its reuse; for other
runs, the pid Dagster records with their start event), and before anything waits for the
warehouse, a run whose process is gone is marked failed and its slots are freed, with one line
saying so. Waiting says what it waits for and gives up after $MILLIMETRIC_WAREHOUSE_WAIT_SECONDS.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter
from dagster._core.storage.runs import InMemoryRunStorage, SqliteRunStorage

from orchestration import settings

Notice = Callable[[str], None]

# chDB allows one process per data directory, so every step that opens the warehouse takes
# this pool (limit 1, .dagster/dagster.yaml). On a server it still keeps forget and build
# from interleaving (docs/forget.md, "The race").
WAREHOUSE_POOL = "warehouse"
# Runs that open the warehouse wait for one another (.dagster/dagster.yaml).
WAREHOUSE_TAGS = {"millimetric/warehouse": "embedded"}

PID_TAG = "millimetric/pid"
HOST_TAG = "millimetric/host"
PROCESS_START_TAG = "millimetric/process_start"

# not finished: a run in these states may hold the warehouse or be about to take it
UNFINISHED = [
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]
POLL_SECONDS = 1.0
# while waiting, say so again this often, so a terminal that looks frozen is not
RETELL_SECONDS = 60.0


class RunStopped(Exception):
    """A run, or the wait before it, was stopped. The message says why and what was left
    behind, on one line; `exit_code` is what the command exits with; `abandoned` says the
    run's thread is still alive (stuck in C code), so the process should end at once."""

    def __init__(self, message: str, exit_code: int, abandoned: bool = False) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.abandoned = abandoned


class RunFailed(Exception):
    """A step of a run failed. The message names the job, the step and the error, on one line;
    `error` is the step's own exception, whose text may run to many lines (dbt's does)."""

    def __init__(self, job: str, steps: list[str], error: BaseException) -> None:
        self.job, self.steps, self.error = job, steps, error
        super().__init__(f"the {job} run failed{self.where}: {first_error_line(error)}")

    @property
    def where(self) -> str:
        """` at step <keys>`, or nothing when no step had run."""
        return f" at step {', '.join(self.steps)}" if self.steps else ""


# how dbt's summary starts an errored node, the errors before the failed tests
DBT_NODE_ERRORS = (
    "Database Error in ",
    "Compilation Error in ",
    "Runtime Error in ",
    "Failure in ",
)


def first_error_line(error: BaseException) -> str:
    """What went wrong, on one line: from dbt's summary (dagster-dbt's message), the first node
    that errored with its error, else the error's first line."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # dbt colours its summary
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for start in DBT_NODE_ERRORS:
        for at, line in enumerate(lines[:-1]):
            if line.startswith(start):
                return f"{line}: {lines[at + 1]}"
    return lines[0] if lines else type(error).__name__


class WarehouseBusy(RunStopped):
    """Waited as long as allowed for the warehouse; the message says for what."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_BUSY)


# sysexits' EX_TEMPFAIL: the warehouse was busy, try again later
EXIT_BUSY = 75


def proc_stat(pid: int) -> list[str] | None:
    """Fields 3 and on of /proc/<pid>/stat (state first), or None if there is no such process
    or no /proc. The command name (field 2) may hold spaces and parentheses: skip past it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def process_start(pid: int) -> str | None:
    """When process `pid` started: this boot's id and the clock tick (Linux), or None."""
    fields = proc_stat(pid)
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    return f"{boot}:{fields[19]}" if fields else None


def _started_at(pid: int) -> float | None:
    """When process `pid` started, in seconds since the epoch (Linux), or None."""
    fields = proc_stat(pid)
    try:
        boot = next(
            int(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration):
        return None
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK") if fields else None


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    fields = proc_stat(pid)
    return not (fields and fields[0] in ("Z", "X"))  # a zombie was killed, just not reaped


def owner_tags() -> dict[str, str]:
    """Tags naming this process as the owner of a run it starts."""
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    started = process_start(os.getpid())
    if started:
        tags[PROCESS_START_TAG] = started
    return tags


@dataclass(frozen=True)
class Owner:
    """The process that runs a run, and whether it still does."""

    pid: int
    host: str
    alive: bool


def owner(instance: DagsterInstance, run: DagsterRun) -> Owner | None:
    """The process behind `run`, when it can be told: from the owner tags of a run started
    here, on this host; else, when run storage is local (sqlite: same machine), from the pid
    Dagster records with the run's start event (runs of `dagster dev`, and runs started
    before the tags existed). A pid counts as the run's only if its process started before
    the run did: pids are reused."""
    host = socket.gethostname()
    if PID_TAG in run.tags:
        if run.tags.get(HOST_TAG) != host:
            return None
        pid, started = int(run.tags[PID_TAG]), run.tags.get(PROCESS_START_TAG)
        alive = _exists(pid) and (not started or process_start(pid) in (None, started))
        return Owner(pid, host, alive)
    if not isinstance(instance.run_storage, SqliteRunStorage | InMemoryRunStorage):
        return None
    starts = instance.all_logs(run.run_id, of_type=DagsterEventType.RUN_START)
    if not starts or starts[0].dagster_event is None or not starts[0].dagster_event.pid:
        return None
    pid = starts[0].dagster_event.pid
    began = _started_at(pid) if _exists(pid) else None
    # a second of slack: /proc counts in clock ticks
    return Owner(pid, host, began is not None and began <= starts[0].timestamp + 1)


def describe(instance: DagsterInstance, run: DagsterRun) -> str:
    """`run <id> (<job>, STARTED, pid N on host)`, for messages."""
    found = owner(instance, run)
    by = f"pid {found.pid} on {found.host}" if found else "its process unknown"
    return f"run {run.run_id} ({run.job_name}, {run.status.value}, {by})"


def free(instance: DagsterInstance, run_id: str) -> None:
    """Frees every warehouse slot run `run_id` holds or waits for."""
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def _pool_run_ids(instance: DagsterInstance) -> set[str]:
    """Runs holding a slot of the warehouse pool, or queued for one."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return set()
    info = storage.get_concurrency_info(WAREHOUSE_POOL)
    return {slot.run_id for slot in info.claimed_slots} | {
        step.run_id for step in info.pending_steps
    }


def release_dead_runs(instance: DagsterInstance, notice: Notice) -> list[str]:
    """Marks failed every unfinished run whose process is gone, frees the warehouse slots of
    those runs and of runs that ended or vanished without freeing theirs, and tells `notice`
    one line per run. Returns the run ids released."""
    released = []
    for run in instance.get_runs(filters=RunsFilter(statuses=UNFINISHED)):
        found = owner(instance, run)
        if found is None or found.alive:
            continue
        gone = f"pid {found.pid} on {found.host}"
        instance.report_run_failed(
            run, f"The process that ran it ({gone}) is gone; marked failed by pid {os.getpid()}."
        )
        free(instance, run.run_id)
        notice(
            f"run {run.run_id} ({run.job_name}) was left {run.status.value} by {gone}, "
            "which is gone: marked it failed and freed its hold on the warehouse"
        )
        released.append(run.run_id)
    for run_id in _pool_run_ids(instance) - set(released):
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:
            continue
        found = owner(instance, run) if run is not None else None
        if found is not None and found.alive:
            continue  # ended, and its process is still letting go
        free(instance, run_id)
        ended = f"ended {run.status.value}" if run is not None else "no longer exists"
        notice(f"run {run_id} {ended} but still held the warehouse: freed it")
        released.append(run_id)
    return released


def waiting_for_slot(instance: DagsterInstance, run_id: str) -> bool:
    """Whether a step of run `run_id` is queued for the warehouse pool and not yet let in."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return False
    pending = storage.get_concurrency_info(WAREHOUSE_POOL).pending_steps
    return any(step.run_id == run_id and step.assigned_timestamp is None for step in pending)


def _lock_holder() -> int | None:
    """Another process that has the embedded warehouse open (chDB flocks `status` in its data
    folder), from /proc/locks; None if there is none, or no way to tell."""
    if settings.target() != "local":
        return None
    try:
        status = os.stat(settings.chdb_path() / "status")
        locks = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    inode = f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"
    for line in locks:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (blocked waiters add a "->")
        if "->" not in fields and len(fields) >= 6 and fields[5] == inode:
            pid = int(fields[4])
            if pid != os.getpid():
                return pid
    return None


def _command_of(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(w.decode(errors="replace") for w in words if w)[:80]


def holders(instance: DagsterInstance, notice: Notice, exclude: str | None = None) -> list[str]:
    """What uses the warehouse now, besides run `exclude`, each described for a person: runs
    in progress that use it, runs holding its pool, another process with the chDB folder open.
    Empty when it is free. Dead runs are released first (and told to `notice`)."""
    release_dead_runs(instance, notice)
    runs = {
        run.run_id: run
        for run in instance.get_runs(filters=RunsFilter(statuses=UNFINISHED, tags=WAREHOUSE_TAGS))
        if run.status != DagsterRunStatus.NOT_STARTED
    }
    for run_id in _pool_run_ids(instance) - set(runs):
        run = instance.get_run_by_id(run_id)
        if run is not None:
            runs[run_id] = run
    runs.pop(exclude, None)
    found = [describe(instance, run) for run in runs.values()]
    pid = _lock_holder()
    if pid is not None:
        found.append(f"process {pid} ({_command_of(pid)}) with {settings.chdb_path()} open")
    return found


def tell(message: str) -> None:
    print(f"millimetric: {message}", file=sys.stderr, flush=True)


class Waiting:
    """Time spent waiting for the warehouse: told to the user when it starts, when what holds
    the warehouse changes and every minute; a WarehouseBusy past the allowed time."""

    def __init__(
        self,
        notice: Notice = tell,
        limit: float | None = None,
        interrupted: Callable[[], None] = lambda: None,
    ) -> None:
        self.notice = notice
        # called at every poll: raises to stop waiting (build.raise_if_signalled)
        self.interrupted = interrupted
        self.limit = settings.warehouse_wait_seconds() if limit is None else limit
        self.waited = 0.0
        self._told: tuple[list[str], float] | None = None

    def tick(self, found: list[str], seconds: float) -> None:
        """`seconds` more spent waiting on `found`."""
        self.interrupted()
        self.waited += seconds
        if self.waited >= self.limit:
            raise WarehouseBusy(
                f"gave up after {self.waited:.0f} s waiting for the warehouse, in use by "
                f"{'; '.join(found)}; set {settings.WAREHOUSE_WAIT_ENV} (now {self.limit:g}) "
                "to wait longer"
            )
        if (
            self._told is None
            or self._told[0] != found
            or time.monotonic() - self._told[1] > RETELL_SECONDS
        ):
            self.notice(
                f"waiting for the warehouse ({self.waited:.0f} s of {self.limit:g} s), in use by "
                f"{'; '.join(found)}"
            )
            self._told = (found, time.monotonic())

    def until_free(self, instance: DagsterInstance, exclude: str | None = None) -> None:
        """Returns once nothing else uses the warehouse."""
        last = time.monotonic()
        while found := holders(instance, self.notice, exclude):
            now = time.monotonic()
            self.tick(found, now - last)
            last = now
            time.sleep(POLL_SECONDS)
