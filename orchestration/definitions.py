"""The Dagster code location: assembles what each concern in orchestration/defs/ defines.

The concerns' modules are imported, not their `defs`: Dagster refuses a module that holds more
than one Definitions object at its top level (`dagster dev -m orchestration.definitions`)."""

from dagster import Definitions

from orchestration import settings
from orchestration.defs.dbt import definitions as dbt
from orchestration.defs.forget import definitions as forget
from orchestration.defs.raw import definitions as raw
from orchestration.defs.report import definitions as report

settings.disable_telemetry()

defs = Definitions.merge(raw.defs, forget.defs, dbt.defs, report.defs)
