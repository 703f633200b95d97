
    
    

with all_values as (

    select
        model as value_field,
        count(*) as n_records

    from `marts`.`attribution_daily`
    group by model

)

select *
from all_values
where value_field not in (
    'first_touch','last_touch','last_non_direct','linear','position_based','time_decay'
)


