"""The mission file as written: pydantic models of its raw shape (version 1 of the mission format).

These models are the single source of both the loader's first validation pass and the JSON Schema that
`planner schema` prints, so the two cannot drift. They check what one entry can check on its own (keys,
scalar forms, ranges); everything that spans entries (ids, legs, time zones, travel) is the resolver's job
(`planner.mission.resolve`). Each scalar field is parsed by `planner.mission.scalars` into a plain value:
durations and times of day to whole minutes, dates to `date`, datetimes to `WrittenDateTime` (resolved to an
instant once the legs are known); the types below pair each parser with its JSON Schema.

Every validator raises `PydanticCustomError` with a message for a person: what is wrong and what to write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import ConfigDict, Discriminator, Field, StrictBool, Tag, create_model

from planner.domain import DEFAULT_LANGUAGE
from planner.domain.rules import VERSION_1_KINDS, rule_kinds
from planner.mission.vocabulary import (  # noqa: F401 - the schema's vocabulary, importable from here
    Count,
    DateTimeValue,
    DateValue,
    Detour,
    Duration,
    Email,
    Entry,
    Geo,
    Id,
    Language,
    LongText,
    PositiveCount,
    PositiveDuration,
    Priority,
    Speed,
    Text,
    TimeOfDay,
    TimeRange,
    Timezone,
    TravelTime,
    WindowValue,
)

# --- entries ----------------------------------------------------------------------------------------------


class WorkingDay(Entry):
    """The working day: activities placed by `dates` or by their leg lie inside it."""

    start: TimeOfDay = Field(description='"HH:MM"')
    end: TimeOfDay = Field(description='"HH:MM", after start')


class MissionHeader(Entry):
    """The mission's name, time zone, grain and working day."""

    name: Text = Field(description="shown in calendars and itineraries")
    timezone: Timezone = Field(description="IANA name; the default for every leg")
    grain: PositiveDuration = Field(5, description="time resolution of the schedule (default 5m)")
    day: WorkingDay = Field(
        WorkingDay.model_validate({"start": "08:00", "end": "22:00"}),
        description="default working day (default 08:00–22:00)",
        json_schema_extra={"default": {"start": "08:00", "end": "22:00"}},
    )
    language: Language = Field(
        DEFAULT_LANGUAGE,
        description="planner addition: what itineraries, calendars and mails speak (default en)",
    )


class LegEntry(Entry):
    """A stay in one city, from `from` to `to` inclusive; legs do not overlap."""

    city: Text = Field(description="free text; venues name it")
    from_: DateValue = Field(alias="from", description="first date, inclusive")
    to: DateValue = Field(description="last date, inclusive")
    timezone: Timezone | None = Field(None, description="overrides the mission's time zone for this leg")


class VenueEntry(Entry):
    """A place where activities happen, in a leg's city."""

    id: Id
    name: Text
    city: Text = Field(description="equals a leg's city")
    address: LongText | None = None
    geo: Geo | None = None
    open: list[TimeRange] = Field(default_factory=list, description="daily opening hours")
    parallel: PositiveCount = Field(1, description="activities at the same time (default 1)")
    capacity: PositiveCount | None = Field(None, description="largest headcount of one activity")


class TravelSection(Entry):
    """Travel times between venues of one city: explicit, computed from geo, or a default."""

    times: list[TravelTime] = Field(default_factory=list)
    speed_kmh: Speed = Field(35.0, description="average door-to-door speed, km/h (1–1000)")
    detour: Detour = Field(1.3, description="road distance / great-circle distance (1–10)")
    buffer: Duration = 10
    default: Duration | None = None


class DelegateEntry(Entry):
    """Whoever gets an itinerary: a person, or a delegation of `size` people moving as one."""

    id: Id
    name: Text
    role: Text | None = None
    organisation: Text | None = None
    delegation: Text | None = None
    sectors: list[Text] = Field(default_factory=list)
    size: PositiveCount = Field(1, description="headcount")
    email: Email | None = None
    unavailable: list[WindowValue] = Field(default_factory=list)
    language: Language | None = Field(None, description="planner addition: overrides the mission's language")


class GroupEntry(Entry):
    """A track, delegation or sector group: naming it names every delegate it contains."""

    id: Id
    name: Text | None = None
    kind: Text | None = None
    members: list[Id] = Field(description="delegate and group ids")


class AfterReference(Entry):
    """This activity starts at least `gap` after activity `id` ends."""

    id: Id
    gap: Duration = 0


def _after_form(value: Any) -> str:
    return "reference" if isinstance(value, dict) else "id"


AfterItem = Annotated[
    Annotated[Id, Tag("id")] | Annotated[AfterReference, Tag("reference")],
    Discriminator(_after_form),
]
# The tags above are not keys of the file; the loader skips them when it maps an error to a position.
AFTER_TAGS = ("id", "reference")


class ActivityEntry(Entry):
    """Something to schedule: at one of its venues, for its duration, with its attendees."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["venue"]}, {"required": ["venues"]}]}
    )

    id: Id
    title: Text
    kind: Text = "meeting"
    venue: Id | None = None
    venues: list[Id] | None = None
    duration: PositiveDuration
    attendees: list[Id]
    optional_attendees: list[Id] = Field(default_factory=list)
    fixed: DateTimeValue | None = None
    windows: list[WindowValue] = Field(default_factory=list)
    dates: list[DateValue] = Field(default_factory=list)
    after: list[AfterItem] = Field(default_factory=list)
    priority: Priority = Field(None, json_schema_extra={"default": "required"})
    description: LongText | None = None
    pinned: StrictBool = False
    """Re-planning keeps it at its baseline start (docs/replanning.md)."""
    meetings: MeetingsSetting | None = Field(
        None, description="makes the activity a B2B session (docs/b2b.md)")


class MeetingsSetting(Entry):
    """Makes the activity a B2B session (docs/b2b.md): back-to-back slots from its start to its end."""

    slot: PositiveDuration = Field(description="one meeting's length; divides the activity's duration")
    tables: PositiveCount = Field(description="at most this many meetings at once")


class CounterpartEntry(Entry):
    """Someone met in B2B sessions who is not a delegate (docs/b2b.md)."""

    id: Id
    name: Text
    organisation: Text | None = None
    email: Email | None = None
    size: PositiveCount = Field(1, description="headcount")
    unavailable: list[WindowValue] = Field(default_factory=list)
    sessions: list[Id] | None = Field(
        None, description="the B2B sessions they come to (default: every session)")
    language: Language | None = Field(None, description="planner addition: overrides the mission's language")


class MeetingRequestEntry(Entry):
    """A B2B meeting request: its participants meet once, in one slot of a session (docs/b2b.md)."""

    with_: list[Id] = Field(alias="with", description="two or more delegate, group or counterpart ids")
    priority: Priority = Field(1, json_schema_extra={"default": 1})
    sessions: list[Id] | None = Field(
        None, description="the sessions it may go to (default: any they all attend)")


class AccompanyBody(Entry):
    """`who` attends every scheduled activity of the listed kinds that `with` attends."""

    who: Id
    with_: Id = Field(alias="with")
    kinds: list[Text] | None = None


class MinGapBody(Entry):
    """Between two consecutive activities of a delegate: the travel time plus `gap`."""

    who: Id
    gap: Duration


class LunchBody(Entry):
    """A free stretch of `duration` inside `between` on every date a delegate attends anything."""

    who: Id
    between: TimeRange
    duration: PositiveDuration


CORE_RULE_BODIES: dict[str, type[Entry]] = {
    "accompany": AccompanyBody, "min_gap": MinGapBody, "lunch": LunchBody}
"""The entries of the rule kinds the core families handle; the others' are declared in the registry."""

RULE_KINDS = VERSION_1_KINDS + tuple(key for key in rule_kinds() if key not in VERSION_1_KINDS)
"""Every rule kind: those of version 1 of the format in the spec's order, then the registry's others."""

RULE_BODIES: dict[str, type[Entry]] = {
    key: CORE_RULE_BODIES[key] if key in CORE_RULE_BODIES else rule_kinds()[key].body for key in RULE_KINDS}
"""Each rule kind → the model of the entry under its key (a workbook's Rules sheet has a column per key)."""

_RULE_KEYS: dict[str, Any] = {  # the registry's kinds are keys of the entry too
    "id": (Id | None, Field(None, description="planner addition: the rule's id (default <kind>-<n>)")),
    **{key: (body | None, None) for key, body in RULE_BODIES.items()},
}

if TYPE_CHECKING:

    class RuleEntry(Entry):
        """What the type checker knows of a rule entry, whose keys are built at run time from the registry:
        its id (the resolver reads each kind with getattr)."""

        id: str | None

else:
    RuleEntry = create_model(
        "RuleEntry",
        __base__=Entry,
        __doc__="Exactly one of the rule keys; `id` (an addition to version 1) names the rule in reports.",
        **_RULE_KEYS,
    )
RuleEntry.model_config["json_schema_extra"] = {"oneOf": [{"required": [kind]} for kind in RULE_KINDS]}
RuleEntry.model_rebuild(force=True)


class LodgingEntry(Entry):
    """planner addition: the hotel of a leg, for everyone or for `who`; a day's first trip starts there and
    its last ends there."""

    city: Text = Field(description="the leg's city")
    venue: Id = Field(description="the hotel: a venue of that city")
    who: Id | None = Field(None, description="a delegate or group id (default: everyone on the leg)")
    leave: TimeOfDay | None = Field(
        None, description='earliest departure from the hotel, "HH:MM" (default: the working day\'s start)')


class MissionFile(Entry):
    """A whole mission file (version 1)."""

    model_config = ConfigDict(title="planner mission (version 1)")

    mission: MissionHeader
    legs: list[LegEntry] = Field(min_length=1)
    venues: list[VenueEntry] = Field(min_length=1)
    travel: TravelSection | None = None
    delegates: list[DelegateEntry]
    groups: list[GroupEntry] | None = None
    activities: list[ActivityEntry]
    rules: list[RuleEntry] | None = None
    counterparts: list[CounterpartEntry] | None = None
    meetings: list[MeetingRequestEntry] | None = None
    lodging: list[LodgingEntry] | None = Field(None, description="planner addition: hotels per leg")
    # Optional sections may be left empty (`groups:` alone is null in YAML); the loader reads that as none.


SECTION_ENTRIES: dict[str, type[Entry]] = {
    "legs": LegEntry,
    "venues": VenueEntry,
    "delegates": DelegateEntry,
    "groups": GroupEntry,
    "activities": ActivityEntry,
    "rules": RuleEntry,
    "counterparts": CounterpartEntry,
    "meetings": MeetingRequestEntry,
    "lodging": LodgingEntry,
}
"""Sections that are lists of entries; each entry is validated on its own so one bad entry hides nothing."""

SECTION_SINGLE: dict[str, type[Entry]] = {"mission": MissionHeader, "travel": TravelSection}

REQUIRED_SECTIONS = ("mission", "legs", "venues", "delegates", "activities")
