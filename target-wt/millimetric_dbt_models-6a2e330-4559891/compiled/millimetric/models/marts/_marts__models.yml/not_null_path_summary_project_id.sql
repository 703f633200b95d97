
    
    



select project_id
from `marts`.`path_summary`
where project_id is null


