"""A first-fit planner: what an organiser does by hand in a spreadsheet.

Activities are taken one by one — those with a fixed start first (they are decided before anything else),
then the others in the order of the file — and each is put at the earliest start, on the grain, at which
one of its venues and all its required attendees (and the companions an `accompany` rule brings) are
free, travel and protocol gaps included, respecting every hard rule of the spec: windows, dates, working
day, opening hours, `after`, unavailability, parallel, capacity, `max_per_day` and `lunch`. Optional
attendees are then added, in id order, where their own programme allows. Nothing placed is ever moved
again: that is what makes it greedy, and what planner's optimiser is measured against.

An activity for which no start is found is left out — a required one too, which the checker then reports
as a violation: the benchmark counts it honestly instead of hiding it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peers.timeline import Clock, allowed_spans, companions_of, delegate_gaps, separation
from planner.domain import Activity, Lunch, MaxPerDay, Mission
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled


@dataclass(order=True)
class _Booking:
    start: int
    end: int
    venue: str = field(compare=False)
    activity: Activity = field(compare=False)


@dataclass
class _Plan:
    """Everything placed so far, kept sorted for the first-fit look-ups."""

    mission: Mission
    clock: Clock
    gaps: dict[str, int]
    per_delegate: dict[str, list[_Booking]] = field(default_factory=lambda: defaultdict(list))
    per_venue: dict[str, list[_Booking]] = field(default_factory=lambda: defaultdict(list))
    placed: dict[str, _Booking] = field(default_factory=dict)
    attendees: dict[str, list[str]] = field(default_factory=dict)
    max_per_day: dict[str, list[MaxPerDay]] = field(default_factory=lambda: defaultdict(list))
    lunches: dict[str, list[Lunch]] = field(default_factory=lambda: defaultdict(list))

    def blocked_for_delegate(self, delegate_id: str, activity: Activity, venue_id: str,
                             start: int, end: int) -> int | None:
        """None when the delegate can attend [start, end) at the venue; else a later start worth trying."""
        mission, clock = self.mission, self.clock
        for window in mission.delegates[delegate_id].unavailable:
            window_start, window_end = clock.minute(window.start), clock.minute(window.end)
            if start < window_end and window_start < end:
                return window_end
        bookings = self.per_delegate[delegate_id]
        index = bisect.bisect_left(bookings, _Booking(start, end, venue_id, activity))
        gap = self.gaps[delegate_id]
        if index > 0:
            before = bookings[index - 1]
            earliest = before.end + separation(mission, before.venue, venue_id, gap)
            if start < earliest:
                return earliest
        if index < len(bookings):
            after = bookings[index]
            if end + separation(mission, venue_id, after.venue, gap) > after.start:
                return after.end + separation(mission, after.venue, venue_id, gap)
        leg = mission.leg_of_venue(venue_id)
        start_date = clock.local_date(start, leg)
        for rule in self.max_per_day.get(delegate_id, ()):
            if rule.kinds is not None and activity.kind not in rule.kinds:
                continue
            same_day = sum(1 for b in bookings if (rule.kinds is None or b.activity.kind in rule.kinds)
                           and clock.local_date(b.start, mission.leg_of_venue(b.venue)) == start_date)
            if same_day >= rule.count:
                return clock.minute(leg.local_instant(start_date, 1440))
        for rule in self.lunches.get(delegate_id, ()):
            if not self._lunch_holds(delegate_id, rule, start, end, venue_id):
                return start + mission.grain
        return None

    def _lunch_holds(self, delegate_id: str, rule: Lunch, start: int, end: int, venue_id: str) -> bool:
        """The delegate keeps a free stretch of the rule's duration inside `between` on the dates touched."""
        leg = self.mission.leg_of_venue(venue_id)
        days: set[date] = {self.clock.local_date(start, leg), self.clock.local_date(max(start, end - 1), leg)}
        busy = [(b.start, b.end) for b in self.per_delegate[delegate_id]] + [(start, end)]
        for day in days:
            window_start = self.clock.minute(leg.local_instant(day, rule.between.start))
            window_end = self.clock.minute(leg.local_instant(day, rule.between.end))
            cursor, longest = window_start, 0
            for busy_start, busy_end in sorted(busy):
                if busy_end <= window_start or busy_start >= window_end:
                    continue
                longest = max(longest, busy_start - cursor)
                cursor = max(cursor, busy_end)
            longest = max(longest, window_end - cursor)
            if longest < rule.duration:
                return False
        return True

    def blocked_for_venue(self, venue_id: str, start: int, end: int) -> int | None:
        """None when the venue has room for one more activity over [start, end); else a later start."""
        overlapping = [b for b in self.per_venue[venue_id] if b.start < end and start < b.end]
        parallel = self.mission.venues[venue_id].parallel
        if len(overlapping) < parallel:
            return None
        points = sorted([(b.start, 1) for b in overlapping] + [(b.end, -1) for b in overlapping])
        running = peak = 0
        for instant, step in points:
            running += step
            if start <= instant < end or (step == 1 and instant < start):
                peak = max(peak, running)
        if peak < parallel:
            return None
        return min(b.end for b in overlapping)

    def book(self, activity: Activity, venue_id: str, start: int, end: int, attendees: list[str]) -> None:
        booking = _Booking(start, end, venue_id, activity)
        for delegate_id in attendees:
            bisect.insort(self.per_delegate[delegate_id], booking)
        self.per_venue[venue_id].append(booking)
        self.placed[activity.id] = booking
        self.attendees[activity.id] = sorted(attendees)


def _headcount(mission: Mission, delegates: set[str]) -> int:
    return sum(mission.delegates[d].size for d in delegates)


def _order(mission: Mission) -> list[Activity]:
    """Fixed starts first (already decided), then the file's order."""
    activities = list(mission.activities.values())
    return [a for a in activities if a.fixed is not None] + [a for a in activities if a.fixed is None]


def _precedence_bounds(plan: _Plan, activity: Activity) -> tuple[int, int]:
    """Earliest start and latest end that `after` leaves, given what is already placed (both directions)."""
    earliest, latest = -(10**9), 10**9
    for after in activity.after:
        before = plan.placed.get(after.activity)
        if before is not None:
            earliest = max(earliest, before.end + after.gap)
    for booking in plan.placed.values():
        for after in booking.activity.after:
            if after.activity == activity.id:
                latest = min(latest, booking.start - after.gap)
    return earliest, latest


def _first_fit(plan: _Plan, activity: Activity, venue_id: str, required: set[str]) -> int | None:
    """The earliest start on the grain at which the venue and every required attendee are free."""
    mission, clock = plan.mission, plan.clock
    leg = mission.leg_of_venue(venue_id)
    earliest, latest_end = _precedence_bounds(plan, activity)
    for span_start, span_end in allowed_spans(mission, clock, activity, venue_id):
        start = clock.next_on_grain(max(span_start, earliest), leg, mission.grain)
        while start + activity.duration <= min(span_end, latest_end):
            end = start + activity.duration
            later = plan.blocked_for_venue(venue_id, start, end)
            if later is None:
                for delegate_id in sorted(required):
                    later = plan.blocked_for_delegate(delegate_id, activity, venue_id, start, end)
                    if later is not None:
                        break
            if later is None:
                return start
            start = clock.next_on_grain(max(later, start + 1), leg, mission.grain)
    return None


def greedy_schedule(mission: Mission) -> Schedule:
    """Place every activity first-fit, never moving one placed before; a `Schedule` like planner's."""
    clock = Clock.of(mission)
    plan = _Plan(mission, clock, delegate_gaps(mission))
    for rule in mission.rules:
        if isinstance(rule, MaxPerDay):
            for delegate_id in rule.delegates:
                plan.max_per_day[delegate_id].append(rule)
        elif isinstance(rule, Lunch):
            for delegate_id in rule.delegates:
                plan.lunches[delegate_id].append(rule)
    unscheduled: list[Unscheduled] = []
    for activity in _order(mission):
        required = set(activity.attendees)
        required |= companions_of(mission, activity, required)
        best: tuple[int, int, str] | None = None
        for rank, venue_id in enumerate(activity.venues):
            capacity = mission.venues[venue_id].capacity
            if capacity is not None and _headcount(mission, required) > capacity:
                continue
            start = _first_fit(plan, activity, venue_id, required)
            if start is not None and (best is None or (start, rank) < best[:2]):
                best = (start, rank, venue_id)
        if best is None:
            what = "required, " if activity.required else f"priority {activity.priority}, "
            unscheduled.append(Unscheduled(activity.id, what + "left out: first fit found no free start"))
            continue
        start, _, venue_id = best
        end = start + activity.duration
        attendees = set(required)
        capacity = mission.venues[venue_id].capacity
        for optional_id in activity.optional_attendees:
            if optional_id in attendees:
                continue
            joining = {optional_id} | companions_of(mission, activity, attendees | {optional_id})
            joining -= attendees
            if capacity is not None and _headcount(mission, attendees | joining) > capacity:
                continue
            if all(plan.blocked_for_delegate(d, activity, venue_id, start, end) is None
                   for d in sorted(joining)):
                attendees |= joining
        plan.book(activity, venue_id, start, end, sorted(attendees))
    leg_of = mission.leg_of_activity
    scheduled = [
        ScheduledActivity(a.id, a.title, a.kind, plan.placed[a.id].venue,
                          clock.instant(plan.placed[a.id].start, leg_of(a.id)),
                          clock.instant(plan.placed[a.id].end, leg_of(a.id)),
                          tuple(plan.attendees[a.id]))
        for a in mission.activities.values() if a.id in plan.placed
    ]
    return Schedule(mission=mission.name, status="feasible", activities=scheduled, unscheduled=unscheduled,
                    extra={"solver": "greedy first-fit"})
