
    
    



select session_id
from `analytics`.`int_sessions_aggregated`
where session_id is null


