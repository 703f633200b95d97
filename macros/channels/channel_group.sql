{#- The session's channel: the project's own rules (var millimetric__custom_channel_rules),
    first match wins, then GA4's default channel group rules in GA4's order. Inputs are
    compared lower-cased, as GA4 does. -#}
{% macro channel_group(source, medium, campaign, source_category) -%}
    {%- set paid = "'^(.*cp.*|ppc|retargeting|paid.*)$'" -%}
    {%- set shop_campaign = "'^(.*(([^a-df-z]|^)shop|shopping).*)$'" -%}
    {%- set s = 'lower(' ~ source ~ ')' -%}
    {%- set m = 'lower(' ~ medium ~ ')' -%}
    {%- set c = 'lower(' ~ campaign ~ ')' -%}
    multiIf(
        {%- for rule in var('millimetric__custom_channel_rules') %}
        {{ custom_channel_rule_condition(rule, s, m, c) }}, {{ sql_string_literal(rule['channel']) }},
        {%- endfor %}
        {{ s }} = '(direct)' and {{ m }} in ('(none)', '(not set)'), 'Direct',
        match({{ c }}, 'cross-network'), 'Cross-network',
        ({{ source_category }} = 'SOURCE_CATEGORY_SHOPPING' or match({{ c }}, {{ shop_campaign }}))
        and match({{ m }}, {{ paid }}), 'Paid Shopping',
        {{ source_category }} = 'SOURCE_CATEGORY_SEARCH' and match({{ m }}, {{ paid }}), 'Paid Search',
        {{ source_category }} = 'SOURCE_CATEGORY_SOCIAL' and match({{ m }}, {{ paid }}), 'Paid Social',
        {{ source_category }} = 'SOURCE_CATEGORY_VIDEO' and match({{ m }}, {{ paid }}), 'Paid Video',
        {{ m }} in ('display', 'banner', 'expandable', 'interstitial', 'cpm'), 'Display',
        match({{ m }}, {{ paid }}), 'Paid Other',
        {{ source_category }} = 'SOURCE_CATEGORY_SHOPPING' or match({{ c }}, {{ shop_campaign }}),
        'Organic Shopping',
        {{ source_category }} = 'SOURCE_CATEGORY_SOCIAL'
        or {{ m }} in ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media'),
        'Organic Social',
        {{ source_category }} = 'SOURCE_CATEGORY_VIDEO' or match({{ m }}, '^(.*video.*)$'), 'Organic Video',
        {{ source_category }} = 'SOURCE_CATEGORY_SEARCH' or {{ m }} = 'organic', 'Organic Search',
        {{ m }} in ('referral', 'app', 'link'), 'Referral',
        match({{ s }}, '^(email|e-mail|e_mail|e mail)$') or match({{ m }}, '^(email|e-mail|e_mail|e mail)$'),
        'Email',
        {{ m }} = 'affiliate', 'Affiliates',
        {{ m }} = 'audio', 'Audio',
        {{ s }} = 'sms' or {{ m }} = 'sms', 'SMS',
        match({{ m }}, '(push$|mobile|notification)') or {{ s }} = 'firebase', 'Mobile Push Notifications',
        'Unassigned'
    )
{%- endmacro %}
