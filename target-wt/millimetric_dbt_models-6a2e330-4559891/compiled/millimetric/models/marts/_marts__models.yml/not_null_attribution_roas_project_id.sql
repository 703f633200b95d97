
    
    



select project_id
from `marts`.`attribution_roas`
where project_id is null


