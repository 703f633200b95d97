
    
    



select project_id
from `marts`.`web_daily`
where project_id is null


