"""Languages: the `language` key of the mission and of delegates, read, written back and refused when wrong."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_SMALL

from planner.domain import LANGUAGES
from planner.domain.errors import InputErrors
from planner.mission.load import json_schema, load_mission, load_mission_text
from planner.mission.write import mission_to_yaml


def _small_with(header: str = "", astrid: str = "") -> str:
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    text = text.replace("  grain: 5m\n", f"  grain: 5m\n{header}")
    return text.replace("role: royal}", f"role: royal{astrid}}}")


def test_the_default_language_is_english_for_mission_and_delegates():
    mission = load_mission(EXAMPLE_SMALL)
    assert mission.language == "en"
    assert {mission.language_of(d) for d in mission.delegates} == {"en"}
    assert all(delegate.language is None for delegate in mission.delegates.values())


def test_a_delegate_reads_their_own_language_and_the_others_the_missions():
    mission = load_mission_text(_small_with("  language: fr\n", ", language: NL"), "m.yaml")
    assert mission.language == "fr"
    assert mission.language_of("astrid") == "nl"
    assert mission.language_of("jeholet") == "fr"
    assert mission.delegates["astrid"].language == "nl"
    assert mission.delegates["jeholet"].language is None


@pytest.mark.parametrize(("written", "hint"), [
    ("French", "did you mean `fr`?"),
    ("Nederlands", "did you mean `nl`?"),
    ("es", "write one of `en`, `fr`, `nl`, `de`"),
])
def test_an_unknown_language_is_refused_with_where_and_what_to_write(written, hint):
    with pytest.raises(InputErrors) as raised:
        load_mission_text(_small_with(astrid=f", language: {written}"), "m.yaml")
    (error,) = raised.value.errors
    line = next(n for n, text in enumerate(_small_with().splitlines(), 1) if "HRH Princess Astrid" in text)
    assert (error.source.file, error.source.line) == ("m.yaml", line)
    assert f"`{written}` is not a language planner speaks" in error.message and hint in error.message


def test_languages_are_written_back_and_read_equal():
    mission = load_mission_text(_small_with("  language: de\n", ", language: fr"), "m.yaml")
    again = load_mission_text(mission_to_yaml(mission), "again.yaml")
    assert again.language == "de"
    assert {d.id: d.language for d in again.delegates.values()} == {
        d.id: d.language for d in mission.delegates.values()}


def test_the_json_schema_lists_the_languages():
    definitions = json_schema()["$defs"]
    assert definitions["MissionHeader"]["properties"]["language"]["enum"] == list(LANGUAGES)
    delegate = definitions["DelegateEntry"]["properties"]["language"]
    assert {"enum": list(LANGUAGES)}.items() <= delegate["anyOf"][0].items()
