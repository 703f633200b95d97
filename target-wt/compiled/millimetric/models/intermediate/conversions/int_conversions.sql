
-- sort key: dashboards filter by project and conversion, then by time
-- incremental: replaces the conversions of int_conversions_this_run, reading every device of
-- their owners, since a user's first signup is the first across all their devices

with

identified_events as (
    select * from `analytics`.`int_events_identified`
    where
        event_name in ('$identify', 'purchase')
        and true
),

event_properties as (
    -- the event chain after deduplication stays narrow; properties are fetched back here
    select project_id, event_id, properties from `analytics`.`int_events_deduplicated`
    where
        event_name in ('$identify', 'purchase')
        and true
),

events as (
    select
        identified_events.*,
        event_properties.properties as properties
    from identified_events
    inner join event_properties
        on
            identified_events.project_id = event_properties.project_id
            and identified_events.event_id = event_properties.event_id
),


signup_events as (
    select
        project_id,
        resolved_user_id as user_id,
        anonymous_id,
        session_id,
        event_id,
        'signup' as conversion_name,
        
            cast(null as Nullable(Decimal(18, 6))) as revenue,
        
        occurred_at as converted_at
    from events
    where event_name = '$identify'
    
        -- only the user's first such event across all devices; later ones are logins
        and resolved_user_id is not null
    order by occurred_at, event_id
    limit 1 by project_id, resolved_user_id
    
),


purchase_events as (
    select
        project_id,
        resolved_user_id as user_id,
        anonymous_id,
        session_id,
        event_id,
        'purchase' as conversion_name,
        
            if(
        match(coalesce(
            nullIf(JSONExtractString(properties, 'revenue'), ''),
            JSONExtractRaw(properties, 'revenue')
        ), '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'),
        toDecimal64OrNull(coalesce(
            nullIf(JSONExtractString(properties, 'revenue'), ''),
            JSONExtractRaw(properties, 'revenue')
        ), 6),
        null
    ) as revenue,
        
        occurred_at as converted_at
    from events
    where event_name = 'purchase'
    
),


all_conversions as (
    
        select * from signup_events
        union all
    
        select * from purchase_events
        
    
),

named_conversions as (
    select
        lower(hex(sipHash128(project_id, conversion_name, event_id))) as conversion_id,
        project_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        revenue,
        converted_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from all_conversions
),

final as (
    select * from named_conversions
    where true
)

select * from final