-- depends_on: {{ ref('int_devices_bot_flagged') }} (its materialization deletes bot devices)
-- depends_on: {{ ref('channel_source_categories') }}
{{
    config(
        materialized='device_region',
        time_column='started_at',
        changes_in='int_sessions_aggregated',
        engine='MergeTree',
        order_by='(project_id, anonymous_id, started_at)',
    )
}}
-- sort key: a changed device's latest sessions are replaced together

with

sessions as (
    {{ rows_in_device_regions_to_rebuild(ref('int_sessions_aggregated'), 'started_at') }}
),

referrals as (
    select
        *,
        -- a referrer from the page's own host is internal navigation, not a source
        entry_referrer_host != '' and entry_referrer_host != entry_host as has_external_referrer,
        {{ source_lookup('lower(entry_referrer_host)') }} as known_referrer
    from sessions
),

sourced as (
    -- precedence: UTM tags, then a Google click id, then an external referrer, else direct
    select
        *,
        utm_source != '' or utm_medium != '' or utm_campaign != '' as has_utm,
        multiIf(
            -- stored as sent: the channel rules compare lower-cased, as GA4 does
            has_utm, if(utm_source = '', '(not set)', utm_source),
            has_google_click_id, 'google',
            -- GA4 reports a search engine by its name whatever the country domain
            -- (www.google.co.uk -> google), so that google / organic sits beside google / cpc;
            -- other referrers keep their host
            has_external_referrer,
            if(known_referrer.source_name = '', entry_referrer_host, known_referrer.source_name),
            '(direct)'
        ) as entry_source,
        multiIf(
            has_utm, if(utm_medium = '', '(not set)', utm_medium),
            has_google_click_id, 'cpc',
            has_external_referrer,
            if(known_referrer.source_category = 'SOURCE_CATEGORY_SEARCH', 'organic', 'referral'),
            '(none)'
        ) as entry_medium,
        if(has_utm and utm_campaign != '', utm_campaign, '(not set)') as entry_campaign,
        if(has_utm, utm_content, '') as entry_content,
        if(has_utm, utm_term, '') as entry_term
    from referrals
),

categorized as (
    select
        *,
        tupleElement({{ source_lookup('lower(entry_source)') }}, 'source_category')
            as source_category
    from sourced
),

final as (
    select
        session_id,
        project_id,
        anonymous_id,
        user_id,
        entry_url,
        entry_path,
        exit_path,
        entry_referrer,
        entry_source,
        entry_medium,
        entry_campaign,
        entry_content,
        entry_term,
        {{ channel_group('entry_source', 'entry_medium', 'entry_campaign', 'source_category') }}
            as channel,
        session_number,
        event_count,
        pageview_count,
        duration_seconds,
        started_at,
        ended_at,
        {{ device_rows_stamp() }} as built_at
    from categorized
)

select * from final
