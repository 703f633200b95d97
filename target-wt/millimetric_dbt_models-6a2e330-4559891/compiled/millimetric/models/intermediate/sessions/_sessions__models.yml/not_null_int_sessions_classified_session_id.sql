
    
    



select session_id
from `analytics`.`int_sessions_classified`
where session_id is null


