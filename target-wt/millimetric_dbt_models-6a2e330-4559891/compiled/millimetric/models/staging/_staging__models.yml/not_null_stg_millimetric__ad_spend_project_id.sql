
    
    



select project_id
from `analytics`.`stg_millimetric__ad_spend`
where project_id is null


