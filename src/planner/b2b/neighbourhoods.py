"""Large-neighbourhood search on the longest waits: CP-SAT on one participant's session at a time.

The swaps (`planner.b2b.kempe`) bring the idle slots near their minimum, but a swap only exchanges two
slots of a chain, so a participant may be left waiting 3 slots in a session when a different arrangement
of the dozen people around them would not. Here, for each (participant, session) with idle slots, those
whose participant waits longest first, the requests of that participant in that session and of everyone
they meet there are freed (every other meeting stays put) and the model (`planner.b2b.model`) is solved
with the contract's terms in their order — required, priority, idle slots — and last `IdleAbove`, the
idle slots participants have above one less than the worst participant's: the contract's "then the
largest number of idle slots any one participant has", in a form CP-SAT proves at once in a
neighbourhood (the maximum itself, or a sum of squares, left most neighbourhoods unproved). A new
arrangement is kept only when no term of the contract is worse, the worst participant included, and it
is better by one of them or by `IdleAbove`: the order priority, idle total, worst participant is never
traded away.

Deterministic: one CP-SAT worker, a deterministic time limit per neighbourhood, a fixed order of
neighbourhoods; only the wall-clock limit of the whole pass depends on the machine.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from planner.b2b.model import MatchModel, build_model, neighbourhood_solver
from planner.b2b.problem import UNPLACED, Assignment, Problem
from planner.b2b.search import read_assignment
from planner.b2b.terms import (
    Built,
    IdleSlots,
    RequiredScheduled,
    ScheduledPriority,
    idle_by_participant_session,
    lexicographic_objective,
)

NEIGHBOURHOOD_WORK = 1.0
"""CP-SAT's deterministic time per neighbourhood (about a second): most are proved optimal well within."""
ROUNDS = 3
"""Passes over the participants with idle slots; a pass that keeps nothing ends the search."""


class IdleAbove:
    """Not a preference of the contract but the search's tie-breaker after it: Σ over participants of
    the idle slots (all sessions) they have above `limit`. With `limit` one below the worst participant,
    it is 0 when nobody waits as long as the worst does now, so CP-SAT proves a neighbourhood at once
    (a finer spread, such as the sum of squares, left it unproved after seconds)."""

    name = "idle_above"
    maximise = False

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.excess: list[tuple[int, cp_model.IntVar]] = []
        """(participant, variable ≥ their idle slots − limit): the variables to hint."""

    def build(self, built: MatchModel) -> Built:
        entries: dict[int, list] = defaultdict(list)
        for entry in built.idle:
            entries[entry.participant].append(entry)
        modelled = {(entry.participant, entry.session) for entry in built.idle}
        elsewhere: dict[int, int] = defaultdict(int)
        for (member, session), idle in idle_by_participant_session(built.problem, built.fixed).items():
            if member in entries and (member, session) not in modelled:
                elsewhere[member] += idle
        parts: list[cp_model.IntVar] = []
        low = high = 0
        for member in sorted(entries):
            base = elsewhere[member]
            most = base + sum(entry.span for entry in entries[member])
            if most <= self.limit:
                continue
            excess = built.model.new_int_var(max(0, base - self.limit), most - self.limit, f"above{member}")
            built.model.add(excess >= base + sum(entry.idle for entry in entries[member]) - self.limit)
            parts.append(excess)
            self.excess.append((member, excess))
            low += max(0, base - self.limit)
            high += most - self.limit
        return Built(cp_model.LinearExpr.sum(parts), low, high)

    def evaluate(self, problem: Problem, assignment: Assignment) -> int:
        totals: dict[int, int] = defaultdict(int)
        for (member, _), idle in idle_by_participant_session(problem, assignment).items():
            totals[member] += idle
        return sum(max(0, total - self.limit) for total in totals.values())


def idle_of(problem: Problem, assignment: Assignment, member: int) -> int:
    """The participant's idle slots in all sessions (as `planner.b2b.terms.idle_by_participant_session`)."""
    slots: dict[int, list[int]] = defaultdict(list)
    for cell in assignment.busy[member]:
        slots[problem.cells[cell].session].append(problem.cells[cell].slot)
    available = problem.available[member]
    total = 0
    for session, held in slots.items():
        cells = problem.session_cells[session]
        taken = set(held)
        total += sum(
            1 for slot in range(min(held), max(held) + 1) if slot not in taken and cells[slot] in available
        )
    return total


def neighbourhood(problem: Problem, assignment: Assignment, member: int, session: int) -> list[int]:
    """The requests of `member` in `session` and of everyone they meet there. (Adding these people's
    requests left out made the neighbourhoods slower to prove and brought no priority in the benchmark.)"""
    cells = problem.session_cells[session]

    def held(person: int) -> list[int]:
        return [request for cell, request in assignment.busy[person].items() if cell in cells]

    free = set(held(member))
    for person in {person for request in list(free) for person in problem.request_participants[request]}:
        free.update(held(person))
    return sorted(free)


def improve_worst_idle(
    problem: Problem, assignment: Assignment, seconds: float, seed: int = 0, rounds: int = ROUNDS
) -> Assignment:
    """Rearrange the session of each participant with idle slots (longest waits first) while that
    improves the contract's terms or, with them unchanged, lowers the idle slots above one less than the
    worst participant's; within `seconds`."""
    started = time.monotonic()
    totals = {member: idle_of(problem, assignment, member) for member in range(len(problem.size))}
    for _ in range(rounds):
        kept = False
        idle = idle_by_participant_session(problem, assignment)
        order = sorted(
            ((member, session) for (member, session), value in idle.items() if value),
            key=lambda key: (-totals[key[0]], -idle[key], key),
        )
        for member, session in order:
            remaining = seconds - (time.monotonic() - started)
            if remaining <= 0:
                return assignment
            if not totals[member]:
                continue
            limit = max(1, max(totals.values()) - 1)
            better = _solve_neighbourhood(
                problem, assignment, member, session, totals, limit, seed, remaining
            )
            if better is not None:
                assignment, kept = better, True
        if not kept:
            break
    return assignment


def _solve_neighbourhood(
    problem: Problem,
    assignment: Assignment,
    member: int,
    session: int,
    totals: dict[int, int],
    limit: int,
    seed: int,
    seconds: float,
) -> Assignment | None:
    """The neighbourhood's best arrangement when it is better (and `totals` updated), else None."""
    free = neighbourhood(problem, assignment, member, session)
    if not free:
        return None
    built = build_model(problem, assignment, free, set(problem.session_cells[session]))
    above = IdleAbove(limit)
    lexicographic_objective(built, (RequiredScheduled(), ScheduledPriority(), IdleSlots(), above))
    built.hint(assignment)
    for person, variable in above.excess:
        built.model.add_hint(variable, max(0, totals[person] - limit))
    solver = neighbourhood_solver(seed, NEIGHBOURHOOD_WORK, seconds)
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    candidate = read_assignment(built, assignment, solver)
    after = {person: idle_of(problem, candidate, person) for person in built.affected}
    if not _better(problem, assignment, candidate, free, totals, after, limit):
        return None
    totals.update(after)
    return candidate


def _better(
    problem: Problem,
    before: Assignment,
    after: Assignment,
    free: list[int],
    totals: dict[int, int],
    idle_after: dict[int, int],
    limit: int,
) -> bool:
    """The contract's terms, then the idle slots above `limit`, compared on what the neighbourhood
    changed (the rest is the same on both sides)."""

    def placed(assignment: Assignment, required: bool) -> list[int]:
        return [
            request
            for request in free
            if assignment.cell[request] != UNPLACED and problem.required[request] == required
        ]

    idle_before = {person: totals[person] for person in idle_after}
    worst_outside = max((value for person, value in totals.items() if person not in idle_after), default=0)
    vector = []
    for assignment, idle in ((before, idle_before), (after, idle_after)):
        vector.append(
            (
                len(placed(assignment, True)),
                sum(problem.weight[request] for request in placed(assignment, False)),
                -sum(problem.size[person] * value for person, value in idle.items()),
                -max(worst_outside, *idle.values()),
                -sum(max(0, value - limit) for value in idle.values()),
            )
        )
    return vector[1] > vector[0]
