{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        engine='MergeTree',
        order_by='(project_id, conversion_date, conversion_name, model)',
        pre_hook="{{ delete_days_whose_inputs_changed(
            {'attribution_credits': 'converted_at'}, 'conversion_date'
        ) }}",
        post_hook="{{ finish_days_rebuild() }}",
    )
}}
-- sort key: dashboards chart one project's conversions by day
-- an incremental run replaces the days whose credits changed (days_whose_inputs_changed.sql)

with

credits as (
    select * from {{ ref('attribution_credits') }}
    where {{ day_is_rebuilt('converted_at') }}
),

final as (
    select
        project_id,
        conversion_name,
        model,
        channel,
        source,
        medium,
        campaign,
        sum(credit) as conversions,
        -- in the reporting currency: amounts in different currencies are never added
        {{ known_sum(credited_reporting_revenue()) }} as revenue,
        toDate(converted_at) as conversion_date
    from credits
    group by project_id, conversion_date, conversion_name, model, channel, source, medium, campaign
)

select * from final
