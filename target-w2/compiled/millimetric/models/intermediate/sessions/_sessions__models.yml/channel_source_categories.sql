
-- Fixture for channel_source_categories
select CAST('google' AS String) as "source", CAST('google' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('bing.com' AS String) as "source", CAST('bing' AS String) as "source_name", CAST('SOURCE_CATEGORY_SEARCH' AS LowCardinality(String)) as "source_category"
union all
select CAST('facebook.com' AS String) as "source", CAST('' AS String) as "source_name", CAST('SOURCE_CATEGORY_SOCIAL' AS LowCardinality(String)) as "source_category"