"""dbt adapter `type: chdb`: dbt-clickhouse on the embedded chDB engine.

Everything but client creation is inherited from dbt-clickhouse, and `clickhouse__` macros
dispatch unchanged through `dependencies=["clickhouse"]`. Delete this package once
dbt-clickhouse ships its own chDB driver (ClickHouse/dbt-clickhouse#693).
"""

from dbt.adapters.base import AdapterPlugin

from dbt.adapters.chdb.impl import ChdbAdapter, ChdbCredentials
from dbt.include import chdb

Plugin = AdapterPlugin(
    adapter=ChdbAdapter,
    credentials=ChdbCredentials,
    include_path=chdb.PACKAGE_PATH,
    dependencies=["clickhouse"],
)
