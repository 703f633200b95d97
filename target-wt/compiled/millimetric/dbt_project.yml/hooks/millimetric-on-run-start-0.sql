create database if not exists audit;
    create table if not exists audit.change_sets_applied (
        changes_through DateTime64(3, 'UTC'),
        applied_at DateTime64(3, 'UTC') default now64(3)
    )
    engine = MergeTree
    order by applied_at