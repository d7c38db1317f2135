"""Why an optional activity was left out: what it would displace, or what blocks every slot it could take."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from planner.diagnosis.phrases import local_instant, local_span
from planner.diagnosis.placements import placements, required_attendance
from planner.diagnosis.precheck import (
    check_capacity,
    check_lodging_reach,
    check_room,
    check_unavailability,
)
from planner.domain import Activity, Lunch, MinGap, Mission, Rule
from planner.domain.rules import kind_of
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled
from planner.domain.spans import Span, first_start_on_grain, instant, minutes, window_span
from planner.text.left_out import left_out_message

MAX_SLOTS = 4000
"""Candidate starts examined per left-out activity (evenly thinned beyond): keeps reasons instant."""


Reason = tuple[str, dict[str, Any]]
"""A left-out reason's code and parameters (planner.text.left_out says them)."""
Labels = dict[str, dict[str, Any]]
"""Blocker tag → what it is, as planner.text.left_out's blockers."""


def left_out_reasons(mission: Mission, schedule: Schedule) -> dict[str, Unscheduled]:
    """Why each optional activity that the schedule leaves out is left out, keyed by activity id."""
    scheduled = schedule.by_id()
    reasons: dict[str, Unscheduled] = {}
    context = ScheduleContext(mission, schedule)
    for activity in mission.activities.values():
        if activity.required or activity.id in scheduled:
            continue
        try:
            code, params = left_out_reason(mission, activity, context)
        except Exception as error:  # noqa: BLE001 — a reason is a courtesy; the programme stands
            code, params = "unexplained", {"error": f"{type(error).__name__}: {error}"}
        params = {"priority": activity.priority, **params}
        reasons[activity.id] = Unscheduled(activity.id, left_out_message(code, params), code, params)
    return reasons


def unscheduled_reasons(mission: Mission, schedule: Schedule) -> dict[str, str]:
    """`left_out_reasons` in words."""
    return {activity_id: entry.reason for activity_id, entry in left_out_reasons(mission, schedule).items()}


class ScheduleContext:
    """The schedule indexed for fast look-ups: who is where, when; which venue is busy."""

    def __init__(self, mission: Mission, schedule: Schedule) -> None:
        self.mission = mission
        self.status = schedule.status
        self.by_delegate: dict[str, list[tuple[int, int, ScheduledActivity]]] = defaultdict(list)
        self.by_venue: dict[str, list[tuple[int, int, ScheduledActivity]]] = defaultdict(list)
        for item in sorted(schedule.activities, key=lambda a: (a.start, a.id)):
            span = (minutes(item.start), minutes(item.end))
            for delegate in item.attendees:
                self.by_delegate[delegate].append((*span, item))
            self.by_venue[item.venue].append((*span, item))
        self.starts_of = {d: [low for low, _, _ in items] for d, items in self.by_delegate.items()}
        self.reach = (max((high - low for items in self.by_delegate.values() for low, high, _ in items),
                          default=0)
                      + max(mission.travel.values(), default=0)
                      + max((rule.gap for rule in mission.rules if isinstance(rule, MinGap)), default=0))
        self.span_of = {item.id: (minutes(item.start), minutes(item.end), item)
                        for item in schedule.activities}
        self.followers: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for follower in mission.activities.values():
            for link in follower.after:
                self.followers[link.activity].append((follower.id, link))
        self.day_rules: dict[str, list[Rule]] = defaultdict(list)
        """delegate → the lunch rules that apply to them, and the registry's rules that can block a slot
        (planner.domain.rules: max_per_day, max_hours)."""
        for rule in mission.rules:
            kind = kind_of(rule)
            if isinstance(rule, Lunch) or (kind is not None and kind.blocks is not None):
                for delegate in rule.delegates:
                    self.day_rules[delegate].append(rule)
        self.same_day: dict[tuple[str, str], list[tuple[int, int, ScheduledActivity]]] = {}
        self._zones: dict[str, Any] = {}
        self.gap_of: dict[str, tuple[int, str | None]] = {}
        for rule in mission.rules:
            if isinstance(rule, MinGap):
                for delegate in rule.delegates:
                    if rule.gap > self.gap_of.get(delegate, (0, None))[0]:
                        self.gap_of[delegate] = (rule.gap, rule.id)


    def zone_of(self, item: ScheduledActivity) -> Any:
        """The zone of the leg where a scheduled activity takes place."""
        if item.venue not in self._zones:
            self._zones[item.venue] = self.mission.leg_of_venue(item.venue).zone
        return self._zones[item.venue]


def left_out_reason(mission: Mission, activity: Activity, context: ScheduleContext) -> Reason:
    places = placements(mission, activity)
    attendance = required_attendance(mission, activity)
    static = (check_room(mission, activity, places) or check_capacity(mission, activity, attendance)
              or check_unavailability(mission, activity, places, attendance)
              or check_lodging_reach(mission, activity, places, attendance))
    if static is not None:
        return "never", {"conflict": {"code": static.code, "params": static.params}}
    zone = mission.leg_of_activity(activity.id).zone
    blocked_slots: list[frozenset[str]] = []
    labels: Labels = {}
    free: tuple[int, str] | None = None
    for place in places:
        for start in slot_starts(place.starts, mission.grain, zone):
            blockers = slot_blockers(mission, activity, place.venue, start, attendance, context, labels, zone)
            if not blockers:
                free = (start, place.venue)
                break
            blocked_slots.append(frozenset(blockers))
        if free is not None:
            break
    if not blocked_slots and free is None:
        return "no-slot", {}
    if free is not None:
        # Proved optimal, the programme has no room for it; otherwise the solver may have run out of time.
        return "looks-free", {"span": local_span((free[0], free[0] + activity.duration), zone),
                              "venue": mission.venues[free[1]].name, "proved": context.status == "optimal"}
    cover = greedy_cover(blocked_slots)
    return "blocked", {"places": [place_ref(mission, place.venue) for place in places],
                       "blockers": [labels[tag] for tag in cover]}


def slot_starts(ranges: Iterable[Span], grain: int, zone) -> list[int]:
    """The starts in `ranges` that lie on the grain of local time, as the model's (a change of clocks on the
    way moves the grain: 60 minutes after 01:00 may be 02:30 there)."""
    found: set[int] = set()
    for low, high in ranges:
        start = first_start_on_grain(low, grain, zone)
        while start <= high:
            if minute_of_day(start, zone) % grain == 0:
                found.add(start)
            start = first_start_on_grain(start + 1, grain, zone)
    starts = sorted(found)
    if len(starts) > MAX_SLOTS:
        step = len(starts) / MAX_SLOTS
        starts = [starts[int(n * step)] for n in range(MAX_SLOTS)]
    return starts


def place_ref(mission: Mission, venue_id: str) -> dict[str, Any]:
    venue = mission.venues[venue_id]
    return {"venue": venue.name, "hours": [[hours.start, hours.end] for hours in venue.open_hours]}


def slot_blockers(mission: Mission, activity: Activity, venue_id: str, start: int,
                  attendance: dict[str, str | None], context: ScheduleContext, labels: Labels,
                  zone) -> set[str]:
    """What stops the activity from starting at `start` at `venue_id`, each as a tag with a label."""
    end = start + activity.duration
    blockers: set[str] = set()
    for delegate_id in attendance:
        name = mission.delegates[delegate_id].name
        gap, gap_rule = context.gap_of.get(delegate_id, (0, None))
        items = context.by_delegate.get(delegate_id, [])
        first = bisect.bisect_left(context.starts_of.get(delegate_id, []), start - context.reach)
        for other_start, other_end, other in items[first:]:
            if other_start >= end + context.reach:
                break
            if other.venue == venue_id or mission.venues[other.venue].city == mission.venues[venue_id].city:
                travel = mission.travel_minutes(other.venue, venue_id) or 0
                before = travel + gap if other_end <= start else 0
                travel_back = mission.travel_minutes(venue_id, other.venue) or 0
                after = travel_back + gap if end <= other_start else 0
            else:
                before = after = 0
            if other_start < end + after and start - before < other_end:
                tag = f"activity:{other.id}:{delegate_id}"
                if tag not in labels:
                    labels[tag] = {"case": "activity", "delegate": name, "title": other.title,
                                   "span": local_span((other_start, other_end), zone)}
                blockers.add(tag)
                if gap_rule and not (other_start < end + after - gap and start - before + gap < other_end):
                    blockers.discard(tag)
                    tag = f"rule:{gap_rule}:{other.id}:{delegate_id}"
                    if tag not in labels:
                        labels[tag] = {"case": "gap", "gap": gap, "delegate": name, "title": other.title,
                                       "rule": gap_rule}
                    blockers.add(tag)
        for window in mission.delegates[delegate_id].unavailable:
            low, high = window_span(window)
            if low < end and start < high:
                tag = f"unavailable:{delegate_id}:{low}"
                if tag not in labels:
                    labels[tag] = {"case": "unavailable", "delegate": name,
                                   "span": local_span((low, high), zone), "source": str(window.source)}
                blockers.add(tag)
        slot = (start, end, venue_id)
        blockers |= rule_blockers(mission, activity, delegate_id, slot, context, labels, zone)
        blockers |= lodging_blockers(mission, delegate_id, venue_id, start, labels, zone)
    blockers |= after_blockers(mission, activity, start, end, context, labels, zone)
    venue = mission.venues[venue_id]
    busy = [item for low, high, item in context.by_venue.get(venue_id, ()) if low < end and start < high]
    if len(busy) >= venue.parallel:
        tag = f"venue:{venue_id}:{','.join(sorted(item.id for item in busy))}"
        labels.setdefault(tag, {"case": "venue", "venue": venue.name,
                                "titles": [item.title for item in busy]})
        blockers.add(tag)
    return blockers


def after_blockers(mission: Mission, activity: Activity, start: int, end: int, context: ScheduleContext,
                   labels: Labels, zone) -> set[str]:
    """`after` links with scheduled activities that the slot would break (spec hard rule 3)."""
    blockers: set[str] = set()
    for link in activity.after:
        if link.activity in context.span_of:
            _, other_end, other = context.span_of[link.activity]
            if start < other_end + link.gap:
                tag = f"after:{link.activity}"
                labels.setdefault(tag, {"case": "after", "title": other.title,
                                        "end": local_instant(other_end, zone), "gap": link.gap,
                                        "source": str(link.source)})
                blockers.add(tag)
    for follower_id, link in context.followers.get(activity.id, ()):
        if follower_id in context.span_of:
            other_start, _, other = context.span_of[follower_id]
            if end + link.gap > other_start:
                tag = f"before:{follower_id}"
                labels.setdefault(tag, {"case": "before", "title": other.title,
                                        "start": local_instant(other_start, zone),
                                        "source": str(link.source)})
                blockers.add(tag)
    return blockers


def rule_blockers(mission: Mission, activity: Activity, delegate_id: str, slot: tuple[int, int, str],
                  context: ScheduleContext, labels: Labels, zone) -> set[str]:
    """Lunch rules and the registry's (max_per_day, max_hours) that the slot (start, end, venue) would break
    for the delegate (spec)."""
    start, end, venue_id = slot
    blockers: set[str] = set()
    rules = context.day_rules.get(delegate_id)
    if not rules:
        return blockers
    day = instant_day(start, zone)
    key = (delegate_id, day)
    if key not in context.same_day:
        # Each activity counts on its own date, in its own leg's zone (a Honolulu evening is not Tokyo's day).
        context.same_day[key] = [(low, high, item)
                                 for low, high, item in context.by_delegate.get(delegate_id, ())
                                 if instant_day(low, context.zone_of(item)) == day]
    same_day = context.same_day[key]
    name = mission.delegates[delegate_id].name
    for rule in rules:
        if isinstance(rule, Lunch):
            midnight = minutes_at_local_midnight(start, zone)
            between = (midnight + rule.between.start, midnight + rule.between.end)
            visits = sorted([(low, high, item.venue, item.kind) for low, high, item in same_day]
                            + [(start, end, venue_id, activity.kind)])
            gap = context.gap_of.get(delegate_id, (0, None))[0]
            if lunch_room(mission, visits, between, gap) < rule.duration:
                tag = f"rule:{rule.id}:{delegate_id}:{day}"
                labels.setdefault(tag, {"case": "lunch", "delegate": name, "duration": rule.duration,
                                        "between": [rule.between.start, rule.between.end], "day": day,
                                        "rule": rule.id, "source": str(rule.source)})
                blockers.add(tag)
        elif (kind := kind_of(rule)) is not None and kind.blocks is not None:
            details = kind.blocks(mission, rule, activity, delegate_id, start, end, same_day)
            if details is not None:
                tag = f"rule:{rule.id}:{delegate_id}:{day}"
                labels.setdefault(tag, {"case": "rule-kind", "kind": kind.key, "details": details,
                                        "source": str(rule.source)})
                blockers.add(tag)
    return blockers


def lunch_room(mission: Mission, visits: Sequence[tuple[int, int, str, str]], between: Span, gap: int) -> int:
    """The longest lunch a day of `visits` (start, end, venue, kind; sorted) leaves inside `between`: a `meal`
    there, or a stretch free of activities and of the road (travel + `gap`) between the visits around it."""
    low, high = between
    longest = max((min(end, high) - max(start, low) for start, end, _, kind in visits if kind == "meal"),
                  default=0)
    before: tuple[int, int, str, str] | None = None
    for after in [*visits, None]:
        free_from = before[1] if before is not None else low
        free_to = after[0] if after is not None else high
        room = min(free_to, high) - max(free_from, low)
        if before is not None and after is not None:
            road = gap + (mission.travel_minutes(before[2], after[2]) or 0)
            room = min(room, free_to - free_from - road)
        longest = max(longest, room)
        if after is not None and (before is None or after[1] > before[1]):
            before = after
    return longest


def lodging_blockers(mission: Mission, delegate_id: str, venue_id: str, start: int, labels: Labels,
                     zone) -> set[str]:
    """The delegate's hotel, when they cannot have come from it by `start` (docs/mission-format.md)."""
    lodging = mission.hotel(delegate_id, mission.venues[venue_id].city)
    if lodging is None or lodging.venue == venue_id:
        return set()
    travel = mission.travel_minutes(lodging.venue, venue_id) or 0
    if start >= minutes_at_local_midnight(start, zone) + lodging.leave + travel:
        return set()
    tag = f"lodging:{lodging.venue}:{delegate_id}:{instant_day(start, zone)}"
    labels.setdefault(tag, {"case": "lodging", "delegate": mission.delegates[delegate_id].name,
                            "hotel": mission.venues[lodging.venue].name, "leave": lodging.leave,
                            "travel": travel, "source": str(lodging.source)})
    return {tag}


def minute_of_day(minute: int, zone) -> int:
    local = instant(minute, zone)
    return local.hour * 60 + local.minute


def instant_day(minute: int, zone) -> str:
    return instant(minute, zone).date().isoformat()


def minutes_at_local_midnight(minute: int, zone) -> int:
    local = instant(minute, zone)
    return minute - local.hour * 60 - local.minute


def greedy_cover(blocked_slots: Sequence[frozenset[str]]) -> list[str]:
    """Few blockers that together block every slot, the most blocking first (ties: by tag, for
    determinism)."""
    uncovered = [slot for slot in blocked_slots if slot]
    chosen: list[str] = []
    while uncovered and len(chosen) < 6:
        counts = Counter(tag for slot in uncovered for tag in slot)
        best = min(counts, key=lambda tag: (-counts[tag], tag))
        chosen.append(best)
        uncovered = [slot for slot in uncovered if best not in slot]
    return chosen
