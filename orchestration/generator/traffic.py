"""`generate`: the world model rendered as raw.events rows plus the ground-truth tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator import bots, ids, spend, truth, vocab
from orchestration.generator.arrays import concat_strings, gather, strings
from orchestration.generator.entities import Rendered, render_entities
from orchestration.generator.world import (
    BUTTON_CLICK,
    EVENT_NAMES,
    FORM_SUBMIT,
    HOUR_MS,
    IDENTIFY,
    PURCHASE,
    World,
    build_world,
)
from orchestration.raw.contract import EVENTS_ARROW_SCHEMA

DEFAULT_START_DATE = dt.date(2026, 1, 1)
REDELIVERY_SHARE = 0.01
CLICK_ID_LENGTH = 24


@dataclass(frozen=True)
class Traffic:
    """Generated events and the ground truth they were generated from.

    events: exactly the raw.events columns, redeliveries included, ordered by received_at.
    visits, device_users, conversions, users, projects, bots: the truth tables (see
    docs/generator.md); bots lists the bot devices, whose events are in no other truth table.
    ad_spend: the paid campaigns' daily spend, the raw.ad_spend columns but loaded_at.
    """

    events: pa.Table
    visits: pa.Table
    device_users: pa.Table
    conversions: pa.Table
    users: pa.Table
    projects: pa.Table
    ad_spend: pa.Table
    bots: pa.Table
    seed: int
    days: int
    start_date: dt.date

    def truth_tables(self) -> dict[str, pa.Table]:
        return {
            "visits": self.visits,
            "device_users": self.device_users,
            "conversions": self.conversions,
            "users": self.users,
            "projects": self.projects,
            "bots": self.bots,
        }


def _properties(w: World, r: Rendered, rng: np.random.Generator, rows: np.ndarray) -> pa.Array:
    """The properties JSON of the events `rows`: one take from a concatenated vocabulary."""
    pageview = [f'{{"title":"{title}"}}' for _path, title, _a, _b in vocab.PAGES]
    traits = concat_strings(
        '{"email":"',
        r.emails,
        '","plan":"',
        gather(strings(vocab.PLANS), w.user_plan),
        '","tier":"',
        gather(strings(vocab.TIERS), w.user_tier),
        '","team_size":',
        pc.cast(pa.array(w.user_team_size), pa.string()),
        "}",
    )
    purchase = np.flatnonzero(w.e_kind == PURCHASE)
    cents = r.revenue_cents[purchase]
    purchases = concat_strings(
        '{"revenue":',
        pc.cast(pa.array(cents // 100), pa.string()),
        ".",
        pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), width=2, padding="0"),
        ',"currency":"',
        gather(strings(vocab.CURRENCIES), r.currency[purchase]),
        '"}',
    )
    fixed = strings(pageview + list(vocab.BUTTON_PROPERTIES) + list(vocab.FORM_PROPERTIES))
    all_props = pa.concat_arrays([fixed, traits, purchases])

    n_ev = w.e_ts.shape[0]
    n_pv, n_btn, n_form = len(pageview), len(vocab.BUTTON_PROPERTIES), len(vocab.FORM_PROPERTIES)
    kind = w.e_kind
    idx = w.e_path.astype(np.int64)  # pageviews: by page
    idx = np.where(kind == BUTTON_CLICK, n_pv + rng.integers(0, n_btn, n_ev), idx)
    idx = np.where(kind == FORM_SUBMIT, n_pv + n_btn + rng.integers(0, n_form, n_ev), idx)
    base = n_pv + n_btn + n_form
    idx = np.where(kind == IDENTIFY, base + w.e_user, idx)
    idx[purchase] = base + w.user_project.shape[0] + np.arange(purchase.shape[0])
    return gather(all_props, idx[rows])


def _urls(w: World, rng: np.random.Generator, rows: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """(url, referrer) of the events `rows`."""
    variants = vocab.VARIANTS
    n_v = w.v_dev.shape[0]
    hosts = strings(w.hosts)
    paths = strings([p[0] for p in vocab.PAGES])
    e_visit = w.e_visit[rows]
    e_path = w.e_path[rows]
    landing = w.e_pos[rows] == 0
    e_host = gather(hosts, w.dev_project[w.v_dev[e_visit]])

    # Landing query: the variant's UTM tags, plus a random click id on some landings.
    var = w.v_variant
    click_share = np.array([v.click_share for v in variants])
    has_click = rng.random(n_v) < click_share[var]
    click = pc.if_else(
        pa.array(has_click),
        concat_strings(
            gather(strings([v.click_param for v in variants]), var),
            ids.random_tokens(rng, n_v, CLICK_ID_LENGTH),
        ),
        "",
    )
    v_query = concat_strings(gather(strings([v.query for v in variants]), var), click)
    e_query = gather(v_query, np.where(landing, e_visit, -1)).fill_null("")
    url = concat_strings(e_host, gather(paths, e_path), e_query)

    # Landing referrer: the variant's, or a page of the site itself for "internal" landings.
    internal = np.array([v.referrer == vocab.INTERNAL_REFERRER for v in variants])[var]
    inner_w = np.array([p[3] for p in vocab.PAGES])
    own_path = rng.choice(len(vocab.PAGES), n_v, p=inner_w / inner_w.sum())
    v_ref = pc.if_else(
        pa.array(internal),
        concat_strings(gather(hosts, w.dev_project[w.v_dev]), gather(paths, own_path)),
        gather(strings([v.referrer for v in variants]), var),
    )
    # Inside a visit the referrer is the previous event's page on the same host.
    prev_path = np.concatenate([[0], w.e_path[:-1]])[rows]
    referrer = pc.if_else(
        pa.array(landing),
        gather(v_ref, np.where(landing, e_visit, -1)),
        concat_strings(e_host, gather(paths, prev_path)),
    )
    return url, referrer


def _events(
    w: World, r: Rendered, rng: np.random.Generator, say: Callable[[str], None]
) -> pa.Table:
    n_ev = w.e_ts.shape[0]
    # Redeliveries: the identical row once more, stored again seconds to hours later. Rows are
    # emitted in received_at order; the order is fixed first so every column is built in place.
    dup = np.flatnonzero(rng.random(n_ev) < REDELIVERY_SHARE)
    rows = np.concatenate([np.arange(n_ev), dup])
    received = np.concatenate(
        [w.e_received, w.e_received[dup] + rng.integers(1_000, 6 * HOUR_MS, dup.shape[0])]
    )
    order = np.argsort(received, kind="stable")
    rows, received = rows[order], received[order]

    e_dev = w.e_dev[rows]
    url, referrer = _urls(w, rng, rows)
    ts_type = pa.timestamp("ms", tz="UTC")
    events = pa.table(
        {
            "event_id": ids.uuid_strings(r.event_id_bytes[rows]),
            "project_id": gather(r.project_ids, w.dev_project[e_dev]),
            "event_name": gather(strings(EVENT_NAMES), w.e_kind[rows]),
            "anonymous_id": gather(r.anonymous_ids, e_dev),
            "user_id": gather(r.user_ids, w.e_user[rows]),
            "timestamp": pa.array(w.e_ts[rows], type=ts_type),
            "received_at": pa.array(received, type=ts_type),
            "url": url,
            "referrer": referrer,
            "properties": _properties(w, r, rng, rows),
            "user_agent": gather(strings(vocab.USER_AGENTS), w.dev_ua[e_dev]),
            "is_anonymous_id_fabricated": pa.array(np.zeros(rows.shape[0], dtype=bool)),
        },
        schema=EVENTS_ARROW_SCHEMA,
    )
    say(f"events: {events.num_rows:,} rows ({dup.shape[0]:,} redeliveries)")
    return events


def generate(
    days: int = 30,
    visitors: int = 100_000,
    projects: int = 3,
    seed: int = 0,
    start_date: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Traffic:
    """Synthetic traffic for `visitors` devices over `days` days from `start_date` (default
    2026-01-01) in `projects` projects, with its ground truth.

    Deterministic: the same arguments give identical tables (seed must be >= 0). About 2.8
    visits and 9.4 events per visitor, whatever `days` is. Raises ValueError on sizes < 1.
    """
    if days < 1 or visitors < 1 or projects < 1:
        raise ValueError("days, visitors and projects must be at least 1")
    say = progress or (lambda _msg: None)
    start = start_date or DEFAULT_START_DATE
    start_ms = (
        int(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC).timestamp()) * 1000
    )
    world = build_world(seed, days, visitors, projects, start_ms, say)
    # Rendering draws from its own stream so the world does not shift when rendering changes.
    render_rng, event_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence([seed, 1]).spawn(2)
    )
    rendered = render_entities(world, render_rng)
    events = _events(world, rendered, event_rng, say)
    events, bot_truth = bots.add_bots(world, events, seed)
    say(f"bots: {bot_truth.num_rows:,} devices, {events.num_rows:,} rows with their events")
    ad_spend = spend.ad_spend(world, np.random.default_rng(np.random.SeedSequence([seed, 3])))
    say(f"ad spend: {ad_spend.num_rows:,} campaign days")
    tables = truth.truth_tables(world, rendered)
    say(
        f"truth: {tables['visits'].num_rows:,} visits, {tables['users'].num_rows:,} users, "
        f"{tables['conversions'].num_rows:,} conversions"
    )
    return Traffic(
        events=events,
        ad_spend=ad_spend,
        bots=bot_truth,
        seed=seed,
        days=days,
        start_date=start,
        **tables,
    )
