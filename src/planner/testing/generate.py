"""Synthetic missions of any size, built around a planted valid schedule, and any Mission back to YAML.

`generate_mission` places every activity first (leg, date, time block, venue, attendees), then derives
from that planted programme what the mission says: timing statements (`fixed`, `windows`, `dates` or
nothing) that contain the planted times, venue opening hours, `parallel` and `capacity` that the planted
programme respects, `after` links that it satisfies, unavailable windows where delegates are free, and
rules (`accompany`, `max_per_day`, `min_gap`, `lunch`) that hold in it. The planted schedule is returned
beside the mission, so that a mission is feasible by construction and a checker can prove it.

Why the planted programme is valid without search: each date of a leg is cut into time blocks separated by
`BLOCK_BREAK` minutes, longer than the largest travel time between two venues of a city plus the largest
protocol gap; a delegate attends at most one activity per block; so travel, gaps and a lunch break between
the second and third block always fit.

`mission_to_yaml` writes any `Mission` in the mission format (version 1), so that generated missions can
be saved, loaded by `planner.mission.load` and run by the command line (and a spreadsheet import can reuse it).
"""

from __future__ import annotations

import bisect
import json
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
    Mission,
    Rule,
    TimeOfDayRange,
    TravelSettings,
    Venue,
    Window,
)
# The loader's own travel formula and duration form, so that a generated mission reads back the same.
from planner.domain.travel import computed_travel_minutes
from planner.text.format import format_duration
from planner.domain.schedule import Schedule, ScheduledActivity

RULE_KINDS = ("accompany", "max_per_day", "min_gap", "lunch")

BLOCKS = ((480, 600), (675, 795), (870, 990), (1065, 1185))
"""Time blocks of a date, in minutes after local midnight:
08:00–10:00, 11:15–13:15, 14:30–16:30, 17:45–19:45."""
BLOCK_BREAK = 75
"""Minutes between two blocks: at least the largest travel time in a city (`MAX_TRAVEL`) plus `GAP`."""
GAP = 15
"""The protocol gap of the generated `min_gap` rule."""
MAX_TRAVEL = BLOCK_BREAK - GAP
VENUE_RADIUS_KM = 9.0
"""Venues lie within this distance of their city's centre, so two of them are at most 18 km apart."""
LUNCH_BETWEEN = TimeOfDayRange(690, 870)
"""11:30–14:30: the break between the second and third block (13:15–14:30) holds a 45-minute lunch."""
LUNCH_MINUTES = 45
WORKING_DAY = TimeOfDayRange(480, 1200)
GRAIN = 5
FIRST_DAY = date(2025, 10, 5)

CITIES = (
    ("San Francisco", "America/Los_Angeles", (37.7749, -122.4194)),
    ("Los Angeles", "America/Los_Angeles", (34.0522, -118.2437)),
    ("New York", "America/New_York", (40.7128, -74.0060)),
    ("Tokyo", "Asia/Tokyo", (35.6762, 139.6503)),
    ("Nagoya", "Asia/Tokyo", (35.1815, 136.9066)),
    ("Brussels", "Europe/Brussels", (50.8503, 4.3517)),
    ("Seoul", "Asia/Seoul", (37.5665, 126.9780)),
    ("Singapore", "Asia/Singapore", (1.3521, 103.8198)),
)
REGIONS = (("wallonia", "Walloon"), ("brussels", "Brussels"), ("flanders", "Flemish"))
SECTORS = (
    ("aerospace", "aerospace & defence"),
    ("cleantech", "cleantech & energy"),
    ("ai", "high tech & AI"),
    ("life-sciences", "life sciences & biotech"),
    ("mobility", "mobility & logistics"),
    ("media", "media, sport & entertainment"),
    ("design", "design & architecture"),
)
ACCOMPANY_KINDS = ("visit", "signing", "ceremony")
TEAM_KINDS = ("visit", "b2b", "seminar", "meeting", "b2b", "seminar")
ROYAL_KINDS = ("visit", "signing", "ceremony", "press", "visit", "signing")
DURATIONS = (30, 45, 60, 60, 90, 90, 120)
VENUE_KINDS = ("Hotel", "Conference centre", "University", "Campus", "Innovation hub", "Museum",
               "Research centre")


@dataclass
class _Slot:
    """One time block of one date of one leg."""

    leg: Leg
    day: date
    block: int
    busy: set[str] = field(default_factory=set)
    """Delegates attending an activity of this block in the planted programme."""
    split_teams: set[str] = field(default_factory=set)
    """Teams of which some member is busy: they cannot attend as a whole any more."""
    venue_use: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def start_minute(self) -> int:
        return BLOCKS[self.block][0]

    @property
    def end_minute(self) -> int:
        return BLOCKS[self.block][1]


@dataclass
class _Planted:
    """An activity as placed, before the mission's statements about it are derived."""

    id: str
    kind: str
    slot: _Slot
    venue: str
    start: datetime
    duration: int
    attendee_refs: list[str] = field(default_factory=list)
    attending: set[str] = field(default_factory=set)
    """Everyone who attends in the planted programme (required, optional who come, companions)."""
    optional_refs: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration)


def _point_near(rng: random.Random, centre: tuple[float, float], radius_km: float) -> tuple[float, float]:
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    latitude = centre[0] + (distance * math.cos(bearing)) / 111.0
    longitude = centre[1] + (distance * math.sin(bearing)) / (111.0 * math.cos(math.radians(centre[0])))
    return round(latitude, 4), round(longitude, 4)


def generate_mission(
    activities: int,
    delegates: int,
    seed: int = 0,
    *,
    legs: int = 2,
    days_per_leg: int | None = None,
    rules: Iterable[str] = RULE_KINDS,
    optional_share: float = 0.15,
    alternative_share: float = 0.2,
    after_share: float = 0.1,
    contended_share: float = 0.05,
) -> tuple[Mission, Schedule]:
    """A mission of `activities` activities and `delegates` delegates around a planted valid schedule.

    Deterministic for a seed. `rules` chooses the rule kinds to include (each when the mission is big
    enough for it); `optional_share` of the activities get a priority, `alternative_share` candidate
    venues, `after_share` an `after` link; `contended_share` an optional attendee who is busy elsewhere in
    the planted programme (the solver then has to choose where they go).
    """
    if activities < 1 or delegates < 1 or legs < 1:
        raise ValueError("a mission needs at least one activity, one delegate and one leg")
    rng = random.Random(seed)
    wanted_rules = set(rules)
    unknown = wanted_rules - set(RULE_KINDS)
    if unknown:
        raise ValueError(f"unknown rule kinds {sorted(unknown)}; choose among {RULE_KINDS}")

    people = _people(rng, delegates)
    teams = _teams(rng, people)
    # Activities one block can hold: each takes a team or a delegate, and optional attendees take more.
    per_block_capacity = max(1, min(len(teams.ids) or delegates, delegates) // 2)
    if days_per_leg is None:
        days_per_leg = max(2, min(6, math.ceil(activities / (legs * len(BLOCKS) * per_block_capacity))))
        while legs * days_per_leg * len(BLOCKS) * per_block_capacity < activities:
            days_per_leg += 1
    mission_legs = _legs(legs, days_per_leg)
    slots = [_Slot(leg, day, block)
             for leg in mission_legs for day in leg.days() for block in range(len(BLOCKS))]
    per_slot = math.ceil(activities / len(slots))
    venues_per_leg = max(2, min(60, math.ceil(per_slot / 2) + 1))
    settings = TravelSettings(speed_kmh=35.0, detour=1.3, buffer=10, default=None)
    venue_points = _venue_points(rng, mission_legs, venues_per_leg)

    principal = people.royal
    companion = people.ministers[0] if people.ministers else None
    accompany = "accompany" in wanted_rules and principal is not None and companion is not None

    # 1. Place: spread the activities over the blocks, then fill each block.
    counts = [activities // len(slots)] * len(slots)
    for index in rng.sample(range(len(slots)), activities % len(slots)):
        counts[index] += 1
    planted: list[_Planted] = []
    number = 0
    for slot, count in zip(slots, counts):
        leg_venues = venue_points[slot.leg.city]
        team_order = list(teams.ids)
        rng.shuffle(team_order)
        royal_done = False
        for position in range(count):
            number += 1
            activity_id = f"a{number:04d}"
            royal_here = (principal is not None and not royal_done and principal not in slot.busy
                          and rng.random() < 0.6)
            kind = rng.choice(ROYAL_KINDS) if royal_here else rng.choice(TEAM_KINDS)
            venue_id = _pick_venue(rng, slot, leg_venues)
            duration = rng.choice(DURATIONS)
            latest = slot.end_minute - duration
            offset = rng.randrange(0, (latest - slot.start_minute) // GRAIN + 1) * GRAIN
            start = slot.leg.local_instant(slot.day, slot.start_minute + offset)
            item = _Planted(activity_id, kind, slot, venue_id, start, duration)
            if royal_here:
                royal_done = True
                item.attendee_refs.append(principal)
                item.attending.add(principal)
                if accompany and kind in ACCOMPANY_KINDS and companion not in slot.busy:
                    item.attending.add(companion)  # brought by the accompany rule, not listed
                elif accompany and kind in ACCOMPANY_KINDS:
                    item.kind = kind = "press"
            team = _free_team(slot, teams, team_order)
            if team is not None:
                item.attendee_refs.append(team if len(teams.members[team]) > 1 else teams.members[team][0])
                item.attending.update(teams.members[team])
            if people.individuals and (not item.attending or rng.random() < 0.35):
                vip = _free_person(rng, slot, people.individuals, item.attending)
                if vip is not None and vip != principal:
                    item.attendee_refs.append(vip)
                    item.attending.add(vip)
            if not item.attending:
                anyone = _free_person(rng, slot, people.all_ids, item.attending)
                if anyone is None:
                    number -= 1
                    continue  # nobody is free in this block any more: the activity goes to the leftovers
                item.attendee_refs.append(anyone)
                item.attending.add(anyone)
                if anyone == principal and accompany and kind in ACCOMPANY_KINDS:
                    item.kind = kind = "meeting"  # the companion may be busy: no accompanied kind here
            _mark_busy(slot, item.attending, teams)
            _add_optional(rng, item, slot, people, teams, contended_share)
            slot.venue_use[venue_id] += 1
            item.title = _title(item, teams)
            planted.append(item)
    leftovers = activities - len(planted)
    if leftovers:
        # Tiny missions (more activities than free delegates per block): one more date per leg would do,
        # but the requested size is honoured by giving those activities the least busy blocks.
        _place_leftovers(rng, leftovers, slots, planted, people, teams, venue_points, number)

    # 2. Derive what the mission says from the planted programme.
    venues = _venues(rng, mission_legs, venue_points, planted, people)
    travel = {
        (a.id, b.id): computed_travel_minutes(a.geo, b.geo, settings)
        for a in venues.values() for b in venues.values()
        if a.id != b.id and a.city == b.city and a.geo is not None and b.geo is not None
    }
    groups = _groups(people, teams, principal, companion)
    unavailable = _unavailable(rng, slots, people)
    delegates_map = {
        person_id: Delegate(
            id=person_id, name=people.names[person_id], role=people.roles[person_id],
            organisation=people.organisations.get(person_id), delegation=people.delegations.get(person_id),
            sectors=people.sectors.get(person_id, ()), size=people.sizes[person_id],
            unavailable=tuple(unavailable.get(person_id, ())))
        for person_id in people.all_ids
    }
    activity_map = _activities(rng, planted, groups, delegates_map, venue_points, optional_share,
                               alternative_share, after_share)
    mission_rules = _rules(rng, wanted_rules, planted, people, groups, principal, companion, accompany)
    first = mission_legs[0]
    mission = Mission(
        name=f"Synthetic mission: {activities} activities, {delegates} delegates (seed {seed})",
        timezone=first.timezone, grain=GRAIN, day=WORKING_DAY, legs=tuple(mission_legs), venues=venues,
        delegates=delegates_map, activities=activity_map, groups=groups, rules=tuple(mission_rules),
        travel=travel, travel_settings=settings)
    schedule = Schedule(
        mission=mission.name, status="feasible",
        activities=[
            ScheduledActivity(id=item.id, title=item.title, kind=item.kind, venue=item.venue,
                              start=item.start, end=item.end, attendees=tuple(sorted(item.attending)))
            for item in sorted(planted, key=lambda p: (p.start, p.id))
        ],
        extra={"planted": True},
    )
    return mission, schedule


# --- people ---------------------------------------------------------------------------------------------


@dataclass
class _People:
    all_ids: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)
    delegations: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    royal: str | None = None
    ministers: list[str] = field(default_factory=list)
    individuals: list[str] = field(default_factory=list)
    """Royal, ministers, officials and press: they attend one by one, never as part of a team."""
    companies: list[str] = field(default_factory=list)

    def add(self, person_id: str, name: str, role: str, size: int = 1, **extra: object) -> str:
        self.all_ids.append(person_id)
        self.names[person_id] = name
        self.roles[person_id] = role
        self.sizes[person_id] = size
        for key in ("organisation", "delegation"):
            if extra.get(key):
                getattr(self, key + "s")[person_id] = str(extra[key])
        if extra.get("sectors"):
            self.sectors[person_id] = tuple(extra["sectors"])  # type: ignore[arg-type]
        return person_id


def _people(rng: random.Random, count: int) -> _People:
    people = _People()
    if count >= 2:
        people.royal = people.add("royal", "HRH the Princess", "royal", delegation="federal")
        people.individuals.append(people.royal)
        ministers = 1 if count < 100 else min(6, count // 100)
        for n in range(1, ministers + 1):
            region = REGIONS[(n - 1) % len(REGIONS)][0] if n > 1 else "federal"
            minister = people.add(f"minister-{n}", f"Minister {n}", "minister", delegation=region)
            people.ministers.append(minister)
        people.individuals.extend(people.ministers)
    remaining = count - len(people.all_ids)
    officials = min(12, remaining // 40)
    for n in range(1, officials + 1):
        official = people.add(f"official-{n}", f"Official {n}", "official", delegation="federal")
        people.individuals.append(official)
    remaining = count - len(people.all_ids)
    if remaining >= 20:
        people.individuals.append(people.add("press", "Press pool", "press", size=rng.randint(6, 12)))
    remaining = count - len(people.all_ids)
    for n in range(1, remaining + 1):
        region, adjective = REGIONS[rng.randrange(len(REGIONS))]
        sector, label = SECTORS[rng.randrange(len(SECTORS))]
        size = rng.choices((1, 2, 3, 4, 5), weights=(30, 35, 20, 10, 5))[0]
        role = "academic" if rng.random() < 0.07 else "company"
        people.companies.append(people.add(
            f"c{n:04d}", f"{adjective} {label} {'institute' if role == 'academic' else 'company'} {n}", role,
            size=size, delegation=region, sectors=(sector,), organisation=f"Organisation {n}"))
    return people


@dataclass
class _Teams:
    ids: list[str] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    of: dict[str, str] = field(default_factory=dict)
    region: dict[str, str] = field(default_factory=dict)
    sector: dict[str, str] = field(default_factory=dict)


def _teams(rng: random.Random, people: _People) -> _Teams:
    """Companies of one region and sector, in teams of a few: the groups that attend activities together."""
    teams = _Teams()
    by_kind: dict[tuple[str, str], list[str]] = defaultdict(list)
    for company in people.companies:
        by_kind[(people.delegations[company], people.sectors[company][0])].append(company)
    for (region, sector), members in sorted(by_kind.items()):
        size = max(1, min(12, len(people.companies) // 40 or 1))
        for n, start in enumerate(range(0, len(members), size), start=1):
            team_id = f"{region}-{sector}-{n}"
            teams.ids.append(team_id)
            teams.members[team_id] = members[start:start + size]
            teams.region[team_id], teams.sector[team_id] = region, sector
            for member in teams.members[team_id]:
                teams.of[member] = team_id
    return teams


def _legs(count: int, days: int) -> list[Leg]:
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


_Points = list[tuple[str, tuple[float, float]]]
"""Venue ids of one city with their coordinates."""


def _venue_points(rng: random.Random, legs: Sequence[Leg], count: int) -> dict[str, _Points]:
    points: dict[str, _Points] = {}
    for index, leg in enumerate(legs):
        centre = CITIES[index % len(CITIES)][2]
        points[leg.city] = [(f"v{index + 1}-{n:02d}", _point_near(rng, centre, VENUE_RADIUS_KM))
                            for n in range(1, count + 1)]
    return points


# --- placing --------------------------------------------------------------------------------------------


def _pick_venue(rng: random.Random, slot: _Slot, venues: _Points) -> str:
    # Few activities per venue and block keeps `parallel` small, as at a real venue.
    least = min(slot.venue_use.get(v, 0) for v, _ in venues)
    candidates = [v for v, _ in venues if slot.venue_use.get(v, 0) <= least + 1]
    return rng.choice(candidates)


def _free_team(slot: _Slot, teams: _Teams, order: list[str]) -> str | None:
    while order:
        team = order.pop()
        if team not in slot.split_teams and not any(m in slot.busy for m in teams.members[team]):
            return team
    return None


def _free_person(rng: random.Random, slot: _Slot, candidates: Sequence[str], taken: set[str]) -> str | None:
    # A few random draws find a free delegate at once in a big mission; the scan settles the rest.
    for _ in range(min(8, len(candidates))):
        person = candidates[rng.randrange(len(candidates))]
        if person not in slot.busy and person not in taken:
            return person
    free = [p for p in candidates if p not in slot.busy and p not in taken]
    return rng.choice(free) if free else None


def _mark_busy(slot: _Slot, attending: Iterable[str], teams: _Teams) -> None:
    for person in attending:
        slot.busy.add(person)
        if person in teams.of:
            slot.split_teams.add(teams.of[person])


def _add_optional(rng: random.Random, item: _Planted, slot: _Slot, people: _People, teams: _Teams,
                  contended_share: float) -> None:
    """Optional attendees: some free in this block (they come), sometimes one who is busy (cannot)."""
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            person = _free_person(rng, slot, people.all_ids, item.attending)
            if person is None or person == people.royal:
                break
            item.optional_refs.append(person)
            item.attending.add(person)
            _mark_busy(slot, [person], teams)
    if rng.random() < contended_share:
        busy = sorted(slot.busy - item.attending - {people.royal})
        if busy:
            item.optional_refs.append(rng.choice(busy))


def _place_leftovers(rng: random.Random, count: int, slots: list[_Slot], planted: list[_Planted],
                     people: _People, teams: _Teams, venue_points: dict, number: int) -> None:
    """Activities that found no free delegate: each goes to a block where someone is still free."""
    for _ in range(count):
        open_slots = [s for s in slots if len(s.busy) < len(people.all_ids)]
        if not open_slots:
            raise ValueError("more activities than blocks × delegates: "
                             "ask for fewer activities or more delegates")
        slot = min(open_slots, key=lambda s: (len(s.busy), slots.index(s)))
        person = _free_person(rng, slot, people.all_ids, set())
        assert person is not None
        number += 1
        venue_id = _pick_venue(rng, slot, venue_points[slot.leg.city])
        duration = rng.choice(DURATIONS)
        start = slot.leg.local_instant(slot.day, slot.start_minute)
        kind = "meeting" if person != people.royal else "press"
        item = _Planted(f"a{number:04d}", kind, slot, venue_id, start, duration, [person], {person})
        _mark_busy(slot, [person], teams)
        slot.venue_use[venue_id] += 1
        item.title = _title(item, teams)
        planted.append(item)


def _title(item: _Planted, teams: _Teams) -> str:
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


def _venues(rng: random.Random, legs: Sequence[Leg], points: dict, planted: list[_Planted],
            people: _People) -> dict[str, Venue]:
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


def _groups(people: _People, teams: _Teams, principal: str | None, companion: str | None) -> dict[str, Group]:
    groups: dict[str, Group] = {}

    def add(group_id: str, members: list[str], name: str, kind: str) -> None:
        if not members:
            return
        expanded: set[str] = set()
        for member in members:
            expanded |= set(groups[member].delegates) if member in groups else {member}
        groups[group_id] = Group(id=group_id, members=tuple(members), delegates=tuple(sorted(expanded)),
                                 name=name, kind=kind)

    for team_id in teams.ids:
        if len(teams.members[team_id]) > 1:
            add(team_id, teams.members[team_id], f"{team_id.replace('-', ' ').capitalize()}", "delegation")

    def team_refs(selected: list[str]) -> list[str]:
        return [t if t in groups else teams.members[t][0] for t in selected]

    for sector, label in SECTORS:
        add(f"sector-{sector}", team_refs([t for t in teams.ids if teams.sector[t] == sector]),
            f"Sector: {label}", "sector")
    for region, adjective in REGIONS:
        add(f"delegation-{region}", team_refs([t for t in teams.ids if teams.region[t] == region]),
            f"{adjective} delegation", "delegation")
    if principal is not None:
        add("royal-track", [principal] + ([companion] if companion else []), "Royal track", "track")
    if people.ministers:
        add("ministers", list(people.ministers), "Ministers", "track")
    return groups


def _unavailable(rng: random.Random, slots: list[_Slot], people: _People) -> dict[str, list[Window]]:
    """Some delegates are unavailable during a whole block in which the planted programme leaves them free."""
    result: dict[str, list[Window]] = {}
    for person in people.all_ids:
        if rng.random() >= 0.05:
            continue
        free = [s for s in slots if person not in s.busy]
        if not free:
            continue
        slot = rng.choice(free)
        result[person] = [Window(slot.leg.local_instant(slot.day, slot.start_minute),
                                 slot.leg.local_instant(slot.day, slot.end_minute))]
    return result


def _expand(refs: Iterable[str], groups: dict[str, Group]) -> set[str]:
    found: set[str] = set()
    for ref in refs:
        found |= set(groups[ref].delegates) if ref in groups else {ref}
    return found


def _activities(rng: random.Random, planted: list[_Planted], groups: dict[str, Group],
                delegates: dict[str, Delegate], points: dict, optional_share: float, alternative_share: float,
                after_share: float) -> dict[str, Activity]:
    """Timing statements, candidate venues, priorities and `after` links the planted programme satisfies."""
    by_leg: dict[str, list[_Planted]] = defaultdict(list)
    for item in planted:
        by_leg[item.slot.leg.city].append(item)
    for items in by_leg.values():
        items.sort(key=lambda p: (p.end, p.id))
    leg_ends = {city: [p.end for p in items] for city, items in by_leg.items()}
    result: dict[str, Activity] = {}
    for item in sorted(planted, key=lambda p: p.id):
        leg, slot = item.slot.leg, item.slot
        attendees = _expand(item.attendee_refs, groups)
        optional = _expand(item.optional_refs, groups) - attendees
        fixed, windows, dates = None, (), ()
        how = rng.random()
        if how < 0.15:
            fixed = item.start
        elif how < 0.45:
            widen_before = rng.choice((0, 30, 60))
            widen_after = rng.choice((0, 30, 60, 120))
            windows_list = [Window(leg.local_instant(slot.day, slot.start_minute - widen_before),
                                   leg.local_instant(slot.day, slot.end_minute + widen_after))]
            others = [d for d in leg.days() if d != slot.day]
            if others and rng.random() < 0.3:
                other = rng.choice(others)
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


def _rules(rng: random.Random, wanted: set[str], planted: list[_Planted], people: _People,
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
        members = _expand([who], groups)
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
                            delegates=tuple(sorted(_expand([who], groups))), gap=GAP))
    if "lunch" in wanted and people.all_ids:
        who = rng.choice(candidates + sorted(g for g in groups if g.startswith("delegation-"))) if groups \
            else rng.choice(people.all_ids)
        rules.append(Lunch(id=f"lunch-{len(rules) + 1}", who=who,
                           delegates=tuple(sorted(_expand([who], groups))),
                           between=LUNCH_BETWEEN, duration=LUNCH_MINUTES))
    return rules


# --- writing a mission back ---------------------------------------------------------------------------

_PLAIN_ID = re.compile(r"[a-z][a-z0-9_-]*")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"}


def _id(value: str) -> str:
    return value if _PLAIN_ID.fullmatch(value) and value not in _YAML_WORDS else json.dumps(value)


def _ids(values: Iterable[str]) -> str:
    return "[" + ", ".join(_id(v) for v in values) + "]"


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _clock(minute: int) -> str:
    return f'"{minute // 60:02d}:{minute % 60:02d}"'


def _number(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() and isinstance(value, int) else repr(float(value))


def _resolved(mission: Mission, day: date, minute: int, fallback: Leg | None) -> tuple[datetime, Leg] | None:
    """What the loader makes of a written local datetime (mission format: the leg whose dates hold it)."""
    leg = next((leg for leg in mission.legs if leg.contains(day)), None)
    if (leg is None and fallback is not None
            and fallback.first_day <= day <= fallback.last_day + timedelta(days=1)):
        leg = fallback
    if leg is None:
        return None
    return leg.local_instant(day, minute), leg


def _datetime(mission: Mission, instant: datetime, zone: ZoneInfo, fallback: Leg | None = None,
              must_be: Leg | None = None) -> tuple[str, Leg | None]:
    """Local wall time when the loader reads it back as the same instant; else ISO 8601 with the offset."""
    local = instant.astimezone(zone)
    minute = local.hour * 60 + local.minute
    candidates = [(local.date(), minute)]
    if minute == 0:
        candidates.append((local.date() - timedelta(days=1), 1440))
    for day, at in candidates:
        resolved = _resolved(mission, day, at, fallback)
        if resolved and resolved[0] == instant and (must_be is None or resolved[1] is must_be):
            return f'"{day.isoformat()} {at // 60:02d}:{at % 60:02d}"', resolved[1]
    leg = next((leg for leg in mission.legs if leg.contains(local.date())), fallback)
    return local.isoformat(timespec="minutes"), leg


def _window(mission: Mission, window: Window, zone: ZoneInfo) -> str:
    start, leg = _datetime(mission, window.start, zone)
    end, _ = _datetime(mission, window.end, zone, fallback=leg)
    return f"[{start}, {end}]"


def _zone_of_instant(mission: Mission, instant: datetime) -> ZoneInfo:
    for leg in mission.legs:
        if leg.contains(instant.astimezone(leg.zone).date()):
            return leg.zone
    return ZoneInfo(mission.timezone)


def mission_to_yaml(mission: Mission) -> str:
    """The mission in the mission format (version 1); `planner.mission.load.load_mission_text` reads it back equal."""
    lines = [f"# {mission.name} — written by planner.testing.generate.mission_to_yaml", "mission:",
             f"  name: {_text(mission.name)}", f"  timezone: {mission.timezone}",
             f"  grain: {format_duration(mission.grain)}",
             f"  day: {{start: {_clock(mission.day.start)}, end: {_clock(mission.day.end)}}}", "", "legs:"]
    for leg in mission.legs:
        zone = f", timezone: {leg.timezone}" if leg.timezone != mission.timezone else ""
        lines.append(f"  - {{city: {_text(leg.city)}, from: {leg.first_day.isoformat()}, "
                     f"to: {leg.last_day.isoformat()}{zone}}}")
    lines += ["", "venues:"]
    for venue in mission.venues.values():
        parts = [f"id: {_id(venue.id)}", f"name: {_text(venue.name)}", f"city: {_text(venue.city)}"]
        if venue.address is not None:
            parts.append(f"address: {_text(venue.address)}")
        if venue.geo is not None:
            parts.append(f"geo: [{_number(venue.geo[0])}, {_number(venue.geo[1])}]")
        if venue.open_hours:
            hours = ", ".join(f"[{_clock(r.start)}, {_clock(r.end)}]" for r in venue.open_hours)
            parts.append(f"open: [{hours}]")
        if venue.parallel != 1:
            parts.append(f"parallel: {venue.parallel}")
        if venue.capacity is not None:
            parts.append(f"capacity: {venue.capacity}")
        lines.append("  - {" + ", ".join(parts) + "}")
    lines += ["", *_travel_section(mission), "", "delegates:"]
    for delegate in mission.delegates.values():
        parts = [f"id: {_id(delegate.id)}", f"name: {_text(delegate.name)}"]
        for key in ("role", "organisation", "delegation", "email"):
            value = getattr(delegate, key)
            if value is not None:
                parts.append(f"{key}: {_text(value)}")
        if delegate.sectors:
            parts.append("sectors: [" + ", ".join(_text(s) for s in delegate.sectors) + "]")
        if delegate.size != 1:
            parts.append(f"size: {delegate.size}")
        if delegate.unavailable:
            windows = ", ".join(_window(mission, w, _zone_of_instant(mission, w.start))
                                for w in delegate.unavailable)
            parts.append(f"unavailable: [{windows}]")
        lines.append("  - {" + ", ".join(parts) + "}")
    if mission.groups:
        lines += ["", "groups:"]
        for group in mission.groups.values():
            parts = [f"id: {_id(group.id)}"]
            if group.name is not None:
                parts.append(f"name: {_text(group.name)}")
            if group.kind is not None:
                parts.append(f"kind: {_text(group.kind)}")
            parts.append(f"members: {_ids(group.members)}")
            lines.append("  - {" + ", ".join(parts) + "}")
    lines += ["", "activities:"]
    for activity in mission.activities.values():
        lines.append("  - {" + ", ".join(_activity_parts(mission, activity)) + "}")
    if mission.rules:
        lines += ["", "rules:"]
        for position, rule in enumerate(mission.rules, start=1):
            lines.append("  - {" + ", ".join(_rule_parts(rule, position)) + "}")
    return "\n".join(lines) + "\n"


def _travel_section(mission: Mission) -> list[str]:
    """Settings, and an explicit time for each pair whose time the loader would not compute the same."""
    settings = mission.travel_settings
    lines = ["travel:", f"  speed_kmh: {_number(settings.speed_kmh)}",
             f"  detour: {_number(settings.detour)}",
             f"  buffer: {format_duration(settings.buffer)}"]
    if settings.default is not None:
        lines.append(f"  default: {format_duration(settings.default)}")
    explicit = []
    for (venue_a, venue_b), minutes in mission.travel.items():
        if venue_a > venue_b:
            continue
        a, b = mission.venues.get(venue_a), mission.venues.get(venue_b)
        if a is None or b is None:
            continue
        computed = (computed_travel_minutes(a.geo, b.geo, settings) if a.geo is not None and b.geo is not None
                    else settings.default)
        if computed != minutes:
            explicit.append(f"    - [{_id(venue_a)}, {_id(venue_b)}, {format_duration(minutes)}]")
    if explicit:
        lines += ["  times:", *explicit]
    return lines


def _activity_parts(mission: Mission, activity: Activity) -> list[str]:
    leg = mission.leg_of_activity(activity.id)
    parts = [f"id: {_id(activity.id)}", f"title: {_text(activity.title)}"]
    if activity.kind != "meeting":
        parts.append(f"kind: {_text(activity.kind)}")
    if len(activity.venues) == 1:
        parts.append(f"venue: {_id(activity.venues[0])}")
    else:
        parts.append(f"venues: {_ids(activity.venues)}")
    parts.append(f"duration: {format_duration(activity.duration)}")
    parts.append(f"attendees: {_ids(activity.attendee_refs or activity.attendees)}")
    optional = activity.optional_attendee_refs or activity.optional_attendees
    if optional:
        parts.append(f"optional_attendees: {_ids(optional)}")
    if activity.fixed is not None:
        parts.append(f"fixed: {_datetime(mission, activity.fixed, leg.zone, must_be=leg)[0]}")
    if activity.windows:
        parts.append("windows: [" + ", ".join(_window(mission, w, leg.zone) for w in activity.windows) + "]")
    if activity.dates:
        parts.append("dates: [" + ", ".join(d.isoformat() for d in activity.dates) + "]")
    if activity.after:
        items = [_id(a.activity) if a.gap == 0 else f"{{id: {_id(a.activity)}, gap: {format_duration(a.gap)}}}"
                 for a in activity.after]
        parts.append("after: [" + ", ".join(items) + "]")
    if activity.priority is not None:
        parts.append(f"priority: {activity.priority}")
    if activity.description is not None:
        parts.append(f"description: {_text(activity.description)}")
    return parts


def _rule_parts(rule: Rule, position: int) -> list[str]:
    parts = [] if rule.id == f"{rule.kind}-{position}" else [f"id: {_id(rule.id)}"]
    body = [f"who: {_id(rule.who)}"]
    if isinstance(rule, Accompany):
        body.append(f"with: {_id(rule.principal)}")
        if rule.kinds is not None:
            body.append("kinds: [" + ", ".join(_text(k) for k in rule.kinds) + "]")
    elif isinstance(rule, MaxPerDay):
        body.append(f"count: {rule.count}")
        if rule.kinds is not None:
            body.append("kinds: [" + ", ".join(_text(k) for k in rule.kinds) + "]")
    elif isinstance(rule, MinGap):
        body.append(f"gap: {format_duration(rule.gap)}")
    elif isinstance(rule, Lunch):
        body.append(f"between: [{_clock(rule.between.start)}, {_clock(rule.between.end)}]")
        body.append(f"duration: {format_duration(rule.duration)}")
    parts.append(f"{rule.kind}: {{" + ", ".join(body) + "}")
    return parts


# --- command line: python -m planner.testing.generate ------------------------------------------------------------


def main(arguments: Sequence[str] | None = None) -> int:
    """`python -m planner.testing.generate ACTIVITIES DELEGATES [--seed N] [--legs N] [--out mission.yaml]
    [--schedule planted.json]`: write a synthetic mission (to stdout without --out) and its planted
    schedule."""
    import argparse
    import sys
    from pathlib import Path

    from planner.mission.files import write_atomic

    parser = argparse.ArgumentParser(prog="python -m planner.testing.generate", description=main.__doc__)
    parser.add_argument("activities", type=int)
    parser.add_argument("delegates", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--legs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="mission file to write (default: standard output)")
    parser.add_argument("--schedule", type=Path, help="where to write the planted schedule.json")
    options = parser.parse_args(arguments)
    try:
        mission, schedule = generate_mission(options.activities, options.delegates, options.seed,
                                             legs=options.legs)
    except ValueError as failure:
        parser.error(str(failure))
    text = mission_to_yaml(mission)
    if options.out is None:
        sys.stdout.write(text)
    else:
        write_atomic(options.out, text)
    if options.schedule is not None:
        write_atomic(options.schedule, schedule.dumps())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
