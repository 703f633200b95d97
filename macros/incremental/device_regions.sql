{#- What the device-region models read (macros/materializations/device_region.sql builds
    them; docs/incremental.md): each one's regions, and its input's rows inside them.
    A model finds its changes in its input's rows stamped after its own newest row: every row
    written carries built_at, the time its build wrote it, so a region rewritten
    upstream is a change downstream, whether or not it holds a new event (a late $identify
    re-stitches stored sessions without new ones). Most models take changed_device_regions()
    below; the three whose change reaches further back have theirs in
    device_regions_per_model.sql. -#}

{% macro device_regions_to_rebuild() -%}
    {{ this.incorporate(path={'identifier': this.identifier ~ '__device_regions_to_rebuild'}) }}
{%- endmacro %}

{#- The same regions in a Join table, for the replacing delete's joinGet -#}
{% macro device_region_lookup() -%}
    {%- set identifier = this.identifier ~ '__device_region_lookup' -%}
    {{- return(this.incorporate(path={'identifier': identifier})) -}}
{%- endmacro %}

{#- The epoch, typed like the event times: rebuild_from for a device recomputed whole, and the
    stamp of a unit test's rows -#}
{% macro before_any_event() -%}
    toDateTime64(0, 3, 'UTC')
{%- endmacro %}

{#- The built_at of every row written: the build's stamp (the epoch in a unit test) -#}
{% macro device_rows_stamp() -%}
    {%- if not is_incremental() -%}
        {%- set build_time = "toTimeZone(now64(3), 'UTC')" -%}
        {{- return(before_any_event() if rendered_for_unit_test() else build_time) -}}
    {%- endif -%}
    (select any(rebuilt_at) from {{ device_regions_to_rebuild() }})
{%- endmacro %}

{#- The regions most models need: from the earliest `changes_at` (default: the model's
    time_column) among the rows of `changes_in` (both in the model's config) stamped after this
    model's newest row. `also_changed`, a select of (project_id, anonymous_id, changed_from),
    adds changes of the model's own (marts.sessions: a conversion moved). -#}
{% macro changed_device_regions(also_changed=none) -%}
    select
        project_id,
        anonymous_id,
        min(changed_from) as rebuild_from
    from (
        select
            project_id,
            anonymous_id,
            {{ config.get('changes_at', config.require('time_column')) }} as changed_from
        from {{ ref(config.require('changes_in')) }}
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
