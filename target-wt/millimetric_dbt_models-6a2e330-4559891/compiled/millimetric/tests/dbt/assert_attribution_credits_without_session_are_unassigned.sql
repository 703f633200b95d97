-- the Dagster asset check belongs to attribution_credits

-- A credit row without a session is the Unassigned row of a conversion that had no touch in
-- the lookback window: channel Unassigned, the whole conversion (credit 1). Returns offenders.

with

credits as (
    select * from `marts`.`attribution_credits`
),

final as (
    select
        conversion_id,
        model,
        channel,
        credit,
        touch_started_at
    from credits
    where
        session_id is null
        and (channel != 'Unassigned' or credit != 1 or touch_started_at is not null)
)

select * from final