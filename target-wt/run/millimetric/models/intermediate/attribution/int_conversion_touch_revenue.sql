
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_conversion_touch_revenue`
        ("first_touch_revenue_credit", "last_touch_revenue_credit", "last_non_direct_revenue_credit", "linear_revenue_credit", "position_based_revenue_credit", "time_decay_revenue_credit", "first_touch_reporting_revenue_credit", "last_touch_reporting_revenue_credit", "last_non_direct_reporting_revenue_credit", "linear_reporting_revenue_credit", "position_based_reporting_revenue_credit", "time_decay_reporting_revenue_credit", "first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay", "project_id", "conversion_id", "user_id", "anonymous_id", "session_id", "conversion_name", "channel", "source", "medium", "campaign", "entry_path", "touch_number", "touch_started_at", "converted_at", "built_at")
-- sort key: attribution_credits unpivots one conversion's touches at a time

with

conversions as (
    select * from `analytics`.`int_conversions`
    where true
),

touch_credits as (
    select * from `analytics`.`int_conversion_touch_credits`
    where true
),

reporting_revenues as (
    -- conversions with a revenue, converted at the rate of their day (NULL without one)
    select * from `analytics`.`int_conversion_revenue_converted`
    where true
),

touch_revenue as (
    -- revenue is shared out per touch, before the unpivot: the remainders are then summed over
    -- one row per touch instead of one per (touch, model). The conversion's own currency and
    -- the reporting currency are shared out alike
    select
                toDecimal128(round(conversions.revenue * touch_credits.first_touch, 6), 6)
                    as first_touch_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.last_touch, 6), 6)
                    as last_touch_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.last_non_direct, 6), 6)
                    as last_non_direct_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.linear, 6), 6)
                    as linear_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.position_based, 6), 6)
                    as position_based_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.time_decay, 6), 6)
                    as time_decay_rounded_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.first_touch, 6), 6)
                    as first_touch_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.last_touch, 6), 6)
                    as last_touch_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.last_non_direct, 6), 6)
                    as last_non_direct_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.linear, 6), 6)
                    as linear_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.position_based, 6), 6)
                    as position_based_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.time_decay, 6), 6)
                    as time_decay_rounded_reporting_revenue,
        touch_credits.project_id as project_id,
        touch_credits.conversion_id as conversion_id,
        touch_credits.session_id as session_id,
        touch_credits.channel as channel,
        touch_credits.source as source,
        touch_credits.medium as medium,
        touch_credits.campaign as campaign,
        touch_credits.entry_path as entry_path,
        touch_credits.touch_number as touch_number,
        touch_credits.is_last_touch as is_last_touch,
        touch_credits.touch_started_at as touch_started_at,
            touch_credits.first_touch as first_touch,
            touch_credits.last_touch as last_touch,
            touch_credits.last_non_direct as last_non_direct,
            touch_credits.linear as linear,
            touch_credits.position_based as position_based,
            touch_credits.time_decay as time_decay,
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        conversions.conversion_name as conversion_name,
        conversions.converted_at as converted_at,
        conversions.revenue as revenue,
        reporting_revenues.reporting_revenue as reporting_revenue
    from touch_credits
    inner join conversions
        on
            touch_credits.project_id = conversions.project_id
            and touch_credits.conversion_id = conversions.conversion_id
    left join reporting_revenues
        on
            touch_credits.project_id = reporting_revenues.project_id
            and touch_credits.conversion_id = reporting_revenues.conversion_id
),

earlier_touches_credited as (
    -- per conversion and model, what the touches before the last are credited. A per-conversion
    -- aggregate joined back, not a window over the touches: the window sorted every touch with
    -- all its columns (1.6 GB more at 10M events)
    select
                sum(first_touch_rounded_revenue) as first_touch_earlier_revenue,
                sum(last_touch_rounded_revenue) as last_touch_earlier_revenue,
                sum(last_non_direct_rounded_revenue) as last_non_direct_earlier_revenue,
                sum(linear_rounded_revenue) as linear_earlier_revenue,
                sum(position_based_rounded_revenue) as position_based_earlier_revenue,
                sum(time_decay_rounded_revenue) as time_decay_earlier_revenue,
                sum(first_touch_rounded_reporting_revenue) as first_touch_earlier_reporting_revenue,
                sum(last_touch_rounded_reporting_revenue) as last_touch_earlier_reporting_revenue,
                sum(last_non_direct_rounded_reporting_revenue) as last_non_direct_earlier_reporting_revenue,
                sum(linear_rounded_reporting_revenue) as linear_earlier_reporting_revenue,
                sum(position_based_rounded_reporting_revenue) as position_based_earlier_reporting_revenue,
                sum(time_decay_rounded_reporting_revenue) as time_decay_earlier_reporting_revenue,
        project_id,
        conversion_id
    from touch_revenue
    where not is_last_touch
    group by project_id, conversion_id
),

final as (
    -- the last touch takes the rounding remainder: credited revenue adds up, per conversion
    -- and model, to the revenue in either currency. A conversion with one touch has no earlier
    -- touches, and so no row to join: coalesce leaves it the whole amount
    select
                if(
                    is_last_touch,
                    revenue
                    - coalesce(first_touch_earlier_revenue, toDecimal128(0, 6)),
                    first_touch_rounded_revenue
                ) as first_touch_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(last_touch_earlier_revenue, toDecimal128(0, 6)),
                    last_touch_rounded_revenue
                ) as last_touch_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(last_non_direct_earlier_revenue, toDecimal128(0, 6)),
                    last_non_direct_rounded_revenue
                ) as last_non_direct_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(linear_earlier_revenue, toDecimal128(0, 6)),
                    linear_rounded_revenue
                ) as linear_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(position_based_earlier_revenue, toDecimal128(0, 6)),
                    position_based_rounded_revenue
                ) as position_based_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(time_decay_earlier_revenue, toDecimal128(0, 6)),
                    time_decay_rounded_revenue
                ) as time_decay_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(first_touch_earlier_reporting_revenue, toDecimal128(0, 6)),
                    first_touch_rounded_reporting_revenue
                ) as first_touch_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(last_touch_earlier_reporting_revenue, toDecimal128(0, 6)),
                    last_touch_rounded_reporting_revenue
                ) as last_touch_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(last_non_direct_earlier_reporting_revenue, toDecimal128(0, 6)),
                    last_non_direct_rounded_reporting_revenue
                ) as last_non_direct_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(linear_earlier_reporting_revenue, toDecimal128(0, 6)),
                    linear_rounded_reporting_revenue
                ) as linear_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(position_based_earlier_reporting_revenue, toDecimal128(0, 6)),
                    position_based_rounded_reporting_revenue
                ) as position_based_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(time_decay_earlier_reporting_revenue, toDecimal128(0, 6)),
                    time_decay_rounded_reporting_revenue
                ) as time_decay_reporting_revenue_credit,
            first_touch,
            last_touch,
            last_non_direct,
            linear,
            position_based,
            time_decay,
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        touch_number,
        touch_started_at,
        converted_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from touch_revenue
    left join earlier_touches_credited using (project_id, conversion_id)
)

select * from final
  
    