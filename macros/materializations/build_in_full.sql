{#- The full build of the project's own materializations (device_region, daily_rollup): the
    table built beside the old one and exchanged with it, as dbt-clickhouse's incremental
    materialization does on a full refresh, so a failed build leaves the old table. -#}
{% macro build_in_full(target) -%}
    {%- set existing = load_cached_relation(this) -%}
    {%- if existing is none -%}
        {%- call statement('main') -%}
            {{ get_create_table_as_sql(False, target, sql) }}
        {%- endcall -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set intermediate = make_intermediate_relation(target) -%}
    {%- set backup = make_backup_relation(target, 'table') -%}
    {{- drop_relation_if_exists(load_cached_relation(intermediate)) -}}
    {{- drop_relation_if_exists(load_cached_relation(backup)) -}}
    {%- call statement('main') -%}
        {{ get_create_table_as_sql(False, intermediate, sql) }}
    {%- endcall -%}
    {%- if existing.can_exchange -%}
        {%- do adapter.rename_relation(intermediate, backup) -%}
        {%- do exchange_tables_atomic(backup, target) -%}
    {%- else -%}
        {%- do adapter.rename_relation(target, backup) -%}
        {%- do adapter.rename_relation(intermediate, target) -%}
    {%- endif -%}
    {%- do adapter.drop_relation(backup) -%}
{%- endmacro %}
