"""Diagnosis of infeasible missions and reasons for left-out activities (issue 7).

The catalogue `tests/infeasible/*.yaml` holds crafted missions, each impossible for one reason and each
holding unrelated activities besides; every test asserts the exit status of `planner solve`, the
conflicts written into schedule.json, and that the conflict names exactly the clashing statements.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.diagnosis import describe_core, diagnose, unscheduled_reasons
from planner.domain import Mission
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.load import load_mission
from planner.pipeline import SolveOptions, solve
from planner.solver.model import Statement

CATALOGUE = Path(__file__).parent / "infeasible"

# file → (who finds it, activities, delegates, rules): exactly the clashing statements, nothing else.
EXPECTED: dict[str, tuple[str, set[str], set[str], set[str]]] = {
    "fixed-overlap": ("overlap", {"press-google", "visit-stanford"}, {"astrid"}, set()),
    "travel": ("travel", {"visit-google", "opening"}, {"jeholet"}, set()),
    "min-gap": ("travel", {"press-google", "opening"}, {"astrid"}, {"min_gap-1"}),
    "windows-too-short": ("room", {"visit-stanford"}, set(), set()),
    "venue-hours": ("room", {"early-nasa"}, set(), set()),
    "wrong-leg": ("room", {"visit-stanford"}, set(), set()),
    "capacity": ("capacity", {"tour-nasa"}, {"odoo-team", "press-pool", "jeholet"}, set()),
    "unavailability": ("unavailable", {"visit-google"}, {"odoo"}, set()),
    "after-cycle": ("after-cycle", {"briefing", "visit-stanford", "debriefing"}, set(), set()),
    "after-chain": ("after-chain", {"visit-stanford", "signing"}, set(), set()),
    # Past the pre-checks: found by the CP-SAT diagnosis.
    "accompany": ("diagnosis", {"visit-stanford", "minister-meeting-1", "minister-meeting-2"},
                  {"astrid", "simonet"}, {"accompany-1"}),
    "max-per-day": ("diagnosis", {"visit-google", "visit-stanford", "roundtable"}, {"astrid"}, {"max_per_day-1"}),
    "lunch": ("diagnosis", {"briefing", "roundtable"}, {"astrid"}, {"lunch-1"}),
    "parallel": ("diagnosis", {"opening", "wallonia-reception"}, set(), set()),
    "double-booked": ("diagnosis", {"visit-stanford", "roundtable", "interview"}, {"jeholet"}, set()),
    "travel-windows": ("diagnosis", {"visit-google", "lunch-fairmont"}, {"jeholet"}, set()),
    "unavailable-busy": ("diagnosis", {"odoo-demo", "odoo-investors"}, {"odoo"}, set()),
    "capacity-parallel": ("diagnosis", {"space-tour", "gala"}, {"odoo-team", "press-pool"}, set()),
    "after-across-days": ("diagnosis", {"dinner", "press-breakfast"}, {"jeholet"}, set()),
    "min-gap-windows": ("diagnosis", {"visit-stanford", "visit-nasa-royal"}, {"astrid"}, {"min_gap-1"}),
}


def test_the_catalogue_holds_every_crafted_mission_and_nothing_untested() -> None:
    assert {path.stem for path in CATALOGUE.glob("*.yaml")} == set(EXPECTED)
    assert len(EXPECTED) >= 12
    assert sum(1 for stage, *_ in EXPECTED.values() if stage == "diagnosis") >= 6


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_planner_solve_names_exactly_the_clashing_statements(name: str, tmp_path: Path) -> None:
    stage, activities, delegates, rules = EXPECTED[name]
    result = CliRunner().invoke(app, ["solve", str(CATALOGUE / f"{name}.yaml"), "--out", str(tmp_path),
                                      "--time-limit", "10", "--workers", "1", "--quiet"])
    assert result.exit_code == 1, result.output
    document = json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))
    assert document["status"] == "infeasible"
    assert document["activities"] == []
    assert len(document["conflicts"]) == 1, document["conflicts"]
    conflict = document["conflicts"][0]
    assert conflict["check"] == stage
    assert set(conflict["activities"]) == activities
    assert set(conflict["delegates"]) == delegates
    assert set(conflict["rules"]) == rules
    # The message speaks the mission's words and points into the file for every statement involved.
    mission = load_mission(CATALOGUE / f"{name}.yaml")
    for activity_id in activities:
        assert f"'{mission.activities[activity_id].title}'" in conflict["message"]
        assert str(mission.activities[activity_id].source) in conflict["sources"]
    for rule_id in rules:
        assert rule_id in conflict["message"]
        assert str(mission.rule(rule_id).source) in conflict["sources"]
    for delegate_id in delegates:
        assert mission.delegates[delegate_id].name in conflict["message"]
    printed = " ".join(result.output.split())
    assert " ".join(conflict["message"].split("(")[0].split()) in printed


def test_the_printed_conflict_is_written_as_in_the_issue(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["solve", str(CATALOGUE / "min-gap.yaml"), "--out", str(tmp_path), "--quiet"])
    message = json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))["conflicts"][0]["message"]
    assert message.startswith("HRH Princess Astrid must attend 'Press conference at Google' (fixed 2025-10-06 16:00–16:45")
    assert "'Mission opening reception' (fixed 2025-10-06 18:00–20:00" in message
    assert "Google, Mountain View → Fairmont San Francisco takes 75 min plus the 15 min protocol gap (rule min_gap-1" \
        in message
    assert result.exit_code == 1


def test_diagnosis_finds_the_core_when_called_directly_and_is_deterministic() -> None:
    mission = load_mission(CATALOGUE / "lunch.yaml")
    options = SolveOptions(time_limit=5, workers=1, seed=3, progress=False)
    first, second = diagnose(mission, options), diagnose(mission, options)
    assert first == second
    assert [set(c.rules) for c in first] == [{"lunch-1"}]
    # Minimal: every statement of the core is needed — the statements listed are exactly those.
    statements = first[0].extra["statements"]
    assert "rule lunch-1 astrid" in statements
    assert not any("jeholet" in s for s in statements), "jeholet's own lunch rule is unrelated"


def test_a_clash_no_single_day_shows_is_found_on_the_whole_mission() -> None:
    from planner.diagnosis import run_diagnosis

    mission = load_mission(CATALOGUE / "after-across-days.yaml")
    diagnosis = run_diagnosis(mission, SolveOptions(time_limit=5, workers=1, progress=False))
    assert diagnosis.parts_tried == ["2025-10-06", "2025-10-07", "whole mission"]
    assert [set(c.activities) for c in diagnosis.conflicts] == [{"dinner", "press-breakfast"}]
    assert "'Press breakfast' must start after 'Dinner with investors' ends + 12 h" in diagnosis.conflicts[0].message


def test_diagnosis_reports_disjoint_clashes_separately(tmp_path: Path) -> None:
    """Two independent clashes in one file: both found, neither mixed into the other."""
    text = (CATALOGUE / "lunch.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  # Unrelated to the clash",
        '  - {id: gala-1, title: Gala one, kind: reception, venue: nasa-ames, duration: 2h, fixed: "2025-10-07 10:00",'
        " attendees: [simonet]}\n"
        '  - {id: gala-2, title: Gala two, kind: reception, venue: nasa-ames, duration: 2h, fixed: "2025-10-07 11:00",'
        " attendees: [odoo]}\n  # Unrelated to the clash")
    path = tmp_path / "two-clashes.yaml"
    path.write_text(text, encoding="utf-8")
    schedule = solve(load_mission(path), SolveOptions(time_limit=10, workers=1, progress=False))
    assert schedule.status == "infeasible"
    found = sorted((sorted(c.activities), sorted(c.rules)) for c in schedule.conflicts)
    assert found == [(["briefing", "roundtable"], ["lunch-1"]), (["gala-1", "gala-2"], [])]


def test_describe_core_speaks_of_rules_venues_and_windows_in_the_missions_words() -> None:
    mission = load_mission(CATALOGUE / "unavailable-busy.yaml")
    odoo = mission.delegates["odoo"]
    core = [Statement("unavailable", ("odoo", "0"), odoo.unavailable[0].source),
            Statement("attendance", ("odoo-demo", "odoo"), mission.activities["odoo-demo"].source)]
    conflict = describe_core(mission, core, with_travel=False)
    assert conflict.message.startswith("Odoo must attend 'Odoo demonstration'")
    assert "Odoo is unavailable 2025-10-06 07:00–12:00" in conflict.message
    assert conflict.delegates == ("odoo",) and conflict.activities == ("odoo-demo",)
    assert str(odoo.unavailable[0].source) in conflict.extra["sources"]


# --- reasons for optional activities left out -----------------------------------------------------------


def test_example_small_left_out_activities_all_get_a_reason(example_small_path: Path) -> None:
    mission = load_mission(example_small_path)
    schedule = solve(mission, SolveOptions(time_limit=20, workers=1, progress=False))
    assert schedule.has_programme
    left_out = {a.id for a in mission.activities.values() if not a.required} - {a.id for a in schedule.activities}
    assert {u.id for u in schedule.unscheduled} == left_out
    for entry in schedule.unscheduled:
        assert entry.reason.startswith(f"priority {mission.activities[entry.id].priority}: ")


def small_mission_with_optional_visit(tmp_path: Path, extra_rules: str = "") -> Path:
    """Centre Spatial de Liège is held at Stanford 10:00–16:00 on both days; NASA Ames (open 09:00–16:00)
    has no slot left for the optional visit."""
    text = (CATALOGUE / "double-booked.yaml").read_text(encoding="utf-8")
    start = text.index("activities:")
    text = text[:start] + """activities:
  - {id: stanford-day-1, title: Aerospace day at Stanford, kind: seminar, venue: stanford, duration: 6h,
     fixed: "2025-10-06 10:00", attendees: [csl]}
  - {id: stanford-day-2, title: Second aerospace day at Stanford, kind: seminar, venue: stanford, duration: 6h,
     fixed: "2025-10-07 10:00", attendees: [csl]}
  - {id: visit-nasa, title: Visit to NASA Ames, kind: visit, venue: nasa-ames, duration: 90m,
     attendees: [csl], optional_attendees: [astrid], priority: 40}
  - {id: odoo-b2b, title: Odoo B2B meetings, kind: b2b, venue: stanford, duration: 2h, attendees: [odoo], priority: 10}
""" + extra_rules
    path = tmp_path / "optional.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_left_out_activity_names_what_blocks_it(tmp_path: Path) -> None:
    mission = load_mission(small_mission_with_optional_visit(tmp_path))
    schedule = solve(mission, SolveOptions(time_limit=10, workers=1, progress=False))
    reasons = {u.id: u.reason for u in schedule.unscheduled}
    assert set(reasons) == {"visit-nasa"}, "odoo's B2B fits and is scheduled"
    reason = reasons["visit-nasa"]
    assert reason.startswith("priority 40: left out because every slot (NASA Ames Research Center, open 09:00–16:00)")
    assert "Centre Spatial de Liège being at 'Aerospace day at Stanford' 2025-10-06 10:00–16:00" in reason
    assert "Centre Spatial de Liège being at 'Second aerospace day at Stanford' 2025-10-07 10:00–16:00" in reason
    assert "Odoo" not in reason


def test_a_left_out_activity_names_the_rule_that_blocks_it(tmp_path: Path) -> None:
    """With a short morning slot still free, max_per_day is what keeps the visit out."""
    path = small_mission_with_optional_visit(tmp_path, "\nrules:\n  - max_per_day: {who: csl, count: 1}\n")
    text = path.read_text(encoding="utf-8").replace('fixed: "2025-10-06 10:00"', 'fixed: "2025-10-06 12:00"')
    text = text.replace("duration: 6h,\n     fixed: \"2025-10-06 12:00\"", "duration: 4h,\n     fixed: \"2025-10-06 12:00\"")
    path.write_text(text, encoding="utf-8")
    mission = load_mission(path)
    schedule = solve(mission, SolveOptions(time_limit=10, workers=1, progress=False))
    reason = {u.id: u.reason for u in schedule.unscheduled}["visit-nasa"]
    assert "rule max_per_day-1: at most 1" in reason


def test_reasons_against_a_hand_written_schedule_count_travel_and_min_gap(tmp_path: Path) -> None:
    """A schedule read from schedule.json: the reason depends only on it and the mission."""
    mission = load_mission(small_mission_with_optional_visit(tmp_path))
    by_id = {a.id: a for a in mission.activities.values()}
    zone = mission.legs[0].zone
    from datetime import datetime, timedelta

    def placed(activity_id: str, start: datetime) -> ScheduledActivity:
        activity = by_id[activity_id]
        return ScheduledActivity(activity.id, activity.title, activity.kind, activity.venues[0], start,
                                 start + timedelta(minutes=activity.duration), activity.attendees)

    schedule = Schedule(mission.name, "optimal", activities=[
        placed("stanford-day-1", datetime(2025, 10, 6, 10, tzinfo=zone)),
        placed("stanford-day-2", datetime(2025, 10, 7, 10, tzinfo=zone)),
    ])
    reasons = unscheduled_reasons(mission, schedule)
    assert set(reasons) == {"visit-nasa", "odoo-b2b"}
    assert reasons["odoo-b2b"].startswith("priority 10: no single clash with the programme explains it (2025-10-06 ")
    schedule.status = "feasible"
    assert "looks free: the solver stopped at its time limit" in unscheduled_reasons(mission, schedule)["odoo-b2b"]
    assert "'Aerospace day at Stanford'" in reasons["visit-nasa"]


def test_a_left_out_activity_names_the_after_link_that_blocks_it(tmp_path: Path) -> None:
    """The visit must come 10 hours after the first aerospace day ends (02:00 on the 7th), and csl spends
    the 7th's opening hours of NASA Ames at Stanford: the reason names the `after` link and that day."""
    path = small_mission_with_optional_visit(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "attendees: [csl], optional_attendees: [astrid], priority: 40}",
        "attendees: [csl], optional_attendees: [astrid], priority: 40, after: [{id: stanford-day-1, gap: 10h}]}")
    text = text.replace('duration: 6h,\n     fixed: "2025-10-07 10:00"', 'duration: 7h,\n     fixed: "2025-10-07 09:00"')
    text = text.replace('duration: 6h,\n     fixed: "2025-10-06 10:00"', 'duration: 4h,\n     fixed: "2025-10-06 12:00"')
    path.write_text(text, encoding="utf-8")
    mission = load_mission(path)
    schedule = solve(mission, SolveOptions(time_limit=10, workers=1, progress=False))
    reason = {u.id: u.reason for u in schedule.unscheduled}["visit-nasa"]
    assert "having to come after 'Aerospace day at Stanford', which ends 2025-10-06 16:00 + 10 h" in reason
    assert "'Second aerospace day at Stanford' 2025-10-07 09:00–16:00" in reason
    assert "'Aerospace day at Stanford' 2025-10-06" not in reason, "the after link alone rules out the 6th"


def assert_infeasible_and_minimal(mission: Mission, conflict_statements: list[str]) -> None:
    """Checked on the guarded model directly: the statements reported cannot hold together, and without
    any one of them the rest can."""
    from ortools.sat.python import cp_model

    from planner.solver.model import build_model

    built = build_model(mission, guarded=True)
    by_text = {f"{s.kind} {' '.join(s.ids)}": s for s in built.guards}
    core = [by_text[text] for text in conflict_statements]

    def status(enforced: list[Statement]) -> int:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.guards[s] if s in enforced else built.guards[s].Not()
                                     for s in built.guards])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 10
        return solver.solve(built.model)

    assert status(core) == cp_model.INFEASIBLE
    for statement in core:
        assert status([s for s in core if s != statement]) in (cp_model.FEASIBLE, cp_model.OPTIMAL), statement


@pytest.mark.parametrize("name", sorted(n for n, (stage, *_) in EXPECTED.items() if stage == "diagnosis"))
def test_each_diagnosed_set_is_infeasible_and_minimal(name: str) -> None:
    mission = load_mission(CATALOGUE / f"{name}.yaml")
    [conflict] = diagnose(mission, SolveOptions(time_limit=5, workers=1, progress=False))
    assert_infeasible_and_minimal(mission, conflict.extra["statements"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_triple_booking_injected_into_a_generated_mission_is_found(seed: int) -> None:
    """A generated mission has a planted valid schedule; three meetings that only fit 09:00–11:00 on the
    first two days make it infeasible for its busiest delegate, and nothing else does."""
    import dataclasses
    from collections import Counter

    from planner.domain import Activity, Window
    from planner.testing.generate import generate_mission

    mission, _ = generate_mission(activities=40, delegates=20, seed=seed)
    busiest = Counter(d for a in mission.activities.values() if a.required for d in a.attendees).most_common(1)[0][0]
    leg = mission.legs[0]
    venue = next(v for v in mission.venues.values() if v.city == leg.city
                 and (not v.open_hours or any(h.start <= 540 and h.end >= 660 for h in v.open_hours)))
    windows = tuple(Window(leg.local_instant(day, 540), leg.local_instant(day, 660)) for day in leg.days()[:2])
    injected = {f"injected-{n}": Activity(f"injected-{n}", f"Injected meeting {n}", (venue.id,), length, (busiest,),
                                          windows=windows)
                for n, length in ((1, 120), (2, 120), (3, 60))}
    mission = dataclasses.replace(mission, activities={**mission.activities, **injected})
    schedule = solve(mission, SolveOptions(time_limit=20, workers=1, progress=False))
    assert schedule.status == "infeasible"
    [conflict] = schedule.conflicts
    assert conflict.extra["check"] == "diagnosis"
    # Without the injected meetings the mission is feasible, so every clash involves some of them.
    assert set(conflict.activities) & set(injected) and busiest in conflict.delegates, conflict.message
    assert_infeasible_and_minimal(mission, conflict.extra["statements"])


def test_a_venue_closed_through_the_activity_s_time_says_none_of_that_time_is_left() -> None:
    """The room conflict names the activity's own time, then the venue's hours, and what they leave of it."""
    from planner.diagnosis import precheck

    conflicts = precheck(load_mission(CATALOGUE / "venue-hours.yaml"))
    assert len(conflicts) == 1
    message = conflicts[0].message
    assert "which leaves none of that time" in message or "of that time" in message.split("which leaves ")[1]
    assert not message.endswith(" of that"), message
