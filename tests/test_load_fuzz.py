"""Mutated mission files: the loader loads them or reports clean errors, and never raises anything else."""

from __future__ import annotations

import re

from conftest import EXAMPLE_SMALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain import Mission
from planner.domain.errors import InputErrors
from planner.mission.load import load_mission_text

BASE = EXAMPLE_SMALL.read_text(encoding="utf-8")
LINES = BASE.splitlines(keepends=True)
VALUE = re.compile(r"(?<=: )[^,{}\[\]\n]+")
KEY_AND_VALUE = re.compile(r"\b[a-z_]+: (\[[^\]\n]*\]|\{[^}\n]*\}|[^,{}\[\]\n]+),? ?")
TRICKY = list(":[]{},-#&*!%|>'\"\t\n 0a9é") + [
    "24:00",
    "-1",
    "1e9",
    "null",
    "~",
    "true",
    "?",
    "<<: *x",
    "2025-13-45",
    "99999999999999999999",
    "..",
    "---",
    "&a",
    "*a",
]


def _delete_character(text: str, data) -> str:
    i = data.draw(st.integers(0, len(text) - 1))
    return text[:i] + text[i + 1 :]


def _duplicate_character(text: str, data) -> str:
    i = data.draw(st.integers(0, len(text) - 1))
    return text[:i] + text[i] + text[i:]


def _replace_character(text: str, data) -> str:
    i = data.draw(st.integers(0, len(text) - 1))
    return text[:i] + data.draw(st.sampled_from(TRICKY)) + text[i + 1 :]


def _delete_line(text: str, data) -> str:
    lines = text.splitlines(keepends=True)
    i = data.draw(st.integers(0, len(lines) - 1))
    return "".join(lines[:i] + lines[i + 1 :])


def _duplicate_line(text: str, data) -> str:
    lines = text.splitlines(keepends=True)
    i = data.draw(st.integers(0, len(lines) - 1))
    return "".join(lines[: i + 1] + lines[i:])


def _swap_lines(text: str, data) -> str:
    lines = text.splitlines(keepends=True)
    i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _swap_values(text: str, data) -> str:
    spans = [m.span() for m in VALUE.finditer(text)]
    if len(spans) < 2:
        return text
    a, b = sorted(data.draw(st.lists(st.sampled_from(spans), min_size=2, max_size=2, unique=True)))
    return text[: a[0]] + text[b[0] : b[1]] + text[a[1] : b[0]] + text[a[0] : a[1]] + text[b[1] :]


def _replace_value(text: str, data) -> str:
    spans = [m.span() for m in VALUE.finditer(text)]
    if not spans:
        return text
    start, end = data.draw(st.sampled_from(spans))
    return text[:start] + data.draw(st.sampled_from(TRICKY)) + text[end:]


def _drop_key(text: str, data) -> str:
    spans = [m.span() for m in KEY_AND_VALUE.finditer(text)]
    if not spans:
        return text
    start, end = data.draw(st.sampled_from(spans))
    return text[:start] + text[end:]


MUTATIONS = [
    _delete_character,
    _duplicate_character,
    _replace_character,
    _delete_line,
    _duplicate_line,
    _swap_lines,
    _swap_values,
    _replace_value,
    _drop_key,
]


def _assert_loads_or_reports_cleanly(text: str) -> None:
    try:
        mission = load_mission_text(text, "fuzz.yaml")
    except InputErrors as failure:
        assert failure.errors, "InputErrors without any error"
        for error in failure.errors:
            assert error.source.file == "fuzz.yaml"
            assert error.source.line >= 1 and error.source.column >= 1, str(error)
            assert error.source.line <= text.count("\n") + 2, str(error)
            assert error.message.strip(), str(error)
            assert "Traceback" not in error.message
    else:
        assert isinstance(mission, Mission)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_missions_load_or_fail_cleanly(data):
    text = BASE
    for mutation in data.draw(
        st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4), label="mutations"
    ):
        text = mutation(text, data) if text else text
    _assert_loads_or_reports_cleanly(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(TRICKY + ["mission:", "legs:", "\n  - ", "{id: a}", "a", "b"]), max_size=60).map(
        "".join
    )
)
def test_arbitrary_text_fails_cleanly(text):
    _assert_loads_or_reports_cleanly(text)


def test_the_fuzz_base_itself_loads():
    """The mutations start from a valid file, so a failure above is the mutation's doing."""
    _assert_loads_or_reports_cleanly(BASE)
    assert len(load_mission_text(BASE).activities) == 9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_missions_with_the_fallback_yaml_parser(data):
    """The same guarantee when PyYAML/libyaml is missing and ruamel.yaml parses."""
    from unittest.mock import patch

    from ruamel.yaml import YAML

    import planner.mission.yaml_reader as load_module

    text = BASE
    for mutation in data.draw(
        st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3), label="mutations"
    ):
        text = mutation(text, data) if text else text
    with patch.object(load_module, "_EVENTS", YAML(typ="safe", pure=True).parse):
        _assert_loads_or_reports_cleanly(text)
