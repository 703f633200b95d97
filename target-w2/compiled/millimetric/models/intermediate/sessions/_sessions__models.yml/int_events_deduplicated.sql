select
    concat('e', leftPad(toString(number), 4, '0')) as event_id,
    'p1' as project_id,
    '$pageview' as event_name,
    'd1' as anonymous_id,
    cast(null, 'Nullable(String)') as user_id,
    'https://p1.example/' as url,
    '' as referrer,
    toDateTime64('2026-01-05 00:00:00', 3, 'UTC') + toIntervalMinute(10 * number) as occurred_at,
    toDateTime64('2026-01-13 00:00:00', 3) as deduplicated_at
from numbers(1008)