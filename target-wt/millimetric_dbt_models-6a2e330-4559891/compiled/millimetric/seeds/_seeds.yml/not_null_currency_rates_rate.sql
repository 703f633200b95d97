
    
    



select rate
from `analytics`.`currency_rates`
where rate is null


