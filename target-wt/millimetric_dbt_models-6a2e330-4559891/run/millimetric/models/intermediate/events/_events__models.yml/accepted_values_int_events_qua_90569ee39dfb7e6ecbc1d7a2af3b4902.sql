
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        quarantine_reason as value_field,
        count(*) as n_records

    from `analytics`.`int_events_quarantined`
    group by quarantine_reason

)

select *
from all_values
where value_field not in (
    'missing_event_id','missing_anonymous_id','timestamp_before_minimum','timestamp_in_future_of_received_at','bot_user_agent','revenue_not_a_decimal','bot_event_rate'
)



  
  
    ) dbt_internal_test