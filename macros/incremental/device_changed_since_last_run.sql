{#- A filter for device-grain incremental models: on an incremental run, keep only rows of
    devices whose `upstream` rows carry a deduplicated_at newer than anything this model holds.
    Every such model carries deduplicated_at, so its own max is its watermark. Rebuilding a
    changed device's whole history is what keeps incremental output equal to a full rebuild
    (docs/incremental.md). `also_devices`, a select of (project_id, anonymous_id), adds devices
    that must be rebuilt for a reason of the model's own (marts.sessions: a conversion moved). -#}
{% macro device_changed_since_last_run(upstream, also_devices=none) -%}
    {%- if is_incremental() -%}
    where (project_id, anonymous_id) in (
        select project_id, anonymous_id
        from {{ upstream }}
        where deduplicated_at > (select max(deduplicated_at) from {{ this }})
        {{ 'union distinct ' ~ also_devices if also_devices else '' }}
    )
    {%- endif -%}
{%- endmacro %}
