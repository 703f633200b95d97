"""`millimetric` commands run as a user runs them: a process of their own, in a session of its
own, their output in files; and what a test needs to hold one at a known point."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from orchestration import settings
from orchestration.runtime.runs import proc_stat

# Long enough for a build on a loaded machine, short enough that a wedged one fails the test.
COMMAND_TIMEOUT = 300
DEDUPLICATED = "OK created sql incremental model `analytics`.`int_events_deduplicated`"
# dbt's last line: had it been printed, the build was over before a signal could stop it
DBT_FINISHED = "Finished running"


class Command:
    """`millimetric ARGS` started in a session of its own, its output in files, unbuffered: a
    line the test waits for is in the file when it is printed, not at the next 8 KiB, so that
    a signal sent on seeing it lands at that point of the run (CI once saw a forget's output
    arrive only as it ended, and the Ctrl-C that followed found it done)."""

    def __init__(self, folder: Path, name: str, *args: str, env: dict | None = None) -> None:
        self.out, self.err = folder / f"{name}.out", folder / f"{name}.err"
        # A terminal's foreground command starts with Ctrl-C at its default. A test run in
        # the background of a script inherits SIGINT ignored (bash does that to `command &`),
        # and an ignored signal stays ignored across exec: give the command the default.
        inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "orchestration.cli", *args],
                cwd=settings.project_dir(),
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        signal.signal(signal.SIGINT, inherited)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def wait_until(self, condition: Callable[[], object], what: str) -> object:
        """Polls `condition` until it holds; fails if the command ends first."""
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while not (found := condition()):
            assert self.process.poll() is None, (
                f"the command ended (exit {self.process.returncode}) before {what}:\n"
                f"{self.stderr()[-3000:]}"
            )
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.05)
        return found

    def wait(self, timeout: float = COMMAND_TIMEOUT) -> int:
        """Its exit status; kills the whole session if it takes longer than `timeout`."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"still running after {timeout} s; stderr ends:\n{self.stderr()[-3000:]}"
            ) from None

    def kill(self, number: int = signal.SIGKILL) -> None:
        """`number` to the command and everything it started."""
        try:
            os.killpg(self.pid, number)
        except ProcessLookupError:
            pass
        if number == signal.SIGKILL:
            self.process.wait()


def millimetric(folder: Path, name: str, *args: str, env: dict | None = None) -> Command:
    """Runs `millimetric ARGS` to its end (within COMMAND_TIMEOUT)."""
    command = Command(folder, name, *args, env=env)
    command.wait()
    return command


def alive(pid: int) -> bool:
    fields = proc_stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := proc_stat(int(entry))) and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def dbt_processes(pid: int) -> list[int]:
    """The dbt processes `pid` started."""
    return [p for p in children(pid) if b"dbt" in Path(f"/proc/{p}/cmdline").read_bytes()]


def ignores(pid: int, number: int) -> bool:
    """Whether process `pid` has signal `number` set to be ignored (SigIgn in /proc)."""
    (mask,) = [
        line.split()[1]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("SigIgn:")
    ]
    return bool(int(mask, 16) >> (number - 1) & 1)


@contextmanager
def small_disk(folder: Path, size: str = "64m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `folder`, unmounted after; skips the test where this
    machine cannot mount one."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave: int, name: str = "filler") -> Path:
    """Fills `disk` with one file until `leave` bytes are free; returns the file."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler = disk / name
    try:
        filler.write_bytes(b"\0" * max(free - leave, 0))
    except OSError as error:  # the last block may not fit beside the file's own
        if error.errno != errno.ENOSPC:
            raise
    return filler


class FullDisk:
    """Fills `disk`, and keeps it full until `free()`: space a command frees on it (an old
    part it removes) is taken again within 50 ms, as another writer on the disk would."""

    def __init__(self, disk: Path) -> None:
        self.disk, self.stop, self.fillers = disk, threading.Event(), [fill(disk, 0, "filler-0")]
        self.thread = threading.Thread(target=self._keep_full, daemon=True)
        self.thread.start()

    def _keep_full(self) -> None:
        # a test that failed before free() unmounts the disk: stop there
        while not self.stop.wait(0.05) and os.path.ismount(self.disk):
            st = os.statvfs(self.disk)
            if st.f_bavail * st.f_frsize > 0:
                self.fillers.append(fill(self.disk, 0, f"filler-{len(self.fillers)}"))

    def free(self) -> None:
        self.stop.set()
        self.thread.join()
        for filler in self.fillers:
            filler.unlink(missing_ok=True)
