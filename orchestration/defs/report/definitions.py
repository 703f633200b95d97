"""The report concern: the HTML report, written after the marts."""

from dagster import Definitions

from orchestration.defs.report.assets import millimetric_report

defs = Definitions(assets=[millimetric_report])
