{#- dbt-clickhouse drops without SYNC off-cluster, and an Atomic database then keeps the old
    table's files for database_atomic_delay_before_drop_table_sec (8 minutes; in chDB, until
    some later process cleans up). A forgotten person must leave no bytes behind, so every
    drop in this project is synchronous. -#}
{% macro clickhouse__drop_relation(relation, obj_type='table') -%}
    {% call statement('drop_relation', auto_begin=False) -%}
        drop {{ obj_type }} if exists {{ relation }} {{ on_cluster_clause(relation) }} sync
    {%- endcall %}
{% endmacro %}
