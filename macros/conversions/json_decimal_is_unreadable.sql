{#- True when a JSON object column holds a value under key (not null, not '') that json_decimal
    reads as NULL: '12,50', 'NaN', true, 1e30 (beyond Decimal(18, 6)). -#}
{% macro json_decimal_is_unreadable(json_column, key) -%}
    (
        JSONType({{ json_column }}, {{ sql_string_literal(key) }}) != 'Null'
        and JSONExtractRaw({{ json_column }}, {{ sql_string_literal(key) }}) != '""'
        and {{ json_decimal(json_column, key) }} is null
    )
{%- endmacro %}
