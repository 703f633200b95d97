{#- A scalar subquery: a pair of arrays (hex(sipHash128(project_id, key)), forgotten_at) over the
    tombstones of one key type, for transform() to look events up in a hash table. -#}
{% macro tombstone_map(key_type) -%}
    (
        select (groupArray(key_hash), groupArray(forgotten_at))
        from (
            select
                hex(sipHash128(project_id, forgotten_key)) as key_hash,
                max(forgotten_at) as forgotten_at
            from {{ source('audit', 'forget_tombstones') }}
            where key_type = {{ sql_string_literal(key_type) }}
            group by key_hash
        )
    )
{%- endmacro %}
