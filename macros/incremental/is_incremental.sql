{#- dbt-clickhouse's is_incremental(), which knows only its own materializations (.sqlfluff
    has its own) -#}
{% macro is_incremental() -%}
    {%- if not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, this.table) -%}
    {{- return(
        relation is not none and relation.type == 'table'
        and model.config.materialized in incremental_materializations()
        and not should_full_refresh()
    ) -}}
{%- endmacro %}

{#- The materializations that keep their table between runs. The Python side's list is
    orchestration/forget/targets.py INCREMENTAL_MATERIALIZATIONS. -#}
{% macro incremental_materializations() -%}
    {{- return(['incremental', 'device_region', 'daily_rollup']) -}}
{%- endmacro %}
