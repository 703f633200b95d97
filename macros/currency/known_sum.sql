{#- The sum of reporting-currency amounts, NULL when any of them is NULL: an amount whose
    currency has no rate is unknown, and so is every sum it belongs to, never a smaller one
    (docs/attribution.md, *Currency*). -#}
{% macro known_sum(amount) -%}
    if(countIf({{ amount }} is null) > 0, null, sum({{ amount }}))
{%- endmacro %}

{#- An attribution_credits row's revenue in the reporting currency, for summing with
    known_sum: 0 when its conversion has no revenue, NULL when the revenue's currency has no
    rate for the day. -#}
{% macro credited_reporting_revenue() -%}
    if(revenue_credit is null, toDecimal128(0, 6), reporting_revenue_credit)
{%- endmacro %}
