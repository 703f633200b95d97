
    
    



select session_id
from `marts`.`conversions`
where session_id is null


