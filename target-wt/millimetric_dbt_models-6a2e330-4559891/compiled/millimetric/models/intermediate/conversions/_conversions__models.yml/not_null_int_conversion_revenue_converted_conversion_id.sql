
    
    



select conversion_id
from `analytics`.`int_conversion_revenue_converted`
where conversion_id is null


