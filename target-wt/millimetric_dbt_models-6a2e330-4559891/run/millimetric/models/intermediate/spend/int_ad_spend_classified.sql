
  
    
    
    
        


        
  

  insert into `analytics`.`int_ad_spend_classified`
        ("project_id", "source", "medium", "campaign", "channel", "currency", "origin", "spend", "exchange_rate", "reporting_spend", "spend_date")-- depends_on: `analytics`.`channel_source_categories`

-- sort key: the grain, in the order attribution_roas groups by

with

spend as (
    select * from `analytics`.`stg_millimetric__ad_spend`
),

rates as (
    select * from `analytics`.`currency_rates`
),

categorized as (
    select
        *,
        tupleElement(cast(
        arrayElement((select arrayMap(row -> (row.2, row.3), arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), coalesce(nullIf(transform(lower(source), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), nullIf(transform(cutToFirstSignificantSubdomain(lower(source)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), nullIf(transform(firstSignificantSubdomain(lower(source)), (select arrayMap(row -> row.1, arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), (select arrayEnumerate(arraySort(groupArray((source, source_name, toString(source_category))))) from `analytics`.`channel_source_categories`), 0), 0), 0)),
        'Tuple(source_name String, source_category String)'
    ), 'source_category') as source_category
    from spend
),

converted as (
    -- the rate of the spend's currency on its day: the seed row with the latest valid_from
    -- at or before it
    select
        categorized.*,
        if(
        categorized.currency = 'USD',
        toNullable(toDecimal128(1, 12)),
        toDecimal128(rates.rate, 12)
    ) as exchange_rate
    from categorized
    asof left join rates
        on
            categorized.currency = rates.currency
            and categorized.spend_date >= rates.valid_from
),

final as (
    select
        project_id,
        source,
        medium,
        campaign,
        -- the channel a session from these UTM tags gets, by the same rules
        multiIf(
        lower(source) = '(direct)' and lower(medium) in ('(none)', '(not set)'), 'Direct',
        match(lower(campaign), 'cross-network'), 'Cross-network',
        (source_category = 'SOURCE_CATEGORY_SHOPPING' or match(lower(campaign), '^(.*(([^a-df-z]|^)shop|shopping).*)$'))
        and match(lower(medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Shopping',
        source_category = 'SOURCE_CATEGORY_SEARCH' and match(lower(medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Search',
        source_category = 'SOURCE_CATEGORY_SOCIAL' and match(lower(medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Social',
        source_category = 'SOURCE_CATEGORY_VIDEO' and match(lower(medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Video',
        lower(medium) in ('display', 'banner', 'expandable', 'interstitial', 'cpm'), 'Display',
        match(lower(medium), '^(.*cp.*|ppc|retargeting|paid.*)$'), 'Paid Other',
        source_category = 'SOURCE_CATEGORY_SHOPPING' or match(lower(campaign), '^(.*(([^a-df-z]|^)shop|shopping).*)$'),
        'Organic Shopping',
        source_category = 'SOURCE_CATEGORY_SOCIAL'
        or lower(medium) in ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media'),
        'Organic Social',
        source_category = 'SOURCE_CATEGORY_VIDEO' or match(lower(medium), '^(.*video.*)$'), 'Organic Video',
        source_category = 'SOURCE_CATEGORY_SEARCH' or lower(medium) = 'organic', 'Organic Search',
        lower(medium) in ('referral', 'app', 'link'), 'Referral',
        match(lower(source), '^(email|e-mail|e_mail|e mail)$') or match(lower(medium), '^(email|e-mail|e_mail|e mail)$'),
        'Email',
        lower(medium) = 'affiliate', 'Affiliates',
        lower(medium) = 'audio', 'Audio',
        lower(source) = 'sms' or lower(medium) = 'sms', 'SMS',
        match(lower(medium), '(push$|mobile|notification)') or lower(source) = 'firebase', 'Mobile Push Notifications',
        'Unassigned'
    ) as channel,
        currency,
        origin,
        spend,
        exchange_rate,
        -- NULL when the seed has no rate: unknown, never counted as 0
        toDecimal128(round(toDecimal128(spend, 6) * exchange_rate, 6), 6) as reporting_spend,
        spend_date
    from converted
)

select * from final
  