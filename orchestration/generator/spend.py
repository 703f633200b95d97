"""Daily ad spend for the paid campaigns whose traffic the generator makes.

A paid campaign is a landing variant (vocab.VARIANTS) with a GA4 paid medium (cpc, paid_social)
and a utm_campaign. Its spend on a day is what its clicks that day cost: the visits landing
from it, times the source's cost per click, with some day-to-day noise, in whole cents. A
project's ad accounts bill in one currency (ACCOUNT_CURRENCIES, by project), so the warehouse
has spend in several currencies to convert. Auto-tagged Google Ads clicks (gclid without UTM
tags) name no campaign, so no spend row can name theirs: their sessions show spend 0, as they
would in a warehouse that does not import Google Ads cost by click id.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from orchestration.generator import vocab
from orchestration.generator.world import DAY_MS, World
from orchestration.raw.contract import AD_SPEND_ARROW_SCHEMA, CLIENT_AD_SPEND_COLUMNS

# GA4's paid medium (macros/channels/channel_group.sql)
PAID_MEDIUM = re.compile(r"^(.*cp.*|ppc|retargeting|paid.*)$")
# Cost per click by source, in the account's currency.
COST_PER_CLICK = {"google": 2.40, "bing": 1.70, "facebook": 0.85, "linkedin": 5.60, "tiktok": 0.55}
# Day-to-day noise on the cost of a day's clicks (bids, auctions): lognormal sigma.
DAILY_NOISE = 0.2
# Project k (0-based) bills in ACCOUNT_CURRENCIES[k % 3].
ACCOUNT_CURRENCIES = ("USD", "EUR", "GBP")
ORIGIN = "generator"
# raw.ad_spend without loaded_at, which the warehouse stamps when the rows are written
SCHEMA = pa.schema([f for f in AD_SPEND_ARROW_SCHEMA if f.name != "loaded_at"])


def paid_campaigns() -> list[tuple[str, str, str]]:
    """(source, medium, campaign) of every paid campaign in the vocabulary, in VARIANTS order."""
    seen: dict[tuple[str, str, str], None] = {}
    for v in vocab.VARIANTS:
        if v.campaign and PAID_MEDIUM.match(v.medium.lower()):
            seen[(v.source, v.medium, v.campaign)] = None
    return list(seen)


def ad_spend(w: World, rng: np.random.Generator) -> pa.Table:
    """One row per (project, day, paid campaign) with at least one click that day, ordered by
    project, day and campaign. Deterministic for a world and a generator state."""
    campaigns = paid_campaigns()
    index = {c: i for i, c in enumerate(campaigns)}
    variant_campaign = np.array(
        [index.get((v.source, v.medium, v.campaign), -1) for v in vocab.VARIANTS]
    )
    v_campaign = variant_campaign[w.v_variant]
    paid = np.flatnonzero(v_campaign >= 0)
    n_projects, n_campaigns = len(w.project_ids), len(campaigns)
    day = (w.v_start[paid] - w.start_ms) // DAY_MS
    n_days = int(day.max()) + 1 if day.size else 0
    cell = (w.dev_project[w.v_dev[paid]] * max(n_days, 1) + day) * n_campaigns + v_campaign[paid]
    clicks = np.bincount(cell, minlength=n_projects * n_days * n_campaigns)
    cells = np.flatnonzero(clicks)  # project-major, then day, then campaign
    project, rest = np.divmod(cells, max(n_days, 1) * n_campaigns)
    day_of, campaign = np.divmod(rest, n_campaigns)
    cpc = np.array([COST_PER_CLICK[source] for source, _m, _c in campaigns])[campaign]
    noise = rng.lognormal(0.0, DAILY_NOISE, cells.shape[0])
    cents = np.maximum(1, np.round(clicks[cells] * cpc * noise * 100)).astype(np.int64)
    start = dt.datetime.fromtimestamp(w.start_ms / 1000, dt.UTC).date()
    return pa.table(
        {
            "project_id": [w.project_ids[p] for p in project],
            "date": [start + dt.timedelta(days=int(d)) for d in day_of],
            "source": [campaigns[c][0] for c in campaign],
            "medium": [campaigns[c][1] for c in campaign],
            "campaign": [campaigns[c][2] for c in campaign],
            "spend": [Decimal(int(c)) / 100 for c in cents],
            "currency": [ACCOUNT_CURRENCIES[p % len(ACCOUNT_CURRENCIES)] for p in project],
            "origin": [ORIGIN] * cells.shape[0],
        },
        schema=SCHEMA,
    )


def write_spend_csv(spend: pa.Table, path: Path) -> Path:
    """The spend rows as a spend file `millimetric load` reads (header: the raw.ad_spend columns
    an ad platform export carries; spend with two decimals). Overwrites `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CLIENT_AD_SPEND_COLUMNS)
        for row in spend.select(list(CLIENT_AD_SPEND_COLUMNS)).to_pylist():
            row["spend"] = f"{row['spend']:.2f}"
            writer.writerow([row[name] for name in CLIENT_AD_SPEND_COLUMNS])
    return path
