{#- Change sets (docs/incremental.md): the models of models/intermediate/this_run/ hold what an
    incremental run recomputes, from the changes since the last run whose every change-set
    model built (int_limits_this_run). Each derived model reads its inputs joined to its change
    set and replaces that change set's keys (macros/materializations/). This file keeps the
    record of the runs that applied their change sets. -#}

{#- on-run-start: the record the limits read (a source, so that the lineage shows it) -#}
{% macro create_change_sets_applied() -%}
    create database if not exists audit;
    create table if not exists audit.change_sets_applied (
        changes_through DateTime64(3, 'UTC'),
        applied_at DateTime64(3, 'UTC') default now64(3)
    )
    engine = MergeTree
    order by applied_at
{%- endmacro %}

{#- on-run-end: when every model built from a change set succeeded in this run, the changes
    through int_limits_this_run.changes_through are applied and the next run starts after them.
    A model that failed or was not selected leaves the record as it was: the next run takes
    those changes again, and replacing a key twice gives what replacing it once does. -#}
{% macro record_change_sets_applied(results) -%}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set succeeded = [] -%}
    {%- for result in results if result.status == 'success' -%}
        {%- do succeeded.append(result.node.unique_id) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- if node.config.change_set and node.unique_id not in succeeded -%}
            {{- return('') -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set node = graph.nodes['model.' ~ project_name ~ '.int_limits_this_run'] -%}
    {%- set limits = api.Relation.create(
        database=node.database, schema=node.schema, identifier=node.alias or node.name
    ) -%}
    {%- do run_query(
        'insert into audit.change_sets_applied (changes_through)'
        ~ ' select changes_through from ' ~ limits
    ) -%}
    {{- return('') -}}
{%- endmacro %}

{#- (project_id, owner_type, owner_id) of a row: int_owners_this_run's key. An owner is the
    person (user_id), else the device (anonymous_id) no person is linked to. -#}
{% macro owner_key(user_column='user_id', device_column='anonymous_id') -%}
    {%- if not device_column -%}
        {{- return("project_id, 'user', assumeNotNull(" ~ user_column ~ ")") -}}
    {%- endif -%}
    project_id, if({{ user_column }} is null, 'device', 'user'), assumeNotNull(coalesce(
        {{ user_column }}, {{ device_column }}
    ))
{%- endmacro %}

{#- A filter on a model's input: its rows whose `columns` are a key of `change_set` (a ref()
    the model makes itself), on an incremental run; every row on a full build. -#}
{% macro in_change_set(change_set, columns) -%}
    {%- if not is_incremental() -%}
        {{- return('true') -}}
    {%- endif -%}
    ({{ columns }}) in (select {{ change_set_key(change_set.identifier) }} from {{ change_set }})
{%- endmacro %}
