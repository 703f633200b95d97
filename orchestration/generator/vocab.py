"""The generator's fixed vocabulary: traffic sources with their true attribution, pages, user
agents, custom events and traits.

Every string here is plain ASCII without quotes, backslashes or control characters, so the
NDJSON writer can splice them into JSON without escaping.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np

# Channel names follow GA4's default channel grouping.
PAID_SOCIAL = "Paid Social"
PAID_SEARCH = "Paid Search"
EMAIL = "Email"
AFFILIATES = "Affiliates"
ORGANIC_SEARCH = "Organic Search"
ORGANIC_SOCIAL = "Organic Social"
REFERRAL = "Referral"
DIRECT = "Direct"
UNASSIGNED = "Unassigned"

# A visit whose first referrer is on the project's own host (tab restored, bookmark of an inner
# page...). The concrete URL depends on the project, so it is filled in per visit.
INTERNAL_REFERRER = "<internal>"

# GA4 reports a search engine referral under the engine's name, not its host (google / organic
# beside google / cpc); the warehouse does the same (seeds/channel_source_categories.csv).
SEARCH_ENGINE_NAMES = {"google.com": "google", "bing.com": "bing", "duckduckgo.com": "duckduckgo"}
SOCIAL_HOSTS = ("facebook.com", "t.co", "linkedin.com", "reddit.com", "instagram.com")


@dataclass(frozen=True)
class Variant:
    """One way to land on a site, and what the warehouse must attribute it to."""

    kind: str
    weight: float  # relative, within the kind
    query: str  # landing URL query string ('' or starting with '?')
    click_param: str  # a click id parameter appended to the query ('' = none)
    click_share: float  # share of these landings that carry the click id
    referrer: str  # '' | external URL | INTERNAL_REFERRER
    source: str
    medium: str
    campaign: str
    channel: str


@dataclass(frozen=True)
class Kind:
    name: str
    first_visit_weight: float  # a device's first visit
    return_visit_weight: float  # later visits (returning visitors come direct more often)


KINDS: tuple[Kind, ...] = (
    Kind("facebook_paid", 0.10, 0.04),
    Kind("google_cpc", 0.10, 0.05),
    Kind("newsletter", 0.04, 0.08),
    Kind("linkedin_paid", 0.03, 0.01),
    Kind("bing_cpc", 0.02, 0.01),
    Kind("affiliate", 0.03, 0.01),
    Kind("tiktok_paid", 0.02, 0.01),
    Kind("gclid", 0.05, 0.03),
    Kind("organic_search", 0.22, 0.18),
    Kind("organic_social", 0.08, 0.05),
    Kind("referral", 0.06, 0.03),
    Kind("direct", 0.22, 0.40),
    Kind("internal", 0.03, 0.10),
)


def _referrer_source(url: str) -> str:
    """A search engine's name, else the referrer's host without www."""
    host = urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return SEARCH_ENGINE_NAMES.get(host, host)


def _utm(
    kind: str,
    source: str,
    medium: str,
    channel: str,
    campaigns: tuple[str, ...],
    extras: tuple[str, ...],
    referrers: tuple[str, ...],
    click: tuple[str, float] = ("", 0.0),
) -> list[Variant]:
    out = []
    for campaign in campaigns:
        for extra in extras:
            for referrer in referrers:
                query = f"?utm_source={source}&utm_medium={medium}&utm_campaign={campaign}{extra}"
                out.append(
                    Variant(
                        kind=kind,
                        weight=1.0,
                        query=query,
                        click_param=click[0],
                        click_share=click[1],
                        referrer=referrer,
                        source=source,
                        medium=medium,
                        campaign=campaign,
                        channel=channel,
                    )
                )
    return out


def _referred(kind: str, medium: str, channel: str, urls: dict[str, float]) -> list[Variant]:
    return [
        Variant(kind, w, "", "", 0.0, url, _referrer_source(url), medium, "", channel)
        for url, w in urls.items()
    ]


def _variants() -> list[Variant]:
    v: list[Variant] = []
    # UTM tags win over everything else, including a referrer and a click id on the same landing.
    v += _utm(
        "facebook_paid", "facebook", "paid_social", PAID_SOCIAL,
        ("spring_sale", "retargeting", "lookalike_q1"),
        ("", "&utm_content=video_a", "&utm_content=carousel_b"),
        ("", "https://www.facebook.com/"),
        ("&fbclid=", 0.6),
    )  # fmt: skip
    v += _utm(
        "google_cpc", "google", "cpc", PAID_SEARCH,
        ("brand", "generic_analytics", "competitor"),
        ("", "&utm_term=product+analytics", "&utm_term=session+tracking"),
        ("", "https://www.google.com/"),
        ("&gclid=", 0.5),
    )  # fmt: skip
    v += _utm(
        "newsletter", "newsletter", "email", EMAIL,
        ("weekly_digest", "product_update", "winback"), ("", "&utm_content=header_link"), ("",),
    )  # fmt: skip
    v += _utm(
        "linkedin_paid", "linkedin", "paid_social", PAID_SOCIAL,
        ("b2b_launch", "cto_persona"), ("",), ("", "https://www.linkedin.com/"),
    )  # fmt: skip
    v += _utm("bing_cpc", "bing", "cpc", PAID_SEARCH, ("brand", "generic_analytics"), ("",), ("",))
    v += _utm(
        "affiliate", "partner", "affiliate", AFFILIATES,
        ("partner_program", "review_sites"), ("",), ("", "https://partner-reviews.example.net/"),
    )  # fmt: skip
    v += _utm(
        "tiktok_paid", "tiktok", "paid_social", PAID_SOCIAL,
        ("awareness_q1",), ("", "&utm_content=creator_clip"), ("",),
    )  # fmt: skip
    # Auto-tagged Google Ads click without UTM: google / cpc, even when Google is the referrer.
    for referrer in ("", "https://www.google.com/"):
        v.append(
            Variant("gclid", 1.0, "", "?gclid=", 1.0, referrer, "google", "cpc", "", PAID_SEARCH)
        )
    v += _referred(
        "organic_search", "organic", ORGANIC_SEARCH,
        {"https://www.google.com/": 6, "https://www.bing.com/": 2, "https://duckduckgo.com/": 1},
    )  # fmt: skip
    v += _referred(
        "organic_social", "referral", ORGANIC_SOCIAL,
        {
            "https://www.facebook.com/": 3,
            "https://t.co/Xy12AbCd": 2,
            "https://www.linkedin.com/feed/": 2,
            "https://www.reddit.com/r/analytics/comments/abc123/": 2,
            "https://www.instagram.com/": 1,
        },
    )  # fmt: skip
    v += _referred(
        "referral", "referral", REFERRAL,
        {
            "https://techcrunch.com/2026/01/05/privacy-first-analytics/": 2,
            "https://blog.example.org/posts/best-analytics-tools": 2,
            "https://www.theverge.com/tech": 1,
        },
    )  # fmt: skip
    v.append(Variant("direct", 1.0, "", "", 0.0, "", "(direct)", "(none)", "", DIRECT))
    # A first referrer on the site's own host is not a source: the visit is direct.
    v.append(
        Variant("internal", 1.0, "", "", 0.0, INTERNAL_REFERRER, "(direct)", "(none)", "", DIRECT)
    )
    return v


VARIANTS: tuple[Variant, ...] = tuple(_variants())


def _check_vocabulary() -> None:
    kinds = [k.name for k in KINDS]
    assert sorted({v.kind for v in VARIANTS}) == sorted(kinds)
    for weights in ("first_visit_weight", "return_visit_weight"):
        assert abs(sum(getattr(k, weights) for k in KINDS) - 1.0) < 1e-9
    for v in VARIANTS:
        if v.kind in ("organic_search",):
            assert v.source in SEARCH_ENGINE_NAMES.values()
        if v.kind == "organic_social":
            assert v.source in SOCIAL_HOSTS


_check_vocabulary()


class VariantSampler:
    """Draws a landing variant per visit: a kind by visit position, then a variant in the kind."""

    def __init__(self) -> None:
        names = [k.name for k in KINDS]
        self.first_p = np.array([k.first_visit_weight for k in KINDS])
        self.return_p = np.array([k.return_visit_weight for k in KINDS])
        kind_of = np.array([names.index(v.kind) for v in VARIANTS])
        # VARIANTS are grouped by kind in KINDS order; cum[i] = kind + cumulative share in kind.
        assert np.all(np.diff(kind_of) >= 0)
        weights = np.array([v.weight for v in VARIANTS])
        totals = np.bincount(kind_of, weights=weights)
        within = np.zeros(len(VARIANTS))
        for k in range(len(KINDS)):
            idx = np.flatnonzero(kind_of == k)
            within[idx] = np.cumsum(weights[idx]) / totals[k]
        within[np.r_[np.flatnonzero(np.diff(kind_of)), len(VARIANTS) - 1]] = 1.0
        self.cum = kind_of + within

    def sample(self, rng: np.random.Generator, first_visit: np.ndarray) -> np.ndarray:
        n = first_visit.shape[0]
        u = rng.random(n)
        kind = np.where(
            first_visit,
            np.searchsorted(np.cumsum(self.first_p), u, side="right"),
            np.searchsorted(np.cumsum(self.return_p), u, side="right"),
        )
        kind = np.minimum(kind, len(KINDS) - 1)
        # Nudged below 1.0 so that a draw never lands on the next kind's boundary.
        w = np.minimum(rng.random(n), 1 - 1e-12)
        return np.searchsorted(self.cum, kind + w, side="right").astype(np.int32)


# Pages: (path, title, landing weight, in-visit weight).
PAGES: tuple[tuple[str, str, float, float], ...] = (
    ("/", "Home", 30, 6),
    ("/pricing", "Pricing", 12, 12),
    ("/features", "Features", 8, 10),
    ("/docs/getting-started", "Getting started", 8, 10),
    ("/docs/sessions", "Sessions", 2, 6),
    ("/docs/identity", "Identity", 2, 6),
    ("/blog/product-analytics-101", "Product analytics 101", 10, 4),
    ("/blog/attribution-models", "Attribution models", 8, 4),
    ("/blog/cookieless-tracking", "Cookieless tracking", 6, 3),
    ("/changelog", "Changelog", 2, 3),
    ("/signup", "Sign up", 4, 8),
    ("/login", "Log in", 6, 6),
    ("/account", "Account", 1, 6),
    ("/checkout", "Checkout", 0.5, 5),
    ("/contact", "Contact", 1, 3),
)

USER_AGENTS: tuple[str, ...] = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
)
USER_AGENT_WEIGHTS = (30, 15, 12, 18, 12, 6, 2, 5)

BUTTON_PROPERTIES = (
    '{"button":"cta_signup"}',
    '{"button":"cta_demo"}',
    '{"button":"nav_pricing"}',
    '{"button":"copy_snippet"}',
)
FORM_PROPERTIES = ('{"form":"contact"}', '{"form":"newsletter"}', '{"form":"demo_request"}')

PLANS = ("free", "starter", "pro", "enterprise")
PLAN_WEIGHTS = (0.5, 0.25, 0.2, 0.05)
TIERS = ("bronze", "silver", "gold")
CURRENCIES = ("USD", "EUR", "GBP")
CURRENCY_WEIGHTS = (0.7, 0.2, 0.1)
PRICE_POINTS_CENTS = (900, 2900, 4900, 9900, 29900)
