
    
    

with all_values as (

    select
        category as value_field,
        count(*) as n_records

    from `analytics`.`bot_user_agents`
    group by category

)

select *
from all_values
where value_field not in (
    'search_crawler','social_preview','seo_crawler','ai_crawler','headless_browser','http_library','uptime_monitor','generic'
)


