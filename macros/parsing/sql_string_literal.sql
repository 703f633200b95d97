{#- A project setting as a ClickHouse string literal, with quotes and backslashes escaped. -#}
{% macro sql_string_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
