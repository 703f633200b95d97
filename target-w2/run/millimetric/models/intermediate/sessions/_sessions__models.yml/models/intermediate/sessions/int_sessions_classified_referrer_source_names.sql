-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "session_id","entry_source","entry_medium","channel", 'actual' as "actual_or_expected"
  from (
    -- depends_on: `__dbt__cte__channel_source_categories`

-- sort key: a changed device's latest sessions are replaced together

with

 __dbt__cte__channel_source_categories as (

-- Fixture for channel_source_categories
select CAST('google' AS String) as "source", CAST('google' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('google.com' AS String) as "source", CAST('google' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('mail.google.com' AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('bing' AS String) as "source", CAST('bing' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('bing.com' AS String) as "source", CAST('bing' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('yahoo' AS String) as "source", CAST('yahoo' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('yahoo.com' AS String) as "source", CAST('yahoo' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('search.yahoo.com' AS String) as "source", CAST('yahoo' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('duckduckgo' AS String) as "source", CAST('duckduckgo' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('duckduckgo.com' AS String) as "source", CAST('duckduckgo' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('yandex' AS String) as "source", CAST('yandex' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('yandex.ru' AS String) as "source", CAST('yandex' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('baidu' AS String) as "source", CAST('baidu' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('baidu.com' AS String) as "source", CAST('baidu' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('ecosia' AS String) as "source", CAST('ecosia' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('ecosia.org' AS String) as "source", CAST('ecosia' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('chatgpt' AS String) as "source", CAST('chatgpt' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('chatgpt.com' AS String) as "source", CAST('chatgpt' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('chat.openai.com' AS String) as "source", CAST('chatgpt' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('perplexity' AS String) as "source", CAST('perplexity' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('perplexity.ai' AS String) as "source", CAST('perplexity' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('gemini' AS String) as "source", CAST('gemini' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('gemini.google.com' AS String) as "source", CAST('gemini' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('copilot' AS String) as "source", CAST('copilot' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('copilot.microsoft.com' AS String) as "source", CAST('copilot' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('claude' AS String) as "source", CAST('claude' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('claude.ai' AS String) as "source", CAST('claude' AS String) as "source_name", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "source_category"
union all
select CAST('facebook.com' AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "source_name", CAST('SOURCE_CATEGORY_SOCIAL' AS LowCardinality(String)) as "source_category"
),  __dbt__cte__int_sessions_aggregated as (

-- Fixture for int_sessions_aggregated
select CAST('google_com' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('google.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('google_co_uk' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('google.co.uk' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('google_de' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('google.de' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('bing_com' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('bing.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('bing_cn' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('cn.bing.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('yahoo_search' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('search.yahoo.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('yahoo_uk' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('uk.search.yahoo.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('yahoo_japan' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('search.yahoo.co.jp' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('duckduckgo' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('duckduckgo.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('yandex_ru' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('yandex.ru' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('yandex_com_tr' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('yandex.com.tr' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('baidu_mobile' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('m.baidu.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('ecosia' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('ecosia.org' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('gmail' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('mail.google.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('chatgpt' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('chatgpt.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('chatgpt_old_host' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('chat.openai.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('perplexity' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('perplexity.ai' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('gemini' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('gemini.google.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('copilot' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('copilot.microsoft.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('claude' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('claude.ai' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('facebook_link_shim' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('l.facebook.com' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('blog' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST('blog.example.org' AS String) as "entry_referrer_host", CAST(defaultValueOfTypeName('String') AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('chatgpt_utm' AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('example.com' AS String) as "entry_host", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer_host", CAST('chatgpt.com' AS String) as "utm_source", CAST(defaultValueOfTypeName('String') AS String) as "utm_medium", CAST(defaultValueOfTypeName('String') AS String) as "utm_campaign", CAST(defaultValueOfTypeName('String') AS String) as "utm_content", CAST(defaultValueOfTypeName('String') AS String) as "utm_term", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_google_click_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
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
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "session_id", "entry_source", "entry_medium", "channel", 'expected' as "actual_or_expected"
  from (
    select CAST('google_com' AS String) as "session_id", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('google_co_uk' AS String) as "session_id", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('google_de' AS String) as "session_id", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('bing_com' AS String) as "session_id", CAST('bing' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('bing_cn' AS String) as "session_id", CAST('bing' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('yahoo_search' AS String) as "session_id", CAST('yahoo' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('yahoo_uk' AS String) as "session_id", CAST('yahoo' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('yahoo_japan' AS String) as "session_id", CAST('yahoo' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('duckduckgo' AS String) as "session_id", CAST('duckduckgo' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('yandex_ru' AS String) as "session_id", CAST('yandex' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('yandex_com_tr' AS String) as "session_id", CAST('yandex' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('baidu_mobile' AS String) as "session_id", CAST('baidu' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('ecosia' AS String) as "session_id", CAST('ecosia' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('Organic Search' AS String) as "channel"
union all
select CAST('gmail' AS String) as "session_id", CAST('mail.google.com' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('chatgpt' AS String) as "session_id", CAST('chatgpt' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('chatgpt_old_host' AS String) as "session_id", CAST('chatgpt' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('perplexity' AS String) as "session_id", CAST('perplexity' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('gemini' AS String) as "session_id", CAST('gemini' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('copilot' AS String) as "session_id", CAST('copilot' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('claude' AS String) as "session_id", CAST('claude' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('facebook_link_shim' AS String) as "session_id", CAST('l.facebook.com' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Organic Social' AS String) as "channel"
union all
select CAST('blog' AS String) as "session_id", CAST('blog.example.org' AS String) as "entry_source", CAST('referral' AS String) as "entry_medium", CAST('Referral' AS String) as "channel"
union all
select CAST('chatgpt_utm' AS String) as "session_id", CAST('chatgpt.com' AS String) as "entry_source", CAST('(not set)' AS String) as "entry_medium", CAST('Unassigned' AS String) as "channel"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected