
-- Fixture for bot_user_agents
select CAST('googlebot' AS String) as "pattern", CAST('Googlebot' AS String) as "bot_name", CAST('search_crawler' AS LowCardinality(String)) as "category"
union all
select CAST('^curl/' AS String) as "pattern", CAST('curl' AS String) as "bot_name", CAST('http_library' AS LowCardinality(String)) as "category"