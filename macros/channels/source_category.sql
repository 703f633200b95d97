{#- The GA4 source category of a source or host, from the seed channel_source_categories: by
    exact name, then registrable domain (l.facebook.com -> facebook.com), then first label
    (google.co.uk -> google); '' when unknown. transform() looks up in a hash table built once
    from the seed, where a Map would scan its keys for every row. -#}
{% macro source_category(host) -%}
    {%- set seed = ref('channel_source_categories') -%}
    {%- set sources = '(select groupArray(source) from ' ~ seed ~ ')' -%}
    {%- set categories = '(select groupArray(toString(source_category)) from ' ~ seed ~ ')' -%}
    {%- set candidates = [
        host,
        'cutToFirstSignificantSubdomain(' ~ host ~ ')',
        'firstSignificantSubdomain(' ~ host ~ ')',
    ] -%}
    coalesce(
        {%- for candidate in candidates %}
            nullIf(transform({{ candidate }}, {{ sources }}, {{ categories }}, ''), ''),
        {%- endfor %}
        ''
    )
{%- endmacro %}
