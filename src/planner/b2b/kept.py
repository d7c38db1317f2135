"""Re-planning's B2B meetings: what delegates were told stays, only what the new programme broke is matched.

The matchmaking searches the whole brokerage at once, so any change to one session (it moved, someone
left) used to reshuffle every session: meetings under way in a session that had already started, and the
meetings of sessions nothing happened to, all took other slots and tables, and nobody was told (the change
report counts activities, not meetings). Here every meeting before the cut-off stays (the frozen past,
planner.domain.replan_meetings), and a session whose time and attendees are as in the baseline keeps the
baseline's meetings that still hold (the same people still asking for it, everyone free then); the
search only sees the other sessions and the requests not kept, with the kept meetings' hours taken from
the people in them (sessions may overlap). A request still left out (new in the file, or whose kept
meeting no longer holds) then takes a free table of a session kept as it was, in a slot after the cut-off
where all its people are free, around the kept meetings, which never move. The reasons and the objective
terms are then worked out on the whole brokerage, so that a request left out is explained as in any solve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from planner.b2b.greedy import compact_fit, priority_order
from planner.b2b.problem import UNPLACED, Assignment, Problem, assignment_from_meetings, compile_problem
from planner.b2b.reasons import unscheduled_reasons
from planner.b2b.solve import MatchOptions, required_left_out, schedule_meetings, slot_objectives
from planner.b2b.tables import TableChanges
from planner.domain.meetings import (
    Brokerage,
    Meeting,
    MeetingSchedule,
    Reason,
    Session,
    UnscheduledMeeting,
    requests_of,
)
from planner.domain.schedule import Schedule


def unchanged_sessions(brokerage: Brokerage, baseline: Schedule, programme: Schedule) -> frozenset[str]:
    """Sessions that take place as in the baseline: same start, end and attendees, and slots and tables
    that still hold every baseline meeting in them."""
    before, after = baseline.by_id(), programme.by_id()
    meetings_in: dict[str, list[Meeting]] = {}
    for meeting in baseline.meetings or ():
        meetings_in.setdefault(meeting.session, []).append(meeting)
    unchanged = set()
    for session in brokerage.sessions:
        old, new = before.get(session.id), after.get(session.id)
        if old is None or new is None:
            continue
        if (old.start, old.end, set(old.attendees)) != (new.start, new.end, set(new.attendees)):
            continue
        if all(_fits(session, meeting) for meeting in meetings_in.get(session.id, ())):
            unchanged.add(session.id)
    return frozenset(unchanged)


def _fits(session: Session, meeting: Meeting) -> bool:
    within = 0 <= meeting.slot < session.slots and 1 <= meeting.table <= session.tables
    return within and (meeting.start, meeting.end) == (session.slot_start(meeting.slot),
                                                       session.slot_end(meeting.slot))


def meetings_kept(brokerage: Brokerage, baseline: Schedule, sessions: frozenset[str],
                  cutoff: datetime | None = None) -> tuple[Meeting, ...]:
    """The baseline's meetings that stay, each under the id of the request it answers now (found by who
    meets: an id is a position in the file, which removing a request above it changes): every meeting that
    starts before `cutoff` (frozen: it took place, or is too close to move; re-planning keeps its request and
    frees its people then, planner.domain.replan_meetings), and in `sessions` each meeting whose people all
    still come to the session and are free then."""
    # The frozen meetings first, as re-planning's effective mission paired them (domain.replan_meetings).
    requests = requests_of(baseline.meetings or (), brokerage.requests, cutoff)
    people = {participant.id: participant for participant in brokerage.participants}
    kept = []
    for index, meeting in enumerate(baseline.meetings or ()):
        request = requests.get(index)
        if request is None:
            continue
        frozen = cutoff is not None and meeting.start < cutoff
        if not frozen:
            if meeting.session not in sessions:
                continue
            if request.sessions is not None and meeting.session not in request.sessions:
                continue
            if not all(name in people and people[name].attends(meeting.session)
                       and people[name].free(meeting.start, meeting.end) for name in request.participants):
                continue
        kept.append(replace(meeting, request=request.id))
    return tuple(kept)


def without_kept(brokerage: Brokerage, sessions: frozenset[str], kept: Iterable[Meeting]) -> Brokerage:
    """What is left to match: the other sessions, the requests not kept, each person busy in their kept
    meetings (another session may run at the same time)."""
    kept = tuple(kept)
    busy: dict[str, list[tuple]] = {}
    for meeting in kept:
        for name in meeting.participants:
            busy.setdefault(name, []).append((meeting.start, meeting.end))
    participants = tuple(
        replace(participant, unavailable=participant.unavailable + tuple(busy.get(participant.id, ())))
        for participant in brokerage.participants
    )
    kept_requests = {meeting.request for meeting in kept}
    return Brokerage(
        tuple(session for session in brokerage.sessions if session.id not in sessions),
        participants,
        tuple(request for request in brokerage.requests if request.id not in kept_requests),
    )


def schedule_meetings_keeping(brokerage: Brokerage, baseline: Schedule, programme: Schedule,
                              options: MatchOptions, cutoff: datetime | None = None) -> MeetingSchedule:
    """The meetings of a re-plan: the baseline's before `cutoff` (now + notice) and where their session is
    unchanged, the rest matched anew; a request still left out then goes into a free table of an unchanged
    session if its people are free then, around the kept meetings, which stay exactly."""
    unchanged = unchanged_sessions(brokerage, baseline, programme)
    kept = meetings_kept(brokerage, baseline, unchanged, cutoff)
    # A session keeps its cells from the search only when it keeps a meeting after the cut-off: the frozen
    # meetings are before it, where nothing new may go, so an unchanged session without any other is
    # matched again as a whole (nobody held a meeting there to be disturbed).
    held = frozenset(meeting.session for meeting in kept
                     if cutoff is None or meeting.start >= cutoff) & unchanged
    after = from_cutoff(brokerage, cutoff)
    rest = without_kept(after, held, kept)
    fresh = (schedule_meetings(rest, options) if rest.sessions and rest.requests
             else MeetingSchedule("optimal", (), ()))
    problem = compile_problem(after)
    assignment = assignment_from_meetings(problem, (*kept, *fresh.meetings))
    added = _fill(problem, assignment, held, kept)
    meetings = tuple(sorted((*kept, *fresh.meetings, *added), key=lambda meeting: (
        meeting.start, meeting.session, meeting.table, meeting.request)))
    assignment = assignment_from_meetings(problem, meetings)
    unscheduled = tuple(_reasons(problem, assignment, brokerage))
    if not kept:
        return replace(fresh, unscheduled=unscheduled)
    return MeetingSchedule(
        status=_status(problem, unscheduled, fresh.status),
        meetings=meetings,
        unscheduled=unscheduled,
        objectives=_objectives(problem, assignment, meetings),
        statistics={**fresh.statistics, "kept_meetings": len(kept), "added_around_kept": len(added)},
    )


def from_cutoff(brokerage: Brokerage, cutoff: datetime | None) -> Brokerage:
    """The brokerage with everyone busy before `cutoff`: nothing new goes into the frozen period (a
    session under way may still take meetings in its slots after it)."""
    if cutoff is None or not brokerage.sessions:
        return brokerage
    # From the first session's start rather than datetime.min, which an offset would push out of range.
    frozen = (min(session.start for session in brokerage.sessions), cutoff)
    if frozen[0] >= cutoff:
        return brokerage
    return replace(brokerage, participants=tuple(
        replace(participant, unavailable=(*participant.unavailable, frozen))
        for participant in brokerage.participants))


def _fill(problem: Problem, assignment: Assignment, held: frozenset[str],
          kept: tuple[Meeting, ...]) -> list[Meeting]:
    """The requests still left out, each in a free table of a held session where all its people are free,
    where it adds the fewest idle slots (the requests by priority); nothing placed before moves."""
    cells = frozenset(cell for number, session in enumerate(problem.brokerage.sessions) if session.id in held
                      for cell in problem.session_cells[number])
    if not cells:
        return []
    waiting = [request for request in priority_order(problem) if assignment.cell[request] == UNPLACED]
    filled = compact_fit(problem, waiting, start=assignment, cells=cells)
    tables_taken: dict[tuple[str, int], set[int]] = {}
    for meeting in kept:
        tables_taken.setdefault((meeting.session, meeting.slot), set()).add(meeting.table)
    added = []
    for number in waiting:
        cell = filled.cell[number]
        if cell == UNPLACED:
            continue
        request = problem.brokerage.requests[number]
        session = problem.brokerage.sessions[problem.cells[cell].session]
        slot = problem.cells[cell].slot
        taken = tables_taken.setdefault((session.id, slot), set())
        table = min(set(range(1, session.tables + 1)) - taken)
        taken.add(table)
        added.append(Meeting(request.id, session.id, slot, table, tuple(sorted(request.participants)),
                             session.slot_start(slot), session.slot_end(slot)))
    return added


def _reasons(problem: Problem, assignment: Assignment, brokerage: Brokerage) -> list[UnscheduledMeeting]:
    """Why each request is left out; one whose only possible slots are before now + notice says so, rather
    than that its people are unavailable (`problem` has them busy then, `brokerage` does not)."""
    reasons = unscheduled_reasons(problem, assignment)
    if all(problem.candidates[number] for number in range(len(problem.candidates))):
        return reasons
    whole = compile_problem(brokerage)
    number_of = {request.id: number for number, request in enumerate(brokerage.requests)}
    result = []
    for entry in reasons:
        number = number_of[entry.request]
        if not problem.candidates[number] and whole.candidates[number]:
            sessions = sorted({brokerage.sessions[whole.cells[cell].session].id
                               for cell in whole.candidates[number]})
            entry = replace(entry, reason=Reason("before_cutoff", (("sessions", " ".join(sessions)),)))
        result.append(entry)
    return result


def _status(problem: Problem, unscheduled: tuple[UnscheduledMeeting, ...], fresh_status: str) -> str:
    """Never `optimal`: the kept meetings were not searched again, so nothing is proved of the whole."""
    required_left = required_left_out(problem, unscheduled)
    if not required_left:
        return "feasible"
    if fresh_status == "infeasible" or any(not problem.candidates[number] for number in required_left):
        return "infeasible"
    return "unknown"


def _objectives(problem: Problem, assignment: Assignment, meetings: tuple[Meeting, ...]) -> dict[str, int]:
    objectives = slot_objectives(problem, assignment)
    table_of = {meeting.request: meeting.table for meeting in meetings}
    table = [table_of.get(request.id, 0) for request in problem.brokerage.requests]
    objectives[TableChanges.name] = TableChanges().evaluate(problem, assignment, table)
    return objectives
