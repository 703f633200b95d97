{#- A numeric property of a JSON object column as Decimal(18, 6), whether the JSON holds a
    number or a numeric string; NULL when absent or not numeric. -#}
{% macro json_decimal(json_column, key) -%}
    coalesce(
        toDecimal64OrNull(JSONExtractRaw({{ json_column }}, {{ sql_string_literal(key) }}), 6),
        toDecimal64OrNull(JSONExtractString({{ json_column }}, {{ sql_string_literal(key) }}), 6)
    )
{%- endmacro %}
