
-- Fixture for int_owners_this_run
select CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "owner_type", CAST(defaultValueOfTypeName('String') AS String) as "owner_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changed_from"
    limit 0