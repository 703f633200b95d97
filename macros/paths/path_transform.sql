{#- One path transform (an entry of var millimetric__path_transforms) applied to `steps`, an
    Array(Tuple(channel String, campaign String)) expression in touch order; returns the same
    kind of array. A transform decides which touches stay by their channel; a touch that stays
    keeps its campaign, so channel and campaign paths stay aligned.
    - unique: only the first touch of each channel (fractribution calls this `first`);
    - exposure: a run of consecutive touches of one channel becomes its first touch;
    - first_n / last_n (n): the first or last n touches;
    - remove_if_not_all (channels): drop touches of these channels, unless that would leave
      nothing (a path of Direct touches only stays as it is). -#}
{% macro path_transform(transform, steps) -%}
    {%- set name = transform.get('transform') if transform is mapping else none -%}
    {%- set n = transform.get('n') if transform is mapping else none -%}
    {%- set channels = transform.get('channels') if transform is mapping else none -%}
    {%- set bad_n = n is not number or n is boolean or n < 1 or n != n | int -%}
    {%- if name in ('first_n', 'last_n') and bad_n -%}
    {{ exceptions.raise_compiler_error(
        'millimetric__path_transforms: ' ~ name ~ ' needs a whole n >= 1; got ' ~ transform) }}
    {%- endif -%}
    {%- set bad_channels = channels is string or channels is not iterable or not channels -%}
    {%- if name == 'remove_if_not_all' and bad_channels -%}
    {{ exceptions.raise_compiler_error(
        'millimetric__path_transforms: remove_if_not_all needs a list of channels; got '
        ~ transform) }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for channel in (channels if name == 'remove_if_not_all' else []) -%}
        {%- do literals.append(sql_string_literal(channel)) -%}
    {%- endfor -%}
    {%- if name == 'unique' -%}
    arrayFilter(
        (step, i) -> indexOf(arrayMap(s -> s.1, {{ steps }}), step.1) = i,
        {{ steps }},
        arrayEnumerate({{ steps }})
    )
    {%- elif name == 'exposure' -%}
    arrayFilter(
        (step, i) -> i = 1 or step.1 != {{ steps }}[i - 1].1,
        {{ steps }},
        arrayEnumerate({{ steps }})
    )
    {%- elif name == 'first_n' -%}
    arraySlice({{ steps }}, 1, {{ n | int }})
    {%- elif name == 'last_n' -%}
    arraySlice({{ steps }}, greatest(length({{ steps }}) - {{ n | int }} + 1, 1))
    {%- elif name == 'remove_if_not_all' -%}
    if(
        arrayAll(step -> has([{{ literals | join(', ') }}], step.1), {{ steps }}),
        {{ steps }},
        arrayFilter(step -> not has([{{ literals | join(', ') }}], step.1), {{ steps }})
    )
    {%- else -%}
    {{ exceptions.raise_compiler_error(
        'millimetric__path_transforms: each entry is {transform: unique | exposure | first_n | '
        ~ 'last_n | remove_if_not_all, ...}; got ' ~ transform) }}
    {%- endif -%}
{%- endmacro %}
