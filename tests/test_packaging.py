"""The chdb adapter plugin works from a non-editable install: `dbt.adapters` is a pkgutil
namespace, so the plugin must be found beside dbt-clickhouse in whatever site directory the
wheel lands in, as the dbt subprocess that Dagster starts will look for it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_plugin_and_it_imports_from_there(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(PROJECT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "dbt" / "adapters" / "chdb" / "__init__.py").is_file()
    assert (site / "dbt" / "include" / "chdb" / "dbt_project.yml").is_file()
    assert not (site / "dbt" / "__init__.py").exists(), "dbt must stay a namespace"

    # a fresh interpreter that sees the unpacked wheel before anything else, run elsewhere
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import dbt.adapters.chdb as plugin, dbt.include.chdb as include;"
        "from dbt.adapters.factory import FACTORY;"
        "print(plugin.__file__); print(include.PACKAGE_PATH)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(site)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out[0].startswith(str(site)) and out[1].startswith(str(site))
