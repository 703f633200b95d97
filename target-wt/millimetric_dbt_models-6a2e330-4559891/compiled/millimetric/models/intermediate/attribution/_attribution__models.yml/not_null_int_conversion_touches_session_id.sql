
    
    



select session_id
from `analytics`.`int_conversion_touches`
where session_id is null


