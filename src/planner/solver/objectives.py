"""The soft objectives (spec "What the solver prefers"), each one term with one source of truth.

A term builds its CP-SAT expression (`expression`) and evaluates a given schedule in plain Python
(`evaluate`): the solve's result, the summary and the benchmarks' scorer all read a schedule's values from
`evaluate`. A term is minimised as its *cost*: its value, or for a term to maximise, the most it could
reach minus its value. Terms of one solve stage are combined lexicographically (`weighted_cost`): each
term's weight exceeds the costs of all the terms after it. A new preference (re-planning's disruption,
B2B's idle slots) is one more `Term` in a stage (`planner.solver.stages`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python.cp_model import LinearExpr

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.domain.travel import travel_by_date
from planner.solver.sequencing import add_travel_objective
from planner.solver.variables import MissionModel


class Term(Protocol):
    @property
    def name(self) -> str:
        """Its key in schedule.json's `objectives` and `objective_bounds`."""

    @property
    def maximise(self) -> bool:
        """Whether more is better (its cost is then the shortfall from `most`)."""

    def expression(self, built: MissionModel) -> LinearExpr | int:
        """The term's value in the model."""

    def most(self, built: MissionModel) -> int:
        """An upper bound of the value (the whole of it for a term to maximise)."""

    def evaluate(self, mission: Mission, schedule: Schedule) -> int:
        """The term's value for a given schedule, computed plainly."""


@dataclass(frozen=True)
class LeftOutPriority:
    """Soft 1: the priority weight of optional activities left out."""

    name: str = "left_out_priority"
    maximise: bool = False

    def expression(self, built: MissionModel) -> LinearExpr | int:
        return built.left_out_weight

    def most(self, built: MissionModel) -> int:
        return sum(a.priority or 0 for a in built.mission.activities.values() if not a.required)

    def evaluate(self, mission: Mission, schedule: Schedule) -> int:
        scheduled = {a.id for a in schedule.activities}
        return sum(a.priority or 0 for a in mission.activities.values()
                   if not a.required and a.id not in scheduled)


@dataclass(frozen=True)
class OptionalAttendees:
    """Soft 2: the headcount (by `size`) of optional attendees brought."""

    name: str = "optional_attendees"
    maximise: bool = True

    def expression(self, built: MissionModel) -> LinearExpr | int:
        return built.brought

    def most(self, built: MissionModel) -> int:
        return built.optional_headcount

    @staticmethod
    def offered(mission: Mission) -> int:
        """The headcount of every optional attendee of every activity: the most the term can reach."""
        return sum(mission.delegates[d].size for a in mission.activities.values()
                   for d in a.optional_attendees)

    def evaluate(self, mission: Mission, schedule: Schedule) -> int:
        return sum(mission.delegates[d].size for a in schedule.activities if a.id in mission.activities
                   for d in a.attendees if d in mission.activities[a.id].optional_attendees)


@dataclass(frozen=True)
class TravelMinutes:
    """Soft 3: travel minutes × size between consecutive activities of each delegate on one local date, at
    different venues of one city (built on demand: `planner.solver.sequencing`)."""

    name: str = "travel_minutes"
    maximise: bool = False

    def expression(self, built: MissionModel) -> LinearExpr | int:
        add_travel_objective(built)
        return built.travel

    def most(self, built: MissionModel) -> int:
        add_travel_objective(built)
        return built.travel_upper_bound

    def evaluate(self, mission: Mission, schedule: Schedule) -> int:
        return sum(travel_by_date(mission, schedule).values())


LEFT_OUT_PRIORITY = LeftOutPriority()
OPTIONAL_ATTENDEES = OptionalAttendees()
TRAVEL_MINUTES = TravelMinutes()
TERMS: tuple[Term, ...] = (LEFT_OUT_PRIORITY, OPTIONAL_ATTENDEES, TRAVEL_MINUTES)
"""Every term, in the spec's order of importance."""


def evaluate(mission: Mission, schedule: Schedule, terms: Sequence[Term] = TERMS) -> dict[str, int]:
    """Each term's value for `schedule`, by name (schedule.json's `objectives`)."""
    return {term.name: term.evaluate(mission, schedule) for term in terms}


def travel_of_schedule(mission: Mission, schedule: Schedule) -> int:
    """Soft 3 of a schedule (`TRAVEL_MINUTES.evaluate`)."""
    return TRAVEL_MINUTES.evaluate(mission, schedule)


def weights(built: MissionModel, terms: Sequence[Term]) -> list[int]:
    """Lexicographic weights: one unit of a term's cost outweighs all the costs of the terms after it."""
    result: list[int] = []
    weight = 1
    for term in reversed(terms):
        result.append(weight)
        weight *= term.most(built) + 1
    return result[::-1]


def cost(built: MissionModel, term: Term) -> LinearExpr | int:
    """What minimising the term minimises: its value, or the shortfall from its most."""
    return term.most(built) - term.expression(built) if term.maximise else term.expression(built)


def weighted_cost(built: MissionModel, terms: Sequence[Term]) -> LinearExpr | int:
    """The stage's terms as one expression to minimise (lexicographic by `weights`)."""
    parts = [cost(built, term) if weight == 1 else weight * cost(built, term)
             for weight, term in zip(weights(built, terms), terms, strict=True)]
    total: LinearExpr | int = parts[0]  # an int when every term is a constant (nothing optional)
    for part in parts[1:]:
        total = total + part
    return total


def cost_of_values(built: MissionModel, terms: Sequence[Term], values: dict[str, int]) -> int:
    """`weighted_cost` for evaluated values."""
    return sum(weight * (term.most(built) - values[term.name] if term.maximise else values[term.name])
               for weight, term in zip(weights(built, terms), terms, strict=True))


def objective_placement(built: MissionModel) -> None:
    """The model's expressions of soft 1 and 2 (left-out priority weight, optional headcount brought)."""
    mission = built.mission
    built.left_out_weight = sum(
        (a.priority or 0) * (1 - built.activities[a.id].presence) for a in mission.activities.values()
        if not a.required)
    terms = []
    for activity in mission.activities.values():
        for delegate_id in activity.optional_attendees:
            size = mission.delegates[delegate_id].size
            built.optional_headcount += size
            terms.append(size * built.attendance[(activity.id, delegate_id)])
    built.brought = sum(terms)


PLACEMENT: tuple[Term, ...] = (LEFT_OUT_PRIORITY, OPTIONAL_ATTENDEES)
"""The first solve stage's terms (soft 1 and 2)."""


def placement_weight(built: MissionModel) -> int:
    """The weight of objective 1 against objective 2: one unit of 1 outweighs all of 2."""
    return weights(built, PLACEMENT)[0]


def placement_objective(built: MissionModel) -> LinearExpr | int:
    """Soft 1 and 2 as one expression to minimise."""
    return weighted_cost(built, PLACEMENT)
