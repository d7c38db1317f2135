"""Why a mission has no programme, in the reader's language: every conflict code is worded afresh from its
code and parameters in French, Dutch and German (overview.html of a mission with no programme), naming what
the organiser wrote as written; in English it is, word for word, the sentence schedule.json keeps."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_SMALL, strings_in

from planner.diagnosis import core, diagnose, precheck
from planner.domain.schedule import Conflict, Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.solver.solve import SolveOptions
from planner.text.conflicts import CONFLICTS, conflict_message, conflict_sentence
from planner.text.i18n import TRANSLATED_LANGUAGES, words_for
from planner.views.outputs import write_outputs

INFEASIBLE = sorted((Path(__file__).parent / "infeasible").glob("*.yaml"))
OPTIONS = SolveOptions(time_limit=10, workers=2, seed=0, progress=False)

SMALL_DAY = """
mission: {name: Day, timezone: Europe/Brussels}
legs: [{city: Brussels, from: 2025-10-06, to: 2025-10-06}]
venues:
  - {id: hall, name: Hall, city: Brussels}
  - {id: lab, name: Lab, city: Brussels}
  - {id: hotel, name: Hotel, city: Brussels}
  - {id: far, name: Far Plant, city: Brussels}
travel: {default: 30m, times: [[hotel, far, 3h]]}
"""
LODGING = SMALL_DAY + """delegates: [{id: z, name: Zoe}]
lodging: [{who: z, city: Brussels, venue: hotel, leave: "09:00"}]
activities:
  - {id: early, title: Early plant, venue: far, duration: 1h, fixed: "2025-10-06 09:00", attendees: [z]}
"""
HOURS = SMALL_DAY + """delegates: [{id: x, name: Xavier}]
activities:
  - {id: morning, title: Morning, venue: hall, duration: 4h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: afternoon, title: Afternoon, venue: lab, duration: 4h, dates: [2025-10-06], attendees: [x]}
rules:
  - max_hours: {who: x, hours: 8}
"""
FOLLOW = SMALL_DAY + """delegates: [{id: x, name: Xavier}, {id: y, name: Yasmin}]
activities:
  - {id: tour, title: Tour, venue: hall, duration: 2h, fixed: "2025-10-06 10:00", attendees: [x]}
  - {id: talk, title: Talk, venue: lab, duration: 2h, fixed: "2025-10-06 10:30", attendees: [y]}
rules:
  - accompany: {who: y, with: x}
"""


def _many_overlaps() -> str:
    """More overlaps than the pre-check lists (20): the rest are counted in a `more` conflict."""
    people = "\n".join(f"  - {{id: d{n}, name: Person {n}}}" for n in range(23))
    activities = "\n".join(
        f'  - {{id: a{n}-{which}, title: Session {n}{which}, venue: {venue}, duration: 1h, '
        f'fixed: "2025-10-06 {hour}", attendees: [d{n}]}}'
        for n in range(23) for which, venue, hour in (("a", "hall", "10:00"), ("b", "lab", "10:30")))
    return SMALL_DAY + f"delegates:\n{people}\nactivities:\n{activities}\n"


def _daily_hours() -> str:
    """Briefing 1 h + opening 2 h + an 11-hour seminar on 6 October: 14 h, and 08:00–21:00 holds 13."""
    return EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "\nrules:", "\n  - {id: long-seminar, title: Long seminar, venue: fairmont, duration: 11h, "
                    "dates: [2025-10-06], attendees: [jeholet]}\n\nrules:")


def _found(mission: Any) -> list[Conflict]:
    return precheck(mission) or diagnose(mission, OPTIONS)


@pytest.fixture(scope="module")
def conflicts() -> list[Conflict]:
    """A real conflict of every code: the crafted infeasible missions, and a few more written here."""
    found = [conflict for path in INFEASIBLE for conflict in _found(load_mission(path))]
    for text, name in ((LODGING, "lodging.yaml"), (HOURS, "hours.yaml"), (FOLLOW, "follow.yaml"),
                       (_many_overlaps(), "many.yaml"), (_daily_hours(), "day.yaml")):
        found += _found(load_mission_text(text, name))
    mission = load_mission_text(HOURS, "hours.yaml")
    # The diagnosis breaking, and finding nothing within its budget: its own two conflicts.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core, "run_diagnosis", lambda *arguments: 1 / 0)
        found += diagnose(mission, OPTIONS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core, "mission_parts", lambda mission: iter(()))
        found += core.run_diagnosis(mission, OPTIONS).conflicts
    return found


SHARED_WORDS = {"h", "min", "s", "min_gap", "max_hours", "max_per_day", "lunch", "attendees", "time-limit", "planner",
                "solve", "after", "rule"}
"""Words of the English sentences that the other languages write alike: units, rule kinds, mission keys
(`after`), the command to run; `rule` only inside a rule's id (`rule-1`), as the organiser's ids read."""
ALSO_THEIRS = {"fr": {"a", "programme", "mission"}, "nl": {"is", "in", "of", "open"}, "de": {"in"}}
"""English words that are also words of the language (`Zoe is onbeschikbaar`, `Zoe a besoin`, `aucun programme`)."""



def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][\w'-]*", text))


def _planners(sentence: str, conflict: Conflict) -> str:
    """The sentence without what the organiser wrote (names, titles, positions, ids: the parameters' texts)."""
    for text in sorted(strings_in(conflict.params), key=len, reverse=True):
        sentence = re.sub(rf"(?<!\w){re.escape(text)}(?!\w)", " ", sentence)
    return sentence


def _english_words(conflict: Conflict) -> set[str]:
    """The words planner adds to the organiser's in the English sentence."""
    return _words(_planners(conflict.message, conflict)) - SHARED_WORDS


def test_the_missions_give_a_conflict_of_every_code(conflicts):
    assert {conflict.code for conflict in conflicts} == set(CONFLICTS)
    limits = {limit["case"] + (f" {limit['kind']}" if limit["case"] == "rule" else "")
              for conflict in conflicts if conflict.code == "diagnosis" for limit in conflict.params["limits"]}
    assert limits >= {"travel", "after", "unavailable", "venue-parallel", "venue-capacity", "rule accompany",
                      "rule lunch", "rule min_gap", "rule max_per_day", "rule max_hours"}, limits


def test_in_english_every_conflict_is_schedule_jsons_sentence(conflicts):
    """The English messages are the sentences schedule.json has always written (read back from JSON)."""
    for conflict in conflicts:
        params = json.loads(json.dumps(conflict.params))
        assert conflict_message(conflict.code, params) == conflict.message
        assert conflict_sentence(conflict.code, params, words_for("en")) == conflict.message


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_conflict_speaks_the_readers_language(conflicts, language):
    words = words_for(language)
    for conflict in conflicts:
        sentence = conflict_sentence(conflict.code, json.loads(json.dumps(conflict.params)), words)
        assert sentence is not None and sentence != conflict.message, conflict.message
        english = {word for word in _english_words(conflict) - ALSO_THEIRS[language]
                   if re.search(rf"\b{re.escape(word)}\b", _planners(sentence, conflict))}
        assert not english, (conflict.code, english, sentence)
        # What the organiser wrote is shown as written: the positions of the statements, at least.
        for source in conflict.extra.get("sources", ()):
            assert (source in sentence) == (source in conflict.message), (conflict.code, source, sentence)


@pytest.mark.parametrize(("limit", "french"), [
    ({"case": "lodging", "delegate": "Zoe", "hotel": "Hotel", "leave": 540, "source": "m.yaml:9:5",
      "trips": [{"to": "Far Plant", "minutes": 180}]},
     "Zoe ne quitte pas Hotel avant 09:00 (m.yaml:9:5), et Hotel → Far Plant\u00a0: 3\u202fh"),
    ({"case": "unknown-rule", "rule": "custom-1", "source": "m.yaml:20:5"}, "règle custom-1 (m.yaml:20:5)"),
    ({"case": "unavailable", "delegate": "Zoe", "span": None, "source": "m.yaml:8:5"},
     "Zoe est indisponible à un moment donné (m.yaml:8:5)"),
])
def test_the_limits_no_crafted_mission_reaches_are_worded_too(limit, french):
    """A lodging, a rule of a kind no longer installed, an unavailability without its window: limits the
    missions above do not produce, worded from parameters as describe_core gives them."""
    params = {"clauses": [{"delegates": ["Zoe"], "activities": [{"title": "Early plant"}]}], "limits": [limit]}
    assert french in conflict_message("diagnosis", params, words_for("fr"))
    english = conflict_message("diagnosis", params)
    for language in TRANSLATED_LANGUAGES:
        said = conflict_message("diagnosis", params, words_for(language))
        assert not {"leaves", "unavailable", "earlier", "must"} & _words(said), said
        assert said != english


def test_a_conflict_planner_cannot_word_shows_its_message(tmp_path):
    from planner.views.no_programme import conflict_text

    assert conflict_sentence("another-tools-code", {}, words_for("fr")) is None
    assert conflict_sentence("overlap", {"delegates": ["X"]}, words_for("fr")) is None  # parameters missing
    assert conflict_text(Conflict("a reason another tool gave", code="another-tools-code"), "fr") == \
        "a reason another tool gave"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_overview_of_a_mission_with_no_programme_says_why_in_its_language(tmp_path, language):
    mission = replace(load_mission(Path(__file__).parent / "infeasible" / "fixed-overlap.yaml"), language=language)
    schedule = Schedule(mission=mission.name, status="infeasible", conflicts=precheck(mission))
    written = write_outputs(mission, schedule, tmp_path / "out")
    assert sorted(path.name for path in written) == ["overview.html", "schedule.json"]
    page = html.unescape((tmp_path / "out" / "overview.html").read_text(encoding="utf-8"))
    (conflict,) = schedule.conflicts
    sentence = conflict_message(conflict.code, conflict.params, words_for(language))
    assert f"<li>{sentence}</li>" in page
    assert f'<html lang="{language}">' in page
    if language == "fr":
        assert conflict.message not in page and "qui se chevauchent" in sentence
        assert "Pas de programme — " in page and "irréalisable" in page
    # schedule.json keeps the English sentence whatever the language.
    assert json.loads((tmp_path / "out" / "schedule.json").read_text())["conflicts"][0]["message"] == \
        conflict.message


def test_a_mission_with_no_programme_found_in_time_says_so(tmp_path):
    mission = replace(load_mission(EXAMPLE_SMALL), language="de")
    written = write_outputs(mission, Schedule(mission=mission.name, status="unknown"), tmp_path / "out")
    assert sorted(path.name for path in written) == ["overview.html", "schedule.json"]
    page = (tmp_path / "out" / "overview.html").read_text(encoding="utf-8")
    assert "Innerhalb des Zeitlimits wurde kein Programm gefunden" in page and "<li>" not in page
