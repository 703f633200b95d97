"""A deployment runs by itself: the nightly schedule and the forget sensor are on from the first
start of a new Dagster instance, with no one switching them on, unless
MILLIMETRIC_AUTOMATIONS=stopped (a staging copy).

The last test starts the real Dagster UI the way `bash scripts/dev` does, on a DAGSTER_HOME and
a warehouse of its own, asks its GraphQL API, waits for the daemon's first sensor tick, and
keeps a screenshot of the Automation page for a human."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration import settings

ROOT = Path(__file__).resolve().parent.parent
DAGSTER = Path(sys.executable).parent / "dagster"
SCHEDULE = "nightly_build_schedule"
SENSOR = "forget_request_sensor"
CHROMIUM = "/usr/bin/chromium"

# the code location loads the dbt manifest (parsing it first if missing): seconds, or a minute
# on a busy machine running other test files beside this one
STARTUP_SECONDS = 180
# the daemon evaluates a sensor without a previous tick at once, after its own start-up
FIRST_TICK_SECONDS = 180


# --- the setting --------------------------------------------------------------------------


def default_statuses(automations: str | None) -> tuple[str, str]:
    """The schedule's and the sensor's default status as a fresh interpreter builds the code
    location with MILLIMETRIC_AUTOMATIONS set to `automations` (unset if None): the
    definitions read it once, when they are imported."""
    env = {k: v for k, v in os.environ.items() if k != settings.AUTOMATIONS_ENV}
    if automations is not None:
        env[settings.AUTOMATIONS_ENV] = automations
    code = (
        "from orchestration.definitions import defs; "
        f"print(defs.resolve_schedule_def({SCHEDULE!r}).default_status.value, "
        f"defs.resolve_sensor_def({SENSOR!r}).default_status.value)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    schedule, sensor = done.stdout.strip().splitlines()[-1].split()
    return schedule, sensor


def test_schedule_and_sensor_run_by_default():
    assert default_statuses(None) == ("RUNNING", "RUNNING")
    assert default_statuses("running") == ("RUNNING", "RUNNING")


def test_automations_stopped_starts_both_stopped():
    assert default_statuses("stopped") == ("STOPPED", "STOPPED")


@pytest.mark.parametrize("value", ["off", "Stopped", "false", " running"])
def test_other_values_are_one_clear_error(monkeypatch, value):
    monkeypatch.setenv(settings.AUTOMATIONS_ENV, value)
    with pytest.raises(settings.SettingError) as error:
        settings.automations_running()
    assert str(error.value) == (f"MILLIMETRIC_AUTOMATIONS={value!r} is not one of running, stopped")


def test_unset_or_empty_means_running(monkeypatch):
    monkeypatch.delenv(settings.AUTOMATIONS_ENV, raising=False)
    assert settings.automations_running()
    monkeypatch.setenv(settings.AUTOMATIONS_ENV, "")
    assert settings.automations_running()
    monkeypatch.setenv(settings.AUTOMATIONS_ENV, "stopped")
    assert not settings.automations_running()


# --- the real UI --------------------------------------------------------------------------

AUTOMATIONS_QUERY = """
{
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError {
          __typename
          ... on PythonError { message }
          ... on RepositoryLocation {
            repositories {
              schedules { name scheduleState { status } }
              sensors {
                name
                sensorState { status ticks(limit: 1) { status skipReason error { message } } }
              }
            }
          }
        }
      }
    }
  }
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    assert "errors" not in body, body["errors"]
    return body["data"]


class DagsterUI:
    """`dagster dev` in a process group of its own, its output in a file."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "wb") as out:
            # the command scripts/dev runs, on this test's DAGSTER_HOME and warehouse
            self.process = subprocess.Popen(
                [DAGSTER, "dev", "-m", "orchestration.definitions"]
                + ["-h", "127.0.0.1", "-p", str(self.port)],
                cwd=ROOT,
                env=dict(os.environ),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def automations(self) -> dict | None:
        """Schedules and sensors by name, with their state; None until the webserver answers
        and has loaded the code location. Fails at once if the location does not load."""
        assert self.process.poll() is None, f"dagster dev exited:\n{self.output()}"
        try:
            data = graphql(self.url, AUTOMATIONS_QUERY)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None
        entries = data["workspaceOrError"]["locationEntries"]
        location = entries[0]["locationOrLoadError"] if entries else None
        if location is None:
            return None  # still loading
        assert location["__typename"] == "RepositoryLocation", location.get("message", location)
        found = {}
        for repository in location["repositories"]:
            found.update({s["name"]: s["scheduleState"] for s in repository["schedules"]})
            found.update({s["name"]: s["sensorState"] for s in repository["sensors"]})
        return found

    def wait_for(self, what: str, seconds: float, check) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            state = self.automations()
            if state is not None and check(state):
                return state
            time.sleep(1)
        raise AssertionError(f"{what} within {seconds:.0f} s:\n{self.output()}")

    def stop(self) -> None:
        """The whole group: the webserver, the daemon, the code servers and any process the
        sensor started. Dagster's own shutdown can take long, so it gets a few seconds."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


@pytest.fixture
def dagster_ui(chdb_path, dagster_home, tmp_path, monkeypatch) -> Iterator[DagsterUI]:
    """A new deployment: a fresh DAGSTER_HOME (no stored schedule or sensor state) and a fresh
    warehouse, which the sensor opens on each tick (chDB: one process per data directory)."""
    monkeypatch.delenv(settings.AUTOMATIONS_ENV, raising=False)
    ui = DagsterUI(tmp_path / "dagster-dev.log")
    try:
        yield ui
    finally:
        ui.stop()


@pytest.mark.slow
def test_a_new_deployment_runs_the_schedule_and_the_sensor_by_itself(dagster_ui, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "apt-get install -y chromium (scripts/test does it)"

    state = dagster_ui.wait_for(
        "the code location loaded", STARTUP_SECONDS, lambda s: {SCHEDULE, SENSOR} <= s.keys()
    )
    assert state[SCHEDULE]["status"] == "RUNNING", state
    assert state[SENSOR]["status"] == "RUNNING", state

    # running, not merely shown as on: the daemon evaluates the sensor on the new warehouse
    state = dagster_ui.wait_for(
        "the sensor's first tick, finished",
        FIRST_TICK_SECONDS,
        lambda s: [t for t in s[SENSOR]["ticks"] if t["status"] != "STARTED"],
    )
    (tick,) = state[SENSOR]["ticks"]
    assert (tick["status"], tick["skipReason"]) == ("SKIPPED", "no pending forget requests"), tick

    screenshot = tmp_path / "automation.png"
    with playwright.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(
            profile,  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            viewport={"width": 1360, "height": 900},
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{dagster_ui.url}/automation")
            for kind, name in (("sensors", SENSOR), ("schedules", SCHEDULE)):
                row = page.locator(f'div[data-index]:has(a[href$="/{kind}/{name}"])')
                playwright.expect(row).to_contain_text(name)
                # the row's on/off switch, once its state has loaded
                switch = row.locator('label[class*="formatSwitch"] input[type="checkbox"]')
                playwright.expect(switch).to_be_checked()
            # Dagster's newsletter dialog on a first visit would hide the switches
            try:
                page.get_by_role("button", name="Skip").click(timeout=5_000)
                page.get_by_text("Join the Dagster community").wait_for(state="hidden")
            except playwright.TimeoutError:
                pass
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    print(f"screenshot: {screenshot}")
