
    
    



select pattern
from `analytics`.`bot_user_agents`
where pattern is null


