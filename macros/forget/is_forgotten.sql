{#- True when (project_id, key_column) is a forgotten key of key_type and timestamp_column is at
    or before its forget. Membership is a hash-set IN and the forget time a transform() lookup,
    both built once per query from the tombstones, so this is a filter, not a join, and costs
    the same for one tombstone or a million. NULL keys are never forgotten. -#}
{% macro is_forgotten(key_type, key_column, timestamp_column) -%}
    ifNull(
        (project_id, {{ key_column }}) in (
            select project_id, forgotten_key
            from {{ source('audit', 'forget_tombstones') }}
            where key_type = {{ sql_string_literal(key_type) }}
        )
        and {{ timestamp_column }} <= transform(
            hex(sipHash128(project_id, {{ key_column }})),
            {{ tombstone_map(key_type) }}.1,
            {{ tombstone_map(key_type) }}.2,
            toDateTime64('1900-01-01 00:00:00', 3, 'UTC')
        ),
        false
    )
{%- endmacro %}
