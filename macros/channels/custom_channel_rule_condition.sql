{#- One custom channel rule as a condition: every regex the rule gives must match. -#}
{% macro custom_channel_rule_condition(rule, source, medium, campaign) -%}
    {%- set parts = [] -%}
    {%- set columns = [
        ('source_regex', source), ('medium_regex', medium), ('campaign_regex', campaign)
    ] -%}
    {%- for key, column in columns -%}
        {%- if rule.get(key) is not none -%}
            {%- do parts.append('match(' ~ column ~ ', ' ~ sql_string_literal(rule[key]) ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if parts | length == 0 or rule.get('channel') is none -%}
        {{ exceptions.raise_compiler_error(
            'millimetric__custom_channel_rules: each rule needs a channel and at least one of '
            ~ 'source_regex, medium_regex, campaign_regex; got ' ~ rule) }}
    {%- endif -%}
    ({{ parts | join(' and ') }})
{%- endmacro %}
