"""The neighbourhood search on the longest waits (`planner.b2b.neighbourhoods`): it brings the worst
participant down when the idle total allows it, and never makes a term of the contract worse."""

from __future__ import annotations

import random

from b2b_helpers import at, brokerage, counterpart, delegate, request, session
from ortools.sat.python import cp_model

from planner.b2b.greedy import first_fit
from planner.b2b.model import build_model
from planner.b2b.neighbourhoods import IdleAbove, improve_worst_idle
from planner.b2b.problem import UNPLACED, Assignment, compile_problem
from planner.b2b.search import read_assignment
from planner.b2b.terms import IdleSlots, ScheduledPriority, WorstIdle, evaluate, lexicographic_objective
from planner.check.b2b import check_meetings
from planner.domain.meetings import MeetingSchedule

SLOTS = 6


def only_at(*slots: int) -> dict:
    """Unavailable in every slot of the session but `slots`."""
    return {"unavailable": tuple((at(slot), at(slot + 1)) for slot in range(SLOTS) if slot not in slots)}


def a_wait_of_three_or_two_and_one():
    """a meets x (slot 0 only), y (slot 4 only) and z; z meets w (slot 4 only); slot 3's two tables are
    taken by two meetings that can only be there. a–z in slot 5 leaves a 3 idle slots (1, 2, 3) and z
    none; in slot 2, a has 2 (1, 3) and z 1 (3); in slot 1, a 2 and z 2. Both arrangements with the
    fewest idle slots (3) exist: only the worst participant tells them apart."""
    people = [
        delegate("a"),
        counterpart("x", **only_at(0)),
        counterpart("y", **only_at(4)),
        counterpart("z"),
        counterpart("w", **only_at(4)),
        delegate("p1", **only_at(3)),
        counterpart("q1", **only_at(3)),
        delegate("p2", **only_at(3)),
        counterpart("q2", **only_at(3)),
    ]
    requests = [
        request("ax", "a", "x"),
        request("ay", "a", "y"),
        request("az", "a", "z"),
        request("zw", "z", "w"),
        request("pq1", "p1", "q1"),
        request("pq2", "p2", "q2"),
    ]
    return brokerage([session(slots=SLOTS, tables=2)], people, requests)


def test_the_worst_wait_comes_down_from_three_to_two_with_the_idle_total_kept():
    problem = compile_problem(a_wait_of_three_or_two_and_one())
    number = {request.id: index for index, request in enumerate(problem.brokerage.requests)}
    cells = problem.session_cells[0]
    start = Assignment(problem)
    for name, slot in (("ax", 0), ("ay", 4), ("zw", 4), ("pq1", 3), ("pq2", 3), ("az", 5)):
        start.place(number[name], cells[slot])
    assert (IdleSlots().evaluate(problem, start), WorstIdle().evaluate(problem, start)) == (3, 3)

    better = improve_worst_idle(problem, start.copy(), seconds=10)

    assert problem.cells[better.cell[number["az"]]].slot == 2
    assert (IdleSlots().evaluate(problem, better), WorstIdle().evaluate(problem, better)) == (3, 2)


def test_idle_above_counts_what_the_model_optimises():
    problem = compile_problem(a_wait_of_three_or_two_and_one())
    built = build_model(problem, Assignment(problem), list(range(len(problem.weight))))
    above = IdleAbove(1)
    expressions = lexicographic_objective(built, (ScheduledPriority(), IdleSlots(), above))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    placed = read_assignment(built, Assignment(problem), solver)
    assert above.evaluate(problem, placed) == solver.value(expressions["idle_above"].expression)
    # Everything scheduled with 3 idle slots: a with 2 and z with 1 (one above the limit), not a with 3.
    assert above.evaluate(problem, placed) == 1


def test_the_neighbourhoods_never_make_a_term_worse_nor_break_a_rule_and_repeat_themselves():
    rng = random.Random(7)
    improved = 0
    for _ in range(4):
        delegates = [delegate(f"d{number}", size=rng.choice((1, 2))) for number in range(6)]
        counterparts = [
            counterpart(f"c{number}", **only_at(*sorted(rng.sample(range(SLOTS), 4)))) for number in range(5)
        ]
        requests = [
            request(f"r{d}-{c}", f"d{d}", f"c{c}", priority=rng.choice((1, 2, 5)))
            for d in range(6)
            for c in range(5)
            if rng.random() < 0.5
        ]
        event = brokerage([session(slots=SLOTS, tables=3)], delegates + counterparts, requests)
        problem = compile_problem(event)
        start = first_fit(problem)
        better = improve_worst_idle(problem, start.copy(), seconds=10)
        assert evaluate(problem, better) >= evaluate(problem, start)
        improved += evaluate(problem, better) > evaluate(problem, start)
        assert check_meetings(event, _schedule(problem, better)) == []
        # Deterministic: CP-SAT's work, not the clock, limits each neighbourhood.
        assert improve_worst_idle(problem, start.copy(), seconds=10).cell == better.cell
    assert improved  # first fit leaves idle slots the neighbourhoods remove


def _schedule(problem, assignment) -> MeetingSchedule:
    from planner.b2b.reasons import unscheduled_reasons
    from planner.b2b.solve import _meetings
    from planner.b2b.tables import assign_tables

    assert all(
        cell == UNPLACED or cell in problem.candidates[request] for request, cell in enumerate(assignment.cell)
    )
    return MeetingSchedule(
        "feasible",
        _meetings(problem, assignment, assign_tables(problem, assignment)),
        tuple(unscheduled_reasons(problem, assignment)),
    )
