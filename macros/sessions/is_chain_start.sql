{#- For a device's event times in order, whether each event starts a chain: a run of events
    with no gap longer than the inactivity timeout, which is a session before the length cap.
    Strictly longer: a gap of exactly 30:00 stays in the chain. -#}
{% macro is_chain_start(event_times) -%}
    arrayMap(
        (milliseconds_since_previous_event, position) -> position = 1
        or milliseconds_since_previous_event
        > {{ session_timeout_milliseconds() }},
        arrayDifference(arrayMap(at -> toUnixTimestamp64Milli(at), {{ event_times }})),
        arrayEnumerate({{ event_times }})
    )
{%- endmacro %}
