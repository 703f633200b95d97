
-- Fixture for forget_tombstones
select CAST(defaultValueOfTypeName('String') AS String) as "request_id", CAST(defaultValueOfTypeName('String') AS String) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "key_type", CAST(defaultValueOfTypeName('String') AS String) as "forgotten_key", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "forgotten_at"
    limit 0