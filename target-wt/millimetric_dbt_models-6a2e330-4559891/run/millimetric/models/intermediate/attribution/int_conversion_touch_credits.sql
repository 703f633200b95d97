
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_conversion_touch_credits`
        ("project_id", "conversion_id", "user_id", "anonymous_id", "session_id", "channel", "source", "medium", "campaign", "entry_path", "touch_number", "is_last_touch", "touch_started_at", "first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay", "built_at")
-- sort key: attribution_credits shares out revenue per conversion, over its touches in order

with

touches as (
    select * from `analytics`.`int_conversion_touches`
    where true
),

touch_positions as (
    select
        touches.*,
        touch_number = touch_count as is_last_touch,
        -- the latest touch that is not Direct; the last touch when all are Direct
        max(if(channel != 'Direct', touch_number, 0)) over conversion_touches
            as last_non_direct_number,
        -- time_decay: a touch loses half its weight every half-life before the conversion;
        -- ages count from the youngest touch, so no weight underflows the 18 decimals
        toDecimal128(
            pow(
                2,
                -(touch_age_days - min(touch_age_days) over conversion_touches)
                / 7
            ),
            18
        ) as decay_weight
    from touches
    window conversion_touches as (partition by conversion_id)
),

shares as (
    -- Decimal(38, 18) throughout: a Float64 share would carry binary noise into the decimals
    select
        *,
        toDecimal128(1, 18) / touch_count as linear_share,
        toDecimal128('0.2', 18) / greatest(touch_count - 2, 1) as position_middle_share,
        decay_weight / sum(decay_weight) over (partition by conversion_id) as decay_share
    from touch_positions
),

final as (
    -- the last touch takes each model's rounding remainder: every conversion's credits under
    -- every model sum to exactly 1
    select
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        session_id,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        touch_number,
        is_last_touch,
        touch_started_at,
        toDecimal128(touch_number = 1, 18) as first_touch,
        toDecimal128(is_last_touch, 18) as last_touch,
        toDecimal128(
            touch_number = if(last_non_direct_number = 0, touch_count, last_non_direct_number), 18
        ) as last_non_direct,
        if(is_last_touch, 1 - (touch_count - 1) * linear_share, linear_share) as linear,
        multiIf(
            touch_count = 1, toDecimal128(1, 18),
            touch_count = 2, toDecimal128('0.5', 18),
            touch_number = 1, toDecimal128('0.4', 18),
            is_last_touch, toDecimal128('0.6', 18) - (touch_count - 2) * position_middle_share,
            position_middle_share
        ) as position_based,
        if(
            is_last_touch,
            1 - sum(if(is_last_touch, toDecimal128(0, 18), decay_share))
                over (partition by conversion_id),
            decay_share
        ) as time_decay,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from shares
)

select * from final
  
    