"""Why a request is not scheduled, as a structured `Reason` (code + ids); `planner.text.meetings` words it.

Structural reasons hold whatever the search does (no session all participants attend, someone
unavailable for every slot, no slot where all are available); the others describe the schedule found
(a participant whose every possible slot is taken by other meetings, sessions whose tables are full in
every possible slot, or every possible slot blocked by someone's other meeting).
"""

from __future__ import annotations

from planner.b2b.problem import UNPLACED, Assignment, Problem
from planner.domain.meetings import Reason, UnscheduledMeeting


def unscheduled_reasons(problem: Problem, assignment: Assignment) -> list[UnscheduledMeeting]:
    """One entry per request left out, in the order of the requests."""
    result = []
    for number, request in enumerate(problem.brokerage.requests):
        if assignment.cell[number] != UNPLACED:
            continue
        reason = (
            structural_reason(problem, number)
            if not problem.candidates[number]
            else _reason_in_schedule(problem, assignment, number)
        )
        result.append(UnscheduledMeeting(request.id, request.participants, reason))
    return result


def structural_reason(problem: Problem, number: int) -> Reason:
    """Why request `number` has no candidate slot at all."""
    brokerage = problem.brokerage
    request = brokerage.requests[number]
    people = [brokerage.participants[member] for member in problem.request_participants[number]]
    shared = [
        session.id for session in brokerage.sessions if all(person.attends(session.id) for person in people)
    ]
    if not shared:
        return Reason("no_common_session", (("participants", " ".join(request.participants)),))
    allowed = [session for session in shared if request.sessions is None or session in request.sessions]
    if not allowed:
        return Reason(
            "not_in_allowed_sessions",
            (("sessions", " ".join(sorted(request.sessions or ()))), ("shared", " ".join(shared))),
        )
    allowed_cells = {
        cell
        for number_of_session, session in enumerate(brokerage.sessions)
        if session.id in allowed
        for cell in problem.session_cells[number_of_session]
    }
    for member, person in zip(problem.request_participants[number], people):
        if not allowed_cells & problem.available[member]:
            return Reason(
                "participant_unavailable", (("participant", person.id), ("sessions", " ".join(allowed)))
            )
    return Reason("no_common_free_slot", (("sessions", " ".join(allowed)),))


def _reason_in_schedule(problem: Problem, assignment: Assignment, number: int) -> Reason:
    candidates = problem.candidates[number]
    participants = problem.brokerage.participants
    for member in problem.request_participants[number]:
        busy = assignment.busy[member]
        if all(any(other in busy for other in problem.overlapping[cell]) for cell in candidates):
            person = participants[member]
            return Reason(f"{person.kind}_full", (("participant", person.id),))
    if all(assignment.used[cell] >= problem.capacity[cell] for cell in candidates):
        sessions = sorted({problem.brokerage.sessions[problem.cells[cell].session].id for cell in candidates})
        return Reason("tables_full", (("sessions", " ".join(sessions)),))
    return Reason("slots_taken", (("slots", str(len(candidates))),))
