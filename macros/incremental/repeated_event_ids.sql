{#- int_events_deduplicated keeps single deliveries as they come and sorts only the ids that
    came more than once. Both of its branches test every event against those ids. Written as a
    CTE, the set is built once per branch, each time from every delivery's id; a pre-hook
    builds it once instead, in memory (never on disk), and the post-hook drops it.
    It holds a 64-bit hash of each repeated (project_id, event_id), counted over every
    delivery, held back by staging or not. Both make it a superset of the valid repeats: an id
    that only shares a hash with a repeated one is sorted with them, and its one delivery is
    kept all the same. Hashes group several times faster than the id strings, and reading ids
    alone leaves staging's checks (a regex per event) unevaluated. -#}

{% macro repeated_event_ids() -%}
    {{ this.incorporate(path={'identifier': this.identifier ~ '__repeated_event_ids'}) }}
{%- endmacro %}

{% macro event_id_hash() -%}
    sipHash64(project_id, event_id)
{%- endmacro %}

{% macro stage_repeated_event_ids(deliveries) -%}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- do run_query('drop table if exists ' ~ repeated_event_ids() ~ ' sync') -%}
    create table {{ repeated_event_ids() }} engine = Memory as
    select {{ event_id_hash() }} as event_id_hash
    from {{ deliveries }}
    where {{ inserted_since_last_run() }}
    group by event_id_hash
    having count() > 1
{%- endmacro %}
