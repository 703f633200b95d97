
    
    



select conversion_id
from `marts`.`conversion_paths`
where conversion_id is null


