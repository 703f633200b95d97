"""The tables this repository owns outside dbt: the raw contract (contract.py) and `init`
(tables.py), which also creates forget's audit tables."""
