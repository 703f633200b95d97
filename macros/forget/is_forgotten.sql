{#- True when (project_id, key_column) is a forgotten key of key_type and the event is not newer
    than its forget: the server received it at or before the forget (received_at_column), or
    its own timestamp_column is at or before it. Only an event both clocks put after the forget
    is new data; a device clock running ahead cannot bring an event back (docs/forget.md; the
    loader applies the same rule in orchestration/loader/engine.py). Membership is a
    hash-set IN and the forget time a transform() lookup, both built once per query from the
    tombstones, so this is a filter, not a join, and costs the same for one tombstone or a
    million. NULL keys are never forgotten. -#}
{% macro is_forgotten(key_type, key_column, timestamp_column, received_at_column='received_at') -%}
    ifNull(
        (project_id, {{ key_column }}) in (
            select project_id, forgotten_key
            from {{ source('audit', 'forget_tombstones') }}
            where key_type = {{ sql_string_literal(key_type) }}
        )
        and least({{ timestamp_column }}, {{ received_at_column }}) <= transform(
            hex(sipHash128(project_id, {{ key_column }})),
            {{ tombstone_map(key_type) }}.1,
            {{ tombstone_map(key_type) }}.2,
            toDateTime64('1900-01-01 00:00:00', 3, 'UTC')
        ),
        false
    )
{%- endmacro %}
