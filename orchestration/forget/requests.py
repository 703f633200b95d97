"""Forget requests: recording them, and finding the ones not yet verified."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from clickhouse_connect.driver.client import Client

KEY_TYPES = ("user_id", "anonymous_id")


@dataclass(frozen=True)
class ForgetKey:
    """One request: forget `key` (a user_id or an anonymous_id) within one project."""

    request_id: str
    project_id: str
    key_type: str
    key: str
    requested_at: dt.datetime


def request_forget(
    client: Client, project_id: str, user_id: str | None = None, anonymous_id: str | None = None
) -> str:
    """Record a forget request in raw.forget_requests and return its request_id. Exactly one
    of user_id and anonymous_id must be given; ids are stored verbatim."""
    if (user_id is None) == (anonymous_id is None):
        raise ValueError("give exactly one of user_id and anonymous_id")
    if not project_id:
        raise ValueError("project_id must not be empty")
    if (user_id if user_id is not None else anonymous_id) == "":
        raise ValueError("the id to forget must not be empty")
    request_id = str(uuid.uuid4())
    client.insert(
        "raw.forget_requests",
        [[request_id, project_id, user_id, anonymous_id, dt.datetime.now(dt.UTC)]],
        column_names=["request_id", "project_id", "user_id", "anonymous_id", "requested_at"],
    )
    return request_id


def pending_requests(client: Client) -> list[ForgetKey]:
    """Requests without a verified audit row, oldest first. Malformed requests (both or neither
    id set) are returned too, with key_type 'invalid', so the audit can say so."""
    rows = client.query(
        """
        select
            request_id,
            project_id,
            multiIf(
                user_id is not null and anonymous_id is null, 'user_id',
                anonymous_id is not null and user_id is null, 'anonymous_id',
                'invalid'
            ) as key_type,
            coalesce(user_id, anonymous_id, '') as forgotten_key,
            requested_at
        from raw.forget_requests
        where request_id not in (
            select request_id from audit.forget_log where status in ('verified', 'invalid')
        )
        order by requested_at, request_id
        limit 1 by request_id
        """
    ).result_rows
    return [ForgetKey(*row) for row in rows]
