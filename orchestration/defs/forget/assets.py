"""Forget propagation before the build, verification after it."""

from functools import cache

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration import settings
from orchestration.defs.dbt.translator import FORGET_PROPAGATION_KEY
from orchestration.defs.project import dbt_project
from orchestration.defs.raw.assets import RAW_FORGET_REQUESTS
from orchestration.forget import propagate_pending, verify_pending
from orchestration.forget.targets import load_manifest, purge_targets
from orchestration.raw import tables
from orchestration.runtime import warehouse
from orchestration.runtime.runs import WAREHOUSE_POOL


@cache
def current_targets() -> list:
    """Read once per process: dbt rewrites target/manifest.json while it runs."""
    return purge_targets(load_manifest(settings.project_dir()))


def mart_keys() -> list[AssetKey]:
    manifest = load_manifest(dbt_project().project_dir)
    return [
        AssetKey(["marts", node["name"]])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    ]


@asset(
    key=FORGET_PROPAGATION_KEY,
    group_name="forget",
    deps=[RAW_FORGET_REQUESTS.key],
    pool=WAREHOUSE_POOL,
    description="Tombstones every pending forget request's key and rewrites the partitions "
    "that hold it, in every table that declares personal data (docs/forget.md).",
)
def forget_propagation(context: AssetExecutionContext) -> MaterializeResult:
    with warehouse.connect() as client:
        tables.init(client)
        outcome = propagate_pending(client, current_targets(), progress=context.log.info)
    removed = outcome.pop("rows_removed")
    return MaterializeResult(
        metadata={**outcome, **{f"rows_removed/{table}": n for table, n in removed.items()}}
    )


@asset(
    key=AssetKey(["forget", "verification"]),
    group_name="forget",
    deps=mart_keys(),
    pool=WAREHOUSE_POOL,
    description="Proves each propagated request: zero rows for its key in every purged table "
    "and no replaced part left on disk. Unproven requests stay pending.",
)
def forget_verification(context: AssetExecutionContext) -> MaterializeResult:
    with warehouse.connect() as client:
        outcome = verify_pending(client, current_targets())
    if outcome.get("unverified"):
        context.log.warning(f"forget: {outcome['unverified']} request(s) not yet verified")
    return MaterializeResult(metadata=outcome)
