
    
    



select path_id
from `marts`.`non_conversion_paths`
where path_id is null


