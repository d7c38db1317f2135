"""The `lunch` rule (spec rules table): on every date a delegate attends anything, a free stretch of
`duration` inside `between`, kept on the delegate's timeline (`families.timeline`)."""

from __future__ import annotations

from planner.domain import Lunch
from planner.solver.axis import Day
from planner.solver.families.timeline import Attended, Blocker
from planner.solver.variables import Literal, MissionModel


def lunch_intervals(built: MissionModel, delegate_id: str, attended: Attended) -> list[Blocker]:
    """Spec rule `lunch`: one free stretch per leg date inside `between`; always there (equivalent, simpler)
    unless another leg's activity may overlap it (legs far apart in time zones share instants): there
    only on dates the delegate attends something of that leg."""
    axis, model = built.axis, built.model
    result = []
    for rule in built.mission.rules:
        if not isinstance(rule, Lunch) or delegate_id not in rule.delegates:
            continue
        guard = built.statement("rule", (rule.id, delegate_id), rule.source)
        duration = axis.units_up(rule.duration)
        for day in axis.days:
            for lo_minute, hi_minute in axis.daily(day.leg, rule.between, [day.date]):
                lo, hi = axis.units_up(lo_minute), axis.units_down(hi_minute)
                if hi - lo < duration:
                    # Shorter than the lunch (a night `between` across a change of clocks): no lunch fits, so
                    # the delegate attends nothing on that date.
                    model.add_bool_or([lunch_needed(built, day, attended, guard).Not()])
                    continue
                start = model.new_int_var(lo, hi - duration, f"lunch:{rule.id}:{delegate_id}:{day.index}")
                presence = guard[0] if guard else None
                if any(built.activities[a].leg is not day.leg and built.activities[a].earliest < hi
                       and lo < built.activities[a].latest_end for a, _ in attended):
                    presence = lunch_needed(built, day, attended, guard)
                if presence is not None:
                    interval = model.new_optional_fixed_size_interval_var(start, duration, presence,
                                                                          start.name)
                else:
                    interval = model.new_fixed_size_interval_var(start, duration, start.name)
                result.append((interval, lo, hi))
    return result


def lunch_needed(built: MissionModel, day: Day, attended: Attended,
                  guard: list[Literal]) -> Literal:
    """A literal that must hold when the delegate attends an activity touching `day` (of its leg)."""
    axis, model = built.axis, built.model
    needed = model.new_bool_var(f"lunch-needed:{day.index}")
    day_start, day_end = axis.units_up(day.start_minute), axis.units_up(day.end_minute)
    for activity_id, literal in attended:
        placed = built.activities[activity_id]
        if placed.leg is not day.leg or placed.latest_end <= day_start or day_end <= placed.earliest:
            continue
        elsewhere = []
        if placed.earliest + placed.duration <= day_start:
            before = model.new_bool_var("")
            model.add(placed.start + placed.duration <= day_start).only_enforce_if(before)
            elsewhere.append(before)
        if day_end < placed.latest_end:
            after = model.new_bool_var("")
            model.add(placed.start >= day_end).only_enforce_if(after)
            elsewhere.append(after)
        model.add_bool_or([needed, literal.Not(), *elsewhere])
    if not guard:
        return needed
    present = model.new_bool_var(f"lunch-present:{day.index}")
    model.add_implication(present, guard[0])
    model.add_bool_or([needed.Not(), guard[0].Not(), present])
    return present
