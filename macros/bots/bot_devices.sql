{#- The devices int_devices_bot_flagged flags as machine-like, (project_id, anonymous_id): the
    one definition that the sessionizer's input, the bot post-hooks and int_events_quarantined
    test devices against -#}
{% macro bot_devices() -%}
    select
        project_id,
        anonymous_id
    from {{ ref('int_devices_bot_flagged') }}
    where is_bot
{%- endmacro %}
