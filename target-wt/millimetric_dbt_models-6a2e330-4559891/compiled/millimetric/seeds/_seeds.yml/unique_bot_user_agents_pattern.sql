
    
    

select
    pattern as unique_field,
    count(*) as n_records

from `analytics`.`bot_user_agents`
where pattern is not null
group by pattern
having count(*) > 1


