"""Every dbt model as a Dagster asset, and every dbt data test as an asset check."""

import datetime as dt
import os

from clickhouse_connect.driver.exceptions import ClickHouseError
from dagster import AssetExecutionContext, AssetMaterialization, Config, Output
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration import settings
from orchestration.defs.dbt.translator import MillimetricTranslator
from orchestration.defs.project import dbt_project
from orchestration.forget.targets import INCREMENTAL_MATERIALIZATIONS
from orchestration.runtime import warehouse
from orchestration.runtime.runs import WAREHOUSE_POOL

# On a run whose build rebuilt incremental models in full for changed settings: how many.
SETTINGS_CHANGED_TAG = "millimetric/rebuilt_for_settings"


class DbtBuildConfig(Config):
    full_refresh: bool = False


def relation(node: dict) -> str:
    """A manifest node's table, `database.table`."""
    return f"{node['schema']}.{node.get('alias') or node['name']}"


def relations_by_asset(manifest: dict, translator: MillimetricTranslator) -> dict:
    """Asset key -> `database.table` for each model and seed."""
    return {
        translator.get_asset_key(node): relation(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }


def build_metadata(relations: dict, started_at: dt.datetime) -> dict:
    """Counts only, never rows: table sizes, and the received_at window this build took in."""
    with warehouse.connect() as client:
        sizes = dict(
            client.query(
                "select database || '.' || name, total_rows from system.tables "
                "where database in ('analytics', 'marts')"
            ).result_rows
        )
        window = (
            client.query(
                "select count(), min(received_at), max(received_at) "
                "from analytics.int_events_deduplicated where built_at >= {t:DateTime64(3)}",
                parameters={"t": started_at},
            ).result_rows
            if "analytics.int_events_deduplicated" in sizes
            else [(0, None, None)]
        )
    new_events, window_from, window_to = window[0]
    shared = {"new_events": int(new_events)}
    if new_events:
        shared |= {"received_at_from": str(window_from), "received_at_to": str(window_to)}
    return {
        key: {"row_count": int(sizes[relation] or 0), **shared}
        for key, relation in relations.items()
        if relation in sizes
    }


def rebuilt_for_settings(manifest: dict, current: str) -> list[str]:
    """The incremental models whose tables were built under other settings than `current`
    (or under none recorded): dbt rebuilds them in full this time
    (macros/incremental/settings_fingerprint.sql)."""
    incremental = {
        relation(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] in INCREMENTAL_MATERIALIZATIONS
    }
    with warehouse.connect() as client:
        existing = {
            table
            for (table,) in client.query(
                "select database || '.' || name from system.tables"
            ).result_rows
        }
        stored = (
            dict(
                client.query(
                    "select model, argMax(fingerprint, built_at) from audit.model_settings "
                    "group by model"
                ).result_rows
            )
            if "audit.model_settings" in existing
            else {}
        )
    return sorted(t for t in incremental & existing if stored.get(t) != current)


TRANSLATOR = MillimetricTranslator()


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=TRANSLATOR,
    pool=WAREHOUSE_POOL,
)
def millimetric_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
):
    """`dbt build`: seeds, models (incremental unless full_refresh) and data tests, in dbt's
    order. Unit tests check the models' logic on fixed inputs, not the day's data, so, as dbt
    advises, they run in CI (tests/test_dbt_tests.py) and not in every build. Events are held
    until dbt exits, because metadata needs the warehouse dbt was holding."""
    env = settings.dbt_env()
    os.environ.update(env)
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    # the manifest these assets were defined from, not the file, which another dbt may rewrite
    manifest, _, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    rebuilt = (
        []
        if config.full_refresh
        else rebuilt_for_settings(manifest, env[settings.SETTINGS_FINGERPRINT_ENV])
    )
    if rebuilt:
        context.log.info(
            f"the settings (vars or seeds) changed since the last build: rebuilding "
            f"{len(rebuilt)} incremental models in full ({', '.join(rebuilt)})"
        )
        context.instance.add_run_tags(context.run_id, {SETTINGS_CHANGED_TAG: str(len(rebuilt))})
    args = ["build", "--exclude-resource-type", "unit_test"]
    invocation = dbt.cli(
        [*args, *(["--full-refresh"] if config.full_refresh else [])], context=context
    )
    events, failure = [], None
    try:
        for event in invocation.stream():
            events.append(event)
            context.log.info(f"dbt: {type(event).__name__} {getattr(event, 'asset_key', '')}")
    except DagsterDbtCliRuntimeError as error:
        failure = error
    try:
        metadata = build_metadata(relations_by_asset(invocation.manifest, TRANSLATOR), started_at)
    except ClickHouseError:
        if failure is None:
            raise
        # a model dbt failed on may not have the columns metadata reads: dbt's error is the
        # one to report
        metadata = {}
    for event in events:
        if isinstance(event, Output | AssetMaterialization):
            key = event.asset_key if isinstance(event, AssetMaterialization) else None
            key = key or context.asset_key_for_output(event.output_name)
            event = event.with_metadata({**event.metadata, **metadata.get(key, {})})
        yield event
    if failure is not None:
        raise failure
