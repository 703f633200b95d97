{#- A scalar subquery: Map(sipHash128(project_id, key) -> forgotten_at) over the tombstones of
    one key type. Staging looks events up in it, which filters without a join. -#}
{% macro tombstone_map(key_type) -%}
    (
        select mapFromArrays(groupArray(key_hash), groupArray(forgotten_at))
        from (
            select
                sipHash128(project_id, forgotten_key) as key_hash,
                max(forgotten_at) as forgotten_at
            from {{ source('audit', 'forget_tombstones') }}
            where key_type = {{ sql_string_literal(key_type) }}
            group by key_hash
        )
    )
{%- endmacro %}
