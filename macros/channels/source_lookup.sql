{#- What the seed channel_source_categories knows about a source or a referrer host: a named
    tuple (source_name, source_category), ('', '') when nothing matches. Pass it lower-cased.
    The most specific form of the host that is a key of the seed wins, even when that row has
    no category: the host itself (gemini.google.com, mail.google.com), then its registrable
    domain (l.facebook.com -> facebook.com), then its first significant label
    (google.co.uk -> google). transform() looks up in a hash table built once from the seed,
    where a Map would scan its keys for every row; the seed is read sorted by its unique key so
    that the key and value arrays line up. -#}
{% macro source_lookup(host) -%}
    {%- set seed = ref('channel_source_categories') -%}
    {%- set rows = 'arraySort(groupArray((source, source_name, toString(source_category))))' -%}
    {%- set keys = '(select arrayMap(row -> row.1, ' ~ rows ~ ') from ' ~ seed ~ ')' -%}
    {%- set positions = '(select arrayEnumerate(' ~ rows ~ ') from ' ~ seed ~ ')' -%}
    {%- set values = '(select arrayMap(row -> (row.2, row.3), ' ~ rows ~ ') from ' ~ seed ~ ')' -%}
    {%- set lookups = [] -%}
    {%- for candidate in [
        host,
        'cutToFirstSignificantSubdomain(' ~ host ~ ')',
        'firstSignificantSubdomain(' ~ host ~ ')',
    ] -%}
        {%- do lookups.append(
            'nullIf(transform(' ~ candidate ~ ', ' ~ keys ~ ', ' ~ positions ~ ', 0), 0)'
        ) -%}
    {%- endfor -%}
    {#- the seed position of the first form found; position 0 gives ('', '') -#}
    cast(
        arrayElement({{ values }}, coalesce({{ lookups | join(', ') }}, 0)),
        'Tuple(source_name String, source_category String)'
    )
{%- endmacro %}
