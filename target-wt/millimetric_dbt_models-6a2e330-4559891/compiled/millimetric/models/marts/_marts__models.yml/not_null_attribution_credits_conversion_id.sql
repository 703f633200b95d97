
    
    



select conversion_id
from `marts`.`attribution_credits`
where conversion_id is null


