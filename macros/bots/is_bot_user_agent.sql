{#- True when the user agent matches a known bot: a pattern of the seed bot_user_agents or of
    `millimetric__bot_user_agent_patterns` (a regular expression, case-insensitive, anywhere in
    the string). The patterns are gathered by a scalar subquery, built once per query, and
    matched together by multiMatchAny (Hyperscan/Vectorscan): one pass over each user agent,
    about 3x faster than RE2 over the patterns joined into one expression, and not a join. -#}
{% macro is_bot_user_agent(user_agent) -%}
    {%- set extra = [] -%}
    {%- for pattern in var('millimetric__bot_user_agent_patterns') -%}
        {%- do extra.append(sql_string_literal(pattern)) -%}
    {%- endfor -%}
    multiMatchAny(
        {{ user_agent }},
        (
            select
                arrayMap(
                    pattern -> concat('(?i)', pattern),
                    arrayConcat(
                        groupArray(pattern), cast([{{ extra | join(', ') }}], 'Array(String)')
                    )
                )
            from {{ ref('bot_user_agents') }}
        )
    )
{%- endmacro %}
