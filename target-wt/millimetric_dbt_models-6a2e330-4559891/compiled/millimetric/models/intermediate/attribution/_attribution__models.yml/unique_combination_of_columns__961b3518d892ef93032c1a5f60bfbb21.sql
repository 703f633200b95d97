

with

key_counts as (
    select
        conversion_id, touch_number,
        count() as row_count
    from `analytics`.`int_conversion_touches`
    group by conversion_id, touch_number
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
