
        
  
    
    
    
        


        
  

  insert into `marts`.`identity_stitch`
        ("project_id", "anonymous_id", "user_id", "link_count", "first_linked_at", "last_linked_at", "valid_from", "valid_to", "built_at")-- Use a subquery to get columns in the right order
          SELECT "project_id", "anonymous_id", "user_id", "link_count", "first_linked_at", "last_linked_at", "valid_from", "valid_to", "built_at"
          FROM (
            
-- sort key: lookups go device -> users, in validity order
-- the mart BI tools read; the models read int_identity_stitch, so the graph flows one way

with

stitch as (
    select * from `analytics`.`int_identity_stitch`
    where true
),

final as (
    select
        project_id,
        anonymous_id,
        user_id,
        link_count,
        first_linked_at,
        last_linked_at,
        valid_from,
        valid_to,
        built_at
    from stitch
)

select * from final
            )
  
    