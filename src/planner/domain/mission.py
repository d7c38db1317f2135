"""The mission as plain typed data.

The loader (`planner.mission.load`) builds these objects once from a mission file; everything else — the
CP-SAT model, the checker, calendars, itineraries — reads them and never parses YAML. Other front ends (a
spreadsheet import, a generator of synthetic missions) build the same objects.

Conventions, the same everywhere in planner:
- instants are timezone-aware `datetime`s; a leg's local wall time is `instant.astimezone(leg.zone)`;
- durations, gaps and travel times are whole minutes (`int`);
- a time of day is a number of minutes after local midnight (`0..1440`);
- every delegate list held here is *expanded*: group ids are replaced by the delegates they contain;
- every object keeps the `Source` (file, line, column) of the statement it comes from, so that errors and
  conflict reports can point back into the mission file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from planner.domain.meetings import Counterpart, MeetingRequest, SessionSetting
from planner.domain.source import UNKNOWN_SOURCE, Source
from planner.domain.time import Window

REQUIRED = None
"""`Activity.priority` of an activity that must be scheduled."""

LANGUAGES = ("en", "fr", "nl", "de")
"""The languages a mission's people may read (ISO 639-1 codes): itineraries, calendars, mails speak them."""
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class TimeOfDayRange:
    """A daily range [start, end) in minutes after local midnight; `end` may be 1440 (midnight)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}–{self.end // 60:02d}:{self.end % 60:02d}"


@dataclass(frozen=True, slots=True)
class Leg:
    """A stay in one city from `first_day` to `last_day` inclusive, in `timezone`."""

    city: str
    first_day: date
    last_day: date
    timezone: str
    source: Source = UNKNOWN_SOURCE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def local_instant(self, day: date, minute_of_day: int) -> datetime:
        """The aware instant at `minute_of_day` minutes after local midnight of `day` in this leg."""
        # Wall-clock arithmetic: 09:00 stays 09:00 on the day clocks change.
        naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute_of_day)
        return naive.replace(tzinfo=self.zone)


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    name: str
    city: str
    address: str | None = None
    geo: tuple[float, float] | None = None
    open_hours: tuple[TimeOfDayRange, ...] = ()
    """Daily opening hours; empty means no limit of its own (the working day or windows still apply)."""
    parallel: int = 1
    capacity: int | None = None
    source: Source = UNKNOWN_SOURCE


@dataclass(frozen=True, slots=True)
class Delegate:
    """Whoever gets an itinerary: a person, or a delegation of `size` people that moves as one."""

    id: str
    name: str
    role: str | None = None
    organisation: str | None = None
    delegation: str | None = None
    sectors: tuple[str, ...] = ()
    size: int = 1
    email: str | None = None
    unavailable: tuple[Window, ...] = ()
    source: Source = UNKNOWN_SOURCE
    language: str | None = None
    """What the delegate reads (one of `LANGUAGES`); None: the mission's language."""


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    members: tuple[str, ...]
    """Delegate and group ids as written."""
    delegates: tuple[str, ...]
    """Every delegate the group contains, nesting expanded, sorted."""
    name: str | None = None
    kind: str | None = None
    source: Source = UNKNOWN_SOURCE


@dataclass(frozen=True, slots=True)
class After:
    """The activity holding this starts at least `gap` minutes after `activity` ends."""

    activity: str
    gap: int = 0
    source: Source = UNKNOWN_SOURCE


CONVENTIONAL_KINDS = ("meeting", "visit", "b2b", "signing", "seminar", "reception", "press", "ceremony",
                      "meal", "transfer", "briefing")
"""The activity kinds the format names (docs/mission-format.md; `meeting` when none is written); any other
kind is the organiser's own."""


def conventional_kind(kind: str) -> str:
    """`Meal` → `meal`: a conventional kind typed in capitals is that kind (a working lunch is a `meal`
    however a spreadsheet capitalised it); any other kind stays as written."""
    folded = kind.casefold()
    return folded if folded in CONVENTIONAL_KINDS else kind


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    title: str
    venues: tuple[str, ...]
    """Candidate venue ids; the solver picks exactly one."""
    duration: int
    attendees: tuple[str, ...]
    """Required delegates, groups expanded, sorted. Rules (`accompany`) may add more: see `Mission`."""
    optional_attendees: tuple[str, ...] = ()
    """Delegates who attend if their schedule allows; expanded, sorted, never also in `attendees`."""
    attendee_refs: tuple[str, ...] = ()
    """`attendees` as written (delegate and group ids), for 'who attends' in itineraries."""
    optional_attendee_refs: tuple[str, ...] = ()
    kind: str = "meeting"
    fixed: datetime | None = None
    """Fixed start. The working day does not apply to it; leg and venue hours do."""
    windows: tuple[Window, ...] = ()
    """The activity lies inside one of them. The working day does not apply."""
    dates: tuple[date, ...] = ()
    """The activity lies inside the working day of one of them."""
    after: tuple[After, ...] = ()
    priority: int | None = REQUIRED
    """None for required; otherwise the weight 1–1000 lost when the activity is left out."""
    description: str | None = None
    pinned: bool = False
    """Re-planning keeps it scheduled at its baseline start (docs/replanning.md)."""
    source: Source = UNKNOWN_SOURCE
    meetings: SessionSetting | None = None
    """Set on a B2B session: its meeting slots and tables (docs/b2b.md)."""

    @property
    def required(self) -> bool:
        return self.priority is None


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    """One entry of `rules`. `id` is the entry's own `id` key, or `<kind>-<n>` (n: 1-based position)."""

    id: str
    who: str
    """The delegate or group id as written."""
    delegates: tuple[str, ...]
    """`who` expanded, sorted."""
    source: Source = UNKNOWN_SOURCE

    @property
    def kind(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True, slots=True)
class Accompany(Rule):
    """Every scheduled activity that a delegate of `principal` attends, of a listed kind, is attended by
    every delegate of `who` too: the rule adds them to the activity (as required attendees when the
    principal is required there, as attendees conditional on the principal when the principal is optional).
    """

    principal: str
    """The `with` id as written."""
    principal_delegates: tuple[str, ...]
    kinds: tuple[str, ...] | None = None
    """None: every kind."""

    @property
    def kind(self) -> str:
        return "accompany"


@dataclass(frozen=True, kw_only=True, slots=True)
class MaxPerDay(Rule):
    """Each delegate attends at most `count` activities (of `kinds`, or any) starting on one local date."""

    count: int
    kinds: tuple[str, ...] | None = None

    @property
    def kind(self) -> str:
        return "max_per_day"


@dataclass(frozen=True, kw_only=True, slots=True)
class MinGap(Rule):
    """Between two consecutive activities of a delegate lies at least the travel time plus `gap`."""

    gap: int

    @property
    def kind(self) -> str:
        return "min_gap"


@dataclass(frozen=True, kw_only=True, slots=True)
class Lunch(Rule):
    """On every date a delegate attends anything, a free stretch of `duration` inside `between`."""

    between: TimeOfDayRange
    duration: int

    @property
    def kind(self) -> str:
        return "lunch"


@dataclass(frozen=True, slots=True)
class Lodging:
    """Where delegates sleep during a leg (planner addition, docs/mission-format.md): a day's first trip
    starts at the hotel, its last ends there; nobody leaves the hotel before `leave`."""

    city: str
    """The leg's city."""
    venue: str
    """The hotel: a venue of that city."""
    delegates: tuple[str, ...]
    """The delegates it houses, expanded, sorted: `who`'s, or everyone not housed by an entry with `who`."""
    leave: int
    """Earliest departure, minutes after local midnight (default: the working day's start)."""
    who: str | None = None
    """The delegate or group id as written; None for everyone on the leg."""
    source: Source = UNKNOWN_SOURCE


@dataclass(frozen=True, slots=True)
class TravelSettings:
    speed_kmh: float = 35.0
    detour: float = 1.3
    buffer: int = 10
    default: int | None = None


@dataclass(frozen=True)
class Mission:
    """A whole mission, validated and resolved. Mappings keep the order of the file."""

    name: str
    timezone: str
    grain: int
    day: TimeOfDayRange
    legs: tuple[Leg, ...]
    venues: dict[str, Venue]
    delegates: dict[str, Delegate]
    activities: dict[str, Activity]
    groups: dict[str, Group] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    travel: dict[tuple[str, str], int] = field(default_factory=dict)
    """Travel minutes between two different venues of the same city, both orders present. A pair that is
    absent has no known travel time (the loader reports it when a delegate may need it)."""
    travel_settings: TravelSettings = TravelSettings()
    file: str = "<generated>"
    source: Source = UNKNOWN_SOURCE
    travel_sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    """Where the travel time of a pair is written (both orders): its `travel.times` entry, or the
    `travel.default` it falls back to; pairs computed from `geo` are absent."""
    counterparts: dict[str, Counterpart] = field(default_factory=dict)
    meeting_requests: tuple[MeetingRequest, ...] = ()
    """The top-level `meetings` (B2B requests; docs/b2b.md)."""
    lodging: tuple[Lodging, ...] = ()
    """Hotels per leg (planner addition); none: the day's first and last trips are nobody's concern."""
    language: str = DEFAULT_LANGUAGE
    """The language of what the mission's people read, unless a delegate names another."""

    # --- look-ups -------------------------------------------------------------------------------------

    def language_of(self, person_id: str) -> str:
        """The language a delegate or a counterpart reads: their own, or the mission's."""
        person = self.delegates.get(person_id) or self.counterparts.get(person_id)
        if person is None or person.language is None:
            return self.language
        return person.language

    def leg_of_city(self, city: str) -> Leg:
        for leg in self.legs:
            if leg.city == city:
                return leg
        raise KeyError(city)

    def leg_of_venue(self, venue_id: str) -> Leg:
        return self.leg_of_city(self.venues[venue_id].city)

    def leg_of_activity(self, activity_id: str) -> Leg:
        """All candidate venues of an activity lie in one city (the loader enforces it)."""
        return self.leg_of_venue(self.activities[activity_id].venues[0])

    def travel_minutes(self, venue_a: str, venue_b: str) -> int | None:
        """0 for the same venue; None between cities or when unknown."""
        if venue_a == venue_b:
            return 0
        return self.travel.get((venue_a, venue_b))

    @cached_property
    def accompaniments(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """activity id → {accompanying delegate id → the principal delegates whose presence brings them}.

        Only for activities where an `accompany` rule applies and the accompanying delegate is not already
        a required attendee. Rules chain: a delegate brought by one rule is a principal for the next (A
        accompanies B, B accompanies C: A comes wherever C does), as in the model and the checker. Shared by
        every consumer so that all read the rule the same way.
        """
        result: dict[str, dict[str, tuple[str, ...]]] = {}
        changed = True
        while changed:
            changed = False
            for rule in self.rules:
                if not isinstance(rule, Accompany):
                    continue
                for activity in self.activities.values():
                    if rule.kinds is not None and activity.kind not in rule.kinds:
                        continue
                    brought = result.get(activity.id, {})
                    principals = [
                        d for d in rule.principal_delegates
                        if d in activity.attendees or d in activity.optional_attendees or d in brought
                    ]
                    if not principals:
                        continue
                    for companion in rule.delegates:
                        if companion in activity.attendees or companion in principals:
                            continue
                        entry = result.setdefault(activity.id, {})
                        merged = tuple(sorted(set(entry.get(companion, ())) | set(principals)))
                        if entry.get(companion) != merged:
                            entry[companion] = merged
                            changed = True
        return result

    @cached_property
    def hotels(self) -> dict[tuple[str, str], Lodging]:
        """(delegate id, leg city) → the `Lodging` that houses the delegate on that leg."""
        return {(delegate_id, entry.city): entry for entry in self.lodging for delegate_id in entry.delegates}

    def hotel(self, delegate_id: str, city: str) -> Lodging | None:
        """The delegate's lodging on the leg of `city`, if the mission says where they sleep."""
        return self.hotels.get((delegate_id, city)) if self.lodging else None

    def activities_of(self, delegate_id: str) -> Iterator[Activity]:
        """Activities the delegate may attend: required, optional, or brought by an `accompany` rule."""
        for activity in self.activities.values():
            if (
                delegate_id in activity.attendees
                or delegate_id in activity.optional_attendees
                or delegate_id in self.accompaniments.get(activity.id, {})
            ):
                yield activity

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
