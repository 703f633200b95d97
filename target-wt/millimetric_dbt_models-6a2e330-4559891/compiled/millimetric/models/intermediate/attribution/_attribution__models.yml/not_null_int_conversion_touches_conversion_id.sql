
    
    



select conversion_id
from `analytics`.`int_conversion_touches`
where conversion_id is null


