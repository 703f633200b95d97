{#- Models land in the database named by their +schema (analytics, marts), not in
    "<target schema>_<schema>" as dbt's default would have it. On a dev target a developer
    may set MILLIMETRIC_SCHEMA_PREFIX to get "<prefix>_marts" etc. of their own. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = env_var('MILLIMETRIC_SCHEMA_PREFIX', '') -%}
    {%- set name = custom_schema_name or target.schema -%}
    {{ (prefix ~ '_' ~ name) if prefix else name }}
{%- endmacro %}
