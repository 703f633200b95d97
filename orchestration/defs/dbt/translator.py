"""How dbt resources appear in Dagster: keys named after the layer, groups per layer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster import AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

FORGET_PROPAGATION_KEY = AssetKey(["forget", "propagation"])


def layer(props: Mapping[str, Any]) -> str:
    """staging / intermediate / marts for models (their folder), seeds, or the source schema."""
    if props["resource_type"] == "source":
        return props["source_name"] if props["source_name"] != "millimetric" else "raw"
    if props["resource_type"] == "seed":
        return "seeds"
    return props["fqn"][1] if len(props["fqn"]) > 2 else "models"


class MillimetricTranslator(DagsterDbtTranslator):
    """`marts/sessions`, `raw/events`: readable keys; groups staging, intermediate, marts."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return AssetKey([layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return layer(dbt_resource_props)

    def get_asset_spec(self, manifest, unique_id, project) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        # staging reads raw rows only after pending forgets are purged and tombstoned
        if props["resource_type"] == "model" and layer(props) == "staging":
            return spec.merge_attributes(deps=[FORGET_PROPAGATION_KEY])
        return spec
