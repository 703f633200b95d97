{#- Whether dbt renders this model for a unit test, which gives it its listed inputs only.
    `model` is undefined where sqlfluff renders the SQL. -#}
{% macro rendered_for_unit_test() -%}
    {{- return(model is defined and model.resource_type == 'unit_test') -}}
{%- endmacro %}
