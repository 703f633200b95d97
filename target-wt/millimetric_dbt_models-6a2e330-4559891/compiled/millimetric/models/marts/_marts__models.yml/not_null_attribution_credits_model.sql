
    
    



select model
from `marts`.`attribution_credits`
where model is null


