"""The Dagster code location: assembles what each concern in orchestration/defs/ defines."""

from dagster import Definitions

from orchestration import settings
from orchestration.defs.dbt.definitions import defs as dbt_defs
from orchestration.defs.forget.definitions import defs as forget_defs
from orchestration.defs.raw.definitions import defs as raw_defs
from orchestration.defs.report.definitions import defs as report_defs

settings.disable_telemetry()

defs = Definitions.merge(raw_defs, forget_defs, dbt_defs, report_defs)
