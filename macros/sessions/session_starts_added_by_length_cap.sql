{#- For a device's event times in order and its chain starts (is_chain_start), the session
    starts that the maximum session length adds, in time order (docs/identity.md).

    The cap makes a session's start depend on the previous session's start. PostHog's rule: a
    session's cap counts from its own first event, so each next session of a chain starts at
    its first event more than the cap after the previous start. The fold jumps one session per
    step rather than one event (arrayFold runs step by step for all rows together: a week of
    events every 10 minutes is 1,008 events but 7 sessions). Each session starts more than one
    cap after the previous one, so span / cap steps always suffice; steps past the chain's last
    session change nothing. Outlasting the cap takes more than cap / timeout gaps of at most
    the timeout, so a device with fewer events has no long chain and skips the fold (about
    2.5% of generated devices do not). -#}
{% macro session_starts_added_by_length_cap(event_times, is_chain_start) -%}
    {%- set cap = max_session_milliseconds() -%}
    {%- set timeout = session_timeout_milliseconds() -%}
    if(
        (length({{ event_times }}) - 1) * {{ timeout }} > {{ cap }},
        arrayFlatten(arrayMap(
            chain -> arrayPopFront(arrayFold(
                (session_starts, step) -> if(
                    dateDiff('millisecond', session_starts[-1], chain[-1]) > {{ cap }},
                    arrayPushBack(
                        session_starts,
                        arrayFirst(
                            at -> dateDiff('millisecond', session_starts[-1], at) > {{ cap }},
                            chain
                        )
                    ),
                    session_starts
                ),
                range(intDiv(dateDiff('millisecond', chain[1], chain[-1]), {{ cap }})),
                [chain[1]]
            )),
            arraySplit((at, is_start) -> is_start, {{ event_times }}, {{ is_chain_start }})
        )),
        cast([], 'Array(DateTime64(3, \'UTC\'))')
    )
{%- endmacro %}
