"""Bot traffic: extra devices that are not people, merged into the events, with truth.bots.

Two sorts (docs/generator.md, "Bots"):
- known bots, with their own user agents: crawlers (search, social previews, SEO, AI), headless
  browsers, HTTP libraries and uptime monitors;
- machine-like devices with an ordinary browser user agent, whose burst of 70-200 events at
  most 0.9 s apart no person clicks.

Bots never identify or buy, and are no visit, conversion or user: the other truth tables stay
the truth of the human traffic. Bots come on top of the `visitors` devices and draw from their
own random stream, so adding them does not move a single human event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator import ids, vocab
from orchestration.generator.arrays import concat_strings, gather, strings
from orchestration.generator.world import DAY_MS, MINUTE_MS, World
from orchestration.raw.contract import EVENTS_ARROW_SCHEMA

BOT_SHARE = 0.01  # bot devices per human device


@dataclass(frozen=True)
class Kind:
    name: str
    weight: float
    user_agents: tuple[str, ...]  # empty: an ordinary browser's (vocab.USER_AGENTS)
    events: tuple[int, int]  # inclusive range of events per device
    interval_ms: tuple[int, int]  # range of the time between two events
    click_share: float = 0.0  # share of button_click among the events, else $pageview
    home_page_only: bool = False


KINDS = (
    Kind(
        "crawler",
        0.40,
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
            "+http://www.google.com/bot.html) Chrome/131.0.6778.204 Safari/537.36",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/"
            "applebot)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Twitterbot/1.0",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
            "Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
            "+https://openai.com/gptbot)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
            "+claudebot@anthropic.com)",
            "CCBot/2.0 (https://commoncrawl.org/faq/)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
            "+https://perplexity.ai/perplexitybot)",
            "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
            "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
        ),
        events=(3, 40),
        interval_ms=(2_000, 3 * MINUTE_MS),
    ),
    Kind(
        "headless_browser",
        0.10,
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) "
            "PhantomJS/2.1.1 Safari/538.1",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Puppeteer",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Playwright/1.49.0",
            "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0 Selenium/4.27.0",
        ),
        events=(5, 40),
        interval_ms=(300, 8_000),
        click_share=0.2,
    ),
    Kind(
        "http_library",
        0.10,
        (
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.32.3",
            "Go-http-client/2.0",
            "okhttp/4.12.0",
            "axios/1.7.9",
            "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
            "Java/17.0.13",
        ),
        events=(1, 20),
        interval_ms=(100, 30_000),
    ),
    Kind(
        "uptime_monitor",
        0.10,
        (
            "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
            "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 StatusCake",
            "Site24x7",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 DatadogSynthetics",
            "Better Uptime Bot Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 NewRelicSynthetics/1.0",
        ),
        events=(24, 200),
        interval_ms=(5 * MINUTE_MS, 15 * MINUTE_MS),
        home_page_only=True,
    ),
    Kind(
        "machine_like",
        0.30,
        (),
        events=(70, 200),
        interval_ms=(150, 900),
        click_share=0.2,
    ),
)
BOT_KINDS = tuple(k.name for k in KINDS)
# Before its burst a machine-like device sends a few events at a human pace: the whole device,
# not only the burst, is a bot.
WARM_UP_EVENTS = (1, 5)
WARM_UP_INTERVAL_MS = (5_000, 60_000)


def _timing(rng: np.random.Generator, w: World, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bot of each event, timestamp of each event), bot-major and in time order per bot."""
    n_bots = kind.shape[0]
    lo = np.array([k.events[0] for k in KINDS])[kind]
    hi = np.array([k.events[1] for k in KINDS])[kind]
    n_events = rng.integers(lo, hi + 1)
    machine = kind == BOT_KINDS.index("machine_like")
    warm_up = np.where(machine, rng.integers(WARM_UP_EVENTS[0], WARM_UP_EVENTS[1] + 1, n_bots), 0)
    n_events = n_events + warm_up
    e_bot = np.repeat(np.arange(n_bots), n_events)
    first = np.cumsum(n_events) - n_events
    pos = np.arange(e_bot.shape[0]) - first[e_bot]

    i_lo = np.array([k.interval_ms[0] for k in KINDS])[kind][e_bot]
    i_hi = np.array([k.interval_ms[1] for k in KINDS])[kind][e_bot]
    step = rng.integers(i_lo, i_hi + 1)
    # a monitor checks at a fixed interval, give or take a second
    monitor = kind[e_bot] == BOT_KINDS.index("uptime_monitor")
    step = np.where(monitor, i_lo + (rng.integers(0, 3, n_bots)[e_bot] * (i_hi - i_lo)) // 2, step)
    step = step + np.where(monitor, rng.integers(0, 1_000, e_bot.shape[0]), 0)
    slow = pos <= warm_up[e_bot]  # the warm-up events, and the pause before the burst
    step = np.where(
        slow & (warm_up[e_bot] > 0), rng.integers(*WARM_UP_INTERVAL_MS, e_bot.size), step
    )
    step[pos == 0] = 0
    offset = np.cumsum(step)
    offset -= offset[first][e_bot]

    window = w.days * DAY_MS
    span = offset[first + n_events - 1]
    start = w.start_ms + np.floor(rng.random(n_bots) * np.maximum(window - span, 0)).astype(
        np.int64
    )
    return e_bot, start[e_bot] + offset


def bot_traffic(w: World, rng: np.random.Generator) -> tuple[pa.Table, pa.Table]:
    """(events, truth.bots) of round(BOT_SHARE * devices) bots in w's projects (spread like the
    people) and window. Events have the raw.events columns, in received_at order; a bot's
    events all lie in the window (a monitor outlasting it stops at its end)."""
    people = np.bincount(w.dev_project, minlength=len(w.project_ids))
    n_bots = int(round(BOT_SHARE * w.dev_project.shape[0]))
    weights = np.array([k.weight for k in KINDS])
    kind = rng.choice(len(KINDS), size=n_bots, p=weights / weights.sum())
    project = rng.choice(len(w.project_ids), size=n_bots, p=people / people.sum())
    agents = [a for k in KINDS for a in (k.user_agents or vocab.USER_AGENTS)]
    agent_start = np.cumsum([0] + [len(k.user_agents or vocab.USER_AGENTS) for k in KINDS])
    agent_count = np.diff(agent_start)
    agent = agent_start[kind] + np.floor(rng.random(n_bots) * agent_count[kind]).astype(np.int64)

    e_bot, e_ts = _timing(rng, w, kind)
    keep = e_ts < w.start_ms + w.days * DAY_MS
    e_bot, e_ts = e_bot[keep], e_ts[keep]
    n_ev = e_ts.shape[0]
    received = e_ts + rng.integers(50, 3_001, n_ev)
    order = np.argsort(received, kind="stable")
    e_bot, e_ts, received = e_bot[order], e_ts[order], received[order]

    click = rng.random(n_ev) < np.array([k.click_share for k in KINDS])[kind][e_bot]
    home = np.array([k.home_page_only for k in KINDS])[kind][e_bot]
    inner_w = np.array([p[3] for p in vocab.PAGES])
    page = np.where(home, 0, rng.choice(len(vocab.PAGES), size=n_ev, p=inner_w / inner_w.sum()))
    titles = strings([f'{{"title":"{title}"}}' for _path, title, _a, _b in vocab.PAGES])
    buttons = strings(list(vocab.BUTTON_PROPERTIES))
    properties = pc.if_else(
        pa.array(click),
        gather(buttons, rng.integers(0, len(buttons), n_ev)),
        gather(titles, page),
    )
    hosts = strings(w.hosts)
    anonymous_ids = ids.random_uuids(rng, n_bots)
    ts_type = pa.timestamp("ms", tz="UTC")
    events = pa.table(
        {
            "event_id": ids.random_uuids(rng, n_ev),
            "project_id": gather(strings(w.project_ids), project[e_bot]),
            "event_name": pc.if_else(pa.array(click), "button_click", "$pageview"),
            "anonymous_id": gather(anonymous_ids, e_bot),
            "user_id": pa.nulls(n_ev, pa.string()),
            "timestamp": pa.array(e_ts, type=ts_type),
            "received_at": pa.array(received, type=ts_type),
            "url": concat_strings(
                gather(hosts, project[e_bot]), gather(strings([p[0] for p in vocab.PAGES]), page)
            ),
            "referrer": pa.array([""] * n_ev, type=pa.string()),
            "properties": properties,
            "user_agent": gather(strings(agents), agent[e_bot]),
            "is_anonymous_id_fabricated": pa.array(np.zeros(n_ev, dtype=bool)),
        },
        schema=EVENTS_ARROW_SCHEMA,
    )

    counts = np.bincount(e_bot, minlength=n_bots)
    first_ts = np.full(n_bots, np.iinfo(np.int64).max)
    last_ts = np.full(n_bots, np.iinfo(np.int64).min)
    np.minimum.at(first_ts, e_bot, e_ts)
    np.maximum.at(last_ts, e_bot, e_ts)
    truth = pa.table(
        {
            "project_id": gather(strings(w.project_ids), project),
            "anonymous_id": anonymous_ids,
            "kind": gather(strings(list(BOT_KINDS)), kind),
            "user_agent": gather(strings(agents), agent),
            "event_count": pa.array(counts.astype(np.uint32)),
            "first_event_at": pa.array(first_ts, type=ts_type),
            "last_event_at": pa.array(last_ts, type=ts_type),
        }
    )
    return events, truth


def add_bots(w: World, events: pa.Table, seed: int) -> tuple[pa.Table, pa.Table]:
    """(the people's events with the bots' merged in received_at order, truth.bots). The human
    rows keep their order; the bots draw from a stream of their own (seed, 4)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 4]))
    bot_events, truth = bot_traffic(w, rng)
    merged = pa.concat_tables([events, bot_events])
    received = pc.cast(merged["received_at"], pa.int64()).to_numpy()
    return merged.take(pa.array(np.argsort(received, kind="stable"))), truth
