
  
    
    
    
        


        
  

  insert into `marts`.`path_summary`
        ("project_id", "conversion_name", "channel_path", "reporting_currency", "conversions", "non_conversions", "conversion_rate", "revenue")-- Use a subquery to get columns in the right order
          SELECT "project_id", "conversion_name", "channel_path", "reporting_currency", "conversions", "non_conversions", "conversion_rate", "revenue"
          FROM (
            
-- sort key: the grain; a chart reads one project's paths of one conversion

with

conversion_paths as (
    select * from `marts`.`conversion_paths`
),

non_conversion_paths as (
    select * from `marts`.`non_conversion_paths`
),

path_rows as (
    select
        project_id,
        conversion_name,
        channel_path,
        toUInt64(1) as conversions,
        toUInt64(0) as non_conversions,
        -- signups have no revenue (0); a revenue without an exchange rate is unknown (NULL)
        if(revenue is null, toNullable(toDecimal128(0, 6)), reporting_revenue) as path_revenue
    from conversion_paths
    union all
    select
        project_id,
        conversion_name,
        channel_path,
        toUInt64(0) as conversions,
        toUInt64(1) as non_conversions,
        toNullable(toDecimal128(0, 6)) as path_revenue
    from non_conversion_paths
),

totals as (
    select
        project_id,
        conversion_name,
        channel_path,
        sum(conversions) as conversion_count,
        sum(non_conversions) as non_conversion_count,
        if(countIf(path_revenue is null) > 0, null, sum(path_revenue)) as total_revenue
    from path_rows
    group by project_id, conversion_name, channel_path
),

final as (
    select
        project_id,
        conversion_name,
        channel_path,
        'USD' as reporting_currency,
        conversion_count as conversions,
        non_conversion_count as non_conversions,
        conversion_count / (conversion_count + non_conversion_count) as conversion_rate,
        total_revenue as revenue
    from totals
)

select * from final
            )
  