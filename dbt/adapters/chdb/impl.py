"""The chDB credentials, client, connection manager and adapter: each a one-step subclass."""

import os
from dataclasses import dataclass

import clickhouse_connect
from dbt.adapters.clickhouse.connections import ClickHouseConnectionManager
from dbt.adapters.clickhouse.credentials import ClickHouseCredentials
from dbt.adapters.clickhouse.httpclient import ChHttpClient
from dbt.adapters.clickhouse.impl import ClickHouseAdapter
from dbt.adapters.clickhouse.logger import logger


@dataclass
class ChdbCredentials(ClickHouseCredentials):
    """ClickHouse credentials plus `path`, the chDB data directory."""

    path: str = ".warehouse"

    @property
    def type(self):
        return "chdb"

    @property
    def unique_field(self):
        return os.path.realpath(self.path)

    def _connection_keys(self):
        return ("path", "schema", "custom_settings")


class ChdbClient(ChHttpClient):
    """clickhouse-connect's chDB client behind dbt-clickhouse's HTTP client wrapper: both are
    clickhouse-connect clients, so only the constructor differs."""

    def _create_client(self, credentials: ChdbCredentials):
        os.makedirs(credentials.path, exist_ok=True)
        settings = {k: v for k, v in self._conn_settings.items() if k != "session_id"}
        return clickhouse_connect.get_client(
            interface="chdb", path=credentials.path, settings=settings
        )


class ChdbConnectionManager(ClickHouseConnectionManager):
    TYPE = "chdb"

    @classmethod
    def open(cls, connection):
        if connection.state == "open":
            return connection
        credentials = cls.get_credentials(connection.credentials)
        return cls.retry_connection(
            connection,
            connect=lambda: ChdbClient(credentials),
            logger=logger,
            retryable_exceptions=(),
            retry_limit=0,
        )


class ChdbAdapter(ClickHouseAdapter):
    ConnectionManager = ChdbConnectionManager
