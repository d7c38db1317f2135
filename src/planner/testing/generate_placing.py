"""Placing a synthetic mission's activities: legs, venue points, and who attends what in each time block of
the planted programme.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import timedelta

from planner.domain import (
    Leg,
)
from planner.testing.generate_people import People, Teams
from planner.testing.generate_plan import (
    CITIES,
    DURATIONS,
    FIRST_DAY,
    SECTORS,
    VENUE_RADIUS_KM,
    Planted,
    Slot,
    point_near,
)


def make_legs(count: int, days: int) -> list[Leg]:
    """Consecutive legs; flying east, a leg starts a day later when its first local day would begin before
    the previous leg's last one ends (the same instant must never belong to two legs' programmes)."""
    legs: list[Leg] = []
    first = FIRST_DAY
    for index in range(count):
        city, timezone, _ = CITIES[index % len(CITIES)]
        if index >= len(CITIES):
            city = f"{city} ({index // len(CITIES) + 1})"
        if legs:
            previous_end = legs[-1].local_instant(legs[-1].last_day, 1440)
            while Leg(city, first, first, timezone).local_instant(first, 0) < previous_end:
                first += timedelta(days=1)
        legs.append(Leg(city, first, first + timedelta(days=days - 1), timezone))
        first += timedelta(days=days)
    return legs


Points = list[tuple[str, tuple[float, float]]]
"""Venue ids of one city with their coordinates."""


def scatter_venues(rng: random.Random, legs: Sequence[Leg], count: int) -> dict[str, Points]:
    points: dict[str, Points] = {}
    for index, leg in enumerate(legs):
        centre = CITIES[index % len(CITIES)][2]
        points[leg.city] = [(f"v{index + 1}-{n:02d}", point_near(rng, centre, VENUE_RADIUS_KM))
                            for n in range(1, count + 1)]
    return points


# --- placing --------------------------------------------------------------------------------------------


def pick_venue(rng: random.Random, slot: Slot, venues: Points) -> str:
    # Few activities per venue and block keeps `parallel` small, as at a real venue.
    least = min(slot.venue_use.get(v, 0) for v, _ in venues)
    candidates = [v for v, _ in venues if slot.venue_use.get(v, 0) <= least + 1]
    return rng.choice(candidates)


def free_team(slot: Slot, teams: Teams, order: list[str]) -> str | None:
    while order:
        team = order.pop()
        if team not in slot.split_teams and not any(m in slot.busy for m in teams.members[team]):
            return team
    return None


def free_person(rng: random.Random, slot: Slot, candidates: Sequence[str], taken: set[str]) -> str | None:
    # A few random draws find a free delegate at once in a big mission; the scan settles the rest.
    for _ in range(min(8, len(candidates))):
        person = candidates[rng.randrange(len(candidates))]
        if person not in slot.busy and person not in taken:
            return person
    free = [p for p in candidates if p not in slot.busy and p not in taken]
    return rng.choice(free) if free else None


def mark_busy(slot: Slot, attending: Iterable[str], teams: Teams) -> None:
    for person in attending:
        slot.busy.add(person)
        if person in teams.of:
            slot.split_teams.add(teams.of[person])


def add_optional(rng: random.Random, item: Planted, slot: Slot, people: People, teams: Teams,
                  contended_share: float) -> None:
    """Optional attendees: some free in this block (they come), sometimes one who is busy (cannot)."""
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            person = free_person(rng, slot, people.all_ids, item.attending)
            if person is None or person == people.royal:
                break
            item.optional_refs.append(person)
            item.attending.add(person)
            mark_busy(slot, [person], teams)
    if rng.random() < contended_share:
        busy = sorted(slot.busy - item.attending - {people.royal})
        if busy:
            item.optional_refs.append(rng.choice(busy))


def place_leftovers(rng: random.Random, count: int, slots: list[Slot], planted: list[Planted],
                     people: People, teams: Teams, venue_points: dict, number: int) -> None:
    """Activities that found no free delegate: each goes to a block where someone is still free."""
    for _ in range(count):
        open_slots = [s for s in slots if len(s.busy) < len(people.all_ids)]
        if not open_slots:
            raise ValueError("more activities than blocks × delegates: "
                             "ask for fewer activities or more delegates")
        slot = min(open_slots, key=lambda s: (len(s.busy), slots.index(s)))
        person = free_person(rng, slot, people.all_ids, set())
        assert person is not None
        number += 1
        venue_id = pick_venue(rng, slot, venue_points[slot.leg.city])
        duration = rng.choice(DURATIONS)
        start = slot.leg.local_instant(slot.day, slot.start_minute)
        kind = "meeting" if person != people.royal else "press"
        item = Planted(f"a{number:04d}", kind, slot, venue_id, start, duration, [person], {person})
        mark_busy(slot, [person], teams)
        slot.venue_use[venue_id] += 1
        item.title = title_of(item, teams)
        planted.append(item)


def title_of(item: Planted, teams: Teams) -> str:
    team = next((ref for ref in item.attendee_refs if ref in teams.members), None)
    subject = dict(SECTORS).get(teams.sector[team], "") if team else ""
    venue_number = item.venue.rsplit("-", 1)[-1]
    titles = {
        "visit": f"Company visit {item.id}",
        "b2b": f"B2B meetings: {subject or 'matchmaking'} ({item.id})",
        "seminar": f"Seminar: {subject or 'doing business abroad'} ({item.id})",
        "signing": f"Signing ceremony {item.id}",
        "ceremony": f"Official ceremony {item.id}",
        "press": f"Press moment {item.id}",
        "meeting": f"Meeting {item.id} at venue {venue_number}",
        "reception": f"Reception {item.id}",
    }
    return titles.get(item.kind, f"Activity {item.id}")


# --- deriving the mission -------------------------------------------------------------------------------
