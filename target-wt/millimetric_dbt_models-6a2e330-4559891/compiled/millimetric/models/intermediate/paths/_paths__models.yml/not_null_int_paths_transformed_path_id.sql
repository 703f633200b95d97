
    
    



select path_id
from `analytics`.`int_paths_transformed`
where path_id is null


