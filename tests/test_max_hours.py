"""The `max_hours` rule kind, shipped through the rule-kind registry: format, model, checker, diagnosis.

The model test follows tests/test_model.py: an optional activity that fits only by breaking the rule is
left out; with the kind's model function switched off, the solver schedules it and the independent checker
reports exactly `max_hours` — so the test fails if the constraint is removed.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from planner.check import check_schedule
from planner.domain import rules as registry
from planner.domain.errors import InputErrors
from planner.domain.rules import rule_kinds
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.load import json_schema, load_mission_text
from planner.mission.write import mission_to_yaml

try:
    from planner.pipeline import solve
except ImportError:  # before the pipeline lands
    from planner.solver.solve import solve
from planner.rules import max_hours
from planner.solver.solve import SolveOptions

OPTIONS = SolveOptions(time_limit=10, workers=1, progress=False)

BASE = """
mission: {name: Hours test, timezone: America/Los_Angeles, grain: 5m, day: {start: "08:00", end: "21:00"}}
legs:
  - {city: San Francisco, from: 2025-10-06, to: 2025-10-07}
venues:
  - {id: hall, name: Hall, city: San Francisco, parallel: 2}
  - {id: lab, name: Lab, city: San Francisco}
travel:
  times: [[hall, lab, 30m]]
delegates:
  - {id: x, name: X}
  - {id: y, name: Y}
groups:
  - {id: everyone, members: [x, y]}
"""

ACTIVITIES = """
activities:
  - {id: morning, title: Morning, venue: hall, duration: 3h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: afternoon, title: Afternoon, venue: lab, duration: 3h, fixed: "2025-10-06 13:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 2h, dates: [2025-10-06], attendees: [x], priority: 10}
"""


def _mission(rules: str, activities: str = ACTIVITIES):
    return load_mission_text(BASE + activities + rules, "hours.yaml")


def test_the_kind_is_declared_in_the_registry_with_every_part():
    kind = rule_kinds()["max_hours"]
    assert kind is max_hours.KIND
    for part in ("resolve", "write", "add_to_model", "check", "message", "describe", "blocks"):
        assert callable(getattr(kind, part)), part


@pytest.mark.parametrize(("written", "minutes"), [("9", 540), ("8.5", 510), ("8h20m", 500), ('"7.5"', 450)])
def test_hours_are_read_as_numbers_or_durations(written, minutes):
    mission = _mission(f"rules:\n  - max_hours: {{who: x, hours: {written}}}\n")
    (rule,) = mission.rules
    assert isinstance(rule, max_hours.MaxHours)
    assert (rule.limit, rule.delegates, rule.id) == (minutes, ("x",), "max_hours-1")


@pytest.mark.parametrize(("written", "expected"), [
    ("nine", "is not a number of hours; write e.g. 9, 8.5 or 8h30m"),
    ("0", "is not between a minute and 24 hours"),
    ("25", "is not between a minute and 24 hours"),
    ("8.333", "is not a whole number of minutes"),
])
def test_bad_hours_name_the_place_and_what_to_write(written, expected):
    with pytest.raises(InputErrors) as caught:
        _mission(f"rules:\n  - max_hours: {{who: x, hours: {written}}}\n")
    (error,) = caught.value.errors
    assert str(error.source) == "hours.yaml:21:32"
    assert expected in error.message


def test_unknown_who_and_unknown_key_are_input_errors():
    with pytest.raises(InputErrors) as caught:
        _mission("rules:\n  - max_hours: {who: nobody, hours: 9, count: 2}\n")
    messages = " | ".join(str(error) for error in caught.value.errors)
    assert "hours.yaml:21:" in messages
    assert "count" in messages and "nobody" in messages


def test_the_json_schema_lists_the_kind():
    rule_entry = json_schema()["$defs"]["RuleEntry"]
    assert "max_hours" in rule_entry["properties"]
    assert {"required": ["max_hours"]} in rule_entry["oneOf"]


def test_the_writer_writes_it_back_equal():
    mission = _mission("rules:\n  - {id: long-days, max_hours: {who: everyone, hours: 8h20m}}\n")
    again = load_mission_text(mission_to_yaml(mission), "again.yaml")
    assert again.rules[0] == mission.rules[0].__class__(**{
        **{name: getattr(mission.rules[0], name) for name in ("id", "who", "delegates", "limit")},
        "source": again.rules[0].source})


def test_the_model_leaves_out_what_would_break_it_and_the_checker_agrees():
    # 3 h + 30 min travel + 3 h = 6 h 30 fixed; the 2 h extra would make 8 h 30 (or more with travel).
    mission = _mission("rules:\n  - max_hours: {who: x, hours: 8}\n")
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert [entry.id for entry in schedule.unscheduled] == ["extra"]
    assert check_schedule(mission, schedule) == []
    assert "max_hours-1" in schedule.unscheduled[0].reason or "busy" in schedule.unscheduled[0].reason


def test_without_the_rule_the_extra_fits(monkeypatch):
    mission = _mission("rules:\n  - max_hours: {who: x, hours: 8}\n")
    # The declaration is frozen: its model function is switched off by registering a copy without it.
    monkeypatch.setitem(registry._KINDS, "max_hours",
                        dataclasses.replace(max_hours.KIND, add_to_model=lambda built, rule: None))
    schedule = solve(mission, OPTIONS)
    assert "extra" in {a.id for a in schedule.activities}
    assert {violation.rule for violation in check_schedule(mission, schedule)} == {"max_hours"}


def test_travel_counts_towards_the_hours():
    # 6 h of activities plus 30 min of travel: 6 h 15 is too little, 6 h 30 is enough.
    activities = """
activities:
  - {id: morning, title: Morning, venue: hall, duration: 3h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: afternoon, title: Afternoon, venue: lab, duration: 3h, dates: [2025-10-06], attendees: [x],
     priority: 10}
"""
    tight = _mission("rules:\n  - max_hours: {who: x, hours: 6h15m}\n", activities)
    assert [entry.id for entry in solve(tight, OPTIONS).unscheduled] == ["afternoon"]
    enough = _mission("rules:\n  - max_hours: {who: x, hours: 6h30m}\n", activities)
    assert solve(enough, OPTIONS).unscheduled == []


def _at(hour: int) -> datetime:
    return datetime.fromisoformat(f"2025-10-06T{hour:02d}:00:00-07:00")


def test_the_checker_counts_activities_and_travel_by_start_date():
    mission = _mission("rules:\n  - max_hours: {who: x, hours: 8}\n")
    activities = [
        ScheduledActivity("morning", "Morning", "meeting", "hall", _at(9), _at(12), ("x",)),
        ScheduledActivity("afternoon", "Afternoon", "meeting", "lab", _at(13), _at(16), ("x",)),
        ScheduledActivity("extra", "Extra", "meeting", "hall", _at(17), _at(19), ("x",)),
    ]
    schedule = Schedule(mission=mission.name, status="feasible", activities=activities)
    (violation,) = check_schedule(mission, schedule)
    assert violation.rule == "max_hours"
    assert (violation.params["busy"], violation.params["travel"]) == (480, 60)
    assert violation.delegates == ("x",)
    assert "X (x) is busy 9h on 2025-10-06 (8h of activities and 60 min of travel), more than the 8h" \
        in violation.message
    assert "hours.yaml:21:5" in violation.message
    # A day of exactly the limit is fine: without the extra, 6 h + 30 min.
    fine = Schedule(mission=mission.name, status="feasible", activities=activities[:2])
    assert [v for v in check_schedule(mission, fine) if v.rule == "max_hours"] == []


def test_required_activities_over_the_limit_are_diagnosed_with_the_rule():
    activities = """
activities:
  - {id: morning, title: Morning, venue: hall, duration: 4h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: afternoon, title: Afternoon, venue: lab, duration: 4h, dates: [2025-10-06], attendees: [x]}
"""
    mission = _mission("rules:\n  - max_hours: {who: x, hours: 8}\n", activities)
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "infeasible"
    text = " ".join(conflict.message for conflict in schedule.conflicts)
    assert "is busy at most 8h a day, travel included" in text
    assert "hours.yaml:20:5" in text
