"""Checks before solving: impossibilities that plain arithmetic shows in well under a second (issue 7).

Every check is *sound*: it reports a conflict only when no valid schedule can exist, whatever the solver
would do. Where the spec leaves room for interpretation the checks take the most permissive reading, so
that the CP-SAT model (and its diagnosis) stays the judge of everything subtler.

Times are handled as whole minutes since the Unix epoch (`int`), which makes arithmetic across clock
changes and legs exact; they are turned back into local wall time only for messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.domain import Accompany, Activity, Leg, Mission, MinGap, Source, Window
from planner.domain.schedule import Conflict

Span = tuple[int, int]
"""A half-open stretch [start, end) in minutes since the epoch."""


# --- time arithmetic ---------------------------------------------------------------------------------


def minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def instant(minute: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(minute * 60, zone)


def clock(minute: int, zone: ZoneInfo) -> str:
    return instant(minute, zone).strftime("%H:%M")


def when(minute: int, zone: ZoneInfo) -> str:
    return instant(minute, zone).strftime("%Y-%m-%d %H:%M")


def span_text(span: Span, zone: ZoneInfo, with_date: bool = True) -> str:
    """'2025-10-06 16:30–17:15', or with both dates when the span crosses midnight."""
    start, end = instant(span[0], zone), instant(span[1], zone)
    prefix = start.strftime("%Y-%m-%d ") if with_date else ""
    if start.date() == end.date() or (end.hour == 0 and end.minute == 0 and end.date() == start.date() + timedelta(1)):
        closing = "24:00" if end.date() != start.date() else end.strftime("%H:%M")
        return f"{prefix}{start.strftime('%H:%M')}–{closing}"
    return f"{start.strftime('%Y-%m-%d %H:%M')}–{end.strftime('%Y-%m-%d %H:%M')}"


def duration_text(length: int) -> str:
    if length < 60 or length % 60 and length < 120:
        return f"{length} min"
    hours, rest = divmod(length, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def intersect(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    result = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                result.append((start, end))
    return merge(result)


def merge(spans: Iterable[Span]) -> list[Span]:
    result: list[Span] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def subtract(spans: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    result = list(spans)
    for hole_start, hole_end in holes:
        pieces = []
        for start, end in result:
            if hole_end <= start or end <= hole_start:
                pieces.append((start, end))
                continue
            if start < hole_start:
                pieces.append((start, hole_start))
            if hole_end < end:
                pieces.append((hole_end, end))
        result = pieces
    return result


def measure(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in merge(spans))


def leg_span(leg: Leg) -> Span:
    return minutes(leg.local_instant(leg.first_day, 0)), minutes(leg.local_instant(leg.last_day + timedelta(1), 0))


def day_span(leg: Leg, day: date, start: int = 0, end: int = 1440) -> Span:
    return minutes(leg.local_instant(day, start)), minutes(leg.local_instant(day, end))


def window_span(window: Window) -> Span:
    return minutes(window.start), minutes(window.end)


def first_start_on_grain(minute: int, grain: int, zone: ZoneInfo) -> int:
    """The first start at or after `minute` lying on the grain (whole multiples after local midnight)."""
    local = instant(minute, zone)
    remainder = (local.hour * 60 + local.minute) % grain
    return minute + (grain - remainder) % grain


def last_start_on_grain(minute: int, grain: int, zone: ZoneInfo) -> int:
    local = instant(minute, zone)
    return minute - (local.hour * 60 + local.minute) % grain


# --- where an activity may lie -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one activity may lie at one candidate venue, from its own statements alone."""

    venue: str
    spans: tuple[Span, ...]
    """Stretches the whole activity must lie inside."""
    starts: tuple[Span, ...]
    """Closed ranges [earliest, latest] of starts on the grain with room for the duration."""


def statement_spans(mission: Mission, activity: Activity, leg: Leg) -> list[Span]:
    """Where fixed/windows/dates/leg/working day put the activity, before venue hours (spec: activities)."""
    spans = [leg_span(leg)]
    if activity.windows:
        spans = intersect(spans, [window_span(w) for w in activity.windows])
    if activity.dates:
        # With fixed or windows the working day does not apply; the date still does (permissive reading).
        start, end = (0, 1440) if (activity.fixed or activity.windows) else (mission.day.start, mission.day.end)
        spans = intersect(spans, [day_span(leg, day, start, end) for day in activity.dates if leg.contains(day)])
    elif not activity.windows and activity.fixed is None:
        spans = intersect(spans, [day_span(leg, day, mission.day.start, mission.day.end) for day in leg.days()])
    if activity.fixed is not None:
        fixed = minutes(activity.fixed)
        spans = intersect(spans, [(fixed, fixed + activity.duration)])
    return spans


def open_spans(mission: Mission, venue_id: str, leg: Leg) -> list[Span] | None:
    """The venue's opening hours over its leg, or None when it sets no limit of its own."""
    venue = mission.venues[venue_id]
    if not venue.open_hours:
        return None
    return merge(day_span(leg, day, hours.start, hours.end) for day in leg.days() for hours in venue.open_hours)


def placement(mission: Mission, activity: Activity, venue_id: str) -> Placement:
    leg = mission.leg_of_venue(venue_id)
    spans = statement_spans(mission, activity, leg)
    hours = open_spans(mission, venue_id, leg)
    if hours is not None:
        spans = intersect(spans, hours)
    return Placement(venue_id, tuple(spans), tuple(start_ranges(spans, activity.duration, mission.grain, leg.zone)))


def start_ranges(spans: Sequence[Span], duration: int, grain: int, zone: ZoneInfo) -> list[Span]:
    ranges = []
    for start, end in spans:
        earliest = first_start_on_grain(start, grain, zone)
        latest = last_start_on_grain(end - duration, grain, zone)
        if earliest <= latest:
            ranges.append((earliest, latest))
    return ranges


def placements(mission: Mission, activity: Activity) -> list[Placement]:
    return [placement(mission, activity, venue_id) for venue_id in activity.venues]


def has_room(places: Sequence[Placement]) -> bool:
    return any(place.starts for place in places)


# --- who must attend -----------------------------------------------------------------------------------


def required_attendance(mission: Mission, activity: Activity) -> dict[str, str | None]:
    """Delegates who must attend the activity → the id of the accompany rule that brings them (None: listed).

    A companion is brought for certain only where one of its principals is a required attendee.
    """
    result: dict[str, str | None] = {delegate: None for delegate in activity.attendees}
    for rule in mission.rules:
        if not isinstance(rule, Accompany):
            continue
        if rule.kinds is not None and activity.kind not in rule.kinds:
            continue
        if not any(principal in activity.attendees for principal in rule.principal_delegates):
            continue
        for companion in rule.delegates:
            result.setdefault(companion, rule.id)
    return result


def gap_rules(mission: Mission) -> dict[str, MinGap]:
    """Each delegate → the min_gap rule with the largest gap applying to them."""
    result: dict[str, MinGap] = {}
    for rule in mission.rules:
        if isinstance(rule, MinGap):
            for delegate in rule.delegates:
                if delegate not in result or rule.gap > result[delegate].gap:
                    result[delegate] = rule
    return result


# --- conflicts -----------------------------------------------------------------------------------------


def where(source: Source) -> str:
    return str(source)


def timing_text(mission: Mission, activity: Activity) -> str:
    """How the mission places the activity, e.g. 'fixed 2025-10-06 16:30–17:15'."""
    zone = mission.leg_of_activity(activity.id).zone
    if activity.fixed is not None:
        start = minutes(activity.fixed)
        return f"fixed {span_text((start, start + activity.duration), zone)}"
    if activity.windows:
        return "within " + " or ".join(span_text(window_span(w), zone) for w in activity.windows)
    if activity.dates:
        return "on " + " or ".join(day.isoformat() for day in activity.dates)
    leg = mission.leg_of_activity(activity.id)
    return f"any day of the {leg.city} leg"


def activity_phrase(mission: Mission, activity: Activity) -> str:
    """"'Title' (fixed 2025-10-06 16:30–17:15, 45 min, mission.yaml:57:5)"; no position for a generated mission."""
    parts = [timing_text(mission, activity), duration_text(activity.duration)]
    if activity.source.line > 0:
        parts.append(where(activity.source))
    return f"'{activity.title}' ({', '.join(parts)})"


def rule_phrase(mission: Mission, rule_id: str) -> str:
    rule = mission.rule(rule_id)
    name = rule_id if rule_id.startswith(rule.kind) else f"{rule.kind} {rule_id}"
    return f"rule {name}, {where(rule.source)}" if rule.source.line > 0 else f"rule {name}"


def make_conflict(message: str, activities: Iterable[str] = (), delegates: Iterable[str] = (),
                  rules: Iterable[str] = (), sources: Iterable[Source] = (), **extra: object) -> Conflict:
    unique_sources = sorted({s for s in sources if s.line > 0}, key=lambda s: (s.file, s.line, s.column))
    return Conflict(
        message,
        activities=tuple(sorted(set(activities))),
        delegates=tuple(sorted(set(delegates))),
        rules=tuple(sorted(set(rules))),
        extra={**extra, "sources": [str(s) for s in unique_sources]},
    )


def check_room(mission: Mission, activity: Activity, places: Sequence[Placement]) -> Conflict | None:
    """Spec 'What a valid schedule satisfies' 2: fixed/windows/dates/leg/working day/open hours leave room.

    The message names only what takes the room away: dates off the venue's leg, the activity's own
    timing (too short already), or else the venue's opening hours."""
    if has_room(places):
        return None
    reasons: list[str] = []
    sources: list[Source] = [activity.source]
    longest = 0
    for place in places:
        venue = mission.venues[place.venue]
        leg = mission.leg_of_venue(place.venue)
        off_leg = [day for day in activity.dates if not leg.contains(day)]
        if off_leg:
            sources.append(leg.source)
            reasons.append(
                f"{', '.join(day.isoformat() for day in off_leg)} "
                f"{'lies' if len(off_leg) == 1 else 'lie'} outside the {leg.city} leg of {venue.name} "
                f"({leg.first_day}–{leg.last_day}, {where(leg.source)})"
            )
        own = statement_spans(mission, activity, leg)
        own_longest = max((end - start for start, end in own), default=0)
        longest = max(longest, max((end - start for start, end in place.spans), default=0))
        if not start_ranges(own, activity.duration, mission.grain, leg.zone):
            if off_leg and not own:
                continue
            if activity.windows:
                sources += [w.source for w in activity.windows]
                listed = ", ".join(f"{span_text(window_span(w), leg.zone)} ({where(w.source)})"
                                   for w in activity.windows)
                what = f"its window {listed}" if len(activity.windows) == 1 else f"its windows {listed}"
            elif activity.fixed is not None:
                what = f"its fixed start within the {leg.city} leg ({where(leg.source)})"
                sources.append(leg.source)
            else:
                what = f"the working day ({mission.day})"
            reasons.append(f"{what} {'leave' if len(activity.windows) > 1 else 'leaves'} "
                           f"{'only ' + duration_text(own_longest) if own_longest else 'no time'}")
        else:
            sources.append(venue.source)
            hours = ", ".join(str(h) for h in venue.open_hours)
            left = f"at most {duration_text(longest)}" if longest else "no time"
            reasons.append(f"{venue.name} is open {hours} ({where(venue.source)}), which leaves {left} of that")
    message = f"{activity_phrase(mission, activity)} has no room: {'; '.join(dict.fromkeys(reasons))}"
    if mission.grain > 1 and longest >= activity.duration:
        message += f" on the {mission.grain}-minute grain"
    return make_conflict(message, [activity.id], sources=sources, check="room")


def check_capacity(mission: Mission, activity: Activity, attendance: dict[str, str | None]) -> Conflict | None:
    """Spec hard rule 5: the required headcount fits the capacity of some candidate venue."""
    headcount = sum(mission.delegates[d].size for d in attendance)
    capacities = [mission.venues[v].capacity for v in activity.venues]
    if any(capacity is None or capacity >= headcount for capacity in capacities):
        return None
    rules = sorted({rule for rule in attendance.values() if rule})
    # A reception's list can run to hundreds: name the largest delegations, count the rest.
    by_size = sorted(attendance, key=lambda d: (-mission.delegates[d].size, d))
    shown = by_size if len(by_size) <= 8 else by_size[:5]
    listing = " + ".join(f"{mission.delegates[d].name} {mission.delegates[d].size}" for d in shown)
    if len(shown) < len(by_size):
        rest = by_size[len(shown):]
        listing += f" + {len(rest)} others {sum(mission.delegates[d].size for d in rest)}"
    venues = ", ".join(f"{mission.venues[v].name} holds {mission.venues[v].capacity} ({where(mission.venues[v].source)})"
                       for v in activity.venues)
    brought = "".join(f"; companions added by {rule_phrase(mission, rule)}" for rule in rules)
    message = (f"{activity_phrase(mission, activity)} needs room for {headcount} people ({listing}{brought}), "
               f"but {venues}")
    sources = [activity.source, *(mission.venues[v].source for v in activity.venues),
               *(mission.rule(rule).source for rule in rules)]
    return make_conflict(message, [activity.id], attendance, rules, sources, check="capacity",
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
    who = " and ".join(mission.delegates[d].name for d in culprits)
    rules = sorted({attendance[d] for d in culprits if attendance[d]})
    window_text = ", ".join(f"{span_text(window_span(w), zone)} ({where(w.source)})" for w in windows)
    brought = "".join(f" (brought by {rule_phrase(mission, rule)})" for rule in rules)
    message = (f"{who}{brought} must attend {activity_phrase(mission, activity)}, but "
               f"{'is' if len(culprits) == 1 else 'are'} unavailable {window_text}, which leaves no room for it")
    sources = [activity.source, *(w.source for w in windows), *(mission.rule(r).source for r in rules)]
    return make_conflict(message, [activity.id], culprits, rules, sources, check="unavailable")


def fixed_span(activity: Activity) -> Span | None:
    if activity.fixed is None:
        return None
    start = minutes(activity.fixed)
    return start, start + activity.duration


def check_fixed_clashes(mission: Mission, required: dict[str, Activity],
                        attendance: dict[str, dict[str, str | None]],
                        places: dict[str, list[Placement]]) -> list[Conflict]:
    """Spec hard rule 4: a delegate attends one activity at a time, with the travel time (and min_gap) between."""
    gaps = gap_rules(mission)
    # Pairs further apart than the longest travel plus the longest gap cannot clash: never compared.
    reach = max(mission.travel.values(), default=0) + max((rule.gap for rule in gaps.values()), default=0)
    spans = {a.id: fixed_span(a) for a in required.values() if a.fixed is not None}
    fixed_of: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for activity_id, span in spans.items():
        for delegate in attendance[activity_id]:
            fixed_of[delegate].append((span[0], span[1], activity_id))  # type: ignore[index]
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
                conflict = travel_clash(mission, required[first_id], required[second_id], delegate_id, free, gaps,
                                        attendance, required, places)
                if conflict is not None:
                    conflicts.append(conflict)
    for number, ((first_id, second_id), delegates) in enumerate(sorted(overlaps.items())):
        if number >= MAX_PER_CHECK:
            conflicts.append(Conflict("", extra={"check": "overlap"}))  # counted by `capped`, never shown
            continue
        first, second = required[first_id], required[second_id]
        # Name those listed at both; only when none is, those a rule brings (with the rule).
        listed = [d for d in delegates if attendance[first_id][d] is None and attendance[second_id][d] is None]
        named = listed or delegates
        rules = sorted({r for d in named for r in (attendance[first_id][d], attendance[second_id][d]) if r})
        who = " and ".join(mission.delegates[d].name for d in named)
        message = (f"{who} must attend {activity_phrase(mission, first)} and {activity_phrase(mission, second)}, "
                   "which overlap")
        message += "".join(f"; brought by {rule_phrase(mission, r)}" for r in rules)
        conflicts.append(make_conflict(message, (first_id, second_id), named, rules,
                                       [first.source, second.source, *(mission.rule(r).source for r in rules)],
                                       check="overlap"))
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
    parts = []
    if travel:
        parts.append(f"{mission.venues[first.venues[0]].name} → {mission.venues[second.venues[0]].name} "
                     f"takes {travel} min" if len(first.venues) == len(second.venues) == 1
                     else f"moving between their venues takes at least {travel} min")
    if gap_rule is not None:
        parts.append(f"the {gap_rule.gap} min protocol gap ({rule_phrase(mission, gap_rule.id)})")
    all_rules = sorted(set(rules) | ({gap_rule.id} if gap_rule else set()))
    message = (f"{delegate.name} must attend {activity_phrase(mission, first)} and "
               f"{activity_phrase(mission, second)}, {free} min apart, but {' plus '.join(parts)}")
    message += "".join(f"; {delegate.name} is brought by {rule_phrase(mission, r)}" for r in rules)
    return make_conflict(
        message, (first.id, second.id), [delegate_id], all_rules,
        [first.source, second.source, *(mission.venues[v].source for v in first.venues + second.venues),
         *(mission.rule(r).source for r in all_rules)],
        check="travel")


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
    first_end, second_start = fixed_span(first)[1], fixed_span(second)[0]  # type: ignore[index]
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


def after_cycles(mission: Mission, required: dict[str, Activity]) -> list[list[str]]:
    """Strongly connected groups of required activities linked by `after` (Tarjan, in file order)."""
    successors: dict[str, list[str]] = {a: [] for a in required}
    for activity in required.values():
        for link in activity.after:
            if link.activity in required:
                successors[link.activity].append(activity.id)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        # Iterative Tarjan: chains of `after` can be long, recursion depth must not be.
        work = [(node, iter(successors[node]))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == current:
                        break
                if len(group) > 1 or any(link.activity == current for link in required[current].after):
                    groups.append(group)

    for node in required:
        if node not in index:
            visit(node)
    return groups


def check_after_cycles(mission: Mission, required: dict[str, Activity]) -> tuple[list[Conflict], set[str]]:
    """Spec hard rule 3: `after` between required activities cannot run in a circle."""
    conflicts = []
    involved: set[str] = set()
    order = {activity_id: n for n, activity_id in enumerate(mission.activities)}
    for group in after_cycles(mission, required):
        members = set(group)
        cycle = shortest_cycle(min(members, key=order.__getitem__), members, required)
        involved |= members
        links = []
        sources = []
        for position, activity_id in enumerate(cycle):
            follower = required[cycle[(position + 1) % len(cycle)]]
            link = next(l for l in follower.after if l.activity == activity_id)
            gap = f" + {duration_text(link.gap)}" if link.gap else ""
            links.append(f"'{follower.title}' comes after '{required[activity_id].title}'{gap} ({where(link.source)})")
            sources += [follower.source, link.source]
        message = "the after statements run in a circle, so none of them can start first: " + "; ".join(links)
        conflicts.append(make_conflict(message, cycle, sources=sources, check="after-cycle"))
    return conflicts, involved


def shortest_cycle(start: str, members: set[str], required: dict[str, Activity]) -> list[str]:
    """The shortest circle of `after` through `start` inside one strongly connected group (breadth first)."""
    successors = {a: sorted(b for b in members if any(l.activity == a for l in required[b].after)) for a in members}
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in successors[node]:
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return list(reversed(path))
                if child not in parents:
                    parents[child] = node
                    following.append(child)
        frontier = following
    return [start]


def check_after_chains(mission: Mission, required: dict[str, Activity], places: dict[str, list[Placement]],
                       cyclic: set[str]) -> list[Conflict]:
    """Spec hard rule 3: a chain of `after` fits between the earliest start of its first and the latest end
    of its last activity."""
    activities = {a: act for a, act in required.items() if a not in cyclic and places[a] and has_room(places[a])}
    ranges = {a: sorted(r for place in places[a] for r in place.starts) for a in activities}
    earliest = {a: ranges[a][0][0] for a in activities}
    latest = {a: max(r[1] for r in ranges[a]) for a in activities}
    pushed_by: dict[str, str] = {}
    pulled_by: dict[str, str] = {}
    order = topological(activities)
    for activity_id in order:
        for link in activities[activity_id].after:
            if link.activity in activities:
                ready = earliest[link.activity] + activities[link.activity].duration + link.gap
                if ready > earliest[activity_id]:
                    earliest[activity_id] = min((max(ready, lo) for lo, hi in ranges[activity_id] if hi >= ready),
                                                default=ready)
                    pushed_by[activity_id] = link.activity
    for activity_id in reversed(order):
        for link in activities[activity_id].after:
            if link.activity in activities:
                predecessor = activities[link.activity]
                deadline = latest[activity_id] - link.gap - predecessor.duration
                if deadline < latest[link.activity]:
                    latest[link.activity] = max(
                        (min(deadline, hi) for lo, hi in ranges[link.activity] if lo <= deadline), default=deadline)
                    pulled_by[link.activity] = activity_id
    conflicts = []
    seen: set[tuple[str, ...]] = set()
    for activity_id in order:
        if earliest[activity_id] <= latest[activity_id]:
            continue
        chain = [activity_id]
        while chain[0] in pushed_by:
            chain.insert(0, pushed_by[chain[0]])
        while chain[-1] in pulled_by:
            chain.append(pulled_by[chain[-1]])
        key = tuple(chain)
        if key in seen or len(chain) < 2:
            continue
        seen.add(key)
        first, last = activities[chain[0]], activities[chain[-1]]
        zone_first = mission.leg_of_activity(first.id).zone
        zone_last = mission.leg_of_activity(last.id).zone
        start = ranges[first.id][0][0]
        end = max(r[1] for r in ranges[last.id]) + last.duration
        links = []
        sources: list[Source] = []
        for previous, following in zip(chain, chain[1:]):
            link = next(l for l in activities[following].after if l.activity == previous)
            gap = f" + {duration_text(link.gap)}" if link.gap else ""
            links.append(f"'{activities[following].title}' after '{activities[previous].title}'{gap} ({where(link.source)})")
            sources.append(link.source)
        needed = sum(activities[a].duration for a in chain) + sum(
            next(l for l in activities[f].after if l.activity == p).gap for p, f in zip(chain, chain[1:]))
        message = (f"the chain {'; '.join(links)} needs at least {duration_text(needed)}, but "
                   f"{activity_phrase(mission, first)} cannot start before {when(start, zone_first)} and "
                   f"{activity_phrase(mission, last)} must end by {when(end, zone_last)}")
        sources += [activities[a].source for a in chain]
        conflicts.append(make_conflict(message, chain, sources=sources, check="after-chain"))
    return conflicts


def topological(activities: dict[str, Activity]) -> list[str]:
    """File order, each activity after those it must follow (the graph is acyclic here)."""
    remaining = {a: {l.activity for l in act.after if l.activity in activities} for a, act in activities.items()}
    order: list[str] = []
    done: set[str] = set()
    while remaining:
        ready = [a for a, before in remaining.items() if before <= done]
        if not ready:  # should not happen: cycles are removed before
            ready = list(remaining)
        for a in ready:
            order.append(a)
            done.add(a)
            del remaining[a]
    return order


def certain_day(mission: Mission, activity: Activity) -> date | None:
    """The local date of the activity's start when the input leaves only one: fixed, one date, or windows
    within one date."""
    zone = mission.leg_of_activity(activity.id).zone
    if activity.fixed is not None:
        return activity.fixed.astimezone(zone).date()
    if len(activity.dates) == 1:
        return activity.dates[0]
    if activity.windows:
        days = {w.start.astimezone(zone).date() for w in activity.windows}
        if len(days) == 1:
            return days.pop()
    return None


def check_daily_hours(mission: Mission, required: dict[str, Activity],
                      attendance: dict[str, dict[str, str | None]],
                      places: dict[str, list[Placement]]) -> list[Conflict]:
    """Spec hard rule 4: one activity at a time — a delegate's required activities of one day fit into the
    time those activities may occupy on that day."""
    per_day: dict[tuple[str, date], list[Activity]] = defaultdict(list)
    for activity in required.values():
        day = certain_day(mission, activity)
        if day is None or not has_room(places[activity.id]):
            continue
        for delegate in attendance[activity.id]:
            per_day[(delegate, day)].append(activity)
    conflicts = []
    for (delegate_id, day), activities in sorted(per_day.items()):
        if len(activities) < 2:
            continue
        total = sum(a.duration for a in activities)
        available = measure(span for a in activities for place in places[a.id] for span in place.spans)
        if total <= available:
            continue
        if all(a.fixed is not None for a in activities):
            continue  # pairs of fixed activities are reported, more precisely, as overlaps
        if len(conflicts) >= MAX_PER_CHECK:
            conflicts.append(Conflict("", extra={"check": "daily-hours"}))  # counted by `capped`, never shown
            continue
        rules = sorted({attendance[a.id][delegate_id] for a in activities if attendance[a.id][delegate_id]})
        delegate = mission.delegates[delegate_id]
        listing = ", ".join(activity_phrase(mission, a) for a in activities)
        message = (f"on {day.isoformat()} {delegate.name} must attend {listing}: "
                   f"{duration_text(total)} in all, but these can only take place within "
                   f"{duration_text(available)} of that day")
        message += "".join(f"; {delegate.name} is brought by {rule_phrase(mission, r)}" for r in rules)
        conflicts.append(make_conflict(message, [a.id for a in activities], [delegate_id], rules,
                                       [a.source for a in activities] + [mission.rule(r).source for r in rules],
                                       check="daily-hours"))
    return conflicts


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
            roomy[activity.id] = activity
        if problem is not None:
            conflicts.append(problem)
    conflicts += check_fixed_clashes(mission, roomy, attendance, places)
    cycle_conflicts, cyclic = check_after_cycles(mission, required)
    conflicts += cycle_conflicts
    conflicts += check_after_chains(mission, roomy, places, cyclic)
    conflicts += check_daily_hours(mission, roomy, attendance, places)
    return capped(conflicts)


MAX_PER_CHECK = 20
"""Conflicts reported per kind of check; a file with hundreds has one mistake repeated, not hundreds."""


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
        kept.append(Conflict(f"… and {count} more conflicts of the same kind ({check}); fix those above first",
                             extra={"check": check, "more": count, "sources": []}))
    return kept
