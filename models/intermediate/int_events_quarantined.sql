{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        engine='MergeTree',
        order_by='(project_id, anonymous_id, received_at)',
    )
}}
-- sort key: forget finds a device's quarantined rows by prefix

with

events as (
    select * from {{ ref('stg_millimetric__events') }}
    where
        quarantine_reason != ''
        {% if is_incremental() %}
            and received_at >= (
                select
                    max(received_at)
                    - toIntervalHour({{ var('millimetric__late_arrival_rescan_hours') }})
                from {{ this }}
            )
            and (project_id, event_id, received_at) not in (
                select
                    project_id,
                    event_id,
                    received_at
                from {{ this }}
            )
        {% endif %}
),

final as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        user_id,
        url,
        referrer,
        properties,
        user_agent,
        quarantine_reason,
        occurred_at,
        received_at
    from events
)

select * from final
