
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_sessions_classified`
        ("session_id", "project_id", "anonymous_id", "user_id", "entry_url", "entry_path", "exit_path", "entry_referrer", "entry_source", "entry_medium", "entry_campaign", "entry_content", "entry_term", "channel", "session_number", "event_count", "pageview_count", "duration_seconds", "started_at", "ended_at", "built_at")-- depends_on: `analytics`.`channel_source_categories`

-- sort key: a changed device's latest sessions are replaced together

with

sessions as (
    select * from `analytics`.`int_sessions_aggregated`
),

referrals as (
    select
        *,
        -- a referrer from the page's own host is internal navigation, not a source
        entry_referrer_host != '' and entry_referrer_host != entry_host as has_external_referrer,
        cast(
        arrayElement((select arrayMap(row -> (row.2, row.3), arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), coalesce(nullIf(transform(lower(entry_referrer_host), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), nullIf(transform(cutToFirstSignificantSubdomain(lower(entry_referrer_host)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), nullIf(transform(firstSignificantSubdomain(lower(entry_referrer_host)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), 0)),
        'Tuple(source_name String, source_category String)'
    ) as known_referrer
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
        tupleElement(cast(
        arrayElement((select arrayMap(row -> (row.2, row.3), arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), coalesce(nullIf(transform(lower(entry_source), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), nullIf(transform(cutToFirstSignificantSubdomain(lower(entry_source)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), nullIf(transform(firstSignificantSubdomain(lower(entry_source)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), 0)),
        'Tuple(source_name String, source_category String)'
    ), 'source_category')
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
        multiIf(
        lower(entry_source) = '(direct)' and lower(entry_medium) in ('(none)', '(not set)'), 'Direct',
        match(lower(entry_campaign), 'cross-network'), 'Cross-network',
        (source_category = 'SOURCE_CATEGORY_SHOPPING' or match(lower(entry_campaign), '^(.*(([^a-df-z]|^)shop|shopping).*)$'))
        and match(lower(entry_medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Shopping',
        source_category = 'SOURCE_CATEGORY_SEARCH' and match(lower(entry_medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Search',
        source_category = 'SOURCE_CATEGORY_SOCIAL' and match(lower(entry_medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Social',
        source_category = 'SOURCE_CATEGORY_VIDEO' and match(lower(entry_medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Video',
        lower(entry_medium) in ('display', 'banner', 'expandable', 'interstitial', 'cpm'), 'Display',
        match(lower(entry_medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Other',
        source_category = 'SOURCE_CATEGORY_SHOPPING' or match(lower(entry_campaign), '^(.*(([^a-df-z]|^)shop|shopping).*)$'),
        'Organic Shopping',
        source_category = 'SOURCE_CATEGORY_SOCIAL'
        or lower(entry_medium) in ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media'),
        'Organic Social',
        source_category = 'SOURCE_CATEGORY_VIDEO' or match(lower(entry_medium), '^(.*video.*)$'), 'Organic Video',
        source_category = 'SOURCE_CATEGORY_SEARCH' or lower(entry_medium) = 'organic', 'Organic Search',
        lower(entry_medium) in ('referral', 'app', 'link'), 'Referral',
        match(lower(entry_source), '^(email|e-mail|e_mail|e mail)$') or match(lower(entry_medium), '^(email|e-mail|e_mail|e mail)$'),
        'Email',
        lower(entry_medium) = 'affiliate', 'Affiliates',
        lower(entry_medium) = 'audio', 'Audio',
        lower(entry_source) = 'sms' or lower(entry_medium) = 'sms', 'SMS',
        match(lower(entry_medium), '(push$|mobile|notification)') or lower(entry_source) = 'firebase', 'Mobile Push Notifications',
        'Unassigned'
    )
            as channel,
        session_number,
        event_count,
        pageview_count,
        duration_seconds,
        started_at,
        ended_at,
        toTimeZone(now64(3), 'UTC') as built_at
    from categorized
)

select * from final
  
    