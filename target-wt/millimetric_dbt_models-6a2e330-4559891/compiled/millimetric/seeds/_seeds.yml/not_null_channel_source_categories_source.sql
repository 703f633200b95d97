
    
    



select source
from `analytics`.`channel_source_categories`
where source is null


