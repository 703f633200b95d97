-- one row: the changes this run takes in, stamped after the last run that applied its change
-- sets and at most at changes_through. Read after the device-grain models, so that the session
-- rows they rewrote in this run are in the limits and the next run's changes begin after them
with

applied as (
    select max(changes_through) as changes_through
    from {{ source('audit', 'change_sets_applied') }}
),

newest_event as (
    select max(deduplicated_at) as stamp from {{ ref('int_events_deduplicated') }}
),

newest_session as (
    select max(deduplicated_at) as stamp from {{ ref('int_sessions_classified') }}
),

final as (
    select
        -- none applied yet (a new warehouse, or one built before change sets): every change
        coalesce(
            (select changes_through from applied), toDateTime64(0, 3, 'UTC')
        ) as changes_after,
        toTimeZone(greatest(
            coalesce((select stamp from newest_event), toDateTime64(0, 3, 'UTC')),
            coalesce((select stamp from newest_session), toDateTime64(0, 3, 'UTC'))
        ), 'UTC') as changes_through
)

select * from final
