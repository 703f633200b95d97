
    
    



select user_id
from `marts`.`identity_stitch`
where user_id is null


