
    
    



select valid_from
from `analytics`.`currency_rates`
where valid_from is null


