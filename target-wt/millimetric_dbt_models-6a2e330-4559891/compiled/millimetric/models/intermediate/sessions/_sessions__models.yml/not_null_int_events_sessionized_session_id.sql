
    
    



select session_id
from `analytics`.`int_events_sessionized`
where session_id is null


