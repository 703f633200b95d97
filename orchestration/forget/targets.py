"""Which tables forget reaches: the raw tables listed here, and every dbt model whose YAML
declares `meta.forget`, read from the dbt manifest."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from orchestration import settings

# A column with one of these names identifies a person or a device, or carries what they did.
# owner_id: a user_id or an anonymous_id (int_owners_this_run)
PERSONAL_COLUMN = re.compile(
    r"(^|_)(user_id|anonymous_id|owner_id)$|^(traits|properties|raw_line)$"
)
# Tables that need no purge: views hold nothing; these keep only bare ids, by design.
EXEMPT_TABLES = {
    "raw.forget_requests": "the erasure request itself: the record that it was asked for",
    "audit.forget_log": "the audit trail; it keeps the bare id it verified, no traits",
    "audit.forget_tombstones": "keeps the bare id so that replays cannot bring it back",
}
EXEMPT_DATABASES = {
    "truth": "synthetic ground truth from `millimetric generate`, for tests: no real person",
}
# The materializations that keep their table between runs; the dbt side's list is
# macros/incremental/is_incremental.sql
INCREMENTAL_MATERIALIZATIONS = ("incremental", "device_region", "daily_rollup")
PURGED_MATERIALIZATIONS = ("table", "snapshot", *INCREMENTAL_MATERIALIZATIONS)
# Table settings every purge target carries: parts replaced by a forget are deleted from disk
# within seconds rather than after the default 8 minutes (docs/forget.md). dbt_project.yml gives
# every model table the same settings.
PURGEABLE = "old_parts_lifetime = 0, cleanup_delay_period = 1, cleanup_delay_period_random_add = 0"


@dataclass(frozen=True)
class PurgeTarget:
    """A table forget rewrites: rows whose user columns hold a forgotten user_id, or whose
    device columns hold a forgotten anonymous_id (within the same project_id), go."""

    table: str
    user_columns: tuple[str, ...] = ()
    device_columns: tuple[str, ...] = ()
    # rows left for a person's devices get a new built_at, so that the next
    # incremental build recomputes those devices downstream
    reprocess_devices: bool = False
    # its rows reveal which devices a person touched: purged last, so a crashed run can
    # still find them when it is repeated
    reveals_devices: bool = False
    # every row of the batch's affected devices goes, not only rows holding a key: for derived
    # per-device tables without a user column, whose row would outlive a device left with no
    # events (the next build recomputes the devices that still have some)
    drops_affected_devices: bool = False
    # every row of the owners linked to the batch's affected devices goes (per-owner tables,
    # docs/incremental.md): a person whose last device is forgotten would keep their rows, and
    # the next build recomputes the owners who still have devices
    drops_affected_owners: bool = False

    @property
    def columns_by_key_type(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(key_type, the columns that may hold a key of that type), for each key type."""
        return (("user_id", self.user_columns), ("anonymous_id", self.device_columns))


RAW_TARGETS = (
    PurgeTarget("raw.events", ("user_id",), ("anonymous_id",), reveals_devices=True),
    PurgeTarget("raw.events_rejected", ("user_id",), ("anonymous_id",)),
    # a load's staging, empty unless a load runs or was killed (loader/engine.py)
    PurgeTarget("raw.events_loading", ("user_id",), ("anonymous_id",)),
)


def load_manifest(project_dir: Path) -> dict:
    """The dbt manifest of the project; `dbt parse` (or any build) writes it."""
    path = settings.dbt_target_dir(project_dir) / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `dbt parse` first")
    return json.loads(path.read_text())


def model_targets(manifest: dict) -> list[PurgeTarget]:
    """A PurgeTarget per materialized model that declares meta.forget."""
    targets = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "snapshot"):
            continue
        if node["config"].get("materialized") not in PURGED_MATERIALIZATIONS:
            continue
        spec = node["config"].get("meta", {}).get("forget") or node.get("meta", {}).get("forget")
        if not spec:
            continue
        targets.append(
            PurgeTarget(
                table=f"{node['schema']}.{node.get('alias') or node['name']}",
                user_columns=tuple(spec.get("user_columns", ())),
                device_columns=tuple(spec.get("device_columns", ())),
                reprocess_devices=bool(spec.get("reprocess_devices", False)),
                reveals_devices=bool(spec.get("reveals_devices", False)),
                drops_affected_devices=bool(spec.get("drops_affected_devices", False)),
                drops_affected_owners=bool(spec.get("drops_affected_owners", False)),
            )
        )
    return sorted(targets, key=lambda t: t.table)


def purge_targets(manifest: dict) -> list[PurgeTarget]:
    """Every table to purge, in the order that keeps a crashed run repeatable: plain targets
    first, then those that mark devices for reprocessing, then those that reveal devices."""
    targets = [*model_targets(manifest), *RAW_TARGETS]
    return sorted(targets, key=lambda t: (t.reveals_devices, t.reprocess_devices))


def unreachable_tables(client, manifest: dict) -> list[str]:
    """Tables in the warehouse that hold a personal column (PERSONAL_COLUMN) but that forget
    does not purge: not a purge target, not a view, not exempt. Must be empty."""
    reachable = {t.table for t in purge_targets(manifest)} | set(EXEMPT_TABLES)
    rows = client.query(
        """
        select distinct columns.database || '.' || columns.table
        from system.columns as columns
        inner join system.tables as tables
            on columns.database = tables.database and columns.table = tables.name
        where columns.database not in ('system', 'information_schema', 'INFORMATION_SCHEMA')
            and columns.database not in {exempt:Array(String)}
            -- dbt's and forget's scratch tables live only while a statement runs
            and not match(columns.table, '__dbt_|__forget_scratch')
            and tables.engine not in ('View', 'MaterializedView', 'Memory')
            and match(columns.name, {pattern:String})
        order by 1
        """,
        parameters={"pattern": PERSONAL_COLUMN.pattern, "exempt": list(EXEMPT_DATABASES)},
    ).result_rows
    return [table for (table,) in rows if table not in reachable]
