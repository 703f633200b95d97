{#- A changed setting rebuilds in full. A model's rows depend on the project's vars and seeds,
    so `millimetric` fingerprints them all (every var dbt resolves and every seed file:
    orchestration/runtime/dbt_vars.py) and hands the fingerprint to every dbt it runs as
    MILLIMETRIC_SETTINGS_FINGERPRINT. An incremental model whose table was last built under
    another fingerprint, or under none recorded, is rebuilt in full, as --full-refresh would;
    on-run-end records the fingerprint of each incremental model the run built. dbt run by hand,
    without the variable, compares and records nothing: the next `millimetric build` then finds
    the old fingerprint and rebuilds. (docs/incremental.md, *A changed setting*) -#}

{#- dbt's own macro, which is_incremental() and the materializations ask, plus the settings -#}
{% macro should_full_refresh() -%}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is not none -%}
        {{- return(configured) -}}
    {%- endif -%}
    {{- return(flags.FULL_REFRESH or settings_changed()) -}}
{%- endmacro %}

{#- Whether this incremental model's table was built under other settings than these -#}
{% macro settings_changed() -%}
    {%- set current = env_var('MILLIMETRIC_SETTINGS_FINGERPRINT', '') -%}
    {%- set materialized = model.config.materialized -%}
    {%- if not execute or not current or materialized not in incremental_materializations() -%}
        {{- return(false) -}}
    {%- endif -%}
    {{- return(once_per_rendering('settings_changed', query_settings_changed)) -}}
{%- endmacro %}

{% macro query_settings_changed() -%}
    {%- if adapter.get_relation(this.database, this.schema, this.identifier) is none -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set stored = run_query(
        'select argMax(fingerprint, built_at) from ' ~ model_settings_table()
        ~ ' where model = ' ~ sql_string_literal(this.schema ~ '.' ~ this.identifier)
    ).columns[0].values()[0] -%}
    {%- set changed = stored != env_var('MILLIMETRIC_SETTINGS_FINGERPRINT') -%}
    {%- do log(this ~ ': settings changed since its last build: ' ~ changed) -%}
    {{- return(changed) -}}
{%- endmacro %}

{#- on-run-end: the settings each incremental model built without error was built with -#}
{% macro record_model_settings(results) -%}
    {%- set current = env_var('MILLIMETRIC_SETTINGS_FINGERPRINT', '') -%}
    {%- if not execute or not current -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for result in results
        if result.node.resource_type == 'model' and result.status == 'success'
        and result.node.config.materialized in incremental_materializations() -%}
        {%- set name = result.node.schema ~ '.' ~ (result.node.alias or result.node.name) -%}
        {%- do rows.append(
            '(' ~ sql_string_literal(name) ~ ', ' ~ sql_string_literal(current) ~ ')'
        ) -%}
    {%- endfor -%}
    {%- if rows -%}
        {%- do run_query(
            'insert into ' ~ model_settings_table() ~ ' (model, fingerprint) values '
            ~ rows | join(', ')
        ) -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}

{#- Build metadata beside the forget audit, not a model table: the settings fingerprint of each
    incremental model's builds. Merges keep the newest row per model; reads take argMax. -#}
{% macro model_settings_table() -%}
    {%- do run_query('create database if not exists audit') -%}
    {%- do run_query(
        'create table if not exists audit.model_settings'
        ~ ' (model String, fingerprint String, built_at DateTime64(3) default now64(3))'
        ~ ' engine = ReplacingMergeTree(built_at) order by model'
    ) -%}
    {{- return('audit.model_settings') -}}
{%- endmacro %}
