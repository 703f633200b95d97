"""The source seed is consistent, the dbt unit tests' copies of it do not drift from it, and
the channel tables in docs/identity.md say what the code does. No warehouse needed."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT / "seeds" / "channel_source_categories.csv"
CHANNEL_MACRO = PROJECT / "macros" / "channels" / "channel_group.sql"
DOC = PROJECT / "docs" / "identity.md"
CATEGORIES = {
    "SOURCE_CATEGORY_SEARCH",
    "SOURCE_CATEGORY_SOCIAL",
    "SOURCE_CATEGORY_VIDEO",
    "SOURCE_CATEGORY_SHOPPING",
    "",
}
AI_ASSISTANTS = {"chatgpt", "perplexity", "gemini", "copilot", "claude"}


def seed() -> dict[str, tuple[str, str]]:
    """source -> (source_name, source_category)."""
    with SEED.open(newline="") as f:
        rows = list(csv.DictReader(f))
    out = {r["source"]: (r["source_name"], r["source_category"]) for r in rows}
    assert len(out) == len(rows), "duplicate source"
    return out


def test_seed_keys_are_lower_case_and_categories_known():
    for source, (name, category) in seed().items():
        assert source == source.strip().lower() and source, source
        assert not source.startswith("www."), "hosts are looked up without www."
        assert name == name.strip().lower(), source
        assert category in CATEGORIES, source


def test_every_source_name_is_a_source_with_the_same_category():
    """The channel rules look the reported name up again (google.co.uk -> google -> search)."""
    rows = seed()
    for source, (name, category) in rows.items():
        if name:
            assert name in rows, f"{source}: its name {name!r} is not a source of the seed"
            assert rows[name] == (name, category), (source, rows[name])


SEARCH_ENGINE_HOSTS = {
    "google.com": "google",
    "bing.com": "bing",
    "duckduckgo.com": "duckduckgo",
    "search.yahoo.com": "yahoo",
    "yandex.ru": "yandex",
    "baidu.com": "baidu",
    "ecosia.org": "ecosia",
}
AI_ASSISTANT_HOSTS = {
    "chatgpt.com": "chatgpt",
    "perplexity.ai": "perplexity",
    "gemini.google.com": "gemini",
    "copilot.microsoft.com": "copilot",
    "claude.ai": "claude",
}


def test_search_engines_and_ai_assistants_are_named():
    rows = seed()
    for host, name in SEARCH_ENGINE_HOSTS.items():
        assert rows[host] == (name, "SOURCE_CATEGORY_SEARCH"), host
    # GA4 has no category for AI assistants: medium referral, channel Referral
    for host, name in AI_ASSISTANT_HOSTS.items():
        assert rows[host] == (name, ""), host
    assert set(AI_ASSISTANT_HOSTS.values()) == AI_ASSISTANTS


def unit_test_seed_rows() -> list[tuple[str, dict]]:
    """(unit test name, row) for every row the dbt unit tests give as the seed."""
    out = []
    for path in sorted((PROJECT / "models").rglob("_*__models.yml")):
        for test in yaml.safe_load(path.read_text()).get("unit_tests", []):
            for given in test.get("given", []):
                if given["input"] != "ref('channel_source_categories')":
                    continue
                rows = given["rows"]
                if isinstance(rows, str):
                    rows = list(csv.DictReader(io.StringIO(rows)))
                out += [(test["name"], row) for row in rows]
    return out


def test_unit_tests_give_copies_of_the_real_seed_rows():
    rows = seed()
    given = unit_test_seed_rows()
    assert len(given) > 20
    for test, row in given:
        source = row["source"]
        assert source in rows, (test, source)
        name, category = rows[source]
        assert (row.get("source_name") or "", row.get("source_category") or "") == (
            name,
            category,
        ), (test, source)


def macro_channels() -> list[str]:
    """The channel names of channel_group's multiIf, in order."""
    names = re.findall(r"(?:^|,)\s*'([A-Z][A-Za-z -]+)',?\s*$", CHANNEL_MACRO.read_text(), re.M)
    assert names[0] == "Direct" and names[-1] == "Unassigned"
    return names


def doc_section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(title)
    end = text.find("\n## ", start)
    return text[start : end if end >= 0 else None]


def test_doc_channel_table_follows_the_macro():
    section = doc_section("## Sources and channels")
    rows = re.findall(r"^\| (\d+) \| ([^|]+?) \|", section, re.M)
    assert [int(n) for n, _ in rows] == list(range(len(rows)))
    assert rows[0][1] == "(project rules)"
    assert [name for _, name in rows[1:]] == macro_channels()


def test_doc_ai_assistant_table_is_the_seed():
    section = doc_section("## Sources and channels")
    documented = set(re.findall(r"^\| `([a-z.]+)` \| `([a-z]+)` \|$", section, re.M))
    rows = seed()
    in_seed = {
        (source, name)
        for source, (name, _) in rows.items()
        if name in AI_ASSISTANTS and source != name
    }
    assert documented == in_seed
