
    
    



select project_id
from `analytics`.`int_events_deduplicated`
where project_id is null


