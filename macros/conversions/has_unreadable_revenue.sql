{#- True for an event of a conversion that has a revenue_property (millimetric__conversions)
    when its revenue is set but json_decimal cannot read it: conversions then reports a NULL
    revenue for it. False when no conversion has a revenue_property. -#}
{% macro has_unreadable_revenue(event_name_column, json_column) -%}
    {%- set conditions = [] %}
    {#- `is mapping`: sqlfluff's stand-in var() returns a string; dbt gives the list -#}
    {%- for definition in var('millimetric__conversions') if definition is mapping %}
        {%- if definition.get('revenue_property') %}
            {%- do conditions.append(
                '(' ~ event_name_column ~ ' = ' ~ sql_string_literal(definition['event_name'])
                ~ ' and ' ~ json_decimal_is_unreadable(json_column, definition['revenue_property'])
                ~ ')'
            ) %}
        {%- endif %}
    {%- endfor %}
    ({{ conditions | join(' or ') or 'false' }})
{%- endmacro %}
