{#- A filter for models fed by raw.events: on an incremental run, keep only rows the warehouse
    stored since the newest inserted_at this model holds. Whatever an event's own timestamp or
    received_at, it is picked up by the first build after it is stored. The margin re-reads
    recent rows, because an insert that was still committing while the last run read carries
    an earlier stamp than rows that run saw; each model drops rows it already holds by key.
    A failed run stores nothing, so its rows are read again (docs/incremental.md). -#}
{% macro inserted_since_last_run() -%}
    {%- if is_incremental() -%}
        inserted_at > (
            select
                max(inserted_at)
                - toIntervalSecond({{ var('millimetric__insert_commit_margin_seconds') }})
            from {{ this }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
