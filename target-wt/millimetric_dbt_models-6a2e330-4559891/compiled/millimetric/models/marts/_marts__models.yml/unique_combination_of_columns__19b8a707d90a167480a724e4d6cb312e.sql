

with

key_counts as (
    select
        project_id, activity_date, model, channel, source, medium, campaign,
        count() as row_count
    from `marts`.`attribution_roas`
    group by project_id, activity_date, model, channel, source, medium, campaign
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
