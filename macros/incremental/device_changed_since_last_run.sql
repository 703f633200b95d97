{#- The filter of int_devices_bot_flagged, the one device-grain model kept whole per device
    (one row per device, from all its events): on an incremental run, keep only rows of devices
    whose `upstream` rows carry a deduplicated_at newer than anything this model holds; its own
    max is its watermark. The other device-grain models recompute only the part of a device a
    change can reach (device_regions_changed_since_last_run.sql). -#}
{% macro device_changed_since_last_run(upstream) -%}
    {%- if is_incremental() -%}
    where (project_id, anonymous_id) in (
        select project_id, anonymous_id
        from {{ upstream }}
        where deduplicated_at > (select max(deduplicated_at) from {{ this }})
    )
    {%- endif -%}
{%- endmacro %}
