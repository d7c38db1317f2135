"""Reading a solution: the programme it schedules, its values, and hints for the next solve stage."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from planner.domain.schedule import Schedule, ScheduledActivity
from planner.solver.variables import Literal, MissionModel


def extract_schedule(built: MissionModel, solver: cp_model.CpSolver, status: str) -> Schedule:
    """The programme of the solver's current solution (no reasons, objectives or bounds yet)."""
    mission = built.mission
    attendees_of: dict[str, list[str]] = defaultdict(list)
    for (activity_id, delegate_id), literal in built.attendance.items():
        if solver.boolean_value(literal):
            attendees_of[activity_id].append(delegate_id)
    activities = []
    for activity_id, placed in built.activities.items():
        if not solver.boolean_value(placed.presence):
            continue
        venue = next(v for v, literal in placed.venues.items() if solver.boolean_value(literal))
        start = solver.value(placed.start)
        activities.append(ScheduledActivity(
            id=activity_id, title=placed.activity.title, kind=placed.activity.kind, venue=venue,
            start=built.axis.instant(start, placed.leg),
            end=built.axis.instant(start + placed.duration, placed.leg),
            attendees=tuple(sorted(attendees_of[activity_id]))))
    activities.sort(key=lambda a: (a.start, a.id))
    return Schedule(mission=mission.name, status=status, activities=activities)


def solution_values(built: MissionModel, solver: cp_model.CpSolver) -> list[int]:
    """Every variable's value in the current solution (a hint for the next stage)."""
    return list(solver.response_proto.solution)


def hint_solution(built: MissionModel, values: Sequence[int]) -> None:
    """Hint a previous stage's solution, completed for the variables added since (days, circuits)."""
    model = built.model
    model.clear_hints()
    known: dict[int, int] = dict(enumerate(values))

    def value_of(literal: Literal) -> int:
        index = literal.index
        return known.get(index, 0) if index >= 0 else 1 - known.get(-index - 1, 0)

    for placed in built.activities.values():
        start = known.get(placed.start.index, 0)
        for day, literal in placed.day_literals.items():
            known.setdefault(literal.index, int(_day_of(built, start) == day))
    for (literal_key, activity_id, day), both in built.on_day_literals.items():
        if both.index not in known:
            literal_value = (known.get(literal_key, 0) if literal_key >= 0
                             else 1 - known.get(-literal_key - 1, 0))
            day_value = value_of(built.activities[activity_id].day_literals[day])
            known[both.index] = int(bool(literal_value and day_value))
    for visited_a, visited_b, both in built.pairs:
        known[both.index] = int(bool(value_of(visited_a) and value_of(visited_b)))
    for circuit in built.circuits:
        order = sorted((a for a, visited in circuit.nodes if value_of(visited)),
                       key=lambda a: known.get(built.activities[a].start.index, 0))
        chosen = set(itertools.pairwise(order))
        known[circuit.idle.index] = int(not order)
        for activity_id, literal in circuit.firsts.items():
            known[literal.index] = int(bool(order) and order[0] == activity_id)
        for activity_id, literal in circuit.lasts.items():
            known[literal.index] = int(bool(order) and order[-1] == activity_id)
        for pair, literal in circuit.arcs.items():
            known[literal.index] = int(pair in chosen)
        for (activity_id, outward), (trip, options) in circuit.hotel_travel.items():
            end = (order[0] if outward else order[-1]) if order else None
            known[trip.index] = max((minutes for venue_id, minutes in options if end == activity_id
                                     and value_of(built.activities[activity_id].venues[venue_id])), default=0)
        for (a, b), (travel, combos) in circuit.travel.items():
            known[travel.index] = max(
                (minutes for va, vb, minutes in combos if (a, b) in chosen
                 and value_of(built.activities[a].venues[va]) and value_of(built.activities[b].venues[vb])),
                default=0)
    for index in sorted(known):
        if index < len(model.proto.variables):
            model.add_hint(model.get_int_var_from_proto_index(index), known[index])


def _day_of(built: MissionModel, start_units: int) -> int:
    minute = start_units * built.axis.unit
    for day in built.axis.days:
        if day.start_minute <= minute < day.end_minute:
            return day.index
    return -1
