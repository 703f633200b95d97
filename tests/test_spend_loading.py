"""Ad spend files through `load_paths` into raw.ad_spend, against a real chDB warehouse.

Inputs and expected results (stored values, line numbers, reasons) are written out by hand; the
generator's spend is checked against the table the generator itself returned.
"""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.generator import generate, write_ndjson, write_to_warehouse
from orchestration.loader import LoadSummary, load_paths
from orchestration.loader.spend import REASON_CODES, is_spend_file, known_currencies
from orchestration.runtime import warehouse

HEADER = "project_id,date,source,medium,campaign,spend,currency"
STORED = (
    "select project_id, date, source, medium, campaign, spend, currency, origin "
    "from raw.ad_spend final order by project_id, date, source, medium, campaign"
)


@pytest.fixture
def load(chdb_path):
    def run(paths: list[Path], **kwargs) -> LoadSummary:
        run.messages = []
        with warehouse.connect() as client:
            return load_paths(client, paths, progress=run.messages.append, **kwargs)

    return run


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def rejected(query, path: Path) -> dict[int, str]:
    rows = query(
        "select line_number, reason from raw.events_rejected where file = {f:String}",
        {"f": str(path.resolve())},
    )
    return dict(rows)


def assert_invariants(summary: LoadSummary) -> None:
    for f in [*summary.files, summary]:
        assert f.loaded + f.rejected == f.lines_read
        assert f.inserted + f.duplicates_skipped + f.forgotten_skipped == f.loaded


def test_a_spend_csv_loads_into_raw_ad_spend(load, query, tmp_path):
    path = write(
        tmp_path / "google-ads.csv",
        [
            HEADER,
            "p1,2026-01-05,google,cpc,brand,12.50,USD",
            "p1,2026-01-05,google,cpc,,3,eur",  # no campaign: '(not set)', as sessions say
            "p1,2026-01-06,Google,CPC,Brand 2026,0.000001,GBP",  # stored as sent
            "",
            "p2,2026-01-05,google,cpc,brand,999999999999.999999,USD",
        ],
    )
    summary = load([path])
    assert_invariants(summary)
    assert (summary.lines_read, summary.blank_lines, summary.loaded, summary.inserted) == (
        4,
        1,
        4,
        4,
    )
    assert summary.rejected == 0 and summary.ok
    origin = str(path.resolve())
    assert query(STORED) == [
        ("p1", dt.date(2026, 1, 5), "google", "cpc", "(not set)", Decimal(3), "EUR", origin),
        ("p1", dt.date(2026, 1, 5), "google", "cpc", "brand", Decimal("12.5"), "USD", origin),
        (
            "p1",
            dt.date(2026, 1, 6),
            "Google",
            "CPC",
            "Brand 2026",
            Decimal("0.000001"),
            "GBP",
            origin,
        ),
        (
            "p2",
            dt.date(2026, 1, 5),
            "google",
            "cpc",
            "brand",
            Decimal("999999999999.999999"),
            "USD",
            origin,
        ),
    ]
    assert query("select count() from raw.events") == [(0,)]
    assert any("ad spend done" in m for m in load.messages)


def test_every_bad_row_is_rejected_with_its_reason(load, query, tmp_path):
    path = write(
        tmp_path / "spend.csv",
        [
            HEADER,
            "p1,2026-01-05,google,cpc,brand,10,USD",  # 2: loaded
            "p1,2026-01-05,google,cpc,brand,11,USD",  # 3: same key again
            'p1,2026-01-06,google,cpc,brand,"12,50",USD',  # 4
            "p1,2026-01-06,google,cpc,brand,-1,USD",  # 5
            "p1,2026-01-06,google,cpc,brand,1.1234567,USD",  # 6
            "p1,2026-01-06,google,cpc,brand,1e3,USD",  # 7
            "p1,2026-01-06,google,cpc,brand,1000000000000,USD",  # 8
            "p1,2026-01-06,google,cpc,brand,,USD",  # 9
            "p1,2026/01/06,google,cpc,brand,1,USD",  # 10
            "p1,2026-02-30,google,cpc,brand,1,USD",  # 11
            "p1,2026-01-06T00:00:00Z,google,cpc,brand,1,USD",  # 12
            "p1,1969-12-31,google,cpc,brand,1,USD",  # 13
            "p1,2026-01-06,google,cpc,brand,1,US",  # 14
            "p1,2026-01-06,google,cpc,brand,1,",  # 15
            ",2026-01-06,google,cpc,brand,1,USD",  # 16
            "p1,2026-01-06,,cpc,brand,1,USD",  # 17
            "p1,2026-01-06,google,cpc",  # 18
            "p1,2026-01-07,google,cpc,brand,1.5,usd",  # 19: loaded
        ],
    )
    summary = load([path])
    assert_invariants(summary)
    assert (summary.lines_read, summary.loaded, summary.rejected) == (18, 2, 16)
    assert rejected(query, path) == {
        3: "duplicate_key: (project_id, date, source, medium, campaign) is already on line 2 "
        "of this file",
        4: "invalid_spend: spend '12,50' is not a decimal number (like 1234.56)",
        5: "invalid_spend: spend '-1' is negative",
        6: "invalid_spend: spend '1.1234567' has more than 6 decimal places",
        7: "invalid_spend: spend '1e3' is not a decimal number (like 1234.56)",
        8: "invalid_spend: spend '1000000000000' is over what Decimal(18, 6) holds",
        9: "missing_field: spend is missing",
        10: "invalid_date: date '2026/01/06' is not a date (YYYY-MM-DD)",
        11: "invalid_date: date '2026-02-30' is not a date",
        12: "invalid_date: date '2026-01-06T00:00:00Z' is not a date (YYYY-MM-DD)",
        13: "invalid_date: date 1969-12-31 is outside 1970-01-01..2149-06-06, the range stored",
        14: "invalid_currency: currency 'US' is not a three-letter ISO 4217 code",
        15: "missing_field: currency is missing",
        16: "missing_field: project_id is missing",
        17: "missing_field: source is missing",
        18: "unparseable_csv: record has 4 fields, the header has 7",
    }
    assert {reason.split(":")[0] for reason in rejected(query, path).values()} <= set(REASON_CODES)
    assert query("select date, spend, currency from raw.ad_spend final order by date") == [
        (dt.date(2026, 1, 5), Decimal(10), "USD"),  # the first of the repeated key
        (dt.date(2026, 1, 7), Decimal("1.5"), "USD"),
    ]
    # the raw line is kept verbatim
    assert query(
        "select raw_line from raw.events_rejected where line_number = 4 and file = {f:String}",
        {"f": str(path.resolve())},
    ) == [('p1,2026-01-06,google,cpc,brand,"12,50",USD',)]


def test_a_currency_without_an_exchange_rate_is_rejected_at_load(load, query, tmp_path):
    """The shipped seeds/currency_rates.csv has EUR and GBP; USD is the reporting currency
    (dbt_project.yml). Any other code, ISO 4217 or not, would leave its channel's spend unknown
    in every build: it is refused with the known list instead."""
    path = write(
        tmp_path / "spend.csv",
        [
            HEADER,
            "p1,2026-01-05,google,cpc,brand,10,XXX",  # 2
            "p1,2026-01-06,google,cpc,brand,11,usd",  # 3: loaded as USD
            "p1,2026-01-07,google,cpc,brand,12,EUR",  # 4: loaded
            "p1,2026-01-08,google,cpc,brand,13,jpy",  # 5: a real currency, but no rate
        ],
    )
    summary = load([path])
    assert_invariants(summary)
    assert (summary.lines_read, summary.loaded, summary.rejected) == (4, 2, 2)
    known = "known: EUR, GBP, USD"
    assert rejected(query, path) == {
        2: "invalid_currency: currency 'XXX' has no exchange rate in seeds/currency_rates.csv "
        f"and is not the reporting currency; {known}",
        5: "invalid_currency: currency 'jpy' has no exchange rate in seeds/currency_rates.csv "
        f"and is not the reporting currency; {known}",
    }
    assert query("select date, spend, currency from raw.ad_spend final order by date") == [
        (dt.date(2026, 1, 6), Decimal(11), "USD"),
        (dt.date(2026, 1, 7), Decimal(12), "EUR"),
    ]
    assert known_currencies() == {"EUR", "GBP", "USD"}


def test_the_known_currencies_are_read_from_the_seed_and_the_vars(
    load, query, tmp_path, monkeypatch
):
    """Another project: its own seed (JPY only) and reporting currency (EUR, scoped to the
    package as dbt allows). The loader follows them: no list of currencies is typed in Python."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: millimetric\nvars:\n  millimetric__reporting_currency: USD\n"
        "  millimetric:\n    millimetric__reporting_currency: EUR\n"
    )
    write(
        project / "seeds" / "currency_rates.csv",
        ["currency,valid_from,rate", "JPY,2000-01-01,0.0062"],
    )
    monkeypatch.setenv("MILLIMETRIC_PROJECT_DIR", str(project))
    assert known_currencies() == {"EUR", "JPY"}
    path = write(
        tmp_path / "spend.csv",
        [
            HEADER,
            "p1,2026-01-05,google,cpc,brand,10,USD",  # 2: not this project's reporting currency
            "p1,2026-01-06,google,cpc,brand,11,EUR",  # 3
            "p1,2026-01-07,google,cpc,brand,12,JPY",  # 4
        ],
    )
    summary = load([path])
    assert_invariants(summary)
    assert rejected(query, path) == {
        2: "invalid_currency: currency 'USD' has no exchange rate in seeds/currency_rates.csv "
        "and is not the reporting currency; known: EUR, JPY",
    }
    assert query("select currency from raw.ad_spend final order by date") == [("EUR",), ("JPY",)]


def test_an_unknown_column_rejects_every_row(load, query, tmp_path):
    path = write(
        tmp_path / "spend.csv",
        [f"{HEADER},clicks", "p1,2026-01-05,google,cpc,brand,10,USD,4"],
    )
    summary = load([path])
    assert summary.rejected == 1 and summary.loaded == 0
    assert rejected(query, path) == {2: "unknown_field: 'clicks' is not a raw.ad_spend column"}


def test_a_reload_changes_nothing_and_a_restated_day_replaces_the_old_figure(load, query, tmp_path):
    first = write(
        tmp_path / "2026-01-06.csv",
        [
            HEADER,
            "p1,2026-01-05,google,cpc,brand,10,USD",
            "p1,2026-01-05,bing,cpc,brand,4,USD",
            "p1,2026-01-05,bing,cpc,brand,x,USD",
        ],
    )
    load([first])
    stored_before = query(STORED)
    again = load([first])
    assert_invariants(again)
    assert (again.inserted, again.duplicates_skipped, again.rejected) == (0, 2, 1)
    assert again.rejected_already_recorded == 1
    assert query(STORED) == stored_before
    assert query("select count() from raw.ad_spend") == [(2,)]  # not even a copy on disk
    assert query("select count() from raw.events_rejected") == [(1,)]

    # the platform revises the 5th and adds the 6th
    second = write(
        tmp_path / "2026-01-07.csv",
        [
            HEADER,
            "p1,2026-01-05,google,cpc,brand,10.75,USD",
            "p1,2026-01-05,bing,cpc,brand,4.00,USD",
            "p1,2026-01-06,google,cpc,brand,8,USD",
        ],
    )
    summary = load([second])
    assert (summary.inserted, summary.duplicates_skipped) == (2, 1)
    assert any("1 of them restating a stored row" in m for m in load.messages)
    assert query("select date, source, spend, origin from raw.ad_spend final order by 1, 2") == [
        (dt.date(2026, 1, 5), "bing", Decimal(4), str(first.resolve())),
        (dt.date(2026, 1, 5), "google", Decimal("10.75"), str(second.resolve())),
        (dt.date(2026, 1, 6), "google", Decimal(8), str(second.resolve())),
    ]
    # and loading the older file again puts its figure back: the newest load wins
    load([first])
    assert query(
        "select spend from raw.ad_spend final where date = '2026-01-05' and source = 'google'"
    ) == [(Decimal(10),)]


def test_parquet_spend_files_and_their_types(load, query, tmp_path):
    table = pa.table(
        {
            "project_id": ["p1", "p1", "p1", "p1", "p1"],
            "date": pa.array([dt.date(2026, 1, d) for d in range(5, 10)], pa.date32()),
            "source": ["google"] * 5,
            "medium": ["cpc"] * 5,
            "campaign": ["brand"] * 5,
            "spend": pa.array(
                [Decimal("1.25"), Decimal("2.5"), Decimal("-3"), Decimal("4"), Decimal("5")],
                pa.decimal128(12, 2),
            ),
            "currency": ["USD", "EUR", "USD", "GBP", "usd"],
        }
    )
    pq.write_table(table, tmp_path / "spend.parquet")
    # float spend, and days as timestamps (midnight only)
    floats = table.set_column(5, "spend", pa.array([12.3, 0.1, float("nan"), 7.0, 8.0]))
    floats = floats.set_column(
        1,
        "date",
        pa.array(
            [
                dt.datetime(2026, 2, 1),
                dt.datetime(2026, 2, 2, 13, 0),
                dt.datetime(2026, 2, 3),
                dt.datetime(2026, 2, 4),
                dt.datetime(2026, 2, 5),
            ],
            pa.timestamp("ms"),
        ),
    )
    pq.write_table(floats, tmp_path / "spend-floats.parquet")

    summary = load([tmp_path])
    assert_invariants(summary)
    assert (summary.loaded, summary.rejected) == (7, 3)
    assert query("select date, spend, currency from raw.ad_spend final order by date") == [
        (dt.date(2026, 1, 5), Decimal("1.25"), "USD"),
        (dt.date(2026, 1, 6), Decimal("2.5"), "EUR"),
        (dt.date(2026, 1, 8), Decimal(4), "GBP"),
        (dt.date(2026, 1, 9), Decimal(5), "USD"),
        (dt.date(2026, 2, 1), Decimal("12.3"), "USD"),  # the float's shortest text, not 12.29..
        (dt.date(2026, 2, 4), Decimal(7), "GBP"),
        (dt.date(2026, 2, 5), Decimal(8), "USD"),
    ]
    assert rejected(query, tmp_path / "spend.parquet") == {
        3: "invalid_spend: spend Decimal('-3.00') is negative"
    }
    assert rejected(query, tmp_path / "spend-floats.parquet") == {
        2: "invalid_date: date 2026-02-02T13:00:00 is a time of day, not a date",
        3: "invalid_spend: spend nan is not a finite number",
    }


def test_odd_parquet_types_cost_their_rows_only(load, query, tmp_path):
    base = {
        "project_id": ["p1"],
        "date": ["2026-01-05"],
        "source": ["google"],
        "medium": ["cpc"],
        "campaign": [None],
        "spend": ["1"],
        "currency": ["USD"],
    }
    odd = {
        "numeric_project.parquet": {"project_id": [7]},
        "boolean_spend.parquet": {"spend": [True]},
        "list_currency.parquet": {"currency": [["USD"]]},
        "year_10000.parquet": {"date": pa.array([10**15], pa.timestamp("ms"))},
    }
    for name, change in odd.items():
        pq.write_table(pa.table({**base, **change}), tmp_path / name)
    summary = load([tmp_path])
    assert_invariants(summary)
    assert summary.ok and (summary.loaded, summary.rejected) == (0, 4)
    reasons = dict(
        query("select splitByChar('/', file)[-1], reason from raw.events_rejected order by 1")
    )
    assert reasons == {
        "boolean_spend.parquet": "invalid_spend: spend is True, not a number",
        "list_currency.parquet": (
            "invalid_currency: currency ['USD'] is not a three-letter ISO 4217 code"
        ),
        "numeric_project.parquet": "invalid_field: project_id is a number, expected a string",
        "year_10000.parquet": "invalid_date: date <value out of range: 1000000000000000> "
        "cannot be read (out of range)",
    }
    # the rejected row keeps the project it names, as text
    assert query(
        "select project_id from raw.events_rejected where file like '%numeric_project%'"
    ) == [("7",)]


def test_the_header_tells_a_spend_file_from_an_events_file(tmp_path):
    spend = write(tmp_path / "a.csv", [f"\ufeff{HEADER}", "p1,2026-01-05,g,cpc,b,1,USD"])
    after_blanks = write(tmp_path / "a2.csv", ["", " ", HEADER])
    events = write(tmp_path / "b.csv", ["event_id,project_id,event_name,anonymous_id,timestamp"])
    zipped = tmp_path / "c.csv.gz"
    zipped.write_bytes(gzip.compress(f"{HEADER}\n".encode()))
    broken = tmp_path / "d.csv.gz"
    broken.write_bytes(b"not gzip at all")
    pq.write_table(pa.table({"spend": [1.0], "date": ["2026-01-05"]}), tmp_path / "e.parquet")
    pq.write_table(pa.table({"event_id": ["x"]}), tmp_path / "f.parquet")
    (tmp_path / "g.parquet").write_bytes(b"PAR1 truncated")
    ndjson = write(tmp_path / "h.ndjson", ['{"spend": 1}'])

    assert is_spend_file(spend, "csv") and is_spend_file(zipped, "csv")
    assert is_spend_file(after_blanks, "csv")
    assert is_spend_file(tmp_path / "e.parquet", "parquet")
    assert not is_spend_file(events, "csv") and not is_spend_file(tmp_path / "f.parquet", "parquet")
    # unreadable files go to the events loader, which reports them; NDJSON is always events
    assert not is_spend_file(broken, "csv") and not is_spend_file(tmp_path / "g.parquet", "parquet")
    assert not is_spend_file(ndjson, "ndjson") and not is_spend_file(tmp_path / "none.csv", "csv")


def test_a_folder_of_events_and_spend_loads_each_into_its_table(load, query, tmp_path):
    write(tmp_path / "spend.csv", [HEADER, "p1,2026-01-05,google,cpc,brand,10,USD"])
    write(
        tmp_path / "events.csv",
        [
            "event_id,project_id,event_name,anonymous_id,timestamp",
            "e1,p1,$pageview,d1,2026-01-05T10:00:00Z",
        ],
    )
    write(
        tmp_path / "events.ndjson",
        ['{"event_id":"e2","project_id":"p1","event_name":"x","anonymous_id":"d1",'
         '"timestamp":"2026-01-05T10:01:00Z"}'],
    )  # fmt: skip
    summary = load([tmp_path])
    assert_invariants(summary)
    assert summary.ok and (summary.inserted, summary.rejected) == (3, 0)
    assert query("select event_id from raw.events order by 1") == [("e1",), ("e2",)]
    assert query("select campaign, spend from raw.ad_spend final") == [("brand", Decimal(10))]


def generated_spend(traffic) -> list[tuple]:
    return sorted(
        (r["project_id"], r["date"], r["source"], r["medium"], r["campaign"], r["spend"],
         r["currency"])
        for r in traffic.ad_spend.to_pylist()
    )  # fmt: skip


def test_the_generators_spend_file_loads_back_as_the_generator_wrote_it(load, query, tmp_path):
    traffic = generate(days=10, visitors=600, projects=3, seed=3)
    written = write_ndjson(traffic, tmp_path / "inbox", seed=3, malformed_share=0.0)
    assert written["ad_spend"] == traffic.ad_spend.num_rows > 20
    summary = load([Path(written["ad_spend_path"])])
    assert (summary.inserted, summary.rejected) == (traffic.ad_spend.num_rows, 0)
    stored = query(
        "select project_id, date, source, medium, campaign, spend, currency from raw.ad_spend final"
    )
    assert sorted(stored) == generated_spend(traffic)
    # every project bills in its own currency; every paid kind of the vocabulary spends
    assert query("select project_id, any(currency) from raw.ad_spend group by 1 order by 1") == [
        ("proj_01", "USD"),
        ("proj_02", "EUR"),
        ("proj_03", "GBP"),
    ]
    assert query("select distinct source from raw.ad_spend order by 1") == [
        ("bing",),
        ("facebook",),
        ("google",),
        ("linkedin",),
        ("tiktok",),
    ]


def test_write_to_warehouse_writes_the_spend_and_a_rewrite_does_not_double_it(chdb_path, query):
    traffic = generate(days=10, visitors=600, projects=2, seed=8)
    with warehouse.connect() as client:
        counts = write_to_warehouse(client, traffic)
        write_to_warehouse(client, traffic)
    assert counts["ad_spend"] == traffic.ad_spend.num_rows > 0
    stored = query(
        "select project_id, date, source, medium, campaign, spend, currency from raw.ad_spend final"
    )
    assert sorted(stored) == generated_spend(traffic)
    assert query("select distinct origin from raw.ad_spend") == [("generator",)]
    # spend totals per campaign equal what the generator wrote, in the account's currency
    totals: dict[tuple, Decimal] = {}
    for p, _d, s, m, c, spend, _cur in generated_spend(traffic):
        totals[(p, s, m, c)] = totals.get((p, s, m, c), Decimal(0)) + spend
    assert (
        dict(
            ((p, s, m, c), total)
            for p, s, m, c, total in query(
                "select project_id, source, medium, campaign, sum(spend) from raw.ad_spend final "
                "group by all"
            )
        )
        == totals
    )
