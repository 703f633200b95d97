
    
    



select user_id
from `marts`.`users`
where user_id is null


