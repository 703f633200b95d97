{#- The two limits of a session, in milliseconds, as the sessionizer and the region finder
    compare them with dateDiff('millisecond', ...) (docs/identity.md) -#}
{% macro session_timeout_milliseconds() -%}
    ({{ var('millimetric__session_timeout_minutes') }} * 60000)
{%- endmacro %}

{% macro max_session_milliseconds() -%}
    ({{ var('millimetric__max_session_hours') }} * 3600000)
{%- endmacro %}
