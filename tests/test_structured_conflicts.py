"""Conflicts and left-out reasons are structured (issue 11): a code and parameters of plain JSON values,
from which planner.text renders the message; schedule.json keeps them and reads them back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.diagnosis import describe_core, left_out_reasons, precheck
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.load import load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.solver.model import Statement
from planner.text.conflicts import CONFLICTS, conflict_message
from planner.text.left_out import REASONS, left_out_message

INFEASIBLE = sorted((Path(__file__).parent / "infeasible").glob("*.yaml"))


def as_json(params: dict) -> dict:
    """The parameters as schedule.json holds them: a JSON round trip must lose nothing."""
    return json.loads(json.dumps(params, ensure_ascii=False))


def test_every_pre_check_conflict_renders_from_its_json_parameters() -> None:
    found = 0
    for path in INFEASIBLE:
        for conflict in precheck(load_mission(path)):
            assert conflict.code in CONFLICTS, (path.name, conflict.code)
            assert as_json(conflict.params) == conflict.params, path.name
            assert conflict_message(conflict.code, as_json(conflict.params)) == conflict.message
            assert conflict.extra["check"] in (conflict.code, conflict.params.get("check"))
            found += 1
    assert found >= 10  # the crafted missions exercise most pre-checks


def test_a_diagnosed_conflict_carries_clauses_and_limits() -> None:
    """Attendance, a rule and travel: who must attend what, then what stands in the way, as data."""
    mission = load_mission(Path(__file__).parent / "infeasible" / "min-gap.yaml")
    rule = mission.rules[0]
    core = [Statement("attendance", ("press-google", "astrid"), mission.activities["press-google"].source),
            Statement("attendance", ("opening", "astrid"), mission.activities["opening"].source),
            Statement("rule", (rule.id, "astrid"), rule.source)]
    conflict = describe_core(mission, core)
    assert conflict.code == "diagnosis"
    assert conflict.params["clauses"][0]["delegates"] == ["HRH Princess Astrid"]
    assert [limit["case"] for limit in conflict.params["limits"]] == ["travel", "rule"]
    assert conflict.params["limits"][1]["gap"] == 15
    assert conflict_message("diagnosis", as_json(conflict.params)) == conflict.message
    assert conflict.message.endswith("but Google, Mountain View → Fairmont San Francisco takes 75 min and "
                                     "HRH Princess Astrid needs the 15 min protocol gap between activities "
                                     f"(rule {rule.id}, {rule.source})")


def test_schedule_json_keeps_code_and_params_and_reads_them_back(tmp_path: Path) -> None:
    mission = load_mission(Path(__file__).parent / "infeasible" / "fixed-overlap.yaml")
    schedule = Schedule(mission=mission.name, status="infeasible", conflicts=precheck(mission))
    path = tmp_path / "schedule.json"
    path.write_text(schedule.dumps(), encoding="utf-8")
    written = json.loads(path.read_text(encoding="utf-8"))["conflicts"][0]
    assert written["code"] == "overlap" and written["params"]["first"]["timing"]["fixed"]
    again = read_schedule(path).conflicts[0]
    assert (again.code, again.params, again.message) == (schedule.conflicts[0].code,
                                                         schedule.conflicts[0].params,
                                                         schedule.conflicts[0].message)
    assert "code" not in again.extra and "params" not in again.extra


@pytest.mark.parametrize("placed, code", [
    ({}, "looks-free"),
    ({"talk": ("2025-10-06T10:00:00+02:00", "2025-10-06T12:00:00+02:00")}, "blocked"),
])
def test_a_left_out_reason_renders_from_its_json_parameters(placed: dict, code: str) -> None:
    mission = load_mission_text("""
mission: {name: Reasons, timezone: Europe/Brussels}
legs: [{city: Brussels, from: 2025-10-06, to: 2025-10-06}]
venues: [{id: lab, name: Lab, city: Brussels, open: [["09:00", "12:00"]]}]
delegates: [{id: x, name: X}]
activities:
  - {id: talk, title: Talk, venue: lab, duration: 2h, fixed: "2025-10-06 10:00", attendees: [x]}
  - {id: visit, title: Visit, venue: lab, duration: 2h, attendees: [x], priority: 5}
""", "reasons.yaml")
    activities = [ScheduledActivity(a, mission.activities[a].title, "visit", "lab",
                                    *(datetime_of(text) for text in span), ("x",)) for a, span in placed.items()]
    schedule = Schedule(mission=mission.name, status="optimal", activities=activities)
    entry = left_out_reasons(mission, schedule)["visit"]
    assert entry.code in REASONS and entry.code == code
    assert entry.params["priority"] == 5
    assert left_out_message(entry.code, as_json(entry.params)) == entry.reason
    if code == "blocked":
        assert entry.reason.startswith("priority 5: left out because every slot (Lab, open 09:00–12:00)")
        assert {blocker["case"] for blocker in entry.params["blockers"]} <= {"activity", "venue"}


def datetime_of(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)
