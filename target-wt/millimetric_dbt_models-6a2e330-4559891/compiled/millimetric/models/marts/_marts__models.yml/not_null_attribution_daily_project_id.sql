
    
    



select project_id
from `marts`.`attribution_daily`
where project_id is null


