
    
    

with all_values as (

    select
        channel as value_field,
        count(*) as n_records

    from `marts`.`sessions`
    group by channel

)

select *
from all_values
where value_field not in (
    'Direct','Cross-network','Paid Shopping','Paid Search','Paid Social','Paid Video','Display','Paid Other','Organic Shopping','Organic Social','Organic Video','Organic Search','Referral','Email','Affiliates','Audio','SMS','Mobile Push Notifications','Unassigned'
)


