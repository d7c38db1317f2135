"""B2B matchmaking: each hard rule of ../shared/spec/b2b.md against an instance whose unconstrained optimum
breaks it, the preferences, the reasons, the status, determinism; and the checker on broken schedules."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from b2b_helpers import DAY, at, brokerage, counterpart, delegate, request, session
from ortools.sat.python import cp_model

from planner.b2b.greedy import first_fit
from planner.b2b.model import build_model
from planner.b2b.parallel import kempe_in_parallel
from planner.b2b.problem import Assignment, compile_problem
from planner.b2b.solve import MatchOptions, schedule_meetings
from planner.b2b.terms import SLOT_TERMS, lexicographic_objective
from planner.check.b2b import check_meetings
from planner.domain.meetings import Meeting, MeetingSchedule, Reason, UnscheduledMeeting
from planner.text.meetings import describe_reason

OPTIONS = MatchOptions(time_limit=20)


def solved(event) -> MeetingSchedule:
    result = schedule_meetings(event, OPTIONS)
    assert check_meetings(event, result) == [] or result.status in ("infeasible", "unknown")
    return result


def scheduled(result: MeetingSchedule) -> set[str]:
    return {meeting.request for meeting in result.meetings}


def reasons(result: MeetingSchedule) -> dict[str, Reason]:
    return {entry.request: entry.reason for entry in result.unscheduled}


# --- rule 1: required requests -------------------------------------------------------------------------


def test_a_required_request_is_scheduled_before_any_weight():
    # One slot for the counterpart: a weight of 1000 would win it without the rule.
    event = brokerage(
        [session(slots=1)],
        [delegate("a"), delegate("b"), counterpart("c")],
        [request("heavy", "a", "c", priority=1000), request("must", "b", "c", priority=None)],
    )
    result = solved(event)
    assert scheduled(result) == {"must"}
    assert reasons(result)["heavy"] == Reason("counterpart_full", (("participant", "c"),))
    assert result.status == "optimal"


def test_a_required_request_that_cannot_be_scheduled_is_infeasible_not_dropped():
    event = brokerage(
        [session(slots=1)],
        [delegate("a"), counterpart("c", sessions=frozenset({"other"}))],
        [request("must", "a", "c", priority=None)],
    )
    result = schedule_meetings(event, OPTIONS)
    assert result.status == "infeasible"
    assert [violation.rule for violation in check_meetings(event, result)] == ["b2b-required"]


def test_two_required_requests_for_one_slot_are_proved_infeasible():
    event = brokerage(
        [session(slots=1)],
        [delegate("a"), delegate("b"), counterpart("c")],
        [request("one", "a", "c", priority=None), request("two", "b", "c", priority=None)],
    )
    result = schedule_meetings(event, OPTIONS)
    assert result.status == "infeasible"
    assert len(result.meetings) == 1


# --- rule 2: one slot of an allowed session, tables ------------------------------------------------------


def test_no_more_meetings_in_a_slot_than_tables():
    # Six disjoint pairs could all meet in the one slot; there are four tables.
    people = [delegate(f"d{number}") for number in range(6)] + [
        counterpart(f"c{number}") for number in range(6)
    ]
    requests = [request(f"r{number}", f"d{number}", f"c{number}") for number in range(6)]
    result = solved(brokerage([session(slots=1, tables=4)], people, requests))
    assert len(result.meetings) == 4
    assert sorted(meeting.table for meeting in result.meetings) == [1, 2, 3, 4]
    assert {entry.reason.code for entry in result.unscheduled} == {"tables_full"}


def test_a_request_goes_only_to_the_sessions_it_may_go_to():
    # s1 would put the meeting next to a's other meeting (no idle time); the request allows s2 only.
    event = brokerage(
        [session("s1", slots=2), session("s2", slots=2, start=DAY + timedelta(hours=3))],
        [delegate("a"), counterpart("b"), counterpart("c")],
        [request("first", "a", "b", sessions={"s1"}), request("second", "a", "c", sessions={"s2"})],
    )
    result = solved(event)
    assert {meeting.request: meeting.session for meeting in result.meetings} == {
        "first": "s1",
        "second": "s2",
    }


def test_slots_run_back_to_back_from_the_session_start():
    result = solved(
        brokerage([session(slots=3)], [delegate("a"), counterpart("b")], [request("r", "a", "b")])
    )
    (meeting,) = result.meetings
    assert meeting.start == at(meeting.slot) and meeting.end == at(meeting.slot + 1)


# --- rule 3: participants ----------------------------------------------------------------------------------


def test_a_participant_meets_once_per_slot():
    event = brokerage(
        [session(slots=2)],
        [delegate("a"), counterpart("b"), counterpart("c"), counterpart("e")],
        [request("ab", "a", "b"), request("ac", "a", "c"), request("ae", "a", "e")],
    )
    result = solved(event)
    assert len(result.meetings) == 2
    assert len({meeting.slot for meeting in result.meetings}) == 2


def test_no_meeting_while_unavailable():
    # b is away for slots 0-2: only slot 3 is left, for one of the two requests.
    event = brokerage(
        [session(slots=4)],
        [delegate("a"), delegate("e"), counterpart("b", unavailable=((at(0), at(3)),))],
        [request("ab", "a", "b", priority=5), request("eb", "e", "b")],
    )
    result = solved(event)
    assert [(meeting.request, meeting.slot) for meeting in result.meetings] == [("ab", 3)]
    assert reasons(result)["eb"].code == "counterpart_full"


def test_meetings_only_in_sessions_the_participants_attend():
    event = brokerage(
        [session("s1", slots=1), session("s2", slots=1, start=DAY + timedelta(hours=3))],
        [delegate("a"), counterpart("b", sessions=frozenset({"s2"}))],
        [request("r", "a", "b")],
    )
    (meeting,) = solved(event).meetings
    assert meeting.session == "s2"


def test_one_meeting_at_a_time_across_overlapping_sessions():
    # Two rooms at the same time; c comes to both. Without the rule both requests would be scheduled.
    event = brokerage(
        [session("room-1", slots=1), session("room-2", slots=1)],
        [
            delegate("a", sessions=frozenset({"room-1"})),
            delegate("b", sessions=frozenset({"room-2"})),
            counterpart("c"),
        ],
        [request("ac", "a", "c"), request("bc", "b", "c")],
    )
    result = solved(event)
    assert len(result.meetings) == 1


def test_a_group_meeting_needs_everyone_free():
    event = brokerage(
        [session(slots=2)],
        [delegate("a"), counterpart("b"), counterpart("c")],
        [request("abc", "a", "b", "c", priority=3), request("ab", "a", "b"), request("ac", "a", "c")],
    )
    result = solved(event)
    assert scheduled(result) == {"abc", "ab"} or scheduled(result) == {"abc", "ac"}


# --- preferences ---------------------------------------------------------------------------------------------


def test_priority_first():
    event = brokerage(
        [session(slots=1)],
        [delegate("a"), delegate("b"), counterpart("c")],
        [request("low", "a", "c", priority=2), request("high", "b", "c", priority=7)],
    )
    assert scheduled(solved(event)) == {"high"}


def test_no_idle_slot_when_meetings_can_be_back_to_back():
    # a meets b and c; c can only come late, b anytime: b's meeting goes right before c's.
    event = brokerage(
        [session(slots=6)],
        [delegate("a"), counterpart("b"), counterpart("c", unavailable=((at(0), at(4)),))],
        [request("ab", "a", "b"), request("ac", "a", "c")],
    )
    result = solved(event)
    slots = {meeting.request: meeting.slot for meeting in result.meetings}
    assert slots["ac"] in (4, 5) and abs(slots["ab"] - slots["ac"]) == 1
    assert result.objectives["idle"] == 0
    assert result.status == "optimal"


def test_an_unavailable_slot_between_meetings_is_not_idle():
    event = brokerage(
        [session(slots=3)],
        [
            delegate("a", unavailable=((at(1), at(2)),)),
            counterpart("b", unavailable=((at(1), at(3)),)),
            counterpart("c", unavailable=((at(0), at(2)),)),
        ],
        [request("ab", "a", "b"), request("ac", "a", "c")],
    )
    result = solved(event)
    assert sorted(meeting.slot for meeting in result.meetings) == [0, 2]
    assert result.objectives["idle"] == 0


def test_a_delegate_keeps_one_table():
    people = [delegate("a"), delegate("b")] + [counterpart(f"c{number}") for number in range(4)]
    requests = [request(f"a{number}", "a", f"c{number}") for number in range(2)] + [
        request(f"b{number}", "b", f"c{number + 2}") for number in range(2)
    ]
    result = solved(brokerage([session(slots=2, tables=2)], people, requests))
    tables: dict[str, set[int]] = {}
    for meeting in result.meetings:
        for person in meeting.participants:
            tables.setdefault(person, set()).add(meeting.table)
    assert all(len(tables[name]) == 1 for name in ("a", "b"))
    assert result.objectives["table_changes"] == 0


# --- reasons ---------------------------------------------------------------------------------------------


TWO_SESSIONS = [session("s1"), session("s2", start=DAY + timedelta(hours=3))]


@pytest.mark.parametrize(
    ("sessions", "people", "wish", "code"),
    [
        (
            TWO_SESSIONS,
            [delegate("a", sessions=frozenset({"s1"})), counterpart("b", sessions=frozenset({"s2"}))],
            request("r", "a", "b"),
            "no_common_session",
        ),
        (
            TWO_SESSIONS,
            [delegate("a", sessions=frozenset({"s1"})), counterpart("b", sessions=frozenset({"s1"}))],
            request("r", "a", "b", sessions={"s2"}),
            "not_in_allowed_sessions",
        ),
        (
            [session("s1")],
            [delegate("a", unavailable=((at(0), at(4)),)), counterpart("b")],
            request("r", "a", "b"),
            "participant_unavailable",
        ),
        (
            [session("s1")],
            [delegate("a", unavailable=((at(0), at(2)),)), counterpart("b", unavailable=((at(2), at(4)),))],
            request("r", "a", "b"),
            "no_common_free_slot",
        ),
    ],
)
def test_structural_reasons(sessions, people, wish, code):
    result = solved(brokerage(sessions, people, [wish]))
    (entry,) = result.unscheduled
    assert entry.reason.code == code
    assert describe_reason(entry.reason) and "_" not in describe_reason(entry.reason)


# --- status, determinism, terms ----------------------------------------------------------------------------


def test_the_same_input_gives_the_same_schedule():
    people = [delegate(f"d{number}") for number in range(6)] + [
        counterpart(f"c{number}") for number in range(4)
    ]
    requests = [
        request(f"r{d}{c}", f"d{d}", f"c{c}", priority=1 + (d + c) % 3)
        for d in range(6)
        for c in range(4)
        if (d + c) % 2 == 0
    ]
    event = brokerage([session(slots=5, tables=3)], people, requests)
    first, second = schedule_meetings(event, OPTIONS), schedule_meetings(event, OPTIONS)
    assert first.meetings == second.meetings and first.unscheduled == second.unscheduled


def test_the_swaps_over_two_processes_give_the_same_schedule_every_time():
    people = [delegate(f"d{number}", sessions=frozenset({f"s{number % 2}"})) for number in range(8)] + \
             [counterpart(f"c{number}") for number in range(6)]
    requests = [request(f"r{d}{c}", f"d{d}", f"c{c}", priority=1 + (d * c) % 4) for d in range(8) for c in range(6)
                if (d + c) % 3 != 0]
    sessions = [session("s0", slots=6, tables=3), session("s1", slots=6, tables=3, start=DAY + timedelta(hours=3))]
    event = brokerage(sessions, people, requests)
    options = dataclasses.replace(OPTIONS, workers=2)
    first, second = schedule_meetings(event, options), schedule_meetings(event, options)
    assert first.meetings == second.meetings
    assert check_meetings(event, first) == []
    problem = compile_problem(event)
    runs = [kempe_in_parallel(problem, first_fit(problem), 3000, seed=1, workers=2).cell for _ in range(2)]
    assert runs[0] == runs[1]


def test_each_term_evaluates_what_the_model_optimises():
    people = [delegate(f"d{number}", size=1 + number % 2) for number in range(4)] + [
        counterpart(f"c{number}") for number in range(3)
    ]
    requests = [request(f"r{d}{c}", f"d{d}", f"c{c}", priority=1 + d) for d in range(4) for c in range(3)]
    event = brokerage([session(slots=5, tables=2)], people, requests)
    problem = compile_problem(event)
    built = build_model(problem, Assignment(problem), list(range(len(requests))))
    expressions = {name: part.expression for name, part in lexicographic_objective(built).items()}
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    placed = Assignment(
        problem,
        [
            next((cell for cell, variable in built.by_request[number] if solver.boolean_value(variable)), -1)
            for number in range(len(requests))
        ],
    )
    for term in SLOT_TERMS:
        assert term.evaluate(problem, placed) == solver.value(expressions[term.name]), term.name


# --- the checker on broken schedules ---------------------------------------------------------------------


def _event():
    return brokerage(
        [session(slots=2, tables=1)],
        [
            delegate("a"),
            delegate("e", unavailable=((at(1), at(2)),)),
            counterpart("b"),
            counterpart("c", sessions=frozenset({"elsewhere"})),
        ],
        [
            request("ab", "a", "b"),
            request("eb", "e", "b"),
            request("ac", "a", "c"),
            request("must", "a", "e", priority=None),
        ],
    )


def _meeting(name, slot, table=1, participants=("a", "b")):
    return Meeting(name, "s1", slot, table, participants, at(slot), at(slot + 1))


@pytest.mark.parametrize(
    ("meetings", "rule"),
    [
        ([_meeting("ab", 0), _meeting("ab", 1)], "b2b-scheduled-twice"),
        ([_meeting("ab", 0, table=2)], "b2b-table-number"),
        ([_meeting("ab", 0), _meeting("eb", 0, participants=("b", "e"))], "b2b-table"),
        ([_meeting("eb", 1, participants=("b", "e"))], "b2b-unavailable"),
        ([_meeting("ac", 0, participants=("a", "c"))], "b2b-attendance"),
        ([_meeting("ab", 5)], "b2b-slot"),
        ([dataclasses.replace(_meeting("ab", 0), end=at(2))], "b2b-slot-times"),
        ([_meeting("ab", 0, participants=("a", "c"))], "b2b-participants"),
    ],
)
def test_the_checker_reports_each_broken_rule(meetings, rule):
    event = _event()
    listed = {meeting.request for meeting in meetings}
    unscheduled = tuple(
        UnscheduledMeeting(wish.id, wish.participants, Reason("slots_taken"))
        for wish in event.requests
        if wish.id not in listed and not wish.required
    )
    found = check_meetings(event, MeetingSchedule("feasible", tuple(meetings), unscheduled))
    assert rule in {violation.rule for violation in found}
    assert "b2b-required" in {violation.rule for violation in found}
    assert all(str(violation).startswith(f"[{violation.rule}] ") for violation in found)


def test_the_checker_reports_two_meetings_at_once_and_a_request_not_listed():
    event = _event()
    meetings = (
        Meeting("ab", "s1", 0, 1, ("a", "b"), at(0), at(1)),
        Meeting("must", "s1", 0, 1, ("a", "e"), at(0), at(1)),
    )
    found = {violation.rule for violation in check_meetings(event, MeetingSchedule("feasible", meetings, ()))}
    assert {"b2b-overlap", "b2b-listing", "b2b-table"} <= found


def test_the_checker_accepts_a_valid_schedule():
    event = _event()
    meetings = (
        Meeting("ab", "s1", 1, 1, ("a", "b"), at(1), at(2)),
        Meeting("must", "s1", 0, 1, ("a", "e"), at(0), at(1)),
    )
    unscheduled = (
        UnscheduledMeeting("eb", ("e", "b"), Reason("slots_taken")),
        UnscheduledMeeting("ac", ("a", "c"), Reason("no_common_session")),
    )
    assert check_meetings(event, MeetingSchedule("feasible", meetings, unscheduled)) == []
