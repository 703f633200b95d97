

with

key_counts as (
    select
        conversion_id, model, session_id,
        count() as row_count
    from `marts`.`attribution_credits`
    group by conversion_id, model, session_id
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
