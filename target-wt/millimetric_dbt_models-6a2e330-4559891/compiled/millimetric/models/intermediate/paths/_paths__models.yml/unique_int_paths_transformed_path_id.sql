
    
    

select
    path_id as unique_field,
    count(*) as n_records

from `analytics`.`int_paths_transformed`
where path_id is not null
group by path_id
having count(*) > 1


