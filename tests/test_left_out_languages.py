"""Why an activity was left out, in the reader's language: programme.xlsx's "Left out" sheet words each
reason afresh from its code and parameters in the mission's language (schedule.json keeps its English
sentence), naming what the organiser wrote as written."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

import pytest
from conftest import strings_in
from openpyxl import load_workbook

from planner.diagnosis import left_out_reasons
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled
from planner.mission.load import load_mission_text
from planner.text.i18n import TRANSLATED_LANGUAGES, words_for
from planner.text.left_out import left_out_message, left_out_sentence
from planner.views.workbook import write_programme_workbook
from planner.views.workbook_words import sheet_names

MISSION = """
mission: {name: Reasons, timezone: Europe/Brussels}
legs: [{city: Brussels, from: 2025-10-06, to: 2025-10-07}]
venues:
  - {id: lab, name: Lab, city: Brussels, open: [["09:00", "12:00"]]}
  - {id: hall, name: Hall, city: Brussels, capacity: 1}
  - {id: hotel, name: Hotel, city: Brussels}
  - {id: far, name: Far Plant, city: Brussels}
travel: {default: 30m, times: [[hotel, far, 3h]]}
delegates:
  - {id: x, name: Xavier}
  - {id: y, name: Yasmin, unavailable: [["2025-10-06 00:00", "2025-10-08 00:00"]]}
  - {id: z, name: Zoe}
  - {id: w, name: Wanda}
lodging:
  - {who: z, city: Brussels, venue: hotel, leave: "09:00"}
activities:
  - {id: talk, title: Talk, venue: lab, duration: 2h, fixed: "2025-10-06 10:00", attendees: [x]}
  - {id: talk2, title: Talk two, venue: lab, duration: 3h, fixed: "2025-10-07 09:00", attendees: [x]}
  - {id: brief, title: Briefing, venue: hotel, duration: 1h, fixed: "2025-10-06 14:00", attendees: [w]}
  - {id: brief2, title: Briefing two, venue: hotel, duration: 1h, fixed: "2025-10-07 14:00", attendees: [w]}
  - {id: visit, title: Visit, venue: lab, duration: 2h, attendees: [x], priority: 5}
  - {id: short, title: Short window, venue: hall, duration: 3h, priority: 2, attendees: [z],
     windows: [["2025-10-06 09:00", "2025-10-06 10:00"]]}
  - {id: crowd, title: Crowd, venue: hall, duration: 1h, attendees: [x, z], priority: 3}
  - {id: away, title: Away, venue: hall, duration: 1h, attendees: [y], priority: 4}
  - {id: early, title: Early plant, venue: far, duration: 1h, fixed: "2025-10-06 09:00", attendees: [z], priority: 1}
  - {id: tea, title: Tea, venue: far, duration: 1h, attendees: [w], priority: 6}
rules:
  - max_per_day: {who: w, count: 1}
"""
PLACED = {"talk": ("2025-10-06T10:00:00+02:00", "2025-10-06T12:00:00+02:00", "lab", "x"),
          "talk2": ("2025-10-07T09:00:00+02:00", "2025-10-07T12:00:00+02:00", "lab", "x"),
          "brief": ("2025-10-06T14:00:00+02:00", "2025-10-06T15:00:00+02:00", "hotel", "w"),
          "brief2": ("2025-10-07T14:00:00+02:00", "2025-10-07T15:00:00+02:00", "hotel", "w")}
SHARED_WORDS = {"h", "min", "open", "min_gap", "max_per_day", "lunch", "attendees", "time-limit"}
"""Words of the English sentences that the other languages write alike (units, rule kinds, mission keys)."""
ALSO_THEIRS = {"fr": {"place"}, "nl": {"is", "of", "in"}, "de": {"in"}}
"""English words that are also words of the language (`n’a pas de place`, `Yasmin is onbeschikbaar`)."""


@pytest.fixture(scope="module")
def reasoned():
    mission = load_mission_text(MISSION, "reasons.yaml")
    activities = [ScheduledActivity(activity, mission.activities[activity].title, "visit", venue,
                                    datetime.fromisoformat(start), datetime.fromisoformat(end), (who,))
                  for activity, (start, end, venue, who) in PLACED.items()]
    schedule = Schedule(mission=mission.name, status="optimal", activities=activities)
    reasons = left_out_reasons(mission, schedule)
    return mission, replace(schedule, unscheduled=list(reasons.values())), reasons



def _english_words(entry: Unscheduled) -> set[str]:
    """The words planner adds to the organiser's in the English sentence."""
    theirs = {word for text in strings_in(entry.params) for word in re.findall(r"[A-Za-z][\w'-]*", text)}
    return set(re.findall(r"[A-Za-z][\w'-]*", entry.reason)) - theirs - SHARED_WORDS


def test_the_mission_gives_a_reason_of_every_kind(reasoned):
    """The reasons below cover what the sheet may say: each pre-check that can rule an activity out, and
    slots blocked by people, hours and a rule kind of the registry."""
    _, _, reasons = reasoned
    assert {entry.code for entry in reasons.values()} == {"blocked", "never"}
    conflicts = {entry.params["conflict"]["code"] for entry in reasons.values() if entry.code == "never"}
    assert conflicts == {"room", "capacity", "unavailable", "lodging"}
    blockers = {blocker["case"] for entry in reasons.values() if entry.code == "blocked"
                for blocker in entry.params["blockers"]}
    assert {"activity", "rule-kind"} <= blockers


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_reason_speaks_the_readers_language(reasoned, language):
    _, _, reasons = reasoned
    words = words_for(language)
    for activity, entry in reasons.items():
        sentence = left_out_sentence(entry.code, entry.params, words)
        assert sentence is not None, activity
        english = {word for word in _english_words(entry) - ALSO_THEIRS[language]
                   if re.search(rf"\b{re.escape(word)}\b", sentence)}
        assert not english, (activity, english, sentence)
        # What the organiser wrote is shown as written.
        for title in strings_in(entry.params):
            if title in ("Talk", "Talk two", "Short window", "Crowd", "Away", "Early plant", "Xavier", "Wanda"):
                assert title in sentence, (activity, title, sentence)


def test_in_english_the_reason_is_schedule_jsons_sentence(reasoned):
    """The English messages are the sentences schedule.json has always written (read back from JSON)."""
    _, _, reasons = reasoned
    for entry in reasons.values():
        params = json.loads(json.dumps(entry.params))
        assert left_out_message(entry.code, params) == entry.reason
        assert left_out_sentence(entry.code, params, words_for("en")) == entry.reason


@pytest.mark.parametrize(("code", "params"), [
    ("another-tools-code", {"priority": 1}),
    ("never", {"priority": 1, "conflict": {"code": "diagnosis", "params": {}}}),  # a conflict said in English
    ("blocked", {"priority": 1}),  # a parameter missing
])
def test_a_reason_planner_cannot_word_is_none(code, params):
    assert left_out_sentence(code, params, words_for("fr")) is None


def test_the_left_out_sheet_speaks_the_missions_language(reasoned, tmp_path):
    """French words in the reason column; a reason another tool wrote (no code) as written."""
    mission, schedule, reasons = reasoned
    foreign = Unscheduled("tea", "a reason another tool gave")
    schedule = replace(schedule, unscheduled=[*(e for e in schedule.unscheduled if e.id != "tea"), foreign])
    (path,) = write_programme_workbook(replace(mission, language="fr"), schedule, tmp_path)
    sheet = load_workbook(path)[sheet_names(words_for("fr")).left_out]
    header, *rows = list(sheet.iter_rows(values_only=True))
    said = {row[0]: row[header.index("motif")] for row in rows}
    french = words_for("fr")
    for activity, entry in reasons.items():
        if activity != "tea":
            assert said[activity] == left_out_sentence(entry.code, entry.params, french)
            assert said[activity] != entry.reason and said[activity].startswith("priorité ")
    assert said["tea"] == "a reason another tool gave"


@pytest.mark.parametrize(("language", "rule", "hours"), [
    ("en", "(rule max_hours-1: at most 6h,", "6h40m"),
    ("fr", "(règle max_hours-1\u00a0: au plus 6\u202fh,", "6\u202fh et 40\u00a0min"),
    ("nl", "(regel max_hours-1: hoogstens 6 uur,", "6 uur, 40 min"),
    ("de", "(Regel max_hours-1: höchstens 6 Std.,", "6 Std., 40 Min."),
])
def test_a_rule_kind_says_its_blocker_in_the_readers_language(language, rule, hours):
    """A rule kind of the registry words its own blocker: in the mission file's units for schedule.json,
    in the reader's CLDR units for the sheet."""
    from planner.domain.rules import rule_kinds

    blocked_message = rule_kinds()["max_hours"].blocked_message
    assert blocked_message is not None
    sentence = blocked_message({"delegate": "Wanda", "busy": 400, "rule": "max_hours-1", "limit": 360},
                               "m.yaml:3:5", language)
    assert sentence.startswith("Wanda ") or " Wanda " in sentence
    assert rule in sentence and hours in sentence and sentence.endswith("m.yaml:3:5)"), sentence


def test_one_activity_already_that_day_is_one_activity():
    from planner.domain.rules import rule_kinds

    blocked_message = rule_kinds()["max_per_day"].blocked_message
    assert blocked_message is not None
    params = {"delegate": "Wanda", "having": 1, "day": "2025-10-06", "rule": "max_per_day-1", "count": 1}
    assert blocked_message(params, "m.yaml:3:5", "en").startswith("Wanda already having 1 activity on 2025-10-06")
    assert blocked_message({**params, "having": 2}, "m.yaml:3:5", "en").startswith("Wanda already having 2 activities")
    assert "1 activiteit heeft" in blocked_message(params, "m.yaml:3:5", "nl")
