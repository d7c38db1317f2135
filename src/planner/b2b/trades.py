"""Trades for priority: give up one meeting for two or more requests left out, where the swaps cannot.

The swaps (`planner.b2b.kempe`) insert a request left out when a slot opens for it, and never take a
meeting out. So when a meeting joins two people who are both full (every slot they can attend taken) and
both have requests left out — a group meeting, or one between two popular participants — the schedule
stays one short of what exchanging it would give: on the benchmark's 500-request event, the group meeting
of two full counterparts and a delegate, weight 1, against one request of each counterpart, weight 1 each.
The priority upper bound (each participant meets at most once per slot they can attend) counts exactly
such exchanges, which is why planner stayed 1–2 points below it at 500 and 2,000 requests.

For each such meeting, lightest first, CP-SAT solves the neighbourhood of its session — the meeting, the
requests left out of its participants, and every meeting there of everyone they involve — for priority
alone, which it proves in a fraction of a second; only when priority can be gained is the neighbourhood
solved again for idle slots with that priority kept, and the result kept. The contract puts priority
first, so the idle slots such a trade costs are paid (the neighbourhoods of `planner.b2b.neighbourhoods`
then bring them down again).

Deterministic: one CP-SAT worker, deterministic time limits, a fixed order of meetings.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from planner.b2b.model import MatchModel, build_model, neighbourhood_solver
from planner.b2b.problem import UNPLACED, Assignment, Problem
from planner.b2b.search import read_assignment
from planner.b2b.terms import IdleSlots, RequiredScheduled, ScheduledPriority, lexicographic_objective

PRIORITY_WORK = 0.5
"""CP-SAT's deterministic time to learn whether a neighbourhood can gain priority."""
IDLE_WORK = 1.0
"""CP-SAT's deterministic time to arrange a neighbourhood that gains priority with few idle slots (the
swaps that follow a trade do the rest faster)."""


def trade_candidates(problem: Problem, assignment: Assignment) -> list[tuple[int, int]]:
    """(request, session) pairs to try, in this order: optional meetings two or more of whose participants
    are full (meeting in every slot they can attend) and have requests left out that could go to the
    meeting's session — the trade the swaps cannot make —; requests left out none of whose participants
    is full (the swaps insert a request when one other meeting blocks it, not two); the other meetings
    two or more of whose participants have such requests left out. Lightest meetings, heaviest requests
    first."""
    wanting: dict[int, list[int]] = defaultdict(list)
    inserts: list[tuple[int, int, int]] = []
    for request, cell in enumerate(assignment.cell):
        if cell == UNPLACED and problem.candidates[request]:
            for member in problem.request_participants[request]:
                wanting[member].append(request)
            members = problem.request_participants[request]
            if not any(_full(problem, assignment, member) for member in members):
                sessions = sorted({problem.cells[place].session for place in problem.candidates[request]})
                inserts.extend((-problem.weight[request], request, session) for session in sessions)
    meetings = []
    for request, cell in enumerate(assignment.cell):
        if cell == UNPLACED or problem.required[request]:
            continue
        session = problem.cells[cell].session
        cells = problem.session_cells[session]
        hopeful = [
            member
            for member in problem.request_participants[request]
            if any(any(place in cells for place in problem.candidates[other]) for other in wanting[member])
        ]
        if len(hopeful) >= 2:
            full = sum(1 for member in hopeful if _full(problem, assignment, member))
            meetings.append((full < 2, problem.weight[request], request, session))
    first = [(request, session) for full, _, request, session in sorted(meetings) if not full]
    last = [(request, session) for full, _, request, session in sorted(meetings) if full]
    return first + [(request, session) for _, request, session in sorted(inserts)] + last


def _full(problem: Problem, assignment: Assignment, member: int) -> bool:
    return len(assignment.busy[member]) >= len(problem.available[member])


def trade_neighbourhood(problem: Problem, assignment: Assignment, request: int, session: int) -> list[int]:
    """The request, its participants' requests left out that could go to the session, and every meeting
    in the session of everyone these requests involve."""
    cells = problem.session_cells[session]
    free = {request}
    people = set(problem.request_participants[request])
    for member in problem.request_participants[request]:
        for other in problem.requests_of[member]:
            left_out = assignment.cell[other] == UNPLACED
            if left_out and any(cell in cells for cell in problem.candidates[other]):
                free.add(other)
                people.update(problem.request_participants[other])
    for person in people:
        free.update(other for cell, other in assignment.busy[person].items() if cell in cells)
    return sorted(free)


def trade_for_priority(
    problem: Problem, assignment: Assignment, seconds: float, seed: int = 0, bound: int | None = None
) -> Assignment:
    """Each trade that gains priority, tried in turn within `seconds` or until the priority reaches
    `bound` (an upper bound: nothing more to gain); the assignment with those made."""
    started = time.monotonic()
    priority = ScheduledPriority().evaluate(problem, assignment)
    for request, session in trade_candidates(problem, assignment):
        remaining = seconds - (time.monotonic() - started)
        if remaining <= 0 or (bound is not None and priority >= bound):
            break
        cell = assignment.cell[request]
        if cell != UNPLACED and problem.cells[cell].session != session:
            continue
        free = trade_neighbourhood(problem, assignment, request, session)
        cells = problem.session_cells[session]
        built = build_model(problem, assignment, free, set(cells))
        parts = lexicographic_objective(built, (RequiredScheduled(), ScheduledPriority()))
        built.hint(assignment)
        solver = neighbourhood_solver(seed, PRIORITY_WORK, remaining)
        if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        found = (
            int(solver.value(parts["required"].expression)),
            int(solver.value(parts["priority"].expression)),
        )
        if found <= _held(problem, assignment, free):
            continue
        richer = read_assignment(built, assignment, solver)
        remaining = seconds - (time.monotonic() - started)
        assignment = _arrange(problem, assignment, richer, free, cells, found, seed, remaining)
        priority = ScheduledPriority().evaluate(problem, assignment)
    return assignment


def _arrange(
    problem: Problem,
    assignment: Assignment,
    richer: Assignment,
    free: list[int],
    cells: range,
    found: tuple[int, int],
    seed: int,
    seconds: float,
) -> Assignment:
    """The neighbourhood with at least the priority found and as few idle slots as CP-SAT finds."""
    built = build_model(problem, assignment, free, set(cells))
    lexicographic_objective(built, (IdleSlots(),))
    _at_least(built, found)
    built.hint(richer)
    solver = neighbourhood_solver(seed, IDLE_WORK, seconds)
    if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return richer
    return read_assignment(built, assignment, solver)


def _at_least(built: MatchModel, found: tuple[int, int]) -> None:
    required = RequiredScheduled().build(built).expression
    priority = ScheduledPriority().build(built).expression
    built.model.add(required >= found[0])
    built.model.add(priority >= found[1])


def _held(problem: Problem, assignment: Assignment, free: list[int]) -> tuple[int, int]:
    """(required, priority) of the free requests where they are now."""
    placed = [request for request in free if assignment.cell[request] != UNPLACED]
    return (
        sum(1 for request in placed if problem.required[request]),
        sum(problem.weight[request] for request in placed if not problem.required[request]),
    )
