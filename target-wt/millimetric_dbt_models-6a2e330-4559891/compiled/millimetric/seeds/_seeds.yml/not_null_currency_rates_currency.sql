
    
    



select currency
from `analytics`.`currency_rates`
where currency is null


