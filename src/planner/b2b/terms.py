"""The objective terms of the matchmaking, in the contract's order (../shared/spec/b2b.md, "What it
prefers"). Each term builds its CP-SAT expression on a `MatchModel` (with the range it can take, so that
terms combine lexicographically into one objective) and evaluates any assignment, whoever made it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.b2b.model import MatchModel
from planner.b2b.problem import UNPLACED, Assignment, Problem


@dataclass(frozen=True)
class Built:
    """A term's expression in one model and the interval it lies in."""

    expression: cp_model.LinearExprT
    low: int
    high: int


def idle_by_participant_session(problem: Problem, assignment: Assignment) -> dict[tuple[int, int], int]:
    """Idle slots per (participant, session) with at least one meeting: the slots between their first and
    last meeting where they are available and meet no one (a slot they are unavailable in is not waiting
    time; docs/b2b.md)."""
    slots: dict[tuple[int, int], list[int]] = defaultdict(list)
    for request, cell in enumerate(assignment.cell):
        if cell == UNPLACED:
            continue
        place = problem.cells[cell]
        for member in problem.request_participants[request]:
            slots[member, place.session].append(place.slot)
    result = {}
    for (member, session), held in slots.items():
        cells = problem.session_cells[session]
        available = problem.available[member]
        taken = set(held)
        result[member, session] = sum(
            1 for slot in range(min(held), max(held) + 1) if slot not in taken and cells[slot] in available
        )
    return result


class RequiredScheduled:
    """Rule 1 as a count, for searches that start without every required request: maximised first."""

    name = "required"
    maximise = True

    def build(self, built: MatchModel) -> Built:
        problem = built.problem
        variables = [
            variable
            for request in built.free
            if problem.required[request]
            for _, variable in built.by_request[request]
        ]
        return Built(sum(variables), 0, len(variables))

    def evaluate(self, problem: Problem, assignment: Assignment) -> int:
        return sum(
            1
            for request, cell in enumerate(assignment.cell)
            if cell != UNPLACED and problem.required[request]
        )


class ScheduledPriority:
    """Preference 1: the priority of the optional requests scheduled."""

    name = "priority"
    maximise = True

    def build(self, built: MatchModel) -> Built:
        problem = built.problem
        weights = [
            (problem.weight[request], variable)
            for request in built.free
            if not problem.required[request]
            for _, variable in built.by_request[request]
        ]
        high = sum(problem.weight[request] for request in built.free if not problem.required[request])
        return Built(sum(weight * variable for weight, variable in weights), 0, high)

    def evaluate(self, problem: Problem, assignment: Assignment) -> int:
        return sum(
            problem.weight[request]
            for request, cell in enumerate(assignment.cell)
            if cell != UNPLACED and not problem.required[request]
        )


class IdleSlots:
    """Preference 2: idle slots of every participant in every session, weighted by size."""

    name = "idle"
    maximise = False

    def build(self, built: MatchModel) -> Built:
        size = built.problem.size
        return Built(
            sum(size[entry.participant] * entry.idle for entry in built.idle),
            0,
            sum(size[entry.participant] * entry.span for entry in built.idle),
        )

    def evaluate(self, problem: Problem, assignment: Assignment) -> int:
        return sum(
            problem.size[member] * idle
            for (member, _), idle in idle_by_participant_session(problem, assignment).items()
        )


class WorstIdle:
    """Preference 2, then: the largest number of idle slots one participant has (all sessions together)."""

    name = "worst_idle"
    maximise = False

    def build(self, built: MatchModel) -> Built:
        modelled = {(entry.participant, entry.session) for entry in built.idle}
        elsewhere: dict[int, int] = defaultdict(int)
        for (member, session), idle in idle_by_participant_session(built.problem, built.fixed).items():
            if (member, session) not in modelled:
                elsewhere[member] += idle
        floor = max(elsewhere.values(), default=0)
        inside: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
        spans: dict[int, int] = defaultdict(int)
        for entry in built.idle:
            inside[entry.participant].append(entry.idle)
            spans[entry.participant] += entry.span
        high = max([floor] + [elsewhere[member] + spans[member] for member in inside])
        worst = built.model.new_int_var(floor, high, "worst_idle")
        for member, idles in inside.items():
            built.model.add(worst >= elsewhere[member] + sum(idles))
        return Built(worst, floor, high)

    def evaluate(self, problem: Problem, assignment: Assignment) -> int:
        totals: dict[int, int] = defaultdict(int)
        for (member, _), idle in idle_by_participant_session(problem, assignment).items():
            totals[member] += idle
        return max(totals.values(), default=0)


SLOT_TERMS = (RequiredScheduled(), ScheduledPriority(), IdleSlots(), WorstIdle())
"""The terms decided by the choice of cells, in lexicographic order (table changes come after, in
`planner.b2b.tables`)."""


def evaluate(problem: Problem, assignment: Assignment) -> tuple[int, ...]:
    """The terms' values as a vector that compares lexicographically (greater is better)."""
    return tuple(term.evaluate(problem, assignment) * (1 if term.maximise else -1) for term in SLOT_TERMS)


def lexicographic_objective(built: MatchModel, terms: tuple = SLOT_TERMS) -> dict[str, Built]:
    """One objective for the model, weighted so that each of `terms` dominates every term after it;
    returns each term's expression."""
    parts = [(term, term.build(built)) for term in terms]
    weight = 1
    weighted: list[cp_model.LinearExprT] = []
    for term, part in reversed(parts):
        weighted.append((weight if term.maximise else -weight) * part.expression)
        weight *= part.high - part.low + 1
    built.model.maximize(cp_model.LinearExpr.sum(weighted))
    return {term.name: part for term, part in parts}
