
        
  
    
    
    
        


        
  

  insert into `marts`.`attribution_credits`
        ("conversion_id", "project_id", "user_id", "anonymous_id", "session_id", "conversion_name", "model", "channel", "source", "medium", "campaign", "entry_path", "credit", "revenue_credit", "reporting_revenue_credit", "touch_started_at", "converted_at", "built_at")-- Use a subquery to get columns in the right order
          SELECT "conversion_id", "project_id", "user_id", "anonymous_id", "session_id", "conversion_name", "model", "channel", "source", "medium", "campaign", "entry_path", "credit", "revenue_credit", "reporting_revenue_credit", "touch_started_at", "converted_at", "built_at"
          FROM (
            
-- sort key: dashboards filter by project and conversion, then by time

with

conversions as (
    select * from `analytics`.`int_conversions`
    where true
),

touch_revenue as (
    select * from `analytics`.`int_conversion_touch_revenue`
    where true
),

reporting_revenues as (
    select * from `analytics`.`int_conversion_revenue_converted`
    where true
),

credited_touches as (
    select
        conversion_id,
        project_id,
        user_id,
        anonymous_id,
        toNullable(session_id) as session_id,
        conversion_name,
        model_credit.1 as model,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        toDecimal128(model_credit.2, 18) as credit,
        model_credit.3 as revenue_credit,
        model_credit.4 as reporting_revenue_credit,
        toNullable(touch_started_at) as touch_started_at,
        converted_at
    from touch_revenue
    array join [
            (
                'first_touch',
                first_touch,
                first_touch_revenue_credit,
                first_touch_reporting_revenue_credit
            ),
            (
                'last_touch',
                last_touch,
                last_touch_revenue_credit,
                last_touch_reporting_revenue_credit
            ),
            (
                'last_non_direct',
                last_non_direct,
                last_non_direct_revenue_credit,
                last_non_direct_reporting_revenue_credit
            ),
            (
                'linear',
                linear,
                linear_revenue_credit,
                linear_reporting_revenue_credit
            ),
            (
                'position_based',
                position_based,
                position_based_revenue_credit,
                position_based_reporting_revenue_credit
            ),
            (
                'time_decay',
                time_decay,
                time_decay_revenue_credit,
                time_decay_reporting_revenue_credit
            )
    ] as model_credit
),

unassigned as (
    -- a conversion without any touch in the window is credited in full to Unassigned
    select
        conversions.conversion_id as conversion_id,
        conversions.project_id as project_id,
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        cast(null as Nullable(String)) as session_id,
        conversions.conversion_name as conversion_name,
        model,
        'Unassigned' as channel,
        '' as source,
        '' as medium,
        '' as campaign,
        '' as entry_path,
        toDecimal128(1, 18) as credit,
        conversions.revenue as revenue_credit,
        reporting_revenues.reporting_revenue as reporting_revenue_credit,
        cast(null as Nullable(Datetime64(3, 'UTC'))) as touch_started_at,
        conversions.converted_at as converted_at
    from conversions
    left join reporting_revenues
        on
            conversions.project_id = reporting_revenues.project_id
            and conversions.conversion_id = reporting_revenues.conversion_id
    array join ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'] as model
    where conversions.conversion_id not in (select conversion_id from touch_revenue)
),

all_touches as (
    select * from credited_touches
    union all
    select * from unassigned
),

final as (
    select
        *,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from all_touches
)

select * from final
            )
  
    