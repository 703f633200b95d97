-- one row: the changes this run takes in, the int_events_deduplicated rows stamped after the
-- last run that applied its change sets (changes_after) and at most changes_through
with

applied as (
    select max(changes_through) as changes_through
    from `audit`.`change_sets_applied`
),

newest_event as (
    select max(built_at) as stamp from `analytics`.`int_events_deduplicated`
),

final as (
    select
        -- none applied yet (a new warehouse, or one built before change sets): every change
        coalesce(
            (select changes_through from applied), toDateTime64(0, 3, 'UTC')
        ) as changes_after,
        toTimeZone(
            coalesce((select stamp from newest_event), toDateTime64(0, 3, 'UTC')), 'UTC'
        ) as changes_through
)

select * from final