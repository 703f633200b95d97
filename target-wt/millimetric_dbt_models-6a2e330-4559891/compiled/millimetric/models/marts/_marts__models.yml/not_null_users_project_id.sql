
    
    



select project_id
from `marts`.`users`
where project_id is null


