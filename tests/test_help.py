"""Every command's --help: its one-line purpose, examples to copy, its exit statuses; flags as switches."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.help import EXAMPLES, EXIT_STATUSES, command_name

COMMANDS = [command_name(info) for info in app.registered_commands]


def _help(*arguments: str) -> str:
    result = CliRunner().invoke(app, [*arguments, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_has_examples_and_exit_statuses():
    assert sorted(COMMANDS) == sorted(EXAMPLES) == sorted(EXIT_STATUSES)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_commands_help_gives_purpose_examples_and_exit_statuses(command):
    info = next(info for info in app.registered_commands if command_name(info) == command)
    purpose = (info.callback.__doc__ or "").strip().splitlines()[0]
    text = _help(command)
    assert " ".join(purpose.split()) in " ".join(text.split()), purpose
    examples = text.split("Examples:")[1].split("Exit status:")[0]
    lines = [line.strip() for line in examples.strip().splitlines()]
    assert lines and all(re.match(rf"(\S+=\S+ )?planner {command}\b", line) for line in lines), lines
    statuses = text.split("Exit status:")[1]
    assert re.search(r"^\s+0 ", statuses, re.M)
    if command not in ("schema",):
        assert re.search(r"^\s+2 invalid input", statuses, re.M)
    assert "<bool>" not in text


@pytest.mark.parametrize("command", COMMANDS)
def test_the_exit_statuses_speak_of_out_only_for_a_command_that_has_it(command):
    text = _help(command)
    options, statuses = text.split("Examples:")[0], text.split("Exit status:")[1]
    assert ("--out" in " ".join(statuses.split())) == bool(re.search(r"^\s+--out\b", options, re.M)), statuses


def test_flags_read_as_switches():
    assert re.search(r"^\s+--quiet\s+No progress display", _help("solve"), re.M)
    assert re.search(r"^\s+--dry-run\s+Write the messages", _help("notify"), re.M)
    assert "<bool>" not in _help()


def test_the_programs_help_lists_the_commands_and_the_exit_statuses():
    text = _help()
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", text, re.M), command
    assert "Exit status:" in text and "planner solve mission.yaml --out out" in text
