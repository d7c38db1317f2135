"""A delegate's timeline (spec rule 4): one activity at a time, nothing inside an `unavailable` window,
and the stretches other rules keep free (lunch) on the same timeline."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python.cp_model import IntervalVar

from planner.domain import Lunch, MinGap
from planner.solver.variables import Literal, MissionModel, literal_key

Blocker = tuple[IntervalVar, int, int]
"""An interval a delegate's activities may not overlap, with the units [lo, hi) it may lie in."""
Attended = list[tuple[str, Literal]]
Blockers = Callable[[MissionModel, str, Attended], list[Blocker]]
"""A rule's blockers for one delegate, given what they may attend."""


def unavailable_intervals(built: MissionModel, delegate_id: str, attended: Attended) -> list[Blocker]:
    """Spec rule 4: the delegate's `unavailable` windows, as fixed intervals."""
    delegate = built.mission.delegates[delegate_id]
    axis, model = built.axis, built.model
    result = []
    for index, window in enumerate(delegate.unavailable):
        lo, hi = axis.units_down(axis.minute(window.start)), axis.units_up(axis.minute(window.end))
        guard = built.statement("unavailable", (delegate_id, str(index)), window.source)
        if guard:
            interval = model.new_optional_fixed_size_interval_var(lo, hi - lo, guard[0],
                                                                  f"away:{delegate_id}:{index}")
        else:
            interval = model.new_fixed_size_interval_var(lo, hi - lo, f"away:{delegate_id}:{index}")
        result.append((interval, lo, hi))
    return result


def add_no_overlap(built: MissionModel, unavailable: Blockers = unavailable_intervals,
                   lunch: Blockers | None = None) -> None:
    """Spec rule 4 (+ `lunch`): a delegate attends one activity at a time, nothing when unavailable, and
    keeps the lunch stretches that `lunch` gives."""
    seen: set[tuple] = set()
    for delegate_id, attended in built.attendance_by_delegate().items():
        lunch_rules = [r for r in built.mission.rules if isinstance(r, Lunch) and delegate_id in r.delegates]
        # A lunch keeps off the road, which depends on the delegate's min_gap: part of the signature.
        gaps = tuple(r.id for r in built.mission.rules
                     if isinstance(r, MinGap) and delegate_id in r.delegates)
        signature = (tuple(sorted((a, literal_key(literal)) for a, literal in attended)),
                     built.mission.delegates[delegate_id].unavailable,
                     tuple((r.between, r.duration) for r in lunch_rules), gaps if lunch_rules else ())
        if built.repeats(signature, seen):
            continue  # the same timeline as another delegate's: the same constraint
        intervals = [built.interval_of(a, literal) for a, literal in attended]
        away = unavailable(built, delegate_id, attended)
        lunches = lunch(built, delegate_id, attended) if attended and lunch is not None else []
        # A lunch stretch may lie inside an unavailable window: those windows get a timeline of their own.
        apart = [w for w in away if any(w[1] < hi and lo < w[2] for _, lo, hi in lunches)]
        together = [w for w in away if w not in apart]
        main = intervals + [w[0] for w in together] + [stretch[0] for stretch in lunches]
        if len(main) > 1:
            built.model.add_no_overlap(main)
        if apart and intervals:
            built.model.add_no_overlap(intervals + [w[0] for w in apart])

