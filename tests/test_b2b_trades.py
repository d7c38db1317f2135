"""Trades for priority (`planner.b2b.trades`): a meeting of two full people given up for two requests of
theirs left out, which no swap can reach; and the LP bound that proves the priority (`planner.b2b.bound`)."""

from __future__ import annotations

from b2b_helpers import at, brokerage, counterpart, delegate, request, session

from planner.b2b.bound import priority_upper_bound
from planner.b2b.kempe import kempe_search
from planner.b2b.problem import UNPLACED, Assignment, compile_problem
from planner.b2b.solve import MatchOptions, schedule_meetings
from planner.b2b.terms import ScheduledPriority
from planner.b2b.trades import trade_candidates, trade_for_priority


def two_full_counterparts():
    """x and y can each meet in slot 1 only; a meets both together (weight 1), b wants x and c wants y
    (weight 1 each). With the group meeting held, x and y are full and b's and c's requests are left out."""
    only_slot_1 = {"unavailable": ((at(0), at(1)), (at(2), at(3)))}
    people = [
        delegate("a"),
        delegate("b"),
        delegate("c"),
        counterpart("x", **only_slot_1),
        counterpart("y", **only_slot_1),
    ]
    requests = [request("axy", "a", "x", "y"), request("bx", "b", "x"), request("cy", "c", "y")]
    return brokerage([session(slots=3, tables=4)], people, requests)


def test_a_group_meeting_of_two_full_counterparts_is_traded_for_two_requests():
    problem = compile_problem(two_full_counterparts())
    start = Assignment(problem)
    start.place(0, problem.session_cells[0][1])
    # The swaps cannot do it: they never take a meeting out.
    swapped = kempe_search(problem, start.copy(), 1000)
    assert ScheduledPriority().evaluate(problem, swapped) == 1
    assert trade_candidates(problem, start) == [(0, 0)]

    traded = trade_for_priority(problem, start.copy(), seconds=10)

    assert ScheduledPriority().evaluate(problem, traded) == 2
    assert traded.cell[0] == UNPLACED and traded.cell[1] != UNPLACED and traded.cell[2] != UNPLACED


def test_no_trade_when_it_gains_nothing():
    # b's and c's requests weigh less than the group meeting together: keep it.
    event = two_full_counterparts()
    heavier = (request("axy", "a", "x", "y", priority=3), *event.requests[1:])
    problem = compile_problem(type(event)(event.sessions, event.participants, heavier))
    start = Assignment(problem)
    start.place(0, problem.session_cells[0][1])
    traded = trade_for_priority(problem, start.copy(), seconds=10)
    assert traded.cell == start.cell


def test_the_priority_reaching_the_lp_bound_is_reported_proved():
    result = schedule_meetings(two_full_counterparts(), MatchOptions(time_limit=10))
    assert result.objectives["priority"] == 2
    assert (result.statistics["priority_bound"], result.statistics["priority_proved"]) == (2, 1)


def test_a_bound_the_slots_keep_out_of_reach_proves_nothing():
    # c and d can only meet in slot 0, a in both: the LP counts a's two slots, a meets only one of them.
    only_slot_0 = {"unavailable": ((at(1), at(2)),)}
    event = brokerage(
        [session(slots=2)],
        [delegate("a"), counterpart("c", **only_slot_0), counterpart("d", **only_slot_0)],
        [request("ac", "a", "c"), request("ad", "a", "d")],
    )
    problem = compile_problem(event)
    assert priority_upper_bound(problem) == 2
    result = schedule_meetings(event, MatchOptions(time_limit=10))
    assert result.objectives["priority"] == 1
    assert result.statistics["priority_proved"] == 0
