

with

key_counts as (
    select
        currency, valid_from,
        count() as row_count
    from `analytics`.`currency_rates`
    group by currency, valid_from
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
