"""Per-entity strings (projects, devices, users, e-mails, event ids) shared by the raw events
and the truth tables, rendered once from the world model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator import ids, vocab
from orchestration.generator.arrays import concat_strings, strings
from orchestration.generator.world import PURCHASE, World


@dataclass(frozen=True)
class Rendered:
    """Per-entity strings shared by the events and the truth tables."""

    project_ids: pa.Array
    anonymous_ids: pa.Array  # per device
    user_ids: pa.Array  # per user
    emails: pa.Array  # per user
    event_ids: pa.Array  # per distinct event
    event_id_bytes: np.ndarray  # (events, 16) uint8 behind event_ids
    revenue_cents: np.ndarray  # per distinct event, 0 unless a purchase
    currency: np.ndarray  # per distinct event, index into vocab.CURRENCIES, -1 unless a purchase


def render_entities(w: World, rng: np.random.Generator) -> Rendered:
    n_ev = w.e_ts.shape[0]
    n_users = w.user_project.shape[0]
    global_user = np.arange(n_users)
    emails = concat_strings(
        "user_",
        pc.cast(pa.array(global_user + 1), pa.string()),
        "_",
        ids.short_hashes(global_user),
        "@example.com",
    )
    purchase = w.e_kind == PURCHASE
    n_p = int(purchase.sum())
    # Mostly plan prices, some free-form amounts; always whole cents.
    cents = np.where(
        rng.random(n_p) < 0.7,
        rng.choice(np.array(vocab.PRICE_POINTS_CENTS), size=n_p),
        np.maximum(100, np.round(rng.lognormal(np.log(6_000), 0.8, n_p))).astype(np.int64),
    )
    cur_p = np.array(vocab.CURRENCY_WEIGHTS)
    revenue_cents = np.zeros(n_ev, dtype=np.int64)
    revenue_cents[purchase] = cents
    currency = np.full(n_ev, -1, dtype=np.int8)
    currency[purchase] = rng.choice(len(vocab.CURRENCIES), size=n_p, p=cur_p / cur_p.sum())
    raw_ids = np.frombuffer(rng.bytes(16 * n_ev), dtype=np.uint8).reshape(n_ev, 16)
    return Rendered(
        project_ids=strings(w.project_ids),
        anonymous_ids=ids.device_ids(w.dev_local),
        user_ids=ids.user_ids(w.user_local),
        emails=emails,
        event_ids=ids.uuid_strings(raw_ids),
        event_id_bytes=raw_ids,
        revenue_cents=revenue_cents,
        currency=currency,
    )
