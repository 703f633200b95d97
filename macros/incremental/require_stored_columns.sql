{#- For an incremental model whose SQL reads columns of its own stored table: stop with a clear
    message when that table was built before the columns existed (a warehouse from an older
    release), instead of the engine's "unknown identifier". -#}
{% macro require_stored_columns(columns) -%}
    {%- if execute and exceptions is defined and is_incremental() -%}
        {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- set missing = columns | reject('in', stored) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built by an older release and lacks " ~ missing | join(', ')
                ~ ": rebuild it once with `millimetric build --full-refresh`"
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
