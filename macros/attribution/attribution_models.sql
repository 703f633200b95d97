{#- The attribution models to report, in report order: the `millimetric__attribution_models`
    var, checked against the models int_conversion_touch_credits computes. attribution_credits,
    attribution_roas, their tests and their accepted values all take the list from here. -#}
{% macro attribution_models() -%}
    {%- set computed = [
        'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'
    ] -%}
    {#- sqlfluff renders models with stand-ins that know no var's value -#}
    {%- if exceptions is not defined -%}
        {{ return(computed) }}
    {%- endif -%}
    {%- set chosen = var('millimetric__attribution_models') -%}
    {%- if chosen is string or chosen | length == 0 or chosen | unique | list != chosen | list -%}
        {{ exceptions.raise_compiler_error(
            "millimetric__attribution_models must be a non-empty list without repeats, got "
            ~ chosen
        ) }}
    {%- endif -%}
    {%- for model in chosen if model not in computed -%}
        {{ exceptions.raise_compiler_error(
            "millimetric__attribution_models: unknown model '" ~ model ~ "'; the models are "
            ~ computed | join(', ')
        ) }}
    {%- endfor -%}
    {{ return(chosen) }}
{%- endmacro %}
