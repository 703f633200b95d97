{#- Every channel a session can get: GA4's default channel groups (channel_group.sql), plus
    whatever the project's own rules add. The accepted values of every channel column. -#}
{% macro channel_names() -%}
    {{- return(
        ['Direct', 'Cross-network', 'Paid Shopping', 'Paid Search', 'Paid Social', 'Paid Video',
         'Display', 'Paid Other', 'Organic Shopping', 'Organic Social', 'Organic Video',
         'Organic Search', 'Referral', 'Email', 'Affiliates', 'Audio', 'SMS',
         'Mobile Push Notifications', 'Unassigned']
        + var('millimetric__custom_channel_rules') | map(attribute='channel') | list
    ) -}}
{%- endmacro %}
