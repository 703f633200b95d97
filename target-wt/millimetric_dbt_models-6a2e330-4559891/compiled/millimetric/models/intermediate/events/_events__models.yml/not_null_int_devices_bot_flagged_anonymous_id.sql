
    
    



select anonymous_id
from `analytics`.`int_devices_bot_flagged`
where anonymous_id is null


