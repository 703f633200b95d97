with

latest_loads as (
    -- FINAL: exactly the newest load of each (project_id, date, source, medium, campaign).
    -- ReplacingMergeTree drops the replaced rows only when parts happen to merge.
    select * from `raw`.`ad_spend` final
),

renamed as (
    select
        project_id,
        source,
        medium,
        campaign,
        currency,
        origin,
        spend,
        date as spend_date,
        loaded_at
    from latest_loads
),

final as (
    select * from renamed
)

select * from final