"""The mission file as written: pydantic models of its raw shape (version 1 of the mission format).

These models are the single source of both the loader's first validation pass and the JSON Schema that
`planner schema` prints, so the two cannot drift. They check what one entry can check on its own (keys,
scalar forms, ranges); everything that spans entries (ids, legs, time zones, travel) is the resolver's job in
`planner.mission.load`. Scalars are parsed here into plain values: durations and times of day to whole minutes,
dates to `date`, datetimes to `WrittenDateTime` (resolved to an instant once the legs are known).

Every validator raises `PydanticCustomError` with a message for a person: what is wrong and what to write.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from difflib import get_close_matches
from functools import lru_cache
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PlainValidator, Tag, WithJsonSchema
from pydantic_core import PydanticCustomError

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
ID_PATTERN_TEXT = "^[a-z0-9][a-z0-9_-]*$"
DURATION_PATTERN = re.compile(r"\s*(?:(?P<hours>\d+)\s*h)?\s*(?:(?P<minutes>\d+)\s*m(?:in)?)?\s*")
DURATION_PATTERN_TEXT = r"^\s*(\d+\s*h)?\s*(\d+\s*m(in)?)?\s*$|^\s*\d+\s*$"
TIME_OF_DAY_PATTERN = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})")
TIME_OF_DAY_PATTERN_TEXT = r"^\s*(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)\s*$"
DATE_PATTERN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
LONGEST_DURATION = 366 * 24 * 60
FIRST_YEAR, LAST_YEAR = 1900, 2999
"""Dates outside these years are typing mistakes, and far enough from the ends of `datetime`'s range that
time-zone arithmetic near them cannot overflow."""
DATE_PATTERN_TEXT = r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$"
DATETIME_PATTERN = re.compile(
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?"
)
DATETIME_PATTERN_TEXT = r"^\s*\d{4}-\d{1,2}-\d{1,2}[ T]+\d{1,2}:\d{2}(:\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _shown(value: Any) -> str:
    """The value as the person wrote it, short enough for one line."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- scalars ----------------------------------------------------------------------------------------------


def parse_duration(value: Any) -> int:
    """`90m`, `2h`, `1h30m`, `90` or the integer 90: a whole, non-negative number of minutes, up to a year."""
    minutes: int | None = None
    if _is_number(value):
        if isinstance(value, float) and not value.is_integer():
            raise _fail(
                "duration", f"{_shown(value)} is not a whole number of minutes; write e.g. 90m or 1h30m"
            )
        if value < 0:
            raise _fail("duration", f"{_shown(value)} is negative; a duration is 0 or more minutes, e.g. 15m")
        minutes = int(value)
    elif isinstance(value, str):
        text = value.strip()
        match = DURATION_PATTERN.fullmatch(text)
        if text.isdecimal():
            minutes = int(text)
        elif match and (match["hours"] or match["minutes"]):
            minutes = int(match["hours"] or 0) * 60 + int(match["minutes"] or 0)
    if minutes is None:
        raise _fail("duration", f"`{_shown(value)}` is not a duration; write 90m, 1h30m or 90 (minutes)")
    if minutes > LONGEST_DURATION:
        raise _fail(
            "duration",
            f"{_shown(value)} is longer than a year; write minutes (90), hours and minutes (1h30m), e.g. 2h",
        )
    return minutes


def parse_positive_duration(value: Any) -> int:
    minutes = parse_duration(value)
    if minutes == 0:
        raise _fail("duration", "a duration of 0 minutes; write at least 1m, e.g. 30m")
    return minutes


def parse_time_of_day(value: Any) -> int:
    """`"08:30"` → 510 minutes after local midnight; `"24:00"` is the end of the day."""
    if isinstance(value, str):
        match = TIME_OF_DAY_PATTERN.fullmatch(value.strip())
        if match:
            hour, minute = int(match["hour"]), int(match["minute"])
            if (hour < 24 and minute < 60) or (hour == 24 and minute == 0):
                return hour * 60 + minute
        raise _fail(
            "time_of_day",
            f'`{_shown(value)}` is not a time of day; write "HH:MM" on a 24-hour clock, '
            'from "00:00" to "24:00", e.g. "08:30"',
        )
    raise _fail(
        "time_of_day", f'{_shown(value)} is not a time of day; write it in quotes as "HH:MM", e.g. "08:30"'
    )


def parse_date(value: Any) -> date:
    """`2025-10-06` (the loader keeps YAML timestamps as text, so quoted and unquoted read alike)."""
    if isinstance(value, datetime):
        raise _fail("date", f"{_shown(str(value))} has a time; write the date alone, e.g. 2025-10-06")
    if isinstance(value, date):
        return parse_date(value.isoformat())
    if isinstance(value, str):
        match = DATE_PATTERN.fullmatch(value.strip())
        if match:
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise _fail(
                    "date", f"`{_shown(value)}` is no day of the calendar; write YYYY-MM-DD, e.g. 2025-10-06"
                ) from None
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise _fail(
                    "date",
                    f"`{_shown(value)}` is not a year planner plans for; write a date from "
                    f"{FIRST_YEAR} to {LAST_YEAR}",
                )
            return day
    raise _fail("date", f"`{_shown(value)}` is not a date; write YYYY-MM-DD, e.g. 2025-10-06")


@dataclass(frozen=True, slots=True)
class WrittenDateTime:
    """A datetime as written: a date, minutes after its local midnight (up to 1440), and an offset if given.

    It becomes an instant only once the loader knows which leg's time zone applies.
    """

    day: date
    minute: int
    offset: timezone | None = None

    def __str__(self) -> str:
        hour, minute = divmod(self.minute, 60)
        return f"{self.day.isoformat()} {hour:02d}:{minute:02d}"

    def naive(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day) + timedelta(minutes=self.minute)


def parse_datetime(value: Any) -> WrittenDateTime:
    """`"2025-10-06 09:30"` (local time of the leg) or `2025-10-06T09:30-07:00`; `24:00` ends the day."""
    example = 'write "YYYY-MM-DD HH:MM", e.g. "2025-10-06 09:30"'
    if isinstance(value, datetime):
        offset = value.utcoffset()
        return WrittenDateTime(
            parse_date(value.date()),
            value.hour * 60 + value.minute,
            timezone(offset) if offset is not None else None,
        )
    if isinstance(value, date):
        raise _fail("datetime", f"{value.isoformat()} has no time of day; {example}")
    if isinstance(value, str):
        match = DATETIME_PATTERN.fullmatch(value.strip())
        if match:
            day = parse_date(match["date"])
            hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
            if second:
                raise _fail(
                    "datetime", f"`{_shown(value)}` has seconds; planner works in whole minutes; {example}"
                )
            if not ((hour < 24 and minute < 60) or (hour == 24 and minute == 0)):
                raise _fail("datetime", f"`{_shown(value)}` has no such time of day; {example}")
            offset = None
            if match["offset"]:
                text = match["offset"].replace(":", "")
                if text == "Z":
                    offset = timezone.utc
                else:
                    sign = -1 if text[0] == "-" else 1
                    hours, minutes = int(text[1:3]), int(text[3:5])
                    if hours > 23 or minutes > 59:
                        raise _fail("datetime", f"`{_shown(value)}` has an impossible offset; e.g. -07:00")
                    offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
            return WrittenDateTime(day, hour * 60 + minute, offset)
    raise _fail("datetime", f"`{_shown(value)}` is not a datetime; {example}")


def parse_window(value: Any) -> tuple[WrittenDateTime, WrittenDateTime]:
    """`["2025-10-06 09:00", "2025-10-06 12:00"]`: start and end of a half-open interval."""
    example = 'write ["2025-10-06 09:00", "2025-10-06 12:00"]'
    if isinstance(value, str):
        raise _fail(
            "window",
            f"`{_shown(value)}` alone is not a window; a window is [start, end], and `windows` "
            'or `unavailable` a list of them: write [["2025-10-06 09:00", "2025-10-06 12:00"]]',
        )
    if not isinstance(value, list) or len(value) != 2:
        raise _fail("window", f"a window is a list of two datetimes, [start, end]; {example}")
    return parse_datetime(value[0]), parse_datetime(value[1])


def parse_time_range(value: Any) -> tuple[int, int]:
    """`["09:00", "17:00"]`: a daily range whose end is after its start."""
    if isinstance(value, str):
        raise _fail(
            "time_range",
            f"`{_shown(value)}` alone is not a daily range; a range is [start, end], and "
            '`open` a list of them: write [["09:00", "17:00"]]',
        )
    if not isinstance(value, list) or len(value) != 2:
        raise _fail("time_range", 'a daily range is a list of two times of day; write ["09:00", "17:00"]')
    start, end = parse_time_of_day(value[0]), parse_time_of_day(value[1])
    if end <= start:
        raise _fail(
            "time_range",
            f"the range ends ({value[1]}) before or when it starts ({value[0]}); "
            'the end must be later on the same day, e.g. ["09:00", "17:00"]',
        )
    return start, end


def parse_geo(value: Any) -> tuple[float, float]:
    """`[37.7924, -122.4102]`: latitude in [-90, 90], longitude in [-180, 180]."""
    if not isinstance(value, list) or len(value) != 2 or not all(_is_number(part) for part in value):
        raise _fail("geo", "geo is [latitude, longitude] in degrees; write e.g. [37.7924, -122.4102]")
    latitude, longitude = float(value[0]), float(value[1])
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise _fail(
            "geo", f"latitude {value[0]} is out of range; it lies between -90 and 90 (write [lat, lon])"
        )
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise _fail(
            "geo", f"longitude {value[1]} is out of range; it lies between -180 and 180 (write [lat, lon])"
        )
    return latitude, longitude


def suggest_id(text: str) -> str:
    """The id a person probably meant: lower-case, spaces and other characters turned into `-`."""
    candidate = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return candidate or "my-id"


def parse_id(value: Any) -> str:
    """An id: `[a-z0-9][a-z0-9_-]*`; a bare number such as 2025 is read as the id "2025"."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if isinstance(value, str):
        if ID_PATTERN.fullmatch(value):
            return value
        raise _fail(
            "id",
            f"`{_shown(value)}` is not a valid id; use lower-case letters, digits, `-` and `_`, "
            f"starting with a letter or digit, e.g. `{suggest_id(value)}`",
        )
    if isinstance(value, (list, dict)):
        raise _fail(
            "id",
            f"expected an id, found a {'list' if isinstance(value, list) else 'mapping'}; write the "
            "id alone, e.g. `fairmont`, without brackets",
        )
    raise _fail(
        "id",
        f"{_shown(value)} is not an id; write a word such as `fairmont` "
        "(lower-case letters, digits, `-`, `_`)",
    )


def parse_text(value: Any) -> str:
    """Free text; a number or date written bare is read as its text."""
    if value is None:
        raise _fail("text", "empty; write the text, or leave the key out if it is optional")
    if isinstance(value, bool):
        raise _fail("text", f"expected text, found {_shown(value)}; write the text, in quotes if need be")
    if isinstance(value, (str, int, float, date)):
        text = value.isoformat() if isinstance(value, date) else str(value)
        if text.strip():
            return text
        raise _fail("text", "empty text; write something, or leave the key out if it is optional")
    raise _fail(
        "text",
        f"expected text, found a {'list' if isinstance(value, list) else 'mapping'}; "
        "write plain text, in quotes if it contains `: ` or starts with `[` or `{`",
    )


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _zone_loads(name: str) -> bool:
    """Some valid keys (`UTC` without the tzdata package, for one) are missing from the list of names."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def parse_timezone(value: Any) -> str:
    """An IANA time zone name such as `America/Los_Angeles`."""
    if isinstance(value, str) and value.strip():
        name = value.strip()
        if name in _zone_names() or _zone_loads(name):
            return name
        same_letters = [zone for zone in _zone_names() if zone.lower() == name.lower().replace(" ", "_")]
        close = same_letters or get_close_matches(name, _zone_names(), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "write an IANA name such as `America/Los_Angeles`"
        raise _fail("timezone", f"`{_shown(value)}` is not a known IANA time zone; {hint}")
    raise _fail(
        "timezone", f"{_shown(value)} is not a time zone; write an IANA name such as `Europe/Brussels`"
    )


def parse_email(value: Any) -> str:
    text = parse_text(value).strip()
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return text
    raise _fail("email", f"`{_shown(text)}` is not an e-mail address; write e.g. name@example.org")


def parse_priority(value: Any) -> int | None:
    """`required` → None; otherwise a weight 1–1000."""
    if value == "required":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
        return value
    raise _fail(
        "priority",
        f"priority `{_shown(value)}` is neither `required` nor a weight from 1 to 1000; "
        "write `required` or e.g. 50",
    )


def _whole_number(minimum: int, maximum: int | None = None):
    def parse(value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            if value < minimum:
                raise _fail(
                    "number", f"{value} is below {minimum}; write a whole number of at least {minimum}"
                )
            if maximum is not None and value > maximum:
                raise _fail("number", f"{value} is above {maximum}; write a whole number up to {maximum}")
            return value
        raise _fail("number", f"`{_shown(value)}` is not a whole number; write e.g. {max(minimum, 1)}")

    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return Annotated[int, PlainValidator(parse), WithJsonSchema(schema)]


def _number_between(low: float, high: float, example: str):
    """A finite number in [low, high]: bounds keep computed travel times finite and meaningful."""

    def parse(value: Any) -> float:
        if _is_number(value) and math.isfinite(value) and low <= value <= high:
            return float(value)
        raise _fail(
            "number", f"`{_shown(value)}` is not a number from {low:g} to {high:g}; write e.g. {example}"
        )

    return Annotated[
        float, PlainValidator(parse), WithJsonSchema({"type": "number", "minimum": low, "maximum": high})
    ]


_DURATION_SCHEMA = {
    "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": DURATION_PATTERN_TEXT}],
    "description": "minutes: 90m, 2h, 1h30m, or an integer",
}
Duration = Annotated[int, PlainValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
PositiveDuration = Annotated[
    int,
    PlainValidator(parse_positive_duration),
    WithJsonSchema(
        {
            **_DURATION_SCHEMA,
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": DURATION_PATTERN_TEXT},
            ],
        }
    ),
]
TimeOfDay = Annotated[
    int,
    PlainValidator(parse_time_of_day),
    WithJsonSchema(
        {"type": "string", "pattern": TIME_OF_DAY_PATTERN_TEXT, "description": '"HH:MM", 24-hour clock'}
    ),
]
DateValue = Annotated[
    date,
    PlainValidator(parse_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN_TEXT, "description": "YYYY-MM-DD"}),
]
_DATETIME_SCHEMA = {
    "type": "string",
    "pattern": DATETIME_PATTERN_TEXT,
    "description": '"YYYY-MM-DD HH:MM", local time of the leg; or with an offset',
}
DateTimeValue = Annotated[WrittenDateTime, PlainValidator(parse_datetime), WithJsonSchema(_DATETIME_SCHEMA)]
WindowValue = Annotated[
    tuple[WrittenDateTime, WrittenDateTime],
    PlainValidator(parse_window),
    WithJsonSchema(
        {
            "type": "array",
            "items": _DATETIME_SCHEMA,
            "minItems": 2,
            "maxItems": 2,
            "description": "[start, end): a half-open interval",
        }
    ),
]
TimeRange = Annotated[
    tuple[int, int],
    PlainValidator(parse_time_range),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "string", "pattern": TIME_OF_DAY_PATTERN_TEXT},
            "minItems": 2,
            "maxItems": 2,
            "description": '["HH:MM", "HH:MM"]',
        }
    ),
]
Geo = Annotated[
    tuple[float, float],
    PlainValidator(parse_geo),
    WithJsonSchema(
        {
            "type": "array",
            "prefixItems": [
                {"type": "number", "minimum": -90, "maximum": 90},
                {"type": "number", "minimum": -180, "maximum": 180},
            ],
            "minItems": 2,
            "maxItems": 2,
            "description": "[latitude, longitude] in degrees",
        }
    ),
]
Id = Annotated[
    str,
    PlainValidator(parse_id),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": ID_PATTERN_TEXT}, {"type": "integer", "minimum": 0}]}
    ),
]
Text = Annotated[str, PlainValidator(parse_text), WithJsonSchema({"type": ["string", "number"]})]
Timezone = Annotated[
    str,
    PlainValidator(parse_timezone),
    WithJsonSchema({"type": "string", "description": "IANA time zone, e.g. America/Los_Angeles"}),
]
Email = Annotated[str, PlainValidator(parse_email), WithJsonSchema({"type": "string", "format": "email"})]
Priority = Annotated[
    Union[int, None],
    PlainValidator(parse_priority),
    WithJsonSchema({"anyOf": [{"const": "required"}, {"type": "integer", "minimum": 1, "maximum": 1000}]}),
]
# Upper bounds keep the numbers a solver multiplies (headcounts, weights) far inside 64-bit integers.
PositiveCount = _whole_number(1, 1_000_000)
Count = _whole_number(0, 1_000_000)
Speed = _number_between(1, 1000, "35")
Detour = _number_between(1, 10, "1.3")


def parse_travel_time(value: Any) -> tuple[str, str, int]:
    """`[venue_a, venue_b, duration]`."""
    if not isinstance(value, list) or len(value) != 3:
        raise _fail(
            "travel_time", "a travel time is [venue_a, venue_b, duration]; write e.g. [fairmont, google, 75m]"
        )
    return parse_id(value[0]), parse_id(value[1]), parse_duration(value[2])


TravelTime = Annotated[
    tuple[str, str, int],
    PlainValidator(parse_travel_time),
    WithJsonSchema(
        {
            "type": "array",
            "minItems": 3,
            "maxItems": 3,
            "prefixItems": [
                Id.__metadata__[-1].json_schema,
                Id.__metadata__[-1].json_schema,
                _DURATION_SCHEMA,
            ],
            "description": "[venue_a, venue_b, duration], symmetric; the whole time, buffer included",
        }
    ),
]


# --- entries ----------------------------------------------------------------------------------------------


class Entry(BaseModel):
    """Unknown keys are errors: a misspelt optional key would otherwise be silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True)


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
    address: Text | None = None
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
    Union[Annotated[Id, Tag("id")], Annotated[AfterReference, Tag("reference")]],
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
    description: Text | None = None


class AccompanyBody(Entry):
    """`who` attends every scheduled activity of the listed kinds that `with` attends."""

    who: Id
    with_: Id = Field(alias="with")
    kinds: list[Text] | None = None


class MaxPerDayBody(Entry):
    """Each delegate of `who` attends at most `count` activities (of `kinds`) per local date."""

    who: Id
    count: Count
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


RULE_KINDS = ("accompany", "max_per_day", "min_gap", "lunch")


class RuleEntry(Entry):
    """Exactly one of the rule keys; `id` (an addition to version 1) names the rule in reports."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": [kind]} for kind in RULE_KINDS]})

    id: Id | None = Field(None, description="planner addition: the rule's id (default <kind>-<n>)")
    accompany: AccompanyBody | None = None
    max_per_day: MaxPerDayBody | None = None
    min_gap: MinGapBody | None = None
    lunch: LunchBody | None = None


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
    # Optional sections may be left empty (`groups:` alone is null in YAML); the loader reads that as none.


SECTION_ENTRIES: dict[str, type[Entry]] = {
    "legs": LegEntry,
    "venues": VenueEntry,
    "delegates": DelegateEntry,
    "groups": GroupEntry,
    "activities": ActivityEntry,
    "rules": RuleEntry,
}
"""Sections that are lists of entries; each entry is validated on its own so one bad entry hides nothing."""

SECTION_SINGLE: dict[str, type[Entry]] = {"mission": MissionHeader, "travel": TravelSection}

REQUIRED_SECTIONS = ("mission", "legs", "venues", "delegates", "activities")
