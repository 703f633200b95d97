{#- dbt-clickhouse's delete+insert, which this replaces, deletes the stored rows whose
    unique_key the new rows hold, so a key left with no rows keeps its stale ones (a conversion
    whose signup moved to another event, a person re-stitched away). A model with a
    `change_set` (docs/incremental.md) deletes every key of that change-set model instead: the
    keys this run recomputes, whether the model still builds rows for them or not.
        config(materialized='incremental', incremental_strategy='delete+insert',
               unique_key='project_id, conversion_id',
               change_set='int_conversions_this_run')
    unique_key is the model's expression of the change set's key: that model's unique_key
    config, in the same order. Without a change_set, dbt-clickhouse's behaviour, unchanged.
    The new rows are built before anything is deleted: a query that fails leaves the table as
    it was. -#}
{% macro clickhouse__incremental_delete_insert(
    existing_relation, unique_key, incremental_predicates, is_distributed=False
) %}
    {%- if is_distributed -%}
        {{ exceptions.raise_compiler_error(
            this ~ ': delete_insert on a distributed table is not supported here'
        ) }}
    {%- endif -%}
    {%- set new_data_relation = existing_relation.incorporate(path={
        'identifier': existing_relation.identifier ~ '__dbt_new_data_'
        ~ invocation_id.replace('-', '_')
    }) -%}
    {{ drop_relation_if_exists(new_data_relation) }}
    {% call statement('main') %}
        {{ get_create_table_as_sql(False, new_data_relation, sql) }}
    {% endcall %}

    {%- set change_set = config.get('change_set') -%}
    {%- if change_set -%}
        {%- set keys -%}
            select {{ change_set_key(change_set) }} from {{ ref(change_set) }}
        {%- endset -%}
    {%- else -%}
        {%- set keys = 'select ' ~ unique_key ~ ' from ' ~ new_data_relation -%}
    {%- endif -%}
    {%- call statement('delete_existing_data') -%}
        delete from {{ existing_relation }} where ({{ unique_key }}) in ({{ keys }})
        {%- for predicate in incremental_predicates %}
            and {{ predicate }}
        {%- endfor %}
        {{ adapter.get_model_query_settings(model) }}
    {%- endcall %}

    {%- set columns = adapter.get_columns_in_relation(existing_relation) -%}
    {%- call statement('insert_new_data') -%}
        insert into {{ existing_relation }}
        select {{ columns | map(attribute='quoted') | join(', ') }} from {{ new_data_relation }}
        {{ adapter.get_model_query_settings(model) }}
    {%- endcall %}
    {% do adapter.drop_relation(new_data_relation) %}
{% endmacro %}

{#- A change-set model's key columns: its own unique_key config. sqlfluff renders the SQL
    without dbt's graph, and needs only some column. -#}
{% macro change_set_key(change_set) -%}
    {%- if graph is not defined -%}
        {{- return('project_id') -}}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ change_set) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error(this ~ ': no change-set model named ' ~ change_set) }}
    {%- endif -%}
    {{- return(node.config.unique_key) -}}
{%- endmacro %}
