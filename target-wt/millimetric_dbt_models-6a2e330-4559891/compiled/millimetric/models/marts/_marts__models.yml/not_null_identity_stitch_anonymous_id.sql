
    
    



select anonymous_id
from `marts`.`identity_stitch`
where anonymous_id is null


