"""Constructive starts: requests placed one by one, the most important first.

`first_fit` puts each request in its earliest open cell, as automatic schedulers of brokerage events do;
`compact_fit` puts it where it adds the fewest idle slots to its participants (size-weighted), which
leaves the search far less idle time to remove. Both run in well under a second for thousands of
requests and give the search its first valid schedule.
"""

from __future__ import annotations

from planner.b2b.problem import UNPLACED, Assignment, Problem


def priority_order(problem: Problem) -> list[int]:
    """Required requests first, then by priority (highest first), then as written."""
    return sorted(
        range(len(problem.weight)),
        key=lambda request: (not problem.required[request], -problem.weight[request], request),
    )


def first_fit(problem: Problem, order: list[int] | None = None) -> Assignment:
    """Each request, in `order`, in the first candidate cell that still fits."""
    assignment = Assignment(problem)
    for request in order if order is not None else priority_order(problem):
        for cell in problem.candidates[request]:
            if assignment.fits(request, cell):
                assignment.place(request, cell)
                break
    return assignment


def compact_fit(problem: Problem, order: list[int] | None = None, start: Assignment | None = None,
                cells: frozenset[int] | None = None) -> Assignment:
    """Each request, in `order`, in the open candidate cell adding the fewest weighted idle slots: from an
    empty schedule, or around the meetings of `start` (left where they are), only into `cells` if given."""
    assignment = Assignment(problem) if start is None else start.copy()
    for request in order if order is not None else priority_order(problem):
        if assignment.cell[request] != UNPLACED:
            continue
        best: tuple[int, int, int] | None = None
        best_cell = UNPLACED
        for cell in problem.candidates[request]:
            if (cells is not None and cell not in cells) or not assignment.fits(request, cell):
                continue
            added_idle, added_span = _growth(problem, assignment, request, cell)
            key = (added_idle, added_span, cell)
            if best is None or key < best:
                best, best_cell = key, cell
        if best_cell != UNPLACED:
            assignment.place(request, best_cell)
    return assignment


def _growth(problem: Problem, assignment: Assignment, request: int, cell: int) -> tuple[int, int]:
    """Weighted idle slots and span slots that placing `request` in `cell` adds to its participants."""
    place = problem.cells[cell]
    added_idle = added_span = 0
    for member in problem.request_participants[request]:
        slots = [
            problem.cells[other].slot
            for other in assignment.busy[member]
            if problem.cells[other].session == place.session
        ]
        if not slots:
            continue
        low, high = min(slots), max(slots)
        old_idle = high - low + 1 - len(slots)
        new_low, new_high = min(low, place.slot), max(high, place.slot)
        new_idle = new_high - new_low + 1 - len(slots) - 1
        added_idle += problem.size[member] * (new_idle - old_idle)
        added_span += (new_high - new_low) - (high - low)
    return added_idle, added_span
