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

{#- dbt-clickhouse compares an incremental model's columns with its stored table only for models
    with a unique_key; an append model whose column list changed (a warehouse from an older
    release) would otherwise fail at its insert with the engine's "Number of columns doesn't
    match". Called by the incremental pre-hooks once they have staged what the model's SQL
    reads, before they delete anything: the stored rows stay as they were. Only the names are
    compared: a stored type may differ from the query's on purpose (a contract's type). -#}
{% macro require_stored_columns_as_built() -%}
    {%- if execute and exceptions is defined and is_incremental() -%}
        {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {#- DESCRIBE analyses the query without running it, unlike dbt's LIMIT 0 -#}
        {%- set built = run_query('describe (' ~ sql ~ ')').columns[0].values() | list -%}
        {%- set missing = built | reject('in', stored) | list -%}
        {%- set extra = stored | reject('in', built) | list -%}
        {%- if missing or extra -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built by an older release: its columns differ from the model's"
                ~ " (missing: " ~ (missing | join(', ') or 'none') ~ "; no longer built: "
                ~ (extra | join(', ') or 'none')
                ~ "): rebuild it once with `millimetric build --full-refresh`"
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
