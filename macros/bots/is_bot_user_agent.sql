{#- True when the user agent matches a known bot: a pattern of the seed bot_user_agents or of
    `millimetric__bot_user_agent_patterns` (RE2, case-insensitive, anywhere in the string). The
    patterns are joined into one regular expression by a scalar subquery, built once per query,
    so this is one regex match per event, not a join. -#}
{% macro is_bot_user_agent(user_agent) -%}
    {%- set extra = [] -%}
    {%- for pattern in var('millimetric__bot_user_agent_patterns') -%}
        {%- do extra.append(sql_string_literal(pattern)) -%}
    {%- endfor -%}
    match(
        {{ user_agent }},
        (
            select
                if(
                    empty(patterns),
                    -- no pattern at all: a class that matches nothing
                    '[^\\s\\S]',
                    '(?i)(?:' || arrayStringConcat(patterns, ')|(?:') || ')'
                )
            from (
                select
                    arrayConcat(
                        groupArray(pattern), cast([{{ extra | join(', ') }}], 'Array(String)')
                    ) as patterns
                from {{ ref('bot_user_agents') }}
            )
        )
    )
{%- endmacro %}
