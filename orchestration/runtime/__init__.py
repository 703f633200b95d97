"""What every run stands on: the warehouse connection and its lock (warehouse.py), dbt as a
subprocess (dbt_cli.py) and its vars as the models see them (dbt_vars.py), and who holds the
warehouse, with waiting (runs.py)."""
