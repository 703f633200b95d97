"""Every subcommand and option of `millimetric` says what it is for, and `load --help` answers
which files it takes and how a spend file is told from an events file."""

from __future__ import annotations

import argparse

import pytest

from orchestration.cli import main, parser


def subcommands() -> dict[str, argparse.ArgumentParser]:
    (choices,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(choices.choices)


def test_every_subcommand_and_option_has_a_help_line():
    (listing,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    summaries = {action.dest: action.help for action in listing._choices_actions}
    missing = []
    for name, command in subcommands().items():
        if not (summaries.get(name) or "").strip():
            missing.append(name)
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not (action.help or "").strip():
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, f"no help line: {missing}"


def test_load_help_names_the_files_and_how_spend_is_told_apart(capsys):
    with pytest.raises(SystemExit) as done:
        main(["load", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for suffix in (".ndjson", ".csv", ".parquet", ".gz"):
        assert suffix in text
    assert "raw.ad_spend" in text and "raw.events" in text
    assert "names the column `spend`" in text
