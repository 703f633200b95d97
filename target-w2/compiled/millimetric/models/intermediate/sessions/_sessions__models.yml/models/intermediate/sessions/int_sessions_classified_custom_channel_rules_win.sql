-- depends_on: `__dbt__cte__channel_source_categories`

-- sort key: a changed device's latest sessions are replaced together

with

 __dbt__cte__channel_source_categories as (

-- Fixture for channel_source_categories
select CAST('google' AS String) as "source", CAST('google' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('facebook' AS String) as "source", CAST('' AS String) as "source_name", CAST('SOURCE_CATEGORY_SOCIAL' AS LowCardinality(String)) as "source_category"
union all
select CAST('youtube' AS String) as "source", CAST('' AS String) as "source_name", CAST('SOURCE_CATEGORY_VIDEO' AS LowCardinality(String)) as "source_category"
union all
select CAST('amazon' AS String) as "source", CAST('' AS String) as "source_name", CAST('SOURCE_CATEGORY_SHOPPING' AS LowCardinality(String)) as "source_category"
),  __dbt__cte__int_sessions_aggregated as (

-- Fixture for int_sessions_aggregated
select CAST('brand_search' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer_host", CAST('google' AS String) as "utm_source", CAST('cpc' AS String) as "utm_medium", CAST('Brand-2026' AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('partner_email' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer_host", CAST('partner.example' AS String) as "utm_source", CAST('email' AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('partner_referral' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer_host", CAST('Partner.example' AS String) as "utm_source", CAST('referral' AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('generic_search' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer_host", CAST('google' AS String) as "utm_source", CAST('cpc' AS String) as "utm_medium", CAST('generic' AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('direct' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
), sessions as (
    select * from `__dbt__cte__int_sessions_aggregated`
),

referrals as (
    select
        *,
        -- a referrer from the page's own host is internal navigation, not a source
        entry_referrer_host != '' and entry_referrer_host != entry_host as has_external_referrer,
        cast(
        arrayElement((select arrayMap(row -> (row.2, row.3), arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), coalesce(nullIf(transform(lower(entry_referrer_host), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), 0), 0), nullIf(transform(cutToFirstSignificantSubdomain(lower(entry_referrer_host)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), 0), 0), nullIf(transform(firstSignificantSubdomain(lower(entry_referrer_host)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), 0), 0), 0)),
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
        arrayElement((select arrayMap(row -> (row.2, row.3), arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), coalesce(nullIf(transform(lower(entry_source), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), 0), 0), nullIf(transform(cutToFirstSignificantSubdomain(lower(entry_source)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), 0), 0), nullIf(transform(firstSignificantSubdomain(lower(entry_source)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `__dbt__cte__channel_source_categories`), 0), 0), 0)),
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
        (match(lower(entry_source), '^partner') and match(lower(entry_medium), '^referral$')), 'Partners',
        (match(lower(entry_source), '^google$') and match(lower(entry_campaign), '^brand')), 'Brand Search',
        (match(lower(entry_source), '^partner')), 'Partner Other',
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
        toDateTime64(0, 3, 'UTC') as deduplicated_at
    from categorized
)

select * from final