{#- True when (project_id, key_column) is a forgotten key of key_type and timestamp_column is at
    or before its forget. The tombstones become a map in a scalar subquery (computed once per
    query), so this is a filter, not a join. NULL keys are never forgotten. -#}
{% macro is_forgotten(key_type, key_column, timestamp_column) -%}
    {%- set key = 'sipHash128(project_id, ' ~ key_column ~ ')' -%}
    ifNull(
        mapContains({{ tombstone_map(key_type) }}, {{ key }})
        and {{ timestamp_column }} <= {{ tombstone_map(key_type) }}[{{ key }}],
        false
    )
{%- endmacro %}
