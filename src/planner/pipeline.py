"""`planner solve` end to end: the programme, then the B2B meetings inside it.

How the two stages interact (docs/b2b.md): the programme solve (`planner.solver`) places every activity,
B2B sessions included, with all of the mission's own preferences; it knows a session only as an activity
(its duration, venue, attendees). The matchmaking (`planner.b2b`) then takes the sessions where and when
the programme put them, and the delegates the programme has attending them, and schedules the requests
into their slots and tables. Nothing of the programme moves for the meetings, so every preference of the
programme is kept exactly; a request that cannot fit is listed with its reason (the time a session could
move to is the organiser's call: `fixed`, `windows` or `dates` on the session).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from rich.console import Console

from planner.b2b.solve import MatchOptions, schedule_meetings
from planner.domain import Mission
from planner.domain.brokerage import brokerage_of, has_b2b
from planner.domain.schedule import Schedule
from planner.solver.solve import SolveOptions, solve
from planner.text.meetings import describe_reason


@dataclass(frozen=True)
class PlanOptions:
    programme: SolveOptions = SolveOptions()
    meetings_time_limit: float = 60.0
    """Wall-clock seconds for the matchmaking (after the programme's own limit)."""


def plan(
    mission: Mission, options: PlanOptions = PlanOptions(), *, console: Console | None = None
) -> Schedule:
    """The programme of `mission`, with its B2B meetings when it has sessions or requests."""
    schedule = solve(mission, options.programme, console=console)
    return with_meetings(mission, schedule, options)


def with_meetings(mission: Mission, schedule: Schedule, options: PlanOptions = PlanOptions()) -> Schedule:
    """`schedule` with `meetings` and `unscheduled_meetings` added (unchanged without B2B or programme)."""
    if not has_b2b(mission) or not schedule.has_programme:
        return schedule
    started = time.monotonic()
    result = schedule_meetings(
        brokerage_of(mission, schedule),
        MatchOptions(
            time_limit=options.meetings_time_limit,
            seed=options.programme.seed,
            workers=options.programme.workers,
        ),
    )

    def name(identifier: str) -> str:
        person = mission.delegates.get(identifier) or mission.counterparts.get(identifier)
        if person is not None:
            return f"{person.name} ({identifier})"
        activity = mission.activities.get(identifier)
        return f"'{activity.title}' ({identifier})" if activity is not None else identifier

    schedule.meetings = list(result.meetings)
    schedule.unscheduled_meetings = [
        dataclasses.replace(entry, message=describe_reason(entry.reason, name))
        for entry in result.unscheduled
    ]
    schedule.extra["meetings_status"] = result.status
    schedule.extra["meeting_objectives"] = dict(result.objectives)
    schedule.extra["meetings_seconds"] = round(time.monotonic() - started, 3)
    return schedule
