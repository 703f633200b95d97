{#- Run by every device-region model (int_events_sessionized to marts.sessions; its
    materialization): delete the rows of the devices int_devices_bot_flagged flags as
    machine-like. int_events_sessionized, the first of them, leaves bot devices out of
    what it reads, so a full build has none to delete. Deleting here removes what a device
    left before its newest events flagged it: an incremental run replaces only the part of a
    device its new rows reach, and a bot device has none downstream. A full rebuild ends in the
    same rows.
    Nothing is sent when this model holds no bot device, which is every run but those in which
    a bot sent events. -#}
{% macro delete_bot_devices() -%}
    {%- set on_bot_device -%}
        (project_id, anonymous_id) in ({{ bot_devices() }})
    {%- endset -%}
    {%- if run_query(
        'select count() from ' ~ this ~ ' where ' ~ on_bot_device
    ).columns[0].values()[0] > 0 -%}
        {%- call statement('delete_bot_devices') -%}
            delete from {{ this }} where {{ on_bot_device }}
        {%- endcall -%}
    {%- endif -%}
{%- endmacro %}
