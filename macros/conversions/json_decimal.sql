{#- A numeric property of a JSON object column as Decimal(18, 6), whether the JSON holds a
    number or a numeric string; NULL when absent, null, '' or not a plain decimal number.
    toDecimal64OrNull alone is lax ('-' gives 0, '5.5.5' gives 5.55), hence the pattern first.
    json_decimal_is_unreadable says when a value was there but gave NULL. -#}
{% macro json_decimal(json_column, key) -%}
    {%- set text -%}
        coalesce(
            nullIf(JSONExtractString({{ json_column }}, {{ sql_string_literal(key) }}), ''),
            JSONExtractRaw({{ json_column }}, {{ sql_string_literal(key) }})
        )
    {%- endset -%}
    if(
        match({{ text }}, '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'),
        toDecimal64OrNull({{ text }}, 6),
        null
    )
{%- endmacro %}
