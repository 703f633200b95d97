"""Ground truth, read off the world model (not re-derived from the emitted rows).

Tables (all keyed by project_id, because anonymous_id and user_id collide across projects):
- visits: one row per visit (= session) with its true user and true attribution;
- device_users: which user is behind a device from when to when;
- conversions: signups (a user's first $identify on any device) and purchases, with first and
  last touch channels;
- users: one row per user_id with the e-mail from its traits and when it signed up;
- projects: project_id and the site's host;
- bots: one row per bot device (bots.py), whose events are in no other table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from orchestration.generator import vocab
from orchestration.generator.arrays import gather
from orchestration.generator.entities import Rendered
from orchestration.generator.world import (
    ATTRIBUTION_WINDOW_MS,
    DAY_MS,
    IDENTIFY,
    PAGEVIEW,
    PURCHASE,
    World,
)

TS = pa.timestamp("ms", tz="UTC")

# ClickHouse DDL of the truth database; arrow column types in truth_tables() match it.
TRUTH_DDL: dict[str, str] = {
    "visits": """
        CREATE TABLE truth.visits
        (
            project_id LowCardinality(String),
            anonymous_id String,
            visit_number UInt32,
            started_at DateTime64(3, 'UTC'),
            ended_at DateTime64(3, 'UTC'),
            event_count UInt32,
            pageview_count UInt32,
            user_id Nullable(String),
            source String,
            medium String,
            campaign String,
            channel LowCardinality(String)
        )
        ENGINE = MergeTree
        ORDER BY (project_id, anonymous_id, visit_number)
    """,
    "device_users": """
        CREATE TABLE truth.device_users
        (
            project_id LowCardinality(String),
            anonymous_id String,
            user_id String,
            valid_from DateTime64(3, 'UTC'),
            valid_to Nullable(DateTime64(3, 'UTC'))
        )
        ENGINE = MergeTree
        ORDER BY (project_id, anonymous_id, valid_from)
    """,
    "conversions": """
        CREATE TABLE truth.conversions
        (
            project_id LowCardinality(String),
            user_id String,
            conversion_name LowCardinality(String),
            event_id String,
            converted_at DateTime64(3, 'UTC'),
            revenue Nullable(Float64),
            currency Nullable(String),
            anonymous_id String,
            visit_number UInt32,
            first_touch_channel LowCardinality(String),
            last_touch_channel LowCardinality(String),
            first_touch_anonymous_id String,
            first_touch_visit_number UInt32
        )
        ENGINE = MergeTree
        ORDER BY (project_id, user_id, converted_at, event_id)
    """,
    "users": """
        CREATE TABLE truth.users
        (
            project_id LowCardinality(String),
            user_id String,
            email String,
            signed_up_at DateTime64(3, 'UTC'),
            signup_event_id String,
            device_count UInt32
        )
        ENGINE = MergeTree
        ORDER BY (project_id, user_id)
    """,
    "projects": """
        CREATE TABLE truth.projects
        (
            project_id String,
            host String
        )
        ENGINE = MergeTree
        ORDER BY project_id
    """,
    # one row per bot device (orchestration/generator/bots.py); bots are in no other table
    "bots": """
        CREATE TABLE truth.bots
        (
            project_id LowCardinality(String),
            anonymous_id String,
            kind LowCardinality(String),
            user_agent String,
            event_count UInt32,
            first_event_at DateTime64(3, 'UTC'),
            last_event_at DateTime64(3, 'UTC')
        )
        ENGINE = MergeTree
        ORDER BY (project_id, anonymous_id)
    """,
}


def _visits(w: World, r: Rendered) -> pa.Table:
    variants = vocab.VARIANTS
    var = pa.array(w.v_variant)
    pageviews = np.bincount(w.e_visit, weights=w.e_kind == PAGEVIEW, minlength=w.v_dev.shape[0])
    return pa.table(
        {
            "project_id": r.project_ids.take(pa.array(w.dev_project[w.v_dev])),
            "anonymous_id": r.anonymous_ids.take(pa.array(w.v_dev)),
            "visit_number": pa.array((w.v_no + 1).astype(np.uint32)),
            "started_at": pa.array(w.v_start, type=TS),
            "ended_at": pa.array(w.v_end, type=TS),
            "event_count": pa.array(w.v_n_events.astype(np.uint32)),
            "pageview_count": pa.array(pageviews.astype(np.uint32)),
            "user_id": gather(r.user_ids, w.v_user),
            "source": pa.array([v.source for v in variants]).take(var),
            "medium": pa.array([v.medium for v in variants]).take(var),
            "campaign": pa.array([v.campaign for v in variants]).take(var),
            "channel": pa.array([v.channel for v in variants]).take(var),
        }
    )


def _device_users(w: World, r: Rendered) -> pa.Table:
    # Identify events are in device-major time order; a row starts where the user changes.
    ident = np.flatnonzero(w.e_kind == IDENTIFY)
    dev = w.e_dev[ident]
    user = w.e_user[ident]
    change = np.ones(ident.shape[0], dtype=bool)
    change[1:] = (dev[1:] != dev[:-1]) | (user[1:] != user[:-1])
    rows = ident[change]
    dev, user = dev[change], user[change]
    valid_from = w.e_ts[rows]
    nxt_same_dev = np.zeros(rows.shape[0], dtype=bool)
    nxt_same_dev[:-1] = dev[1:] == dev[:-1]
    valid_to = np.where(nxt_same_dev, np.roll(valid_from, -1), 0)
    return pa.table(
        {
            "project_id": r.project_ids.take(pa.array(w.dev_project[dev])),
            "anonymous_id": r.anonymous_ids.take(pa.array(dev)),
            "user_id": r.user_ids.take(pa.array(user)),
            "valid_from": pa.array(valid_from, type=TS),
            "valid_to": pa.array(valid_to, type=TS, mask=~nxt_same_dev),
        }
    )


def _first_identify_per_user(w: World, r: Rendered) -> np.ndarray:
    """Event index of each user's signup: the earliest $identify on any device (ties: event_id)."""
    ident = np.flatnonzero(w.e_kind == IDENTIFY)
    eid = np.asarray(r.event_ids.take(pa.array(ident)).to_numpy(zero_copy_only=False), dtype="U36")
    order = np.lexsort((eid, w.e_ts[ident], w.e_user[ident]))
    ident = ident[order]
    user = w.e_user[ident]
    first = np.ones(ident.shape[0], dtype=bool)
    first[1:] = user[1:] != user[:-1]
    signup = np.full(w.user_project.shape[0], -1, dtype=np.int64)
    signup[user[first]] = ident[first]
    assert np.all(signup >= 0), "every user identifies at least once"
    return signup


def _conversions(w: World, r: Rendered, signup: np.ndarray) -> pa.Table:
    purchases = np.flatnonzero(w.e_kind == PURCHASE)
    conv = np.concatenate([signup, purchases])
    is_purchase = np.r_[np.zeros(signup.shape[0], bool), np.ones(purchases.shape[0], bool)]
    conv_ts = w.e_ts[conv]
    conv_user = w.e_user[conv]
    conv_visit = w.e_visit[conv]
    assert np.all(w.v_user[conv_visit] == conv_user), "a conversion's visit is its user's"

    # Touches: the user's visits (any device) that started in [converted_at - 30 days, start of
    # the converting visit]. Sorted by (user, start, anonymous_id, visit_number), the first touch
    # is the first row at or after the window start; the last touch is the converting visit.
    v_start = w.v_start
    aid_rank = np.argsort(np.argsort(np.asarray(r.anonymous_ids.to_numpy(False), dtype="U36")))
    touch = np.flatnonzero(w.v_user >= 0)
    touch = touch[
        np.lexsort((w.v_no[touch], aid_rank[w.v_dev[touch]], v_start[touch], w.v_user[touch]))
    ]
    base = w.start_ms - ATTRIBUTION_WINDOW_MS - DAY_MS
    shift = np.int64(2**42)  # ms offsets below 2**42 (139 years), users below 2**21
    keys = w.v_user[touch] * shift + (v_start[touch] - base)
    lo = np.searchsorted(keys, conv_user * shift + (conv_ts - ATTRIBUTION_WINDOW_MS - base))
    first_visit = touch[lo]
    assert np.all(w.v_user[first_visit] == conv_user)
    assert np.all(v_start[first_visit] <= v_start[conv_visit])

    channels = pa.array([v.channel for v in vocab.VARIANTS])
    cents = r.revenue_cents[conv]
    order = np.lexsort((conv, conv_ts))
    t = pa.table(
        {
            "project_id": r.project_ids.take(pa.array(w.user_project[conv_user])),
            "user_id": r.user_ids.take(pa.array(conv_user)),
            "conversion_name": pa.array(np.where(is_purchase, "purchase", "signup")),
            "event_id": r.event_ids.take(pa.array(conv)),
            "converted_at": pa.array(conv_ts, type=TS),
            "revenue": pa.array(cents / 100.0, mask=~is_purchase),
            "currency": gather(
                pa.array(list(vocab.CURRENCIES)), np.where(is_purchase, r.currency[conv], -1)
            ),
            "anonymous_id": r.anonymous_ids.take(pa.array(w.v_dev[conv_visit])),
            "visit_number": pa.array((w.v_no[conv_visit] + 1).astype(np.uint32)),
            "first_touch_channel": channels.take(pa.array(w.v_variant[first_visit])),
            "last_touch_channel": channels.take(pa.array(w.v_variant[conv_visit])),
            "first_touch_anonymous_id": r.anonymous_ids.take(pa.array(w.v_dev[first_visit])),
            "first_touch_visit_number": pa.array((w.v_no[first_visit] + 1).astype(np.uint32)),
        }
    )
    return t.take(pa.array(order))


def _users(w: World, r: Rendered, signup: np.ndarray) -> pa.Table:
    ident = np.flatnonzero(w.e_kind == IDENTIFY)
    pairs = np.unique(np.stack([w.e_user[ident], w.e_dev[ident]], axis=1), axis=0)
    device_count = np.bincount(pairs[:, 0], minlength=w.user_project.shape[0])
    return pa.table(
        {
            "project_id": r.project_ids.take(pa.array(w.user_project)),
            "user_id": r.user_ids,
            "email": r.emails,
            "signed_up_at": pa.array(w.e_ts[signup], type=TS),
            "signup_event_id": r.event_ids.take(pa.array(signup)),
            "device_count": pa.array(device_count.astype(np.uint32)),
        }
    )


def truth_tables(w: World, r: Rendered) -> dict[str, pa.Table]:
    """All truth tables, keyed by table name (the names in TRUTH_DDL)."""
    signup = _first_identify_per_user(w, r)
    return {
        "visits": _visits(w, r),
        "device_users": _device_users(w, r),
        "conversions": _conversions(w, r, signup),
        "users": _users(w, r, signup),
        "projects": pa.table(
            {"project_id": r.project_ids, "host": pa.array(w.hosts, type=pa.string())}
        ),
    }
