
-- Fixture for int_limits_this_run
select CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_after", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_through"
    limit 0