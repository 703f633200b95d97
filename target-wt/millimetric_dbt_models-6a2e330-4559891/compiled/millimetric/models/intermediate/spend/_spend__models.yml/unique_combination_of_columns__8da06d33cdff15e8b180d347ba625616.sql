

with

key_counts as (
    select
        project_id, spend_date, source, medium, campaign,
        count() as row_count
    from `analytics`.`int_ad_spend_classified`
    group by project_id, spend_date, source, medium, campaign
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
