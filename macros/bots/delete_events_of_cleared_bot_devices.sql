{#- A pre-hook of int_events_quarantined. Its bot_event_rate rows are every event of the devices
    int_devices_bot_flagged flags. A flag can only be lifted when a forget removes some of a
    device's events (a person's, on a device that is not forgotten as a whole): that device's
    remaining events are then ordinary events again, in a full rebuild as here. Nothing is sent
    when no such row exists, which is every run but those after such a forget. -#}
{% macro delete_events_of_cleared_bot_devices() -%}
    {%- set cleared -%}
        quarantine_reason = 'bot_event_rate'
        and (project_id, anonymous_id) not in ({{ bot_devices() }})
    {%- endset -%}
    {%- if execute and is_incremental() and run_query(
        'select count() from ' ~ this ~ ' where ' ~ cleared
    ).columns[0].values()[0] > 0 -%}
    delete from {{ this }} where {{ cleared }}
    {%- endif -%}
{%- endmacro %}
