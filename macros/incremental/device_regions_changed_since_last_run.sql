{#- Device-region models (int_events_sessionized, int_events_identified,
    int_sessions_aggregated, int_sessions_classified, marts.sessions; docs/incremental.md). A
    device's rows are recomputed only from the point its change can reach: its *region*, every
    row at or after `rebuild_from`. Rows before it are neither read nor written.

    The pre-hook stages the regions of the devices changed since this model's last run in
    memory (never on disk), with the build's stamp; the model's SQL reads its input's rows inside
    the regions and stamps them; dbt appends them; the post-hook deletes the region's rows
    stamped before, and drops the staged regions. Deleting after the insert leaves the stored
    rows as they were if the insert fails, so the next build finds the same changes.
    A model finds its changes in its input's rows stamped after its own newest row: every row
    written carries built_at, the time its build wrote it, so a region rewritten
    upstream is a change downstream, whether or not it holds a new event (a late $identify
    re-stitches stored sessions without new ones). Most models take changed_device_regions()
    below; the three whose change reaches further back have theirs in
    device_regions_per_model.sql. -#}

{% macro device_regions_to_rebuild() -%}
    {{ this.incorporate(path={'identifier': this.identifier ~ '__device_regions_to_rebuild'}) }}
{%- endmacro %}

{#- The same regions in a Join table, for joinGet: the replacing delete looks each row's region
    up instead of matching a subquery's rows, which took three times as long (0.27 s against
    0.82 s on 2.3M stored events and 3,000 regions). Not persistent: a Join table otherwise
    writes its rows, device ids included, to disk (docs/forget.md) -#}
{% macro device_region_lookup() -%}
    {%- set identifier = this.identifier ~ '__device_region_lookup' -%}
    {{- return(this.incorporate(path={'identifier': identifier})) -}}
{%- endmacro %}

{#- The epoch, typed like the event times: rebuild_from for a device recomputed whole, and the
    stamp of a unit test's rows -#}
{% macro before_any_event() -%}
    toDateTime64(0, 3, 'UTC')
{%- endmacro %}

{#- The pre-hook. `regions` selects one row per changed device: project_id, anonymous_id,
    rebuild_from, and any value the model reads per region. -#}
{% macro stage_device_regions_changed_since_last_run(regions, required_columns=[]) -%}
    {%- if execute and is_incremental() -%}
        {{- require_stored_columns(['built_at'] + required_columns) -}}
        {%- do run_query('drop table if exists ' ~ device_regions_to_rebuild() ~ ' sync') -%}
        {%- do run_query('drop table if exists ' ~ device_region_lookup() ~ ' sync') -%}
        {%- call statement('stage_device_regions_to_rebuild') -%}
            create table {{ device_regions_to_rebuild() }} engine = Memory as
            select
                *,
                toTimeZone(now64(3), 'UTC') as rebuilt_at
            from ({{ regions }})
        {%- endcall -%}
        {{- require_stored_columns_as_built() -}}
        create table {{ device_region_lookup() }}
        engine = Join(any, left, project_id, anonymous_id)
        settings persistent = 0 as
        select
            project_id,
            anonymous_id,
            rebuild_from,
            rebuilt_at
        from {{ device_regions_to_rebuild() }}
    {%- endif -%}
{%- endmacro %}

{#- The post-hook: delete what the new rows replace, the rows inside the regions stamped before
    this build. `time_column` orders a device's rows (occurred_at; started_at for sessions). -#}
{% macro replace_device_regions(time_column='occurred_at') -%}
    {%- if execute and is_incremental() -%}
        {#- joinGet names the table as database.table, unquoted -#}
        {%- set lookup = sql_string_literal(
            device_region_lookup().schema ~ '.' ~ device_region_lookup().identifier
        ) -%}
        {%- call statement('delete_replaced_device_regions') -%}
            delete from {{ this }}
            where
                (project_id, anonymous_id) in (
                    select project_id, anonymous_id from {{ device_regions_to_rebuild() }}
                )
                and {{ time_column }}
                >= joinGet({{ lookup }}, 'rebuild_from', project_id, anonymous_id)
                and built_at
                < joinGet({{ lookup }}, 'rebuilt_at', project_id, anonymous_id)
        {%- endcall -%}
        {%- do run_query('drop table if exists ' ~ device_region_lookup() ~ ' sync') -%}
        drop table if exists {{ device_regions_to_rebuild() }} sync
    {%- endif -%}
{%- endmacro %}

{#- The built_at of every row written: the build's stamp (the epoch in a unit test) -#}
{% macro device_rows_stamp() -%}
    {%- if not is_incremental() -%}
        {%- set build_time = "toTimeZone(now64(3), 'UTC')" -%}
        {{- return(before_any_event() if rendered_for_unit_test() else build_time) -}}
    {%- endif -%}
    (select any(rebuilt_at) from {{ device_regions_to_rebuild() }})
{%- endmacro %}

{#- The regions most models need: from the earliest `input_time` among the input's rows stamped
    after this model's newest row. `also_changed`, a select of (project_id, anonymous_id,
    changed_from), adds changes of the model's own (marts.sessions: a conversion moved). -#}
{% macro changed_device_regions(input, input_time='occurred_at', also_changed=none) -%}
    select
        project_id,
        anonymous_id,
        min(changed_from) as rebuild_from
    from (
        select
            project_id,
            anonymous_id,
            {{ input_time }} as changed_from
        from {{ input }}
        where built_at > (select max(built_at) from {{ this }})
        {{ 'union all ' ~ also_changed if also_changed else '' }}
    )
    group by project_id, anonymous_id
{%- endmacro %}

{#- The model's input: its rows inside the staged regions, with the regions' `values`
    ({column: what a full build uses}); every row on a full build. -#}
{% macro rows_in_device_regions_to_rebuild(input, time_column='occurred_at', values={}) -%}
    {%- if not is_incremental() -%}
        {%- set full_build_values = [] -%}
        {%- for column, full_build_value in values.items() -%}
            {%- do full_build_values.append(full_build_value ~ ' as ' ~ column) -%}
        {%- endfor -%}
        {{- return('select ' ~ (['*'] + full_build_values) | join(', ') ~ ' from ' ~ input) -}}
    {%- endif -%}
    select
        input_rows.*{% for column in values %},
        devices.{{ column }} as {{ column }}{% endfor %}
    from {{ input }} as input_rows
    {{ join_on_device(
        'input_rows',
        device_regions_to_rebuild(),
        'input_rows.' ~ time_column ~ ' >= devices.rebuild_from',
    ) }}
{%- endmacro %}

{#- The rows of `alias` on the devices of `devices` (a relation or CTE with project_id and
    anonymous_id, joined as `devices`) for which `condition` holds; the key filter lets the
    read skip other devices' granules by the sort key -#}
{% macro join_on_device(alias, devices, condition) -%}
    inner join {{ devices }} as devices
        on
            {{ alias }}.project_id = devices.project_id
            and {{ alias }}.anonymous_id = devices.anonymous_id
    where
        ({{ alias }}.project_id, {{ alias }}.anonymous_id) in (
            select project_id, anonymous_id from {{ devices }}
        )
        and {{ condition }}
{%- endmacro %}
