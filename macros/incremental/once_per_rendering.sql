{#- `compute()` the first time a rendering of this model asks for `name`, its value afterwards.
    dbt renders a model's SQL and its hooks with one `model` dict each, so a value asked for by
    every owner filter in the SQL, or by both hooks, is queried once there instead of each time.
    Only for values that cannot change while the model builds (settings, stored fingerprints). -#}
{% macro once_per_rendering(name, compute) -%}
    {%- set key = '_millimetric__' ~ name -%}
    {%- if key not in model -%}
        {%- do model.update({key: compute()}) -%}
    {%- endif -%}
    {{- return(model[key]) -}}
{%- endmacro %}
