{#- The factor that turns an amount in `currency` into the reporting currency
    (var millimetric__reporting_currency): 1 for the reporting currency itself, else `rate`,
    the seed currency_rates' rate for the amount's day (found by an ASOF join), NULL when the
    seed has none. Decimal(38, 12), so that amount * factor keeps 18 decimals until the result
    is rounded to 6. -#}
{% macro reporting_exchange_rate(currency, rate) -%}
    if(
        {{ currency }} = {{ sql_string_literal(var('millimetric__reporting_currency')) }},
        toNullable(toDecimal128(1, 12)),
        toDecimal128({{ rate }}, 12)
    )
{%- endmacro %}
