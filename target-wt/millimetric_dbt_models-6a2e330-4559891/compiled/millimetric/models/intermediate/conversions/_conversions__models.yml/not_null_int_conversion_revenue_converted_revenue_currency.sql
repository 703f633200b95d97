
    
    



select revenue_currency
from `analytics`.`int_conversion_revenue_converted`
where revenue_currency is null


