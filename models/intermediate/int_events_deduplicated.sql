{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        engine='MergeTree',
        partition_by='toMonday(occurred_at)',
        order_by='(project_id, anonymous_id, occurred_at, event_id)',
    )
}}
-- sort key: every downstream model reads one device's events in time order

with

events as (
    select * from {{ ref('stg_millimetric__events') }}
    where
        quarantine_reason = ''
        {% if is_incremental() %}
            and received_at >= (
                select
                    max(received_at)
                    - toIntervalHour({{ var('millimetric__late_arrival_rescan_hours') }})
                from {{ this }}
            )
        {% endif %}
),

new_deliveries as (
    select * from events
    {% if is_incremental() %}
        -- a redelivery can arrive any time after the original, so check every stored id
        where (project_id, event_id) not in (
            select
                project_id,
                event_id
            from {{ this }}
        )
    {% endif %}
),

first_deliveries as (
    select * from new_deliveries
    order by received_at
    limit 1 by project_id, event_id
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
        is_anonymous_id_fabricated,
        occurred_at,
        received_at,
        now64(3) as deduplicated_at
    from first_deliveries
)

select * from final
