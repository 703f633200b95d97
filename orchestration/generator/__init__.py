"""Synthetic Millimetric traffic with ground truth.

`generate` builds a deterministic world (devices, people, visits, events) and renders it as
raw.events rows plus truth tables; `write_to_warehouse` loads both into ClickHouse/chDB;
`write_ndjson` writes the same events as collector NDJSON with some malformed lines.
See docs/generator.md.
"""

from orchestration.generator.ndjson import MALFORMED_KINDS, write_ndjson
from orchestration.generator.traffic import Traffic, generate
from orchestration.generator.write import write_to_warehouse

__all__ = ["MALFORMED_KINDS", "Traffic", "generate", "write_ndjson", "write_to_warehouse"]
