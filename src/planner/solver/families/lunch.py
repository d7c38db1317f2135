"""The `lunch` rule (spec rules table): on every date a delegate attends anything, a stretch of `duration`
inside `between` in which they attend nothing and are not on the road, kept on the delegate's timeline
(`families.timeline`); or a working lunch, an activity of kind `meal` (docs/mission-format.md)."""

from __future__ import annotations

from planner.domain import Lunch, MinGap
from planner.solver.axis import Day
from planner.solver.families.timeline import Attended, Blocker
from planner.solver.variables import Literal, MissionModel, PlacedActivity, venue_condition

MEAL = "meal"
"""The kind of a working lunch: with `duration` of it inside `between`, it is the lunch of its date."""


def lunch_intervals(built: MissionModel, delegate_id: str, attended: Attended) -> list[Blocker]:
    """Spec rule `lunch`: one free stretch per leg date inside `between`; always there (equivalent, simpler)
    unless another leg's activity may overlap it (legs far apart in time zones share instants): there
    only on dates the delegate attends something of that leg, or a working lunch stands in for it."""
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
                meals = working_lunches(built, attended, lo, hi, duration)
                if meals:
                    # The stretch is needed only when no working lunch stands in for it.
                    stretch = model.new_bool_var(f"{start.name}:stretch")
                    model.add_bool_or([stretch, *meals, *([presence.Not()] if presence is not None else [])])
                    presence = stretch
                if presence is not None:
                    interval = model.new_optional_fixed_size_interval_var(start, duration, presence,
                                                                          start.name)
                else:
                    interval = model.new_fixed_size_interval_var(start, duration, start.name)
                add_off_the_road(built, delegate_id, attended, (start, duration, lo, hi), presence)
                result.append((interval, lo, hi))
    return result


def working_lunches(built: MissionModel, attended: Attended, lo: int, hi: int,
                    duration: int) -> list[Literal]:
    """Literals, one per `meal` activity the delegate may attend with `duration` of it inside [lo, hi): true
    only when they attend it and it lies so (docs/mission-format.md, working lunch)."""
    model = built.model
    result = []
    for activity_id, literal in attended:
        placed = built.activities[activity_id]
        if (placed.activity.kind != MEAL or placed.duration < duration
                or placed.latest_end < lo + duration or hi - duration < placed.earliest):
            continue
        taken = model.new_bool_var(f"meal:{activity_id}:{lo}")
        model.add_implication(taken, literal)
        model.add(placed.start <= hi - duration).only_enforce_if(taken)
        model.add(placed.start + placed.duration >= lo + duration).only_enforce_if(taken)
        result.append(taken)
    return result


def add_off_the_road(built: MissionModel, delegate_id: str, attended: Attended,
                     stretch: tuple, presence: Literal | None) -> None:
    """Lunch off the road: between two activities a and b around the stretch lie the stretch, the travel
    time between their venues within a city and the delegate's `min_gap`: b starts at least duration +
    travel + gap after a ends."""
    model, axis = built.model, built.axis
    start, duration, lo, hi = stretch
    gaps = _gap_options(built, delegate_id)
    widest = axis.units_up(max(built.mission.travel.values(), default=0) + max(g for g, _ in gaps))
    # Activities farther from [lo, hi) than the widest separation keep every pair apart by their own domains.
    near = [(a, literal) for a, literal in attended
            if built.activities[a].earliest < hi + widest and lo - widest < built.activities[a].latest_end]
    if len(near) < 2:
        return
    when = [presence] if presence is not None else []
    before: dict[str, Literal] = {}
    for activity_id, literal in near:
        placed = built.activities[activity_id]
        ahead = model.new_bool_var(f"{start.name}:after:{activity_id}")
        model.add(placed.end <= start).only_enforce_if([ahead, literal, *when])
        model.add(placed.start >= start + duration).only_enforce_if([ahead.Not(), literal, *when])
        before[activity_id] = ahead
    for activity_a, literal_a in near:
        placed_a = built.activities[activity_a]
        for activity_b, literal_b in near:
            placed_b = built.activities[activity_b]
            if activity_a == activity_b or placed_b.latest_end - placed_b.duration < placed_a.earliest:
                continue
            for venue_a in placed_a.venues:
                for venue_b in placed_b.venues:
                    for gap, guard in gaps:
                        separation = _separation(built, placed_a, venue_a, placed_b, venue_b, gap)
                        if separation == 0:
                            continue
                        condition = [before[activity_a], before[activity_b].Not(), literal_a, literal_b,
                                     *when, *venue_condition(placed_a, venue_a),
                                     *venue_condition(placed_b, venue_b), *guard]
                        model.add(placed_b.start >= placed_a.end + duration + separation) \
                            .only_enforce_if(condition)


def _separation(built: MissionModel, placed_a: PlacedActivity, venue_a: str, placed_b: PlacedActivity,
                venue_b: str, gap: int) -> int:
    """Units of road between an end at `venue_a` and a start at `venue_b`: travel within a city + `gap`."""
    mission = built.mission
    travel = 0
    if venue_a != venue_b and mission.venues[venue_a].city == mission.venues[venue_b].city:
        travel = mission.travel_minutes(venue_a, venue_b) or 0
    return built.axis.units_up(travel + gap)


def _gap_options(built: MissionModel, delegate_id: str) -> list[tuple[int, list[Literal]]]:
    """The delegate's `min_gap`s as (minutes, guard literals): the widest of those always in force, and those
    that can be switched off (guarded mode) beside no gap at all."""
    entries = [(rule.gap, built.statement("rule", (rule.id, delegate_id), rule.source))
               for rule in built.mission.rules if isinstance(rule, MinGap) and delegate_id in rule.delegates]
    always = [gap for gap, guard in entries if not guard]
    switchable = [(gap, guard) for gap, guard in entries if guard]
    return [(max(always, default=0), []), *switchable]


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
