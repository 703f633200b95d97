
        
  
    
    
    
        


        
  

  insert into `marts`.`conversions`
        ("conversion_id", "project_id", "user_id", "anonymous_id", "session_id", "conversion_name", "revenue", "converted_at", "built_at")-- Use a subquery to get columns in the right order
          SELECT "conversion_id", "project_id", "user_id", "anonymous_id", "session_id", "conversion_name", "revenue", "converted_at", "built_at"
          FROM (
            
-- sort key: dashboards filter by project and conversion, then by time
-- the mart BI tools read; attribution reads int_conversions, so the graph flows one way

with

conversions as (
    select * from `analytics`.`int_conversions`
    where true
),

final as (
    select
        conversion_id,
        project_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        revenue,
        converted_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from conversions
)

select * from final
            )
  
    