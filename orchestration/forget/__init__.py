"""Forget: erase a person or a device from every table, on disk, and prove it.

The stages, each safe to re-run after a crash: `request` records what to forget,
`propagate` tombstones the keys and rewrites the partitions that hold them, the dbt build
then recomputes what depended on them, and `verify` proves nothing is left.
"""

from orchestration.forget.propagate import propagate_pending
from orchestration.forget.requests import ForgetKey, pending_requests, request_forget
from orchestration.forget.verify import verify_pending

__all__ = [
    "ForgetKey",
    "pending_requests",
    "propagate_pending",
    "request_forget",
    "verify_pending",
]
