
    
    



select project_id
from `marts`.`identity_stitch`
where project_id is null


