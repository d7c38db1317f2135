"""What a synthetic mission says, derived from its planted programme: venues (opening hours, `parallel`,
`capacity` that the programme respects), activities (timing statements, candidate venues, `after` links,
priorities) and rules that hold in it.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from planner.domain import (
    Accompany,
    Activity,
    After,
    Delegate,
    Group,
    Leg,
    Lunch,
    MaxPerDay,
    MinGap,
    Rule,
    TimeOfDayRange,
    Venue,
    Window,
)
from planner.testing.generate_people import People, expand
from planner.testing.generate_plan import (
    ACCOMPANY_KINDS,
    BLOCKS,
    GAP,
    GRAIN,
    LUNCH_BETWEEN,
    LUNCH_MINUTES,
    VENUE_KINDS,
    Planted,
)


def make_venues(rng: random.Random, legs: Sequence[Leg], points: dict, planted: list[Planted],
            people: People) -> dict[str, Venue]:
    """Opening hours, `parallel` and `capacity` that the planted programme respects."""
    per_block: dict[tuple[str, int], int] = defaultdict(int)
    headcount: dict[str, int] = defaultdict(int)
    for item in planted:
        per_block[(item.venue, id(item.slot))] += 1
        headcount[item.venue] = max(headcount[item.venue], sum(people.sizes[p] for p in item.attending))
    busiest: dict[str, int] = defaultdict(int)
    for (venue_id, _), count in per_block.items():
        busiest[venue_id] = max(busiest[venue_id], count)
    venues: dict[str, Venue] = {}
    for leg in legs:
        for number, (venue_id, geo) in enumerate(points[leg.city], start=1):
            hours_choice = rng.random()
            if hours_choice < 0.4:
                open_hours: tuple[TimeOfDayRange, ...] = ()
            elif hours_choice < 0.8:
                open_hours = (TimeOfDayRange(450, 1230),)
            else:
                open_hours = (TimeOfDayRange(BLOCKS[0][0], BLOCKS[1][1]), TimeOfDayRange(BLOCKS[2][0], 1260))
            capacity = None
            if headcount.get(venue_id) and rng.random() < 0.6:
                capacity = math.ceil(headcount[venue_id] * rng.uniform(1.0, 1.5))
            venues[venue_id] = Venue(
                id=venue_id, name=f"{VENUE_KINDS[number % len(VENUE_KINDS)]} {number}, {leg.city}",
                city=leg.city,
                address=f"{number} Mission Street, {leg.city}", geo=geo, open_hours=open_hours,
                parallel=max(1, busiest.get(venue_id, 1)) + (1 if rng.random() < 0.2 else 0),
                capacity=capacity)
    return venues


def make_activities(rng: random.Random, planted: list[Planted], groups: dict[str, Group],
                delegates: dict[str, Delegate], points: dict, optional_share: float, alternative_share: float,
                after_share: float) -> dict[str, Activity]:
    """Timing statements, candidate venues, priorities and `after` links the planted programme satisfies."""
    by_leg: dict[str, list[Planted]] = defaultdict(list)
    for item in planted:
        by_leg[item.slot.leg.city].append(item)
    for items in by_leg.values():
        items.sort(key=lambda p: (p.end, p.id))
    leg_ends = {city: [p.end for p in items] for city, items in by_leg.items()}
    result: dict[str, Activity] = {}
    for item in sorted(planted, key=lambda p: p.id):
        leg, slot = item.slot.leg, item.slot
        attendees = expand(item.attendee_refs, groups)
        optional = expand(item.optional_refs, groups) - attendees
        fixed: datetime | None = None
        windows: tuple[Window, ...] = ()
        dates: tuple[date, ...] = ()
        how = rng.random()
        if how < 0.15:
            fixed = item.start
        elif how < 0.45:
            widen_before = rng.choice((0, 30, 60))
            widen_after = rng.choice((0, 30, 60, 120))
            windows_list = [Window(leg.local_instant(slot.day, slot.start_minute - widen_before),
                                   leg.local_instant(slot.day, slot.end_minute + widen_after))]
            other_days = [d for d in leg.days() if d != slot.day]
            if other_days and rng.random() < 0.3:
                other = rng.choice(other_days)
                windows_list.append(Window(leg.local_instant(other, 540), leg.local_instant(other, 1020)))
            windows = tuple(sorted(windows_list, key=lambda w: w.start))
        elif how < 0.85:
            chosen = {slot.day}
            if rng.random() < 0.4:
                chosen.add(rng.choice(leg.days()))
            dates = tuple(sorted(chosen))
        venues = [item.venue]
        if rng.random() < alternative_share:
            others = [v for v, _ in points[leg.city] if v != item.venue]
            venues += rng.sample(others, min(len(others), rng.randint(1, 2)))
        after: list[After] = []
        if rng.random() < after_share:
            ends = leg_ends[leg.city]
            finished = bisect.bisect_right(ends, item.start)  # activities of the leg ended by this start
            if finished:
                before = by_leg[leg.city][rng.randrange(finished)]
                room = int((item.start - before.end).total_seconds() // 60)
                gap = min(room, rng.choice((0, 0, 15, 30))) // GRAIN * GRAIN
                after.append(After(before.id, gap))
        priority = rng.randint(1, 1000) if rng.random() < optional_share else None
        result[item.id] = Activity(
            id=item.id, title=item.title, venues=tuple(venues), duration=item.duration,
            attendees=tuple(sorted(attendees)), optional_attendees=tuple(sorted(optional)),
            attendee_refs=tuple(item.attendee_refs), optional_attendee_refs=tuple(item.optional_refs),
            kind=item.kind, fixed=fixed, windows=windows, dates=dates, after=tuple(after), priority=priority,
            description=None)
    return result


def make_rules(rng: random.Random, wanted: set[str], planted: list[Planted], people: People,
           groups: dict[str, Group], principal: str | None, companion: str | None,
           accompany: bool) -> list[Rule]:
    """Rules that hold in the planted programme."""
    rules: list[Rule] = []
    if accompany and principal and companion:
        rules.append(Accompany(id="accompany-1", who=companion, delegates=(companion,), principal=principal,
                               principal_delegates=(principal,), kinds=ACCOMPANY_KINDS))
    candidates = [g for g in ("royal-track", "ministers") if g in groups]
    if "max_per_day" in wanted and people.all_ids:
        who = rng.choice(candidates) if candidates else rng.choice(people.all_ids)
        members = expand([who], groups)
        per_day: dict[tuple[str, date], int] = defaultdict(int)
        for item in planted:
            for person in item.attending & members:
                per_day[(person, item.start.astimezone(item.slot.leg.zone).date())] += 1
        count = max(per_day.values(), default=1) + rng.choice((0, 0, 1))
        rules.append(MaxPerDay(id=f"max_per_day-{len(rules) + 1}", who=who, delegates=tuple(sorted(members)),
                               count=count))
    if "min_gap" in wanted and people.all_ids:
        who = rng.choice(candidates) if candidates else rng.choice(people.all_ids)
        rules.append(MinGap(id=f"min_gap-{len(rules) + 1}", who=who,
                            delegates=tuple(sorted(expand([who], groups))), gap=GAP))
    if "lunch" in wanted and people.all_ids:
        who = rng.choice(candidates + sorted(g for g in groups if g.startswith("delegation-"))) if groups \
            else rng.choice(people.all_ids)
        rules.append(Lunch(id=f"lunch-{len(rules) + 1}", who=who,
                           delegates=tuple(sorted(expand([who], groups))),
                           between=LUNCH_BETWEEN, duration=LUNCH_MINUTES))
    return rules
