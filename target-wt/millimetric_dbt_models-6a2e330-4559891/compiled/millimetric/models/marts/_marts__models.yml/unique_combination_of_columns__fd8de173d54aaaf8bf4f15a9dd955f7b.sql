

with

key_counts as (
    select
        project_id, anonymous_id, user_id,
        count() as row_count
    from `marts`.`identity_stitch`
    group by project_id, anonymous_id, user_id
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
