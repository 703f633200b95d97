
    
    

with all_values as (

    select
        conversion_name as value_field,
        count(*) as n_records

    from `marts`.`non_conversion_paths`
    group by conversion_name

)

select *
from all_values
where value_field not in (
    'signup','purchase'
)


