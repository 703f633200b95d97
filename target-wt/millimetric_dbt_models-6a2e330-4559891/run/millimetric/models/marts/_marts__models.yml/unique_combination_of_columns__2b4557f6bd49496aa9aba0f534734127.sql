
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  

with

key_counts as (
    select
        project_id, session_date, channel, source, medium, campaign, entry_path,
        count() as row_count
    from `marts`.`web_daily`
    group by project_id, session_date, channel, source, medium, campaign, entry_path
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final

  
  
    ) dbt_internal_test