
    
    



select conversion_id
from `marts`.`conversions`
where conversion_id is null


