

with

key_counts as (
    select
        project_id, event_id,
        count() as row_count
    from `analytics`.`int_events_deduplicated`
    group by project_id, event_id
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final
