{#- Daily rollups (attribution_daily, attribution_roas, web_daily; docs/incremental.md).
    A rollup's rows of a day are computed from its inputs' rows of that day alone, so an
    incremental run replaces only the days whose input rows changed.
        config(materialized='daily_rollup',
               day_column='activity_date',                        -- the rollup's day
               days_of={'int_ad_spend_classified': 'spend_date',  -- each input, and the
                        'attribution_credits': 'converted_at'})   -- time of its rows' day
    A day's fingerprint, per input, is its row count and the sum of its rows' hashes. An input
    with a row stamp (built_at) hashes it: every row an incremental run rewrites gets a
    new one, and only those it recomputes are rewritten (per device region, per conversion).
    An input without one (ad spend, a few rows a campaign-day) hashes whole rows. No id is
    hashed, so the fingerprints hold no personal data. Each hash also covers the model's own
    SQL: changing it rebuilds every day. A changed setting rebuilds the whole model
    (settings_fingerprint.sql).
    Every run stages every day's fingerprints in memory. An incremental run compares them with
    the ones the table was last built from, stages the days that differ and deletes their rows;
    the model's SQL reads its inputs on those days (day_is_rebuilt), and the rows are inserted.
    The new fingerprints are stored last: a build that fails before that point leaves the old
    ones, so the next build rebuilds those days again. -#}
{% materialization daily_rollup, adapter='clickhouse' %}
    {%- set target = this.incorporate(type='table') -%}
    {{ run_hooks(pre_hooks) }}
    {%- do stage_day_fingerprints(config.require('days_of')) -%}
    {%- if is_incremental() -%}
        {%- do delete_days_whose_inputs_changed(config.require('day_column')) -%}
        {%- call statement('main') -%}
            {{ clickhouse__insert_into(target, sql, config.get('contract').enforced) }}
        {%- endcall -%}
    {%- else -%}
        {%- do build_in_full(target) -%}
    {%- endif -%}
    {%- do store_day_fingerprints() -%}
    {{ run_hooks(post_hooks) }}
    {%- do persist_docs(target, model) -%}
    {{ return({'relations': [target]}) }}
{%- endmaterialization %}

{% macro rollup_days_to_rebuild() -%}
    {{ this.incorporate(path={'identifier': this.identifier ~ '__days_to_rebuild'}) }}
{%- endmacro %}

{% macro rollup_fingerprints_now() -%}
    {{ this.incorporate(path={'identifier': this.identifier ~ '__fingerprints_now'}) }}
{%- endmacro %}

{#- Build metadata beside the forget audit, not in the marts a BI login is granted: one table a
    rollup, named after its schema too, so that two targets on one server keep their own -#}
{% macro rollup_fingerprints_stored() -%}
    {%- do run_query('create database if not exists audit') -%}
    {{- return('audit.`' ~ this.schema ~ '__' ~ this.identifier ~ '__input_fingerprints`') -}}
{%- endmacro %}

{#- What one row of an input adds to its day's fingerprint, besides the model's SQL -#}
{% macro fingerprinted_row(name) -%}
    {%- set columns = adapter.get_columns_in_relation(ref(name)) | map(attribute='name') | list -%}
    {{- 'built_at' if 'built_at' in columns else '*' -}}
{%- endmacro %}

{#- `inputs` maps each input model's name to the expression of its rows' day -#}
{% macro stage_day_fingerprints(inputs) -%}
    {%- set sql = sql_string_literal(model.checksum.checksum) -%}
    {%- do run_query('drop table if exists ' ~ rollup_fingerprints_now() ~ ' sync') -%}
    {%- call statement('stage_rollup_fingerprints') -%}
        create table {{ rollup_fingerprints_now() }} engine = Memory as
        {% for name, day in inputs.items() -%}
            select
                project_id,
                toDate({{ day }}) as day,
                {{ sql_string_literal(name) }} as input,
                count() as row_count,
                -- a tuple: cityHash64 of a NULL argument is NULL, which sum() would skip
                sum(cityHash64(
                    {{ sql }}, tuple({{ fingerprinted_row(name) }})
                )) as row_hash_sum
            from {{ ref(name) }}
            group by project_id, day
            {{ 'union all' if not loop.last }}
        {% endfor -%}
    {%- endcall -%}
{%- endmacro %}

{#- `day_column` is the rollup's own day column -#}
{% macro delete_days_whose_inputs_changed(day_column) -%}
    {%- do run_query('drop table if exists ' ~ rollup_days_to_rebuild() ~ ' sync') -%}
    {%- call statement('stage_rollup_days_to_rebuild') -%}
        create table {{ rollup_days_to_rebuild() }} engine = Memory as
        {{ days_whose_fingerprints_differ() }}
    {%- endcall -%}
    {{- require_stored_columns_as_built() -}}
    {%- set days = run_query('select count() from ' ~ rollup_days_to_rebuild()) -%}
    {%- set days = days.columns[0].values()[0] -%}
    {%- do log(this ~ ': rebuilding ' ~ days ~ ' changed project-days', info=True) -%}
    {%- if days > 0 -%}
        {%- call statement('delete_rollup_days') -%}
            delete from {{ this }}
            where (project_id, {{ day_column }}) in (
                select project_id, day from {{ rollup_days_to_rebuild() }}
            )
        {%- endcall -%}
    {%- endif -%}
{%- endmacro %}

{#- The (project_id, day) whose fingerprints differ from the stored ones, in either direction:
    a day that lost every input row differs too. No stored fingerprints (the table was built by
    an older release): every day. -#}
{% macro days_whose_fingerprints_differ() -%}
    {%- set stored = rollup_fingerprints_stored() -%}
    {%- if not run_query('exists table ' ~ stored).columns[0].values()[0] -%}
        {{- return('select distinct project_id, day from ' ~ rollup_fingerprints_now()) -}}
    {%- endif -%}
    select distinct project_id, day
    from (
        select project_id, day, input, row_count, row_hash_sum, 1 as side
        from {{ rollup_fingerprints_now() }}
        union all
        select project_id, day, input, row_count, row_hash_sum, -1 as side
        from {{ stored }}
    )
    group by project_id, day, input, row_count, row_hash_sum
    having sum(side) != 0
{%- endmacro %}

{#- A filter on an input: its rows of the staged days; all of them on a full build -#}
{% macro day_is_rebuilt(day) -%}
    {#- a unit test renders the model with its given inputs only, never incrementally -#}
    {%- if rendered_for_unit_test() -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- if not is_incremental() -%}
        {{- return('true') -}}
    {%- endif -%}
    (project_id, toDate({{ day }})) in (select project_id, day from {{ rollup_days_to_rebuild() }})
{%- endmacro %}

{#- Keep the fingerprints the rows were built from, drop the staging -#}
{% macro store_day_fingerprints() -%}
    {%- call statement('store_rollup_fingerprints') -%}
        create or replace table {{ rollup_fingerprints_stored() }}
        engine = MergeTree order by (project_id, day, input)
        as select * from {{ rollup_fingerprints_now() }}
    {%- endcall -%}
    {%- do run_query('drop table if exists ' ~ rollup_days_to_rebuild() ~ ' sync') -%}
    {%- do run_query('drop table if exists ' ~ rollup_fingerprints_now() ~ ' sync') -%}
{%- endmacro %}
