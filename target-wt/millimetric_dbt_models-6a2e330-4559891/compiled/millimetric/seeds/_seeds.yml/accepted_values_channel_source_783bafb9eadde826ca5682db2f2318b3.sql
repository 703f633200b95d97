
    
    

with all_values as (

    select
        source_category as value_field,
        count(*) as n_records

    from `analytics`.`channel_source_categories`
    group by source_category

)

select *
from all_values
where value_field not in (
    'SOURCE_CATEGORY_SEARCH','SOURCE_CATEGORY_SOCIAL','SOURCE_CATEGORY_VIDEO','SOURCE_CATEGORY_SHOPPING',''
)


