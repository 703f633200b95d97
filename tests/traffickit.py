"""Generated traffic, with its ground truth, written into the test warehouse."""

from __future__ import annotations

from orchestration.generator import generate, write_to_warehouse
from orchestration.runtime import warehouse


def write_generated(days: int, visitors: int, projects: int = 2, seed: int = 9) -> dict[str, int]:
    """Generate traffic and write it, with its truth tables, to the current target."""
    traffic = generate(days=days, visitors=visitors, projects=projects, seed=seed)
    with warehouse.connect() as client:
        return write_to_warehouse(client, traffic)
