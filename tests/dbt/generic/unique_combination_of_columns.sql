{#- No two rows share the same values of `combination_of_columns` (a compound primary key).
    Written here because no dbt Hub packages (dbt_utils) are available. ClickHouse groups NULLs
    together, so a NULL in a key column counts as one value: two rows that differ only by both
    holding NULL are duplicates. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set columns = combination_of_columns | join(', ') %}

with

key_counts as (
    select
        {{ columns }},
        count() as row_count
    from {{ model }}
    group by {{ columns }}
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
{% endtest %}
