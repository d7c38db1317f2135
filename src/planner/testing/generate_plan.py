"""The planted programme's frame, shared by the parts of `planner.testing.generate`: the time blocks, the
cities and kinds a synthetic mission draws from, and an activity as placed (`Planted`) in a block (`Slot`).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.domain import (
    Leg,
    TimeOfDayRange,
)

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
class Slot:
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
class Planted:
    """An activity as placed, before the mission's statements about it are derived."""

    id: str
    kind: str
    slot: Slot
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


def point_near(rng: random.Random, centre: tuple[float, float], radius_km: float) -> tuple[float, float]:
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    latitude = centre[0] + (distance * math.cos(bearing)) / 111.0
    longitude = centre[1] + (distance * math.sin(bearing)) / (111.0 * math.cos(math.radians(centre[0])))
    return round(latitude, 4), round(longitude, 4)
