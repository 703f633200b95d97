"""The marketing report, written after the marts it reads."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration import settings
from orchestration.runtime import warehouse
from orchestration.runtime.runs import WAREHOUSE_POOL
from orchestration.serve.report import DEFAULT_DAYS, write_reports
from orchestration.serve.report.data import project_spans

REPORT_KEY = AssetKey(["millimetric_report"])
# the marts the report reads (orchestration/serve/report/data.py)
REPORT_MARTS = (
    "sessions",
    "web_daily",
    "conversions",
    "attribution_daily",
    "attribution_credits",
    "users",
    "identity_stitch",
)


@asset(
    key=REPORT_KEY,
    group_name="report",
    deps=[AssetKey(["marts", name]) for name in REPORT_MARTS],
    pool=WAREHOUSE_POOL,
    description=f"One self-contained HTML report per project, the last {DEFAULT_DAYS} days of "
    "data, in $MILLIMETRIC_REPORT_DIR or reports/ (docs/reporting.md).",
)
def millimetric_report(context: AssetExecutionContext) -> MaterializeResult:
    with warehouse.connect() as client:
        if not project_spans(client):
            context.log.info("report: no traffic in the marts yet, nothing to report")
            return MaterializeResult(metadata={"projects": 0})
        paths = write_reports(client, days=DEFAULT_DAYS, progress=context.log.info)
    # paths and counts only: the reports themselves hold no personal data either
    return MaterializeResult(
        metadata={
            "projects": len(paths),
            "folder": MetadataValue.path(str(settings.report_dir())),
            **{f"path/{project}": MetadataValue.path(str(path)) for project, path in paths.items()},
        }
    )


def report_paths(result) -> dict[str, str]:
    """project -> report path, from a run's `millimetric_report` materialization (empty when
    the run did not write the report)."""
    paths = {}
    for event in result.get_asset_materialization_events():
        if event.asset_key == REPORT_KEY:
            metadata = event.event_specific_data.materialization.metadata
            for key, value in metadata.items():
                if key.startswith("path/"):
                    paths[key.removeprefix("path/")] = value.value
    return paths
