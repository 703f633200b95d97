"""Running the code location's jobs in this process, as `millimetric build`, `forget`, the
tests and the bench do: waiting for the warehouse, signals, a clean stop (build.py)."""
