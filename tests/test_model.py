"""The CP-SAT model, one hard rule at a time.

Each case is a tiny mission with an optional activity that can only be scheduled by breaking one rule:
with the model as it is, the activity is left out and the schedule passes the independent checker; with
the constraint family of that rule switched off (monkeypatched to nothing), the solver schedules the
activity and the checker reports exactly that rule — so each test fails if its constraint is removed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from planner.check import check_schedule
from planner.domain import Activity, Mission
from planner.domain import rules as rules_registry
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.pipeline import SolveOptions, solve
from planner.solver import model as model_module
from planner.solver.model import Statement, build_model

OPTIONS = SolveOptions(time_limit=10, workers=1, progress=False)

BASE = """
mission: {name: Rule test, timezone: America/Los_Angeles, grain: 5m, day: {start: "08:00", end: "21:00"}}
legs:
  - {city: San Francisco, from: 2025-10-06, to: 2025-10-07}
venues:
  - {id: hall, name: Hall, city: San Francisco, parallel: 2}
  - {id: lab, name: Lab, city: San Francisco}
  - {id: club, name: Club, city: San Francisco}
travel:
  times: [[hall, lab, 30m], [hall, club, 30m], [lab, club, 30m]]
delegates:
  - {id: x, name: X}
  - {id: y, name: Y, size: 2}
  - {id: z, name: Z, size: 2}
"""


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    switch_off: Callable[[pytest.MonkeyPatch], None]
    rule: str
    """The checker's code of the rule broken when the constraint is switched off."""
    left_out: str = "extra"


def _off(name: str) -> Callable[[pytest.MonkeyPatch], None]:
    return lambda patch: patch.setattr(model_module, name, lambda *args, **kwargs: [])


def _kind_off(key: str) -> Callable[[pytest.MonkeyPatch], None]:
    """A kind of the registry: its declaration is frozen, so a copy without its model function replaces it."""
    kind = rules_registry.rule_kinds()[key]
    return lambda patch: patch.setitem(rules_registry._KINDS, key,
                                       dataclasses.replace(kind, add_to_model=lambda built, rule: None))


def _leg_unbounded(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(model_module.TimeAxis, "leg_span", lambda self, leg: (-10 ** 5, 10 ** 5))


def _open_hours_off(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(model_module, "_venue_ranges", lambda mission, axis, venue_id, leg: [axis.leg_span(leg)])


def _working_day_off(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(model_module, "_timing_ranges", lambda mission, axis, activity, leg: [axis.leg_span(leg)])


CASES = [
    Case("travel", """
activities:
  - {id: first, title: First, venue: hall, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: lab, duration: 1h, windows: [["2025-10-06 10:00", "2025-10-06 11:00"]],
     attendees: [x], priority: 10}
""", _off("add_travel"), "travel"),
    Case("min_gap", """
activities:
  - {id: first, title: First, venue: hall, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 1h, windows: [["2025-10-06 10:00", "2025-10-06 11:10"]],
     attendees: [x], priority: 10}
rules:
  - min_gap: {who: x, gap: 15m}
""", _off("add_travel"), "min_gap"),
    Case("overlap", """
activities:
  - {id: first, title: First, venue: hall, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 1h, windows: [["2025-10-06 09:00", "2025-10-06 10:00"]],
     attendees: [x], priority: 10}
""", _off("add_no_overlap"), "overlap"),
    Case("unavailable", """
delegates_extra:
activities:
  - {id: extra, title: Extra, venue: hall, duration: 1h, windows: [["2025-10-06 09:00", "2025-10-06 11:00"]],
     attendees: [z], priority: 10}
""", _off("_unavailable_intervals"), "unavailable"),
    Case("lunch", """
activities:
  - {id: extra, title: Extra, venue: hall, duration: 3h, windows: [["2025-10-06 11:00", "2025-10-06 14:00"]],
     attendees: [x], priority: 10}
  - {id: first, title: First, venue: hall, duration: 1h, fixed: "2025-10-06 15:00", attendees: [x]}
rules:
  - lunch: {who: x, between: ["11:30", "14:00"], duration: 45m}
""", _off("_lunch_intervals"), "lunch"),
    Case("parallel", """
activities:
  - {id: first, title: First, venue: lab, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: lab, duration: 1h, windows: [["2025-10-06 09:00", "2025-10-06 10:00"]],
     attendees: [y], priority: 10}
""", _off("add_venue_limits"), "parallel"),
    Case("after", """
activities:
  - {id: first, title: First, venue: hall, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: lab, duration: 45m, windows: [["2025-10-06 09:00", "2025-10-06 10:45"]],
     attendees: [y], priority: 10, after: [{id: first, gap: 30m}]}
""", _off("add_after"), "after"),
    Case("accompany", """
activities:
  - {id: busy, title: Busy, venue: lab, duration: 1h, fixed: "2025-10-06 09:00", attendees: [y]}
  - {id: extra, title: Extra, kind: visit, venue: hall, duration: 1h,
     windows: [["2025-10-06 09:00", "2025-10-06 10:00"]], attendees: [x], priority: 10}
rules:
  - accompany: {who: y, with: x, kinds: [visit]}
""", _off("add_accompany"), "accompany"),
    Case("max_per_day", """
activities:
  - {id: first, title: First, venue: hall, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 1h, dates: [2025-10-06], attendees: [x], priority: 10}
rules:
  - max_per_day: {who: x, count: 1}
""", _kind_off("max_per_day"), "max_per_day"),
    Case("open-hours", """
venues_extra:
activities:
  - {id: extra, title: Extra, venue: museum, duration: 2h, attendees: [x], priority: 10}
""", _open_hours_off, "open-hours"),
    Case("windows", """
activities:
  - {id: extra, title: Extra, venue: hall, duration: 2h, windows: [["2025-10-06 09:00", "2025-10-06 10:30"]],
     attendees: [x], priority: 10}
""", _working_day_off, "placement"),
    Case("working-day", """
activities:
  - {id: extra, title: Extra, venue: hall, duration: 14h, attendees: [x], priority: 10}
""", _working_day_off, "placement"),
    Case("dates", """
activities:
  - {id: blocker, title: Blocker, venue: lab, duration: 13h, fixed: "2025-10-07 08:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 1h, dates: [2025-10-07], attendees: [x], priority: 10}
""", _working_day_off, "placement"),
    Case("leg", """
activities:
  - {id: extra, title: Extra, venue: hall, duration: 5h, windows: [["2025-10-07 20:00", "2025-10-08 04:00"]],
     attendees: [x], priority: 10}
""", _leg_unbounded, "leg"),
]


def _text(case: Case) -> str:
    text = BASE + case.text
    if "delegates_extra" in case.text:
        text = text.replace("  - {id: z, name: Z, size: 2}",
                            '  - {id: z, name: Z, size: 2, unavailable: [["2025-10-06 08:00", "2025-10-07 21:00"]]}')
        text = text.replace("delegates_extra:\n", "")
    if "venues_extra" in case.text:
        text = text.replace("venues:\n", 'venues:\n  - {id: museum, name: Museum, city: San Francisco, '
                                         'open: [["09:00", "10:30"]]}\n')
        text = text.replace("venues_extra:\n", "").replace("[lab, club, 30m]]", "[lab, club, 30m], [museum, hall, 20m],"
                                                                              " [museum, lab, 20m], [museum, club, 20m]]")
    return text


def _rules_broken(mission: Mission, schedule: Schedule) -> set[str]:
    return {violation.rule for violation in check_schedule(mission, schedule)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_holds(case: Case) -> None:
    mission = load_mission_text(_text(case), f"{case.name}.yaml")
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert _rules_broken(mission, schedule) == set()
    assert case.left_out in {u.id for u in schedule.unscheduled}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_bites(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the constraint family the optional activity is placed and the checker sees the rule broken."""
    mission = load_mission_text(_text(case), f"{case.name}.yaml")
    case.switch_off(monkeypatch)
    schedule = solve(mission, OPTIONS)
    monkeypatch.undo()
    assert case.left_out in {a.id for a in schedule.activities}
    assert case.rule in _rules_broken(mission, schedule)


def test_required_activity_is_scheduled_over_a_weightier_optional_one(monkeypatch: pytest.MonkeyPatch) -> None:
    mission = load_mission_text(BASE + """
activities:
  - {id: must, title: Must, venue: hall, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 1h, fixed: "2025-10-06 09:30", attendees: [x], priority: 1000}
""")
    schedule = solve(mission, OPTIONS)
    assert [a.id for a in schedule.activities] == ["must"]
    assert _rules_broken(mission, schedule) == set()
    # Without the rule that a required activity is scheduled, the weightier optional one wins.
    monkeypatch.setattr(Activity, "required", property(lambda self: False))
    relaxed = solve(mission, OPTIONS)
    monkeypatch.undo()
    assert [a.id for a in relaxed.activities] == ["extra"]
    assert "required" in _rules_broken(mission, relaxed)


def test_capacity_counts_optional_attendees(monkeypatch: pytest.MonkeyPatch) -> None:
    text = BASE.replace("{id: lab, name: Lab, city: San Francisco}", "{id: lab, name: Lab, city: San Francisco, capacity: 3}")
    mission = load_mission_text(text + """
activities:
  - {id: talk, title: Talk, venue: lab, duration: 1h, attendees: [y], optional_attendees: [z]}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.by_id()["talk"].attendees == ("y",)
    assert _rules_broken(mission, schedule) == set()
    monkeypatch.setattr(model_module, "add_venue_limits", lambda built: None)
    relaxed = solve(mission, OPTIONS)
    monkeypatch.undo()
    assert relaxed.by_id()["talk"].attendees == ("y", "z")
    assert "capacity" in _rules_broken(mission, relaxed)


def test_venue_choice_respects_each_venues_hours() -> None:
    text = BASE.replace("venues:\n", 'venues:\n  - {id: museum, name: Museum, city: San Francisco, open: [["09:00", "10:00"]]}\n')
    mission = load_mission_text(text.replace("[lab, club, 30m]]", "[lab, club, 30m], [museum, hall, 20m], [museum, lab, 20m], [museum, club, 20m]]") + """
activities:
  - {id: talk, title: Talk, venues: [museum, lab], duration: 2h, dates: [2025-10-06], attendees: [x]}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.by_id()["talk"].venue == "lab"
    assert _rules_broken(mission, schedule) == set()


def test_fixed_start_is_kept_and_companion_added() -> None:
    mission = load_mission_text(BASE + """
activities:
  - {id: visit, title: Visit, kind: visit, venue: hall, duration: 1h, fixed: "2025-10-06 09:30", attendees: [x]}
rules:
  - accompany: {who: y, with: x}
""")
    schedule = solve(mission, OPTIONS)
    visit = schedule.by_id()["visit"]
    assert (visit.start.hour, visit.start.minute) == (9, 30)
    assert visit.attendees == ("x", "y")


def test_optional_attendees_are_brought_when_they_fit() -> None:
    mission = load_mission_text(BASE + """
activities:
  - {id: talk, title: Talk, venue: hall, duration: 1h, attendees: [x], optional_attendees: [y, z]}
  - {id: busy, title: Busy, venue: lab, duration: 13h, fixed: "2025-10-06 08:00", attendees: [z]}
  - {id: busy2, title: Busy 2, venue: lab, duration: 13h, fixed: "2025-10-07 08:00", attendees: [z]}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.by_id()["talk"].attendees == ("x", "y")
    assert schedule.objectives["optional_attendees"] == 2


def test_travel_objective_minimises_moves() -> None:
    """Soft 3: four visits at two venues and a day half taken at a third: one 30-minute move is the least."""
    mission = load_mission_text(BASE + """
activities:
  - {id: a1, title: A1, venue: lab, duration: 2h, attendees: [x]}
  - {id: a2, title: A2, venue: lab, duration: 2h, attendees: [x]}
  - {id: b1, title: B1, venue: club, duration: 2h, attendees: [x]}
  - {id: b2, title: B2, venue: club, duration: 2h, attendees: [x]}
  - {id: c1, title: C1, venue: hall, duration: 6h, attendees: [x], dates: [2025-10-06]}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert schedule.objectives["travel_minutes"] == 30
    assert _rules_broken(mission, schedule) == set()


def test_travel_objective_is_weighted_by_size() -> None:
    mission = load_mission_text(BASE + """
activities:
  - {id: a, title: A, venue: lab, duration: 1h, fixed: "2025-10-06 09:00", attendees: [x, y]}
  - {id: b, title: B, venue: club, duration: 1h, dates: [2025-10-06], attendees: [x, y]}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.objectives["travel_minutes"] == 30 * 3


def test_example_small_is_optimal_and_valid(example_small_path) -> None:
    mission = load_mission(example_small_path)
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert schedule.objective == schedule.bound
    assert check_schedule(mission, schedule) == []
    # accompany adds simonet to the visit to Google because astrid attends it (she is not listed there).
    assert "simonet" in schedule.by_id()["visit-google"].attendees


def test_guarded_model_has_a_guard_per_statement(example_small_path) -> None:
    mission = load_mission(example_small_path)
    built = build_model(mission, guarded=True)
    kinds = {statement.kind for statement in built.guards}
    assert {"timing", "required", "attendance", "after", "unavailable", "venue-parallel", "rule"} <= kinds
    assert Statement("required", ("opening",), mission.activities["opening"].source) in built.guards
    assert build_model(mission).guards == {}


def test_guarded_model_with_all_guards_true_matches_the_normal_optimum(example_small_path) -> None:
    from ortools.sat.python import cp_model

    mission = load_mission(example_small_path)
    built = build_model(mission, guarded=True)
    built.model.add_assumptions(list(built.guards.values()))
    built.model.minimize(model_module.placement_objective(built))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(built.model) == cp_model.OPTIMAL
    schedule = model_module.extract_schedule(built, solver, "feasible")
    assert {a.id for a in schedule.activities} == set(mission.activities)


def test_interchangeable_activities_are_ordered_without_losing_any() -> None:
    """Symmetry breaking: three identical optional sessions, room for two; the first two in file order run,
    in file order, and the optimum is the same as without the symmetry constraints."""
    text = BASE + """
activities:
  - {id: s1, title: Session 1, venue: lab, duration: 6h, dates: [2025-10-06], attendees: [x], priority: 10}
  - {id: s2, title: Session 2, venue: lab, duration: 6h, dates: [2025-10-06], attendees: [x], priority: 10}
  - {id: s3, title: Session 3, venue: lab, duration: 6h, dates: [2025-10-06], attendees: [x], priority: 10}
"""
    mission = load_mission_text(text)
    built = build_model(mission)
    assert built.statistics["symmetries_broken"] == 2
    schedule = solve(mission, OPTIONS)
    assert [a.id for a in schedule.activities] == ["s1", "s2"]
    assert [u.id for u in schedule.unscheduled] == ["s3"]
    assert _rules_broken(mission, schedule) == set()


LUNCH_OFF_THE_GRAIN = """
mission: {name: Lunch off the grain, timezone: Europe/Brussels, grain: 30m, day: {start: "08:00", end: "20:00"}}
legs:
  - {city: Brussels, from: 2025-10-07, to: 2025-10-07}
venues:
  - {id: hall, name: Hall, city: Brussels, parallel: 3}
delegates:
  - {id: x, name: X}
activities:
  - {id: a, title: A, venue: hall, duration: 30m, fixed: "2025-10-07 12:00", attendees: [x]}
rules:
  - lunch: {who: x, between: ["12:00", "13:15"], duration: 45m}
"""


def test_a_lunch_off_the_grain_may_end_at_its_bound() -> None:
    """Grain 30, lunch 45 min until 13:15: the free stretch 12:30–13:15 is a valid lunch (not infeasible)."""
    mission = load_mission_text(LUNCH_OFF_THE_GRAIN)
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert _rules_broken(mission, schedule) == set()


def test_a_lunch_shorter_than_the_grain_is_not_dropped() -> None:
    """Grain 1 h, lunch 45 min within 11:30–12:45: two fixed hours 11:00–13:00 leave no lunch."""
    mission = load_mission_text(LUNCH_OFF_THE_GRAIN.replace("grain: 30m", "grain: 1h").replace(
        '''  - {id: a, title: A, venue: hall, duration: 30m, fixed: "2025-10-07 12:00", attendees: [x]}''',
        '''  - {id: a, title: A, venue: hall, duration: 1h, fixed: "2025-10-07 11:00", attendees: [x]}
  - {id: b, title: B, venue: hall, duration: 1h, fixed: "2025-10-07 12:00", attendees: [x]}''').replace(
        'between: ["12:00", "13:15"]', 'between: ["11:30", "12:45"]'))
    assert len(mission.activities) == 2
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "infeasible"


def test_the_grain_is_counted_in_wall_time_on_a_daylight_saving_day() -> None:
    """Brussels falls back on 2025-10-26: 09:00 is on a 45-minute grain (12 × 45 wall minutes), 08:45 is not,
    though 08:45 lies 585 = 13 × 45 elapsed minutes after midnight."""
    mission = load_mission_text("""
mission: {name: Grain on a DST day, timezone: Europe/Brussels, grain: 45m, day: {start: "06:00", end: "20:00"}}
legs:
  - {city: Brussels, from: 2025-10-26, to: 2025-10-26}
venues:
  - {id: hall, name: Hall, city: Brussels}
delegates:
  - {id: x, name: X}
activities:
  - {id: a, title: A, venue: hall, duration: 45m, windows: [["2025-10-26 08:40", "2025-10-26 09:50"]], attendees: [x]}
  - {id: b, title: B, venue: hall, duration: 90m, windows: [["2025-10-26 00:00", "2025-10-26 05:00"]], attendees: [x]}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert (schedule.by_id()["a"].start.hour, schedule.by_id()["a"].start.minute) == (9, 0)
    assert _rules_broken(mission, schedule) == set()


LEGS_SHARING_INSTANTS = """
mission: {name: East across the date line, timezone: America/Los_Angeles, grain: 5m, day: {start: "08:00", end: "21:00"}}
legs:
  - {city: Los Angeles, from: 2025-10-07, to: 2025-10-08}
  - {city: Tokyo, from: 2025-10-09, to: 2025-10-10, timezone: Asia/Tokyo}
venues:
  - {id: hotel, name: Hotel, city: Los Angeles}
  - {id: hall, name: Tokyo hall, city: Tokyo}
delegates:
  - {id: x, name: X}
  - {id: y, name: Y}
activities:
  - {id: dinner, title: Dinner, venue: hotel, duration: 2h30m, fixed: "2025-10-08 20:00", attendees: [x]}
  - {id: meeting, title: Tokyo meeting, venue: hall, duration: 1h, dates: [2025-10-09], attendees: [y]}
rules:
  - lunch: {who: x, between: ["12:00", "14:00"], duration: 1h}
"""


def test_no_lunch_on_a_date_of_another_leg_the_delegate_does_not_attend() -> None:
    """Tokyo's 2025-10-09 12:00–14:00 is Los Angeles' 10-08 20:00–22:00: X dines in LA and attends nothing in
    Tokyo that date, so no Tokyo lunch is due (the mission is feasible)."""
    mission = load_mission_text(LEGS_SHARING_INSTANTS)
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert _rules_broken(mission, schedule) == set()


def test_a_lunch_on_a_date_of_another_leg_the_delegate_attends_still_holds() -> None:
    mission = load_mission_text(LEGS_SHARING_INSTANTS.replace("attendees: [y]}", "attendees: [x, y]}"))
    assert solve(mission, OPTIONS).status == "infeasible"


COMPANION_CYCLE = """
mission: {name: Companions in a cycle, timezone: Europe/Brussels, grain: 15m, day: {start: "09:00", end: "12:00"}}
legs:
  - {city: Brussels, from: 2025-10-06, to: 2025-10-06}
venues:
  - {id: hall, name: Hall, city: Brussels}
delegates:
  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C}
  - {id: d, name: D}
activities:
  - {id: visit, title: Visit, kind: visit, venue: hall, duration: 1h, attendees: [d], optional_attendees: [c]}
rules:
  - accompany: {who: FIRST, with: c}
  - accompany: {who: b, with: a}
  - accompany: {who: a, with: b}
"""


@pytest.mark.parametrize("first", ["a", "b"])
def test_companions_accompanying_each_other_are_brought_by_a_third(first: str) -> None:
    """a and b accompany each other and one of them accompanies c: where c comes, both come."""
    mission = load_mission_text(COMPANION_CYCLE.replace("FIRST", first))
    schedule = solve(mission, OPTIONS)
    assert schedule.by_id()["visit"].attendees == ("a", "b", "c", "d")
    assert _rules_broken(mission, schedule) == set()


def test_a_principal_stays_away_when_a_companion_of_the_cycle_cannot_come() -> None:
    mission = load_mission_text(COMPANION_CYCLE.replace("FIRST", "a").replace(
        "  - {id: b, name: B}", '  - {id: b, name: B, unavailable: [["2025-10-06 00:00", "2025-10-07 00:00"]]}'))
    schedule = solve(mission, OPTIONS)
    assert schedule.by_id()["visit"].attendees == ("d",)
    assert _rules_broken(mission, schedule) == set()


def test_no_activity_on_a_date_whose_lunch_stretch_is_shortened_by_the_change_of_clocks() -> None:
    """Brussels springs forward on 2025-03-30: 01:30–03:30 lasts one hour that night, too short for a 90-min
    lunch, so X may attend nothing that date and the optional B (dated then) is left out."""
    mission = load_mission_text("""
mission: {name: Night lunch, timezone: Europe/Brussels, grain: 15m, day: {start: "08:00", end: "20:00"}}
legs:
  - {city: Brussels, from: 2025-03-29, to: 2025-03-31}
venues:
  - {id: hall, name: Hall, city: Brussels}
delegates:
  - {id: x, name: X}
activities:
  - {id: a, title: A, venue: hall, duration: 1h, attendees: [x]}
  - {id: b, title: B, venue: hall, duration: 1h, dates: [2025-03-30], attendees: [x], priority: 10}
rules:
  - lunch: {who: x, between: ["01:30", "03:30"], duration: 90m}
""")
    schedule = solve(mission, OPTIONS)
    assert schedule.status == "optimal"
    assert [u.id for u in schedule.unscheduled] == ["b"]
    assert _rules_broken(mission, schedule) == set()


def test_a_companion_of_an_optional_attendee_brought_by_a_rule_comes_along() -> None:
    """r is optional at the visit and brought by q (required), p accompanies r: all three attend."""
    mission = load_mission_text(COMPANION_CYCLE.replace("FIRST", "a").replace(
        "attendees: [d], optional_attendees: [c]}", "attendees: [d], optional_attendees: [b]}").replace(
        """  - accompany: {who: a, with: c}
  - accompany: {who: b, with: a}
  - accompany: {who: a, with: b}""", """  - accompany: {who: b, with: d}
  - accompany: {who: a, with: b}"""))
    schedule = solve(mission, OPTIONS)
    assert schedule.by_id()["visit"].attendees == ("a", "b", "d")
    assert _rules_broken(mission, schedule) == set()
