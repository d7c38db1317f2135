"""Planning a mission end to end: pre-checks → solve → diagnosis → reasons → B2B meetings (docs/solving.md).

The one place that runs the solver and the diagnosis together: `planner.diagnosis` imports the solver (its
guarded model), the solver imports neither, and this module imports both.

How the programme and the B2B meetings interact (docs/b2b.md): the programme solve places every activity,
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
from collections.abc import Callable
from dataclasses import dataclass, replace

from planner.domain import Mission
from planner.domain.brokerage import brokerage_of, has_b2b
from planner.domain.change import compare
from planner.domain.replan import Replan
from planner.domain.schedule import Conflict, Schedule
from planner.domain.solve_info import MatchingInfo, SolverInfo
from planner.solver.options import Extension, Progress, SolveOptions
from planner.text.conflicts import conflict_message
from planner.text.meetings import describe_reason

__all__ = ["PlanOptions", "Progress", "SolveOptions", "plan", "solve", "solve_replan", "with_meetings"]

DEFAULT_OPTIONS = SolveOptions()


MEETINGS_TIME_LIMIT = 60.0
"""The matchmaking's seconds unless said otherwise (`planner solve` gives a shorter --time-limit instead)."""


@dataclass(frozen=True)
class PlanOptions:
    programme: SolveOptions = DEFAULT_OPTIONS
    meetings_time_limit: float = MEETINGS_TIME_LIMIT
    """Wall-clock seconds for the matchmaking (after the programme's own limit)."""


def plan(mission: Mission, options: SolveOptions | PlanOptions = DEFAULT_OPTIONS, *,
         on_phase: Callable[[str], None] | None = None, extension: Extension | None = None,
         on_programme: Callable[[Schedule], None] | None = None,
         replan: Replan | None = None) -> Schedule:
    """The best programme for `mission`, with its B2B meetings; without one, the conflicts that explain why.
    `on_phase` hears of each phase that takes time beyond the solve (a progress display); `extension` adds
    families and a term to the solve's model (re-planning); `on_programme` hears of the programme before
    its B2B meetings are matched, which move nothing of it (a caller may start drawing it); a re-plan's
    `replan` keeps the baseline's meetings before its cut-off and in the sessions the new programme leaves
    as they were."""
    from planner.diagnosis import diagnose, left_out_reasons, precheck
    from planner.solver import solve as solver

    plan_options = options if isinstance(options, PlanOptions) else PlanOptions(options)
    options = plan_options.programme
    started = time.monotonic()
    conflicts = precheck(mission)
    if conflicts:
        return solver.without_programme(mission, "infeasible", conflicts, started,
                                        SolverInfo(stopped_at="precheck"))
    schedule = solver.solve(mission, options, started=started, extension=extension)
    if schedule.status == "infeasible":
        if on_phase is not None:
            on_phase("no programme exists: finding out why…")
        schedule.conflicts = list(diagnose(mission, options))
        schedule.solve_seconds = time.monotonic() - started
        return schedule
    if schedule.has_programme:
        reasons = left_out_reasons(mission, schedule)
        schedule.unscheduled = [reasons.get(u.id, u) for u in schedule.unscheduled]
        if has_b2b(mission):
            if on_phase is not None:
                on_phase("B2B meetings: matching requests to slots and tables…")
            if on_programme is not None:  # the matching moves nothing of it: views can be drawn meanwhile
                on_programme(schedule)
            # After Ctrl-C the person wants the best found now: the meetings from a short pass only.
            short = replace(plan_options, meetings_time_limit=min(
                plan_options.meetings_time_limit, MEETINGS_SECONDS_AFTER_CTRL_C))
            if schedule.solver is not None and schedule.solver.interrupted:
                return with_meetings(mission, schedule, short, replan)
            try:
                schedule = with_meetings(mission, schedule, plan_options, replan)
            except KeyboardInterrupt:  # in the matchmaking (`with_meetings` changes nothing before its end)
                schedule = with_meetings(mission, schedule, short, replan)
    return schedule


MEETINGS_SECONDS_AFTER_CTRL_C = 0.5
"""The matchmaking's limit once Ctrl-C has stopped the search: its first schedule, and what the swaps make of
it meanwhile (planner.b2b.solve)."""


def with_meetings(mission: Mission, schedule: Schedule, options: PlanOptions = PlanOptions(),
                  replan: Replan | None = None) -> Schedule:
    """`schedule` with `meetings` and `unscheduled_meetings` added (unchanged without B2B or programme).
    With a `replan`, the baseline's meetings before the cut-off stay, and so do those of sessions that take
    place as before (`planner.b2b.kept`)."""
    from planner.b2b.kept import schedule_meetings_keeping
    from planner.b2b.solve import MatchOptions, schedule_meetings

    if not has_b2b(mission) or not schedule.has_programme:
        return schedule
    started = time.monotonic()
    brokerage = brokerage_of(mission, schedule)
    match_options = MatchOptions(
        time_limit=options.meetings_time_limit,
        seed=options.programme.seed,
        workers=options.programme.workers,
    )
    result = (schedule_meetings(brokerage, match_options) if replan is None else
              schedule_meetings_keeping(brokerage, replan.baseline, schedule, match_options, replan.cutoff))

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
    schedule.matching = MatchingInfo(result.status, dict(result.objectives),
                                     round(time.monotonic() - started, 3))
    return schedule


solve = plan
"""The name tests and benchmarks call: `planner.pipeline.solve(mission, options)`."""


def solve_replan(replan: Replan, options: SolveOptions = DEFAULT_OPTIONS, *,
                 on_phase: Callable[[str], None] | None = None) -> Schedule:
    """Re-plan: plan the effective mission with the frozen past, the frozen period, the disruption term
    (ranked after the priority weight left out) and the baseline as a hint; fill the contract's keys."""
    from planner.solver.replan import replan_extension

    schedule = plan(replan.mission, options, on_phase=on_phase, extension=replan_extension(replan),
                    replan=replan)
    schedule.conflicts = [_named(replan, conflict) for conflict in schedule.conflicts]
    if schedule.has_programme:
        schedule.extra["changes"] = compare(replan.baseline, schedule).to_json()
        assert schedule.objectives is not None  # a programme has its objectives' values
        schedule.extra["disruption"] = schedule.objectives["disruption"]
    schedule.extra["now"] = replan.now.isoformat()
    return schedule


def _named(replan: Replan, conflict: Conflict) -> Conflict:
    """A conflict that involves frozen or pinned activities says so ("kept from the baseline")."""
    notes = [{"activity": activity_id, "note": "kept" if activity_id in replan.frozen else "pinned"}
             for activity_id in conflict.activities if replan.note(activity_id)]
    if not notes:
        return conflict
    params = {**conflict.params, "baseline": notes}
    return replace(conflict, message=conflict_message(conflict.code, params), params=params,
                   extra={**conflict.extra, "kept": [a for a in conflict.activities if a in replan.frozen],
                          "pinned": [a for a in conflict.activities if a in replan.pinned]})
