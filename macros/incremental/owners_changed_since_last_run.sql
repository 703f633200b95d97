{#- Per-owner incremental models (docs/incremental.md, step 4). A row belongs to an owner: its
    person (user_id), or its device (anonymous_id) when no person is linked. What an owner's rows
    hold depends only on the devices linked to that owner, so an incremental run recomputes the
    owners linked to a changed device: the device itself, and every user it was ever linked to.
    Links only grow (a forget drops the owners it touches itself, docs/forget.md), so that set
    holds the owners a change takes rows from as well as those it gives rows to.

    The pre-hook stages those owners in memory (never on disk) and deletes their stored rows;
    the model's SQL reads the devices of the staged owners and keeps the staged owners' rows;
    dbt appends them; the post-hook drops the staged owners. An owner left with no rows by the
    change stays deleted, which dbt's delete+insert (it deletes only keys the new rows name)
    would not do. Each row carries deduplicated_at: the newest int_events_deduplicated stamp
    the run read, so the table's own max is its watermark. -#}

{% macro owners_to_rebuild() -%}
    {{ this.incorporate(path={'identifier': this.identifier ~ '__owners_to_rebuild'}) }}
{%- endmacro %}

{#- (project_id, owner_type, owner_id) of a row, the key of the staged owners -#}
{% macro owner_key(user_column='user_id', device_column='anonymous_id') -%}
    {%- if not device_column -%}
        {{- return("(project_id, 'user', assumeNotNull(" ~ user_column ~ "))") -}}
    {%- endif -%}
    (project_id, if({{ user_column }} is null, 'device', 'user'), assumeNotNull(coalesce(
        {{ user_column }}, {{ device_column }}
    )))
{%- endmacro %}

{#- The pre-hook: stage the owners of the devices changed since this model's newest row, and
    delete their rows. changes_through bounds the devices read, and is the stamp the new rows
    carry, so a device marked while the model runs is left for the next run. -#}
{% macro delete_owners_changed_since_last_run(
    user_column='user_id', device_column='anonymous_id'
) -%}
    {%- if execute and is_incremental() -%}
        {{- require_stored_columns(['deduplicated_at']) -}}
        {%- set events = ref('int_events_deduplicated') -%}
        {%- do run_query('drop table if exists ' ~ owners_to_rebuild()) -%}
        {%- call statement('stage_owners_to_rebuild') -%}
            create table {{ owners_to_rebuild() }} engine = Memory as
            with
            changes as (
                select
                    (select max(deduplicated_at) from {{ events }}) as changes_through,
                    (select max(deduplicated_at) from {{ this }}) as watermark
            ),
            changed_devices as (
                select distinct project_id, anonymous_id
                from {{ events }}
                where
                    deduplicated_at > (select watermark from changes)
                    and deduplicated_at <= (select changes_through from changes)
            ),
            owners as (
                select project_id, 'device' as owner_type, anonymous_id as owner_id
                from changed_devices
                union distinct
                select project_id, 'user' as owner_type, user_id as owner_id
                from {{ ref('identity_stitch') }}
                where (project_id, anonymous_id) in (select * from changed_devices)
            )
            select
                toString(owners.project_id) as project_id,
                owners.owner_type as owner_type,
                toString(owners.owner_id) as owner_id,
                (select changes_through from changes) as changes_through
            from owners
        {%- endcall -%}
        {{- require_stored_columns_as_built() -}}
        delete from {{ this }}
        where {{ owner_key(user_column, device_column) }} in (
            select project_id, owner_type, owner_id from {{ owners_to_rebuild() }}
        )
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook reads these: a ref outside any condition makes dbt build them first. A unit
    test renders the model with its given inputs only, and needs neither. -#}
{% macro depend_on_owner_sources() -%}
    {%- if not rendered_for_unit_test() -%}
        {%- do ref('identity_stitch') -%}
        {%- do ref('int_events_deduplicated') -%}
    {%- endif -%}
{%- endmacro %}

{#- `model` is undefined where sqlfluff renders the SQL -#}
{% macro rendered_for_unit_test() -%}
    {{- return(model is defined and model.resource_type == 'unit_test') -}}
{%- endmacro %}

{#- A filter on a device-grain input: the devices of the staged owners (every device of a user,
    and the device owners themselves); all devices on a full build. -#}
{% macro devices_of_owners_to_rebuild() -%}
    {{- depend_on_owner_sources() -}}
    {%- if not is_incremental() -%}
        {{- return('true') -}}
    {%- endif -%}
    (project_id, anonymous_id) in (
        select project_id, anonymous_id
        from {{ ref('identity_stitch') }}
        where (project_id, 'user', user_id) in (
            select project_id, owner_type, owner_id from {{ owners_to_rebuild() }}
        )
        union distinct
        select project_id, owner_id
        from {{ owners_to_rebuild() }}
        where owner_type = 'device'
    )
{%- endmacro %}

{#- A filter on a per-owner input or output: the rows of the staged owners; all on a full build -#}
{% macro owner_is_rebuilt(user_column='user_id', device_column='anonymous_id') -%}
    {{- depend_on_owner_sources() -}}
    {%- if not is_incremental() -%}
        {{- return('true') -}}
    {%- endif -%}
    {{ owner_key(user_column, device_column) }} in (
        select project_id, owner_type, owner_id from {{ owners_to_rebuild() }}
    )
{%- endmacro %}

{#- The deduplicated_at of the rows written: the newest stamp this run's owners were chosen by,
    or on a full build the newest of all (a unit test gives no events: the epoch) -#}
{% macro owners_rebuilt_through() -%}
    {%- if is_incremental() -%}
    toTimeZone(assumeNotNull((select any(changes_through) from {{ owners_to_rebuild() }})), 'UTC')
    {%- elif rendered_for_unit_test() -%}
    toDateTime64(0, 3, 'UTC')
    {%- else -%}
    toTimeZone(
        assumeNotNull((select max(deduplicated_at) from {{ ref('int_events_deduplicated') }})),
        'UTC'
    )
    {%- endif -%}
{%- endmacro %}

{#- The post-hook: drop the staged owners -#}
{% macro finish_owners_rebuild() -%}
    drop table if exists {{ owners_to_rebuild() }}
{%- endmacro %}
