"""Checks before solving: impossibilities that plain arithmetic shows in well under a second (issue 7).

Every check is *sound*: it reports a conflict only when no valid schedule can exist, whatever the solver
would do. Where the spec leaves room for interpretation the checks take the most permissive reading, so
that the CP-SAT model (and its diagnosis) stays the judge of everything subtler.

Times are handled as whole minutes since the Unix epoch (`int`), which makes arithmetic across clock
changes and legs exact; they are turned back into local wall time only for messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from planner.diagnosis.phrases import activity_ref, local_span, make_conflict, rule_ref
from planner.diagnosis.placements import (
    Placement,
    fixed_span,
    gap_rules,
    has_room,
    placement,
    placements,
    required_attendance,
    start_ranges,
    statement_spans,
)
from planner.diagnosis.precheck_order import (
    MAX_PER_CHECK,
    check_after_chains,
    check_after_cycles,
    check_daily_hours,
)
from planner.domain import Activity, Leg, Lodging, MinGap, Mission, Source
from planner.domain.schedule import Conflict
from planner.domain.spans import day_span, first_start_on_grain, intersect, subtract, window_span
from planner.text.conflicts import conflict_message


def check_room(mission: Mission, activity: Activity, places: Sequence[Placement]) -> Conflict | None:
    """Spec 'What a valid schedule satisfies' 2: fixed/windows/dates/leg/working day/open hours leave room.

    The message names only what takes the room away: dates off the venue's leg, the activity's own
    timing (too short already), or else the venue's opening hours."""
    if has_room(places):
        return None
    reasons: list[dict[str, Any]] = []
    sources: list[Source] = [activity.source]
    longest = 0
    for place in places:
        venue = mission.venues[place.venue]
        leg = mission.leg_of_venue(place.venue)
        off_leg = [day for day in activity.dates if not leg.contains(day)]
        if off_leg:
            sources.append(leg.source)
            reasons.append({"case": "off-leg", "days": [day.isoformat() for day in off_leg], "city": leg.city,
                            "venue": venue.name, "first_day": leg.first_day.isoformat(),
                            "last_day": leg.last_day.isoformat(), "source": str(leg.source)})
        own = statement_spans(mission, activity, leg)
        own_longest = max((end - start for start, end in own), default=0)
        longest = max(longest, max((end - start for start, end in place.spans), default=0))
        if not start_ranges(own, activity.duration, mission.grain, leg.zone):
            if off_leg and not own:
                continue
            what: dict[str, Any]
            if activity.windows:
                sources += [w.source for w in activity.windows]
                what = {"windows": [{"span": local_span(window_span(w), leg.zone), "source": str(w.source)}
                                    for w in activity.windows]}
            elif activity.fixed is not None:
                what = {"leg": {"city": leg.city, "source": str(leg.source)}}
                sources.append(leg.source)
            else:
                what = {"working_day": [mission.day.start, mission.day.end]}
            reasons.append({"case": "own-timing", **what, "longest": own_longest})
        else:
            sources.append(venue.source)
            reasons.append({"case": "venue-hours", "venue": venue.name,
                            "hours": [[h.start, h.end] for h in venue.open_hours],
                            "source": str(venue.source), "left": longest})
    grain = mission.grain if mission.grain > 1 and longest >= activity.duration else None
    return make_conflict("room", {"activity": activity_ref(mission, activity), "reasons": reasons,
                                  "grain": grain}, [activity.id], sources=sources)


def check_capacity(mission: Mission, activity: Activity,
                   attendance: dict[str, str | None]) -> Conflict | None:
    """Spec hard rule 5: the required headcount fits the capacity of some candidate venue."""
    headcount = sum(mission.delegates[d].size for d in attendance)
    capacities = [mission.venues[v].capacity for v in activity.venues]
    if any(capacity is None or capacity >= headcount for capacity in capacities):
        return None
    rules = sorted({rule for rule in attendance.values() if rule})
    # A reception's list can run to hundreds: name the largest delegations, count the rest.
    by_size = sorted(attendance, key=lambda d: (-mission.delegates[d].size, d))
    shown = by_size if len(by_size) <= 8 else by_size[:5]
    rest = by_size[len(shown):]
    params = {
        "activity": activity_ref(mission, activity),
        "headcount": headcount,
        "shown": [{"name": mission.delegates[d].name, "size": mission.delegates[d].size} for d in shown],
        "others": ({"count": len(rest), "size": sum(mission.delegates[d].size for d in rest)} if rest
                   else None),
        "rules": [rule_ref(mission, rule) for rule in rules],
        "venues": [{"name": mission.venues[v].name, "capacity": mission.venues[v].capacity,
                    "source": str(mission.venues[v].source)} for v in activity.venues],
    }
    sources = [activity.source, *(mission.venues[v].source for v in activity.venues),
               *(mission.rule(rule).source for rule in rules)]
    return make_conflict("capacity", params, [activity.id], attendance, rules, sources,
                         venues=sorted(activity.venues))


def check_unavailability(mission: Mission, activity: Activity, places: Sequence[Placement],
                         attendance: dict[str, str | None]) -> Conflict | None:
    """Spec hard rule 4: a required attendee is never inside their `unavailable` windows."""
    zone = mission.leg_of_activity(activity.id).zone

    def blocked_by(delegates: Sequence[str]) -> bool:
        holes = [window_span(w) for d in delegates for w in mission.delegates[d].unavailable]
        return not any(start_ranges(subtract(place.spans, holes), activity.duration, mission.grain, zone)
                       for place in places)

    candidates = [d for d in sorted(attendance) if mission.delegates[d].unavailable]
    if not candidates:
        return None
    culprits = next(([d] for d in candidates if blocked_by([d])), None)
    if culprits is None:
        if not blocked_by(candidates):
            return None
        # Drop every delegate whose windows are not needed, one at a time.
        culprits = list(candidates)
        for delegate in candidates:
            trial = [d for d in culprits if d != delegate]
            if trial and blocked_by(trial):
                culprits = trial
    spans = [span for place in places for span in place.spans]
    windows = [w for d in culprits for w in mission.delegates[d].unavailable
               if any(window_span(w)[0] < end and start < window_span(w)[1] for start, end in spans)]
    rules = sorted({rule for d in culprits if (rule := attendance[d])})
    params = {"activity": activity_ref(mission, activity),
              "delegates": [mission.delegates[d].name for d in culprits],
              "rules": [rule_ref(mission, rule) for rule in rules],
              "windows": [{"span": local_span(window_span(w), zone), "source": str(w.source)}
                          for w in windows]}
    sources = [activity.source, *(w.source for w in windows), *(mission.rule(r).source for r in rules)]
    return make_conflict("unavailable", params, [activity.id], culprits, rules, sources)


def check_lodging_reach(mission: Mission, activity: Activity, places: Sequence[Placement],
                        attendance: dict[str, str | None]) -> Conflict | None:
    """lodging (docs/mission-format.md): a required attendee can come from their hotel, leaving no earlier
    than its `leave` time, before the activity starts at one of its venues on one of its dates."""
    if not mission.lodging:
        return None
    leg = mission.leg_of_activity(activity.id)
    stuck: dict[Lodging, list[str]] = defaultdict(list)
    declared = {delegate_id: n for n, delegate_id in enumerate(mission.delegates)}
    for delegate_id in sorted(attendance, key=declared.__getitem__):
        lodging = mission.hotel(delegate_id, leg.city)
        if lodging is None or any(_reachable(mission, lodging, place, leg) for place in places):
            continue
        stuck[lodging].append(delegate_id)
    if not stuck:
        return None
    lodging, culprits = next(iter(stuck.items()))
    hotel = mission.venues[lodging.venue]
    rules = sorted({rule for d in culprits if (rule := attendance[d])})
    params = {"activity": activity_ref(mission, activity),
              "delegates": [mission.delegates[d].name for d in culprits],
              "rules": [rule_ref(mission, rule) for rule in rules],
              "hotel": hotel.name, "leave": lodging.leave, "source": str(lodging.source),
              "trips": [{"to": mission.venues[place.venue].name,
                         "minutes": mission.travel_minutes(lodging.venue, place.venue) or 0}
                        for place in places if place.venue != lodging.venue]}
    sources = [activity.source, lodging.source, *(mission.rule(r).source for r in rules)]
    return make_conflict("lodging", params, [activity.id], culprits, rules, sources, venues=[lodging.venue])


def _reachable(mission: Mission, lodging: Lodging, place: Placement, leg: Leg) -> bool:
    """Whether some start of `place` lies after the hotel's departure time plus the trip, on its date."""
    if place.venue == lodging.venue:
        return bool(place.starts)
    travel = mission.travel_minutes(lodging.venue, place.venue) or 0
    too_early = [day_span(leg, day, 0, lodging.leave + travel) for day in leg.days()]
    left = subtract([(earliest, latest + 1) for earliest, latest in place.starts], too_early)
    return any(first_start_on_grain(start, mission.grain, leg.zone) < end for start, end in left)


def check_fixed_clashes(mission: Mission, required: dict[str, Activity],
                        attendance: dict[str, dict[str, str | None]],
                        places: dict[str, list[Placement]]) -> list[Conflict]:
    """Spec hard rule 4: a delegate attends one activity at a time, with the travel time (and min_gap)
    between."""
    gaps = gap_rules(mission)
    # Pairs further apart than the longest travel plus the longest gap cannot clash: never compared.
    reach = max(mission.travel.values(), default=0) + max((rule.gap for rule in gaps.values()), default=0)
    spans = {a.id: span for a in required.values() if (span := fixed_span(a)) is not None}
    fixed_of: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for activity_id, (start, end) in spans.items():
        for delegate in attendance[activity_id]:
            fixed_of[delegate].append((start, end, activity_id))
    overlaps: dict[tuple[str, str], list[str]] = {}
    conflicts = []
    for delegate_id in sorted(fixed_of):
        chosen = sorted(fixed_of[delegate_id])
        for position, (_, first_end, first_id) in enumerate(chosen):
            for second_start, _, second_id in chosen[position + 1:]:
                free = second_start - first_end
                if free >= reach:
                    break
                if free < 0:
                    overlaps.setdefault((first_id, second_id), []).append(delegate_id)
                    continue
                conflict = travel_clash(mission, required[first_id], required[second_id], delegate_id, free,
                                        gaps, attendance, required, places)
                if conflict is not None:
                    conflicts.append(conflict)
    for number, ((first_id, second_id), delegates) in enumerate(sorted(overlaps.items())):
        if number >= MAX_PER_CHECK:
            conflicts.append(Conflict("", extra={"check": "overlap"}))  # counted by `capped`, never shown
            continue
        first, second = required[first_id], required[second_id]
        # Name those listed at both; only when none is, those a rule brings (with the rule).
        listed = [d for d in delegates
                  if attendance[first_id][d] is None and attendance[second_id][d] is None]
        named = listed or delegates
        rules = sorted({r for d in named for r in (attendance[first_id][d], attendance[second_id][d]) if r})
        params = {"delegates": [mission.delegates[d].name for d in named],
                  "first": activity_ref(mission, first), "second": activity_ref(mission, second),
                  "rules": [rule_ref(mission, rule) for rule in rules]}
        sources = [first.source, second.source, *(mission.rule(r).source for r in rules)]
        conflicts.append(make_conflict("overlap", params, (first_id, second_id), named, rules, sources))
    return conflicts


def travel_clash(mission: Mission, first: Activity, second: Activity, delegate_id: str, free: int,
                 gaps: dict[str, MinGap], attendance: dict[str, dict[str, str | None]],
                 required: dict[str, Activity], places: dict[str, list[Placement]]) -> Conflict | None:
    """Two fixed activities of one delegate `free` minutes apart, less than travel and min_gap need."""
    needed = travel_needed(mission, first, second, delegate_id, gaps)
    if needed is None or free >= needed[0]:
        return None
    if sandwich_possible(mission, delegate_id, first, second, free, gaps, required, places):
        return None
    delegate = mission.delegates[delegate_id]
    rules = sorted({r for r in (attendance[first.id][delegate_id], attendance[second.id][delegate_id]) if r})
    travel, gap_rule = needed[1], needed[2]
    # One venue each: the trip is named; otherwise the shortest between their venues is meant.
    named = len(first.venues) == len(second.venues) == 1
    all_rules = sorted(set(rules) | ({gap_rule.id} if gap_rule else set()))
    params = {
        "delegate": delegate.name, "first": activity_ref(mission, first),
        "second": activity_ref(mission, second), "free": free,
        "travel": {"minutes": travel,
                   "from": mission.venues[first.venues[0]].name if named else None,
                   "to": mission.venues[second.venues[0]].name if named else None} if travel else None,
        "gap": {"minutes": gap_rule.gap, "rule": rule_ref(mission, gap_rule.id)} if gap_rule else None,
        "rules": [rule_ref(mission, rule) for rule in rules],
    }
    return make_conflict(
        "travel", params, (first.id, second.id), [delegate_id], all_rules,
        [first.source, second.source, *(mission.venues[v].source for v in first.venues + second.venues),
         *(mission.rule(r).source for r in all_rules)])


def travel_needed(mission: Mission, first: Activity, second: Activity, delegate_id: str,
                  gaps: dict[str, MinGap]) -> tuple[int, int, MinGap | None] | None:
    """(minutes needed between them, of which travel, the min_gap rule if it adds to it), or None."""
    if mission.leg_of_activity(first.id) != mission.leg_of_activity(second.id):
        return None
    travel = min((mission.travel_minutes(a, b) or 0) for a in first.venues for b in second.venues)
    rule = gaps.get(delegate_id)
    gap = rule.gap if rule is not None else 0
    if travel + gap <= 0:
        return None
    return travel + gap, travel, rule if gap else None


def sandwich_possible(mission: Mission, delegate_id: str, first: Activity, second: Activity, free: int,
                      gaps: dict[str, MinGap], required: dict[str, Activity],
                      places: dict[str, list[Placement]]) -> bool:
    """Whether another activity of the delegate could sit between the two (travel need not obey the triangle
    inequality), in which case the pair alone proves nothing."""
    rule = gaps.get(delegate_id)
    gap = rule.gap if rule is not None else 0
    leg = mission.leg_of_activity(first.id)
    first_span, second_span = fixed_span(first), fixed_span(second)
    assert first_span is not None and second_span is not None  # travel_clash compares fixed activities only
    first_end, second_start = first_span[1], second_span[0]
    for other in mission.activities_of(delegate_id):
        if other.id in (first.id, second.id) or other.duration + 2 * gap > free:
            continue
        if mission.leg_of_activity(other.id) != leg:
            continue
        for venue in other.venues:
            inside = intersect(placement(mission, other, venue).spans, [(first_end, second_start)])
            if not start_ranges(inside, other.duration, mission.grain, leg.zone):
                continue
            into = min((mission.travel_minutes(a, venue) or 0) for a in first.venues)
            out = min((mission.travel_minutes(venue, b) or 0) for b in second.venues)
            if into + out + other.duration + 2 * gap <= free:
                return True
    return False


def precheck(mission: Mission) -> list[Conflict]:
    """Every impossibility found before solving, in file order of the statements concerned."""
    required = {a.id: a for a in mission.activities.values() if a.required}
    places = {a.id: placements(mission, a) for a in required.values()}
    attendance = {a.id: required_attendance(mission, a) for a in required.values()}
    conflicts: list[Conflict] = []
    roomy: dict[str, Activity] = {}
    for activity in required.values():
        problem = check_room(mission, activity, places[activity.id])
        if problem is None:
            problem = check_capacity(mission, activity, attendance[activity.id])
        if problem is None:
            problem = check_unavailability(mission, activity, places[activity.id], attendance[activity.id])
        if problem is None:
            problem = check_lodging_reach(mission, activity, places[activity.id], attendance[activity.id])
        if problem is None:
            roomy[activity.id] = activity
        if problem is not None:
            conflicts.append(problem)
    conflicts += check_fixed_clashes(mission, roomy, attendance, places)
    cycle_conflicts, cyclic = check_after_cycles(mission, required)
    conflicts += cycle_conflicts
    conflicts += check_after_chains(mission, roomy, places, cyclic)
    conflicts += check_daily_hours(mission, roomy, attendance, places)
    return capped(conflicts)


def capped(conflicts: list[Conflict]) -> list[Conflict]:
    kept: list[Conflict] = []
    dropped: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for conflict in conflicts:
        check = str(conflict.extra.get("check", ""))
        counts[check] += 1
        if counts[check] <= MAX_PER_CHECK:
            kept.append(conflict)
        else:
            dropped[check] += 1
    for check, count in dropped.items():
        params = {"check": check, "count": count}
        kept.append(Conflict(conflict_message("more", params), code="more", params=params,
                             extra={"check": check, "more": count, "sources": []}))
    return kept
