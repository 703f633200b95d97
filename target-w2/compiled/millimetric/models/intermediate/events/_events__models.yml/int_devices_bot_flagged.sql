
-- Fixture for int_devices_bot_flagged
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('scraper' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "peak_events_per_minute", CAST(True AS Bool) as "is_bot", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('person' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "peak_events_per_minute", CAST(False AS Bool) as "is_bot", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"