"""The CP-SAT model of a mission: `build_model` composes one constraint family per rule of the spec.

Reads only `planner.domain`. The pieces: `axis` (time in units), `variables` (`MissionModel` and its
variables), `families/` (one module per rule), `objectives` (soft 1 and 2), `sequencing` (soft 3, built on
demand), `extract` (reading a solution). The families are looked up here when the model is built, so that
a test can switch one off by name.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.domain import Mission
from planner.domain.rules import kind_of
from planner.solver.axis import Day, TimeAxis
from planner.solver.extract import extract_schedule, hint_solution, solution_values
from planner.solver.families.accompany import add_accompany, companions
from planner.solver.families.after import add_after
from planner.solver.families.attendance import add_attendance
from planner.solver.families.lodging import add_lodging
from planner.solver.families.lunch import lunch_intervals as _lunch_intervals
from planner.solver.families.placement import add_placement
from planner.solver.families.placement import timing_ranges as _timing_ranges
from planner.solver.families.placement import venue_hours as _venue_ranges
from planner.solver.families.symmetry import add_symmetry_breaking
from planner.solver.families.timeline import add_no_overlap
from planner.solver.families.timeline import unavailable_intervals as _unavailable_intervals
from planner.solver.families.travel import add_travel
from planner.solver.families.venue_choice import add_venue_choice
from planner.solver.families.venue_limits import add_venue_limits
from planner.solver.objectives import (
    objective_placement,
    placement_objective,
    placement_weight,
    travel_of_schedule,
)
from planner.solver.sequencing import add_travel_objective
from planner.solver.variables import STATEMENT_KINDS, Circuit, MissionModel, PlacedActivity, Statement

__all__ = [
    "STATEMENT_KINDS",
    "Circuit",
    "Day",
    "MissionModel",
    "PlacedActivity",
    "Statement",
    "TimeAxis",
    "add_travel_objective",
    "build_model",
    "extract_schedule",
    "hint_solution",
    "placement_objective",
    "placement_weight",
    "solution_values",
    "travel_of_schedule",
]


def build_model(mission: Mission, *, guarded: bool = False) -> MissionModel:
    """The model of every hard rule and of the first two objectives (the third is added on demand)."""
    built = MissionModel(mission, cp_model.CpModel(), TimeAxis(mission), guarded)
    built.true = built.model.new_constant(1)
    add_placement(built, _timing_ranges, _venue_ranges)
    add_venue_choice(built)
    add_attendance(built)
    add_accompany(built, companions(mission))
    add_no_overlap(built, _unavailable_intervals, _lunch_intervals)
    add_travel(built)
    add_lodging(built)
    add_venue_limits(built)
    add_after(built)
    for rule in mission.rules:
        # Accompany is applied with attendance, min_gap with travel, lunch on the timeline; the kinds of
        # the registry (planner.domain.rules: max_per_day, max_hours…) bring their own family.
        if (kind := kind_of(rule)) is not None:
            kind.add_to_model(built, rule)
    add_symmetry_breaking(built)
    objective_placement(built)
    built.statistics.update(variables=len(built.model.proto.variables),
                            constraints=len(built.model.proto.constraints))
    return built
