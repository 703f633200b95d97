{#- The decoded value of one query-string parameter of a URL column, '' when absent. -#}
{% macro url_parameter(url_column, parameter) -%}
    decodeURLFormComponent(extractURLParameter({{ url_column }}, '{{ parameter }}'))
{%- endmacro %}
