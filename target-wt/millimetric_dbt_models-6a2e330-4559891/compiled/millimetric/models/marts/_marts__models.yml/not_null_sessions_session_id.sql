
    
    



select session_id
from `marts`.`sessions`
where session_id is null


