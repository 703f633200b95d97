
    
    

select
    source as unique_field,
    count(*) as n_records

from `analytics`.`channel_source_categories`
where source is not null
group by source
having count(*) > 1


