{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        engine='MergeTree',
        order_by='(project_id, anonymous_id, received_at)',
        pre_hook="{{ delete_events_of_cleared_bot_devices() }}",
    )
}}
-- sort key: forget finds a device's quarantined rows by prefix

{%- set event_columns = [
    'event_id', 'project_id', 'event_name', 'anonymous_id', 'user_id', 'url', 'referrer',
    'properties', 'user_agent',
] %}
{%- set stamp_columns = ['occurred_at', 'received_at', 'inserted_at'] %}
{#- only rows stored within the margin can be read again, so only those are checked -#}
{%- set stored_within_margin -%}
    select project_id, event_id, received_at from {{ this }} where {{ inserted_since_last_run() }}
{%- endset %}

with

held_back as (
    -- kept out of every downstream model
    select
        {{ event_columns | join(', ') }},
        quarantine_reason,
        {{ stamp_columns | join(', ') }}
    from {{ ref('stg_millimetric__events') }}
    where
        quarantine_reason != ''
        and {{ inserted_since_last_run() }}
        {% if is_incremental() %}
            and (project_id, event_id, received_at) not in ({{ stored_within_margin }})
        {% endif %}
),

unreadable_revenue as (
    -- not held back: conversions counts the event, with a NULL revenue; this row says why.
    -- Read from the events that passed staging, one per (project_id, event_id)
    select
        {{ event_columns | join(', ') }},
        'revenue_not_a_decimal' as quarantine_reason,
        {{ stamp_columns | join(', ') }}
    from {{ ref('int_events_deduplicated') }}
    where
        {{ has_unreadable_revenue('event_name', 'properties') }}
        -- int_events_deduplicated ran earlier in this build; rows stored between the two reads
        -- are within the margin, so the next build still finds them
        and {{ inserted_since_last_run() }}
        {% if is_incremental() %}
            and (project_id, event_id, received_at) not in ({{ stored_within_margin }})
        {% endif %}
),

machine_like as (
    -- kept out of every downstream model: every event of a device int_devices_bot_flagged flags
    -- (more than millimetric__bot_max_events_per_minute), old ones included, once each. A flag
    -- changes only with the device's new events, so an incremental run reads only the flagged
    -- devices with events stored since its last run
    select
        {{ event_columns | join(', ') }},
        'bot_event_rate' as quarantine_reason,
        {{ stamp_columns | join(', ') }}
    from {{ ref('int_events_deduplicated') }}
    where
        (project_id, anonymous_id) in (
            select
                project_id,
                anonymous_id
            from {{ ref('int_devices_bot_flagged') }}
            where
                is_bot
                {% if is_incremental() %}
                    -- int_events_deduplicated ran earlier in this build, as for unreadable_revenue
                    and (project_id, anonymous_id) in (
                        select
                            project_id,
                            anonymous_id
                        from {{ ref('int_events_deduplicated') }}
                        where {{ inserted_since_last_run() }}
                    )
                {% endif %}
        )
        {% if is_incremental() %}
            and (project_id, event_id, received_at) not in (
                select
                    project_id,
                    event_id,
                    received_at
                from {{ this }}
                where
                    quarantine_reason = 'bot_event_rate'
                    -- the sort key's prefix: only the bot devices' parts are read
                    and (project_id, anonymous_id) in ({{ bot_devices() }})
            )
        {% endif %}
),

final as (
    select * from held_back
    union all
    select * from unreadable_revenue
    union all
    select * from machine_like
)

select * from final
