
    
    



select event_id
from `analytics`.`int_events_deduplicated`
where event_id is null


