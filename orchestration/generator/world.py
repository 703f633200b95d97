"""The generator's world model: projects, devices, people, visits and the distinct events in them,
as numpy arrays. Nothing here is rendered to strings; traffic.py and truth.py read this model.

Layout: devices are project-major; visits are device-major and in time order within a device;
events are visit-major and in time order within a visit. So "the previous event" is the previous
index whenever both are in the same visit, and a device's events are one contiguous block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from orchestration.generator import vocab

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

SESSION_TIMEOUT_MS = 30 * MINUTE_MS  # the warehouse's rule: a gap strictly longer starts a visit
MIN_VISIT_GAP_MS = 35 * MINUTE_MS  # between visits of a device: clear margin over the timeout
MAX_PAUSE_MS = 25 * MINUTE_MS  # within a visit: clear margin under the timeout
LONG_PAUSE_MS = (10 * MINUTE_MS, MAX_PAUSE_MS)
LONG_PAUSE_SHARE = 0.06
ATTRIBUTION_WINDOW_MS = 30 * DAY_MS

# Visits per device: Zipf (power law), capped. Events per visit: bounces plus a geometric tail.
VISITS_ZIPF_A = 2.2
MAX_VISITS = 200
BOUNCE_SHARE = 0.38
EVENTS_GEOMETRIC_P = 0.28
MAX_EVENTS_PER_VISIT = 40

# Identities.
USER_DEVICES = (1, 2, 3)
USER_DEVICES_P = (0.82, 0.13, 0.05)
SHARED_DEVICE_SHARE = 0.035  # of identifying devices: a second, existing user logs in later
ACCOUNT_SWITCH_SHARE = 0.02  # of identifying devices: the owner switches to a second account
RELOGIN_SHARE = 0.08  # of later visits on an identified device: another (login) $identify
PURCHASE_SHARE = 0.05  # of a logged-in visitor's non-landing, non-identify events

# Event kinds (codes into EVENT_NAMES).
PAGEVIEW, IDENTIFY, BUTTON_CLICK, FORM_SUBMIT, PURCHASE = range(5)
EVENT_NAMES = ("$pageview", "$identify", "button_click", "form_submit", "purchase")
OTHER_EVENT_P = (0.66, 0.20, 0.14)  # pageview, button_click, form_submit

# Why a visit holds an $identify.
IDENT_NONE, IDENT_FIRST, IDENT_SECOND_USER, IDENT_RELOGIN = range(4)


@dataclass
class World:
    start_ms: int
    days: int
    project_ids: list[str]
    hosts: list[str]  # 'https://<host>' per project

    # Devices (one per visitor).
    dev_project: np.ndarray
    dev_local: np.ndarray  # index inside the project; the anonymous_id derives from it
    dev_ua: np.ndarray
    dev_owner: np.ndarray  # first identifying user, -1 for devices that never identify
    dev_second: np.ndarray  # second user (shared device or account switch), -1 if none
    dev_switch: np.ndarray  # True when the second user is the owner's second account
    dev_first_visit: np.ndarray
    dev_first_event: np.ndarray

    # Users (people's accounts): the user_id derives from (project, local index).
    user_project: np.ndarray
    user_local: np.ndarray
    user_plan: np.ndarray
    user_tier: np.ndarray
    user_team_size: np.ndarray

    # Visits.
    v_dev: np.ndarray
    v_no: np.ndarray  # 0-based within the device
    v_variant: np.ndarray  # landing variant (vocab.VARIANTS)
    v_ident_kind: np.ndarray
    v_ident_user: np.ndarray  # user identified in this visit, -1 if none
    v_ident_pos: np.ndarray
    v_first_event: np.ndarray
    v_n_events: np.ndarray
    v_user: np.ndarray  # the true user behind the visit (see truth.py), -1 if unknown

    # Distinct events.
    e_visit: np.ndarray
    e_pos: np.ndarray
    e_ts: np.ndarray  # epoch ms, client clock
    e_kind: np.ndarray
    e_user: np.ndarray  # user_id the SDK sends with the event, -1 for NULL
    e_path: np.ndarray  # index into vocab.PAGES
    e_received: np.ndarray  # epoch ms of the first delivery

    @property
    def e_dev(self) -> np.ndarray:
        return self.v_dev[self.e_visit]

    @property
    def v_start(self) -> np.ndarray:
        return self.e_ts[self.v_first_event]

    @property
    def v_end(self) -> np.ndarray:
        return self.e_ts[self.v_first_event + self.v_n_events - 1]


def _segment_starts(counts: np.ndarray) -> np.ndarray:
    return np.cumsum(counts) - counts


def _forward_fill_index(mask: np.ndarray) -> np.ndarray:
    """For each position, the last index <= it where mask is set (-1 if none)."""
    idx = np.where(mask, np.arange(mask.shape[0]), -1)
    return np.maximum.accumulate(idx) if idx.size else idx


def _devices_and_users(
    rng: np.random.Generator, visitors: int, projects: int, days: int
) -> dict[str, np.ndarray]:
    w = 1.0 / np.arange(1, projects + 1) ** 0.7
    w /= w.sum()
    if visitors >= projects:
        counts = 1 + rng.multinomial(visitors - projects, w)
    else:
        counts = rng.multinomial(visitors, w)
    dev_project = np.repeat(np.arange(projects), counts).astype(np.int32)
    dev_local = np.arange(visitors) - _segment_starts(counts)[dev_project]
    ua_p = np.array(vocab.USER_AGENT_WEIGHTS, dtype=float)
    dev_ua = rng.choice(len(vocab.USER_AGENTS), size=visitors, p=ua_p / ua_p.sum())

    # Visits must fit the window with their minimum gaps; ~1 visit per hour is the ceiling.
    cap = int(max(1, min(MAX_VISITS, days * 24)))
    m = np.minimum(rng.zipf(VISITS_ZIPF_A, visitors), cap)
    # Engaged visitors (more visits) sign up or log in more often.
    p_ident = np.where(m >= 5, 0.55, np.where(m >= 2, 0.3, 0.12))
    identifies = rng.random(visitors) < p_ident

    # Group each project's identifying devices into users with 1-3 devices each.
    owner = np.full(visitors, -1, dtype=np.int64)
    user_project: list[np.ndarray] = []
    user_local: list[np.ndarray] = []
    users_in_project = np.zeros(projects, dtype=np.int64)
    first_user_of_project = np.zeros(projects, dtype=np.int64)
    next_user = 0
    ident_devs = np.flatnonzero(identifies)
    bounds = np.searchsorted(dev_project[ident_devs], np.arange(projects + 1))
    for k in range(projects):
        devs = rng.permutation(ident_devs[bounds[k] : bounds[k + 1]])
        if devs.size == 0:
            first_user_of_project[k] = next_user
            continue
        sizes = rng.choice(USER_DEVICES, size=devs.size, p=USER_DEVICES_P)
        ends = np.cumsum(sizes)
        group = np.searchsorted(ends, np.arange(devs.size), side="right")
        n_users = int(group[-1]) + 1
        owner[devs] = next_user + group
        first_user_of_project[k] = next_user
        users_in_project[k] = n_users
        user_project.append(np.full(n_users, k, dtype=np.int32))
        user_local.append(np.arange(n_users, dtype=np.int64))
        next_user += n_users

    # Second users on a device: shared devices (another existing user of the project logs in
    # later) and account switches (the owner identifies as a brand-new second account).
    r = rng.random(visitors)
    shared = identifies & (r < SHARED_DEVICE_SHARE)
    switch = (
        identifies & (r >= SHARED_DEVICE_SHARE) & (r < SHARED_DEVICE_SHARE + ACCOUNT_SWITCH_SHARE)
    )
    lonely = shared & (users_in_project[dev_project] < 2)
    shared &= ~lonely
    switch |= lonely
    second = np.full(visitors, -1, dtype=np.int64)
    sd = np.flatnonzero(shared)
    k = dev_project[sd]
    a_local = owner[sd] - first_user_of_project[k]
    b_local = rng.integers(0, users_in_project[k] - 1)
    b_local = np.where(b_local >= a_local, b_local + 1, b_local)
    second[sd] = first_user_of_project[k] + b_local

    wd = np.flatnonzero(switch)  # project-major, so ranks within a project are contiguous
    k = dev_project[wd]
    rank = np.arange(wd.size) - np.searchsorted(k, k)
    second[wd] = next_user + np.arange(wd.size)
    user_project.append(k.astype(np.int32))
    user_local.append(users_in_project[k] + rank)
    n_users = next_user + wd.size

    # A second user needs a visit of the owner before it; room for anonymous visits before both.
    m = np.where(second >= 0, np.maximum(m, 3), m)

    plan_p = np.array(vocab.PLAN_WEIGHTS)
    return {
        "dev_project": dev_project,
        "dev_local": dev_local,
        "dev_ua": dev_ua,
        "dev_owner": owner,
        "dev_second": second,
        "dev_switch": switch,
        "n_visits": m,
        "user_project": np.concatenate(user_project) if user_project else np.zeros(0, np.int32),
        "user_local": np.concatenate(user_local) if user_local else np.zeros(0, np.int64),
        "user_plan": rng.choice(len(vocab.PLANS), size=n_users, p=plan_p / plan_p.sum()),
        "user_tier": rng.integers(0, len(vocab.TIERS), n_users),
        "user_team_size": np.minimum(
            1 + np.floor(rng.lognormal(1.5, 1.2, n_users)).astype(np.int64), 500
        ),
    }


def _visits(rng: np.random.Generator, d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    m = d["n_visits"]
    owner, second = d["dev_owner"], d["dev_second"]
    n_dev = m.shape[0]
    v_dev = np.repeat(np.arange(n_dev), m)
    dev_first_visit = _segment_starts(m)
    v_no = np.arange(v_dev.shape[0]) - dev_first_visit[v_dev]

    # The owner's first $identify is in visit a0; a second user's in a1 > a0. Visits before a0 are
    # anonymous and belong to the owner: the first person on a device is the one who identifies.
    has_second = second >= 0
    u0, u1 = rng.random(n_dev), rng.random(n_dev)
    a0 = np.where(has_second, np.floor(u0 * (m - 1)), np.floor(u0 * m)).astype(np.int64)
    a1 = np.where(has_second, a0 + 1 + np.floor(u1 * (m - 1 - a0)), -1).astype(np.int64)

    n_v = v_dev.shape[0]
    kind = np.zeros(n_v, dtype=np.int8)
    ident_user = np.full(n_v, -1, dtype=np.int64)
    first = (owner[v_dev] >= 0) & (v_no == a0[v_dev])
    kind[first] = IDENT_FIRST
    ident_user[first] = owner[v_dev[first]]
    sec = has_second[v_dev] & (v_no == a1[v_dev])
    kind[sec] = IDENT_SECOND_USER
    ident_user[sec] = second[v_dev[sec]]
    relogin = (owner[v_dev] >= 0) & (v_no > a0[v_dev]) & ~sec & (rng.random(n_v) < RELOGIN_SHARE)
    current = np.where(has_second[v_dev] & (v_no > a1[v_dev]), second[v_dev], owner[v_dev])
    kind[relogin] = IDENT_RELOGIN
    ident_user[relogin] = current[relogin]

    n_e = np.where(
        rng.random(n_v) < BOUNCE_SHARE, 1, 1 + rng.geometric(EVENTS_GEOMETRIC_P, n_v)
    ).astype(np.int64)
    n_e = np.minimum(n_e, MAX_EVENTS_PER_VISIT)
    # The $identify is an extra event, never the landing pageview. A second user's identify is
    # mid-visit: at least one event before it carries the previous user, one after it the new.
    n_e = np.where(kind == IDENT_SECOND_USER, np.maximum(n_e, 2) + 1, n_e + (kind > 0))
    u = rng.random(n_v)
    ident_pos = np.where(
        kind == IDENT_SECOND_USER,
        1 + np.floor(u * (n_e - 2)),
        np.where(kind > 0, 1 + np.floor(u * (n_e - 1)), -1),
    ).astype(np.int64)

    variant = vocab.VariantSampler().sample(rng, v_no == 0)
    return {
        "v_dev": v_dev,
        "v_no": v_no,
        "dev_first_visit": dev_first_visit,
        "v_ident_kind": kind,
        "v_ident_user": ident_user,
        "v_ident_pos": ident_pos,
        "v_n_events": n_e,
        "v_variant": variant,
    }


def _timing(
    rng: np.random.Generator,
    start_ms: int,
    days: int,
    v_dev: np.ndarray,
    v_no: np.ndarray,
    n_e: np.ndarray,
    dev_first_visit: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Event timestamps. Returns (e_visit, e_pos, e_ts)."""
    n_v = v_dev.shape[0]
    n_dev = dev_first_visit.shape[0]
    v_first_event = _segment_starts(n_e)
    e_visit = np.repeat(np.arange(n_v), n_e)
    n_ev = e_visit.shape[0]
    e_pos = np.arange(n_ev) - v_first_event[e_visit]

    # Pauses before each non-landing event: mostly seconds to minutes, some long (10-25 min).
    pause = np.clip(rng.lognormal(np.log(25_000), 1.1, n_ev), 1_000, 10 * MINUTE_MS - 1)
    long = rng.random(n_ev) < LONG_PAUSE_SHARE
    pause = np.where(long, rng.uniform(LONG_PAUSE_MS[0], LONG_PAUSE_MS[1], n_ev), pause)
    pause = np.floor(pause).astype(np.int64)
    pause[e_pos == 0] = 0
    within = np.cumsum(pause)
    within -= within[v_first_event][e_visit]
    duration = within[v_first_event + n_e - 1]

    # Gaps between visits: 35 min plus a slack of hours to weeks, squeezed (never below 35 min)
    # when a busy device would not fit the window otherwise.
    window = days * DAY_MS
    slack = np.where(v_no > 0, rng.lognormal(np.log(6 * HOUR_MS), 1.8, n_v), 0.0)
    fixed = np.bincount(v_dev, weights=duration, minlength=n_dev) + MIN_VISIT_GAP_MS * (
        np.bincount(v_dev, minlength=n_dev) - 1
    )
    slack_sum = np.bincount(v_dev, weights=slack, minlength=n_dev)
    # Squeezed devices fill a random 50-100% of the room, so they do not all start at t0.
    room = np.maximum(window - fixed, 0) * rng.uniform(0.5, 1.0, n_dev)
    factor = np.where(slack_sum > room, room / np.maximum(slack_sum, 1.0), 1.0)
    slack = np.floor(slack * factor[v_dev]).astype(np.int64)
    span = fixed.astype(np.int64) + np.bincount(v_dev, weights=slack, minlength=n_dev).astype(
        np.int64
    )
    first_start = start_ms + np.floor(rng.random(n_dev) * np.maximum(window - span, 0)).astype(
        np.int64
    )
    prev_duration = np.concatenate([[0], duration[:-1]])
    step = np.where(v_no > 0, prev_duration + MIN_VISIT_GAP_MS + slack, 0)
    csum = np.cumsum(step)
    v_start = first_start[v_dev] + csum - csum[dev_first_visit][v_dev]
    return e_visit, e_pos, v_start[e_visit] + within


def build_world(
    seed: int,
    days: int,
    visitors: int,
    projects: int,
    start_ms: int,
    progress: Callable[[str], None] | None = None,
) -> World:
    """The whole world for one seed. Deterministic: the same arguments give identical arrays."""
    say = progress or (lambda _msg: None)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    d = _devices_and_users(rngs[0], visitors, projects, days)
    v = _visits(rngs[1], d)
    n_v = v["v_dev"].shape[0]
    n_users = d["user_project"].shape[0]
    say(f"world: {visitors:,} devices, {n_users:,} users, {n_v:,} visits in {projects} projects")

    e_visit, e_pos, e_ts = _timing(
        rngs[2], start_ms, days, v["v_dev"], v["v_no"], v["v_n_events"], v["dev_first_visit"]
    )
    n_ev = e_visit.shape[0]
    v_first_event = _segment_starts(v["v_n_events"])
    v_dev = v["v_dev"]
    e_dev = v_dev[e_visit]
    dev_first_event = v_first_event[v["dev_first_visit"]]

    # What the SDK sends: the user of the latest $identify on this device, else NULL.
    rng = rngs[3]
    is_ident = (v["v_ident_user"][e_visit] >= 0) & (e_pos == v["v_ident_pos"][e_visit])
    last_ident = _forward_fill_index(is_ident)
    valid = (last_ident >= 0) & (last_ident >= dev_first_event[e_dev])
    e_user = np.where(valid, v["v_ident_user"][e_visit[np.maximum(last_ident, 0)]], -1)

    # The true user of a visit: its last event's user, else (anonymous visits before the first
    # identify) the device's owner.
    last_user = e_user[v_first_event + v["v_n_events"] - 1]
    v_user = np.where(last_user >= 0, last_user, d["dev_owner"][v_dev])

    # Event kinds. Purchases only where the sender is logged in as the visit's true user.
    e_kind = rng.choice(
        np.array([PAGEVIEW, BUTTON_CLICK, FORM_SUBMIT], dtype=np.int8), size=n_ev, p=OTHER_EVENT_P
    )
    e_kind[e_pos == 0] = PAGEVIEW
    e_kind[is_ident] = IDENTIFY
    can_buy = (e_pos > 0) & ~is_ident & (e_user >= 0) & (e_user == v_user[e_visit])
    e_kind[can_buy & (rng.random(n_ev) < PURCHASE_SHARE)] = PURCHASE

    # Pages: landings from the landing mix, other pageviews from the in-visit mix; non-pageview
    # events happen on the page of the last pageview (the landing is always a pageview).
    landing_w = np.array([p[2] for p in vocab.PAGES])
    inner_w = np.array([p[3] for p in vocab.PAGES])
    e_path = np.where(
        e_pos == 0,
        rng.choice(len(vocab.PAGES), size=n_ev, p=landing_w / landing_w.sum()),
        rng.choice(len(vocab.PAGES), size=n_ev, p=inner_w / inner_w.sum()),
    ).astype(np.int16)
    e_path = e_path[_forward_fill_index(e_kind == PAGEVIEW)]

    # Delivery: normally 50 ms-3 s after the client clock; ~2% late by 1 hour to 5 days.
    rng = rngs[4]
    late = rng.random(n_ev) < 0.02
    delay = np.where(
        late,
        rng.integers(HOUR_MS, 5 * DAY_MS, n_ev),
        rng.integers(50, 3_001, n_ev),
    )
    say(f"world: {n_ev:,} distinct events")
    return World(
        start_ms=start_ms,
        days=days,
        project_ids=[f"proj_{k + 1:02d}" for k in range(projects)],
        hosts=[f"https://p{k + 1:02d}.millimetric-demo.com" for k in range(projects)],
        dev_project=d["dev_project"],
        dev_local=d["dev_local"],
        dev_ua=d["dev_ua"],
        dev_owner=d["dev_owner"],
        dev_second=d["dev_second"],
        dev_switch=d["dev_switch"],
        dev_first_visit=v["dev_first_visit"],
        dev_first_event=dev_first_event,
        user_project=d["user_project"],
        user_local=d["user_local"],
        user_plan=d["user_plan"],
        user_tier=d["user_tier"],
        user_team_size=d["user_team_size"],
        v_dev=v_dev,
        v_no=v["v_no"],
        v_variant=v["v_variant"],
        v_ident_kind=v["v_ident_kind"],
        v_ident_user=v["v_ident_user"],
        v_ident_pos=v["v_ident_pos"],
        v_first_event=v_first_event,
        v_n_events=v["v_n_events"],
        v_user=v_user,
        e_visit=e_visit,
        e_pos=e_pos,
        e_ts=e_ts,
        e_kind=e_kind,
        e_user=e_user,
        e_path=e_path,
        e_received=e_ts + delay,
    )
