"""marts.attribution_roas against hand-computed cases, and against the generator's spend.

The hand-built world: a few sessions with UTM tags, purchases in two currencies, spend rows in
three, loaded through `millimetric load` from a spend file. Every expected figure is computed
by hand in the comments, from the rates of seeds/currency_rates.csv (checked below).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from orchestration import settings
from orchestration.generator import vocab
from orchestration.generator.spend import paid_campaigns
from orchestration.loader import load_paths
from orchestration.runtime import warehouse
from orchestration.runtime.dbt_cli import run_dbt
from tests.conftest import Query
from tests.eventkit import Event, insert_events
from tests.snapshots import assert_same_tables, snapshot
from tests.traffickit import write_generated

# builds a warehouse with dbt, or runs a Dagster job: minutes, not seconds
pytestmark = pytest.mark.slow

RATES = {"USD": Decimal(1), "EUR": Decimal("1.08"), "GBP": Decimal("1.27")}
SHOP = "https://shop.example/"


def utm(source: str, medium: str, campaign: str) -> str:
    return f"{SHOP}?utm_source={source}&utm_medium={medium}&utm_campaign={campaign}"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute)


def hand_built_events() -> list[Event]:
    return [
        # p1, d1: a Google Ads click on 03-02, then the newsletter on 03-04, where u1 signs up
        # and buys for 120 USD. Touches of the purchase: both sessions.
        Event("p1", "d1", at(2, 9), url=utm("google", "cpc", "brand")),
        Event("p1", "d1", at(4, 10), url=utm("newsletter", "email", "weekly")),
        Event("p1", "d1", at(4, 10, 1), "$identify", "u1"),
        Event(
            "p1", "d1", at(4, 10, 5), "purchase", "u1",
            properties={"revenue": 120, "currency": "USD"},
        ),
        # p1, d2: a Facebook ad on 03-02, u2 signs up and buys for 50 EUR (written lower-case)
        Event("p1", "d2", at(2, 12), url=utm("facebook", "paid_social", "spring")),
        Event("p1", "d2", at(2, 12, 1), "$identify", "u2"),
        Event(
            "p1", "d2", at(2, 12, 2), "purchase", "u2",
            properties={"revenue": "50.00", "currency": "eur"},
        ),
        # p1, d3: a click on the generic campaign on 03-03 that never converts
        Event("p1", "d3", at(3, 8), url=utm("google", "cpc", "generic")),
        # p1, d4: direct on 03-05, u4 buys for 10 with no currency: the default, USD
        Event("p1", "d4", at(5, 9)),
        Event("p1", "d4", at(5, 9, 1), "$identify", "u4"),
        Event("p1", "d4", at(5, 9, 2), "purchase", "u4", properties={"revenue": 10}),
        # p2 has the same ids and campaign: nothing of it may reach p1's rows
        Event("p2", "d1", at(2, 9), url=utm("google", "cpc", "brand")),
        Event("p2", "d1", at(2, 9, 1), "$identify", "u1"),
        Event(
            "p2", "d1", at(2, 9, 2), "purchase", "u1",
            properties={"revenue": 1000, "currency": "USD"},
        ),
    ]  # fmt: skip


SPEND_FILE = """\
project_id,date,source,medium,campaign,spend,currency
p1,2026-03-02,google,cpc,brand,40,USD
p1,2026-03-02,facebook,paid_social,spring,20,GBP
p1,2026-03-03,google,cpc,generic,10,USD
p1,2026-03-05,bing,cpc,brand,5,USD
p2,2026-03-02,google,cpc,brand,999,USD
"""


@pytest.fixture(scope="module")
def hand_built(module_warehouse, tmp_path_factory) -> Query:
    def load() -> None:
        insert_events(hand_built_events())
        spend = tmp_path_factory.mktemp("spend") / "ads.csv"
        spend.write_text(SPEND_FILE)
        with warehouse.connect() as client:
            summary = load_paths(client, [spend])
        assert (summary.inserted, summary.rejected) == (5, 0)

    return module_warehouse("roas", load)


def roas_rows(query: Query, project: str, model: str) -> list[tuple]:
    return query(
        f"""
        select activity_date, channel, source, medium, campaign, reporting_currency, spend,
            conversions, revenue, roas, cost_per_conversion
        from marts.attribution_roas
        where project_id = '{project}' and model = '{model}'
        order by activity_date, source, campaign
        """
    )


def d(day: int) -> dt.date:
    return dt.date(2026, 3, day)


def assert_rows(actual: list[tuple], expected: list[tuple]) -> None:
    """Money and credits exactly (Decimal); ROAS and cost per conversion to 1e-9."""
    assert len(actual) == len(expected), actual
    for got, want in zip(actual, expected, strict=True):
        assert got[:9] == (*want[:6], *(Decimal(v) for v in want[6:9])), got
        for g, w in zip(got[9:], want[9:], strict=True):
            assert (g is None) == (w is None) and (w is None or g == pytest.approx(w, 1e-9)), got


def test_the_seed_rates_are_the_ones_computed_by_hand():
    text = (settings.project_dir() / "seeds" / "currency_rates.csv").read_text()
    assert "EUR,2000-01-01,1.08" in text and "GBP,2000-01-01,1.27" in text


def test_last_touch_roas_by_hand(hand_built):
    # Purchases only (signups are not counted). Facebook spent 20 GBP = 25.40 USD and got u2's
    # 50 EUR = 54.00 USD: ROAS 54 / 25.4. Last touch gives u1's 120 to the newsletter, which cost
    # nothing: spend 0, ROAS NULL, cost per conversion 0. Google brand, generic and bing spent
    # 40, 10 and 5 and were credited nothing: ROAS 0, cost per conversion NULL. u4's 10 (no
    # currency: USD) goes to Direct on 03-05.
    assert_rows(
        roas_rows(hand_built, "p1", "last_touch"),
        [
            (d(2), "Paid Social", "facebook", "paid_social", "spring", "USD",
             "25.4", "1", "54", 54 / 25.4, 25.4),
            (d(2), "Paid Search", "google", "cpc", "brand", "USD", "40", "0", "0", 0.0, None),
            (d(3), "Paid Search", "google", "cpc", "generic", "USD", "10", "0", "0", 0.0, None),
            (d(4), "Email", "newsletter", "email", "weekly", "USD", "0", "1", "120", None, 0.0),
            (d(5), "Direct", "(direct)", "(none)", "(not set)", "USD", "0", "1", "10", None, 0.0),
            (d(5), "Paid Search", "bing", "cpc", "brand", "USD", "5", "0", "0", 0.0, None),
        ],
    )  # fmt: skip


def test_linear_and_first_touch_share_the_same_spend_differently(hand_built):
    # linear halves u1's purchase between the Google click (03-02) and the newsletter (03-04):
    # Google brand 60 / 40 = 1.5, 40 / 0.5 = 80 per conversion.
    assert_rows(
        roas_rows(hand_built, "p1", "linear"),
        [
            (d(2), "Paid Social", "facebook", "paid_social", "spring", "USD",
             "25.4", "1", "54", 54 / 25.4, 25.4),
            (d(2), "Paid Search", "google", "cpc", "brand", "USD", "40", "0.5", "60", 1.5, 80.0),
            (d(3), "Paid Search", "google", "cpc", "generic", "USD", "10", "0", "0", 0.0, None),
            (d(4), "Email", "newsletter", "email", "weekly", "USD", "0", "0.5", "60", None, 0.0),
            (d(5), "Direct", "(direct)", "(none)", "(not set)", "USD", "0", "1", "10", None, 0.0),
            (d(5), "Paid Search", "bing", "cpc", "brand", "USD", "5", "0", "0", 0.0, None),
        ],
    )  # fmt: skip
    # first touch gives all 120 to the click: 120 / 40 = 3; the newsletter row stays, empty
    first = {row[2:5]: row for row in roas_rows(hand_built, "p1", "first_touch")}
    assert_rows(
        [first["google", "cpc", "brand"], first["newsletter", "email", "weekly"]],
        [
            (d(2), "Paid Search", "google", "cpc", "brand", "USD", "40", "1", "120", 3.0, 40.0),
            (d(4), "Email", "newsletter", "email", "weekly", "USD", "0", "0", "0", None, None),
        ],
    )


def test_spend_shows_under_every_model_and_stays_in_its_project(hand_built):
    assert hand_built(
        "select model, sum(spend) from marts.attribution_roas where project_id = 'p1' "
        "group by model order by model"
    ) == [
        (model, Decimal("80.4"))  # 40 + 25.40 + 10 + 5, under each of the six models
        for model in sorted(
            ["first_touch", "last_touch", "last_non_direct", "linear", "position_based",
             "time_decay"]
        )
    ]  # fmt: skip
    # p2's 999 on the same day and campaign, and its 1000, stay in p2
    assert_rows(
        roas_rows(hand_built, "p2", "last_touch"),
        [(d(2), "Paid Search", "google", "cpc", "brand", "USD", "999", "1", "1000",
          1000 / 999, 999.0)],
    )  # fmt: skip


def test_an_incremental_run_with_new_spend_and_events_equals_a_full_rebuild(chdb_path, tmp_path):
    """The spend, ROAS and path tables are rebuilt in full on every run, so after incremental
    runs fed events and spend in two deliveries (the second restating a day) they equal a full
    rebuild, row for row (tests/snapshots.py compares every model table)."""
    events = hand_built_events()
    spend = SPEND_FILE.splitlines()
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("\n".join(spend[:3]) + "\n")
    second.write_text("\n".join([spend[0], *spend[3:], spend[1].replace(",40,", ",42,")]) + "\n")
    run_dbt(["seed"], quiet=True)
    for batch, spend_file in ((events[:6], first), (events[6:], second)):
        insert_events(batch)
        with warehouse.connect() as client:
            load_paths(client, [spend_file])
        run_dbt(["run"], quiet=True)
    incremental = snapshot()
    assert {"marts.attribution_roas", "marts.path_summary", "analytics.int_paths_transformed"} < (
        set(incremental)
    )
    # the restated day replaced the first figure: 42, not 40 or 82
    assert (d(2), "last_touch", "google", "brand", Decimal(42)) in [
        (r[-1], r[1], r[3], r[5], r[7]) for r in incremental["marts.attribution_roas"]
    ]
    run_dbt(["run", "--full-refresh"], quiet=True)
    assert_same_tables(incremental, snapshot())


# --- against the generator ----------------------------------------------------------------------

WORLD = {"days": 30, "visitors": 2000, "projects": 3, "seed": 5}


@pytest.fixture(scope="module")
def generated(module_warehouse) -> Query:
    counts: dict[str, int] = {}
    built = module_warehouse("roas_truth", lambda: counts.update(write_generated(**WORLD)))
    assert counts["ad_spend"] > 100
    return built


def generator_spend() -> list[dict]:
    from orchestration.generator import generate

    return generate(**WORLD).ad_spend.to_pylist()


def test_spend_per_campaign_equals_what_the_generator_wrote(generated):
    expected: dict[tuple, Decimal] = {}
    for row in generator_spend():
        key = (row["project_id"], row["source"], row["medium"], row["campaign"])
        # each day converted on its own; spend has two decimals, so x1.08 and x1.27 are exact
        expected[key] = expected.get(key, Decimal(0)) + row["spend"] * RATES[row["currency"]]
    for model in ("last_non_direct", "linear", "time_decay"):
        actual = generated(
            f"""
            select project_id, source, medium, campaign, sum(spend)
            from marts.attribution_roas
            where model = '{model}' and spend > 0
            group by all
            """
        )
        assert {(p, s, m, c): total for p, s, m, c, total in actual} == expected, model


def test_spend_rows_get_the_channel_their_sessions_get(generated):
    channel_of = {(v.source, v.medium, v.campaign): v.channel for v in vocab.VARIANTS}
    rows = generated(
        "select distinct source, medium, campaign, channel from analytics.int_ad_spend_classified"
    )
    assert {(s, m, c): ch for s, m, c, ch in rows} == {c: channel_of[c] for c in paid_campaigns()}
    # and a campaign's spend and its credited sessions land on one row, not two
    assert generated(
        """
        select count() from (
            select project_id, activity_date, model, source, medium, campaign
            from marts.attribution_roas group by all having count() > 1
        )
        """
    ) == [(0,)]


def test_credited_purchases_and_revenue_add_up_to_the_truth(generated):
    [(purchases, revenue)] = generated(
        """
        select count(), sum(toDecimal128(toString(revenue), 2) * multiIf(
            currency = 'EUR', toDecimal128('1.08', 2), currency = 'GBP', toDecimal128('1.27', 2),
            toDecimal128(1, 2)))
        from truth.conversions where conversion_name = 'purchase'
        """
    )
    assert purchases > 50
    rows = generated(
        "select model, sum(conversions), sum(revenue), countIf(spend is null or revenue is null) "
        "from marts.attribution_roas group by model"
    )
    assert len(rows) == 6
    for model, conversions, credited, unknown in rows:
        assert conversions == purchases, model  # credits of each purchase sum to exactly 1
        # revenue credits are rounded to 6 decimals per touch before conversion
        assert abs(credited - revenue) < Decimal("0.01"), model
        assert unknown == 0, model  # every currency has a rate
    # ROAS is revenue / spend wherever there is spend
    assert generated(
        """
        select count() from marts.attribution_roas
        where spend > 0 and abs(roas - toFloat64(revenue) / toFloat64(spend)) > 1e-9
            or spend = 0 and roas is not null
        """
    ) == [(0,)]


def test_the_quickstart_shows_spend_and_roas_by_channel(generated):
    """What `millimetric build` could print (docs/attribution.md): every paid channel spent and
    has a ROAS; unpaid channels have conversions without spend."""
    rows = generated(
        """
        select channel, sum(spend), sum(conversions), sum(revenue)
        from marts.attribution_roas where model = 'last_non_direct'
        group by channel order by channel
        """
    )
    by_channel = {channel: (spend, conv, rev) for channel, spend, conv, rev in rows}
    assert by_channel["Paid Search"][0] > 0 and by_channel["Paid Social"][0] > 0
    assert by_channel["Organic Search"][0] == 0 and by_channel["Organic Search"][1] > 0
