"""Scalars of the mission format as written → plain values, each with a message for a person when wrong.

Durations and times of day become whole minutes, dates `date`, datetimes `WrittenDateTime` (an instant only
once the loader knows the leg's time zone); ids, text, time zones, e-mail addresses, priorities, numbers and
travel times are checked and normalised. Every parser raises `PydanticCustomError`: what is wrong and what
to write instead. The pydantic models of `planner.mission.schema` apply them to each field.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from difflib import get_close_matches
from functools import lru_cache
from typing import Any

from pydantic_core import PydanticCustomError

from planner.domain import LANGUAGES
from planner.mission.date_orders import written_day_first
from planner.mission.hints import written
from planner.mission.limits import DEFAULT_TEXT_LIMIT, MAX_ID_LENGTH, too_long_message
from planner.text.control import control_character_message, shortened

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


def fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def shown(value: Any) -> str:
    """The value as the person wrote it (YAML flow style for a list or mapping), short enough for one line."""
    text = written(value)
    return shortened(text)


def refuse_many(value: Any, kind: str, what: str, example: str, parse: Callable[[Any], Any]) -> None:
    """A list or mapping where one value belongs: `duration: [90m]` is a list, and the person most likely
    meant the one value in it, which the message offers when `parse` reads it."""
    if isinstance(value, list) and len(value) == 1 and _reads(parse, value[0]):
        raise fail(kind, f"`{shown(value)}` is a list; write the {what} alone, without brackets: "
                         f"{shown(value[0])}")
    if isinstance(value, (list, dict)):
        raise fail(kind, f"`{shown(value)}` is a {'list' if isinstance(value, list) else 'mapping'}; "
                         f"write one {what}, e.g. {example}")


def _reads(parse: Callable[[Any], Any], value: Any) -> bool:
    if isinstance(value, (list, dict)):
        return False
    try:
        parse(value)
    except PydanticCustomError:
        return False
    return True


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- scalars ----------------------------------------------------------------------------------------------


def parse_duration(value: Any) -> int:
    """`90m`, `2h`, `1h30m`, `90` or the integer 90: a whole, non-negative number of minutes, up to a year."""
    refuse_many(value, "duration", "duration", "90m", parse_duration)
    minutes: int | None = None
    if is_number(value):
        if isinstance(value, float) and not value.is_integer():
            raise fail(
                "duration", f"{shown(value)} is not a whole number of minutes; write e.g. 90m or 1h30m"
            )
        if value < 0:
            raise fail("duration", f"{shown(value)} is negative; a duration is 0 or more minutes, e.g. 15m")
        minutes = int(value)
    elif isinstance(value, str):
        text = value.strip()
        match = DURATION_PATTERN.fullmatch(text)
        if text.isdecimal():
            minutes = int(text)
        elif match and (match["hours"] or match["minutes"]):
            minutes = int(match["hours"] or 0) * 60 + int(match["minutes"] or 0)
    if minutes is None:
        raise fail("duration", f"`{shown(value)}` is not a duration; write 90m, 1h30m or 90 (minutes)")
    if minutes > LONGEST_DURATION:
        raise fail(
            "duration",
            f"{shown(value)} is longer than a year; write minutes (90), hours and minutes (1h30m), e.g. 2h",
        )
    return minutes


def parse_positive_duration(value: Any) -> int:
    minutes = parse_duration(value)
    if minutes == 0:
        raise fail("duration", "a duration of 0 minutes; write at least 1m, e.g. 30m")
    return minutes


def parse_time_of_day(value: Any) -> int:
    """`"08:30"` → 510 minutes after local midnight; `"24:00"` is the end of the day."""
    refuse_many(value, "time_of_day", "time of day", '"08:30"', parse_time_of_day)
    if isinstance(value, str):
        match = TIME_OF_DAY_PATTERN.fullmatch(value.strip())
        if match:
            hour, minute = int(match["hour"]), int(match["minute"])
            if (hour < 24 and minute < 60) or (hour == 24 and minute == 0):
                return hour * 60 + minute
        raise fail(
            "time_of_day",
            f'`{shown(value)}` is not a time of day; write "HH:MM" on a 24-hour clock, '
            'from "00:00" to "24:00", e.g. "08:30"',
        )
    raise fail(
        "time_of_day", f'`{shown(value)}` is not a time of day; write it in quotes as "HH:MM", e.g. "08:30"'
    )


def parse_date(value: Any) -> date:
    """`2025-10-06` (the loader keeps YAML timestamps as text, so quoted and unquoted read alike)."""
    refuse_many(value, "date", "date", "2025-10-06", parse_date)
    if isinstance(value, datetime):
        raise fail("date", f"{shown(str(value))} has a time; write the date alone, e.g. 2025-10-06")
    if isinstance(value, date):
        return parse_date(value.isoformat())
    if isinstance(value, str):
        match = DATE_PATTERN.fullmatch(value.strip())
        if match:
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise fail(
                    "date", f"`{shown(value)}` is no day of the calendar; write YYYY-MM-DD, e.g. 2025-10-06"
                ) from None
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise fail(
                    "date",
                    f"`{shown(value)}` is not a year planner plans for; write a date from "
                    f"{FIRST_YEAR} to {LAST_YEAR}",
                )
            return day
        hint = written_day_first(value.strip())
        if hint is not None:
            raise fail("date", f"`{shown(value)}` is not in the form planner reads; {hint}")
    raise fail("date", f"`{shown(value)}` is not a date; write YYYY-MM-DD, e.g. 2025-10-06")



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
    refuse_many(value, "datetime", "datetime", '"2025-10-06 09:30"', parse_datetime)
    if isinstance(value, datetime):
        difference = value.utcoffset()
        return WrittenDateTime(
            parse_date(value.date()),
            value.hour * 60 + value.minute,
            timezone(difference) if difference is not None else None,
        )
    if isinstance(value, date):
        raise fail("datetime", f"{value.isoformat()} has no time of day; {example}")
    if isinstance(value, str):
        match = DATETIME_PATTERN.fullmatch(value.strip())
        if match:
            day = parse_date(match["date"])
            hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
            if second:
                raise fail(
                    "datetime", f"`{shown(value)}` has seconds; planner works in whole minutes; {example}"
                )
            if not ((hour < 24 and minute < 60) or (hour == 24 and minute == 0)):
                raise fail("datetime", f"`{shown(value)}` has no such time of day; {example}")
            offset: timezone | None = None
            if match["offset"]:
                text = match["offset"].replace(":", "")
                if text == "Z":
                    offset = UTC
                else:
                    sign = -1 if text[0] == "-" else 1
                    hours, minutes = int(text[1:3]), int(text[3:5])
                    if hours > 23 or minutes > 59:
                        raise fail("datetime", f"`{shown(value)}` has an impossible offset; e.g. -07:00")
                    offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
            return WrittenDateTime(day, hour * 60 + minute, offset)
        written_date, _, time_of_day = value.strip().partition(" ")
        if TIME_OF_DAY_PATTERN.fullmatch(time_of_day.strip()):
            hint = written_day_first(written_date, time_of_day.strip().zfill(5))
            if hint is not None:
                raise fail("datetime", f"`{shown(value)}` is not in the form planner reads; {hint}")
    raise fail("datetime", f"`{shown(value)}` is not a datetime; {example}")


def parse_window(value: Any) -> tuple[WrittenDateTime, WrittenDateTime]:
    """`["2025-10-06 09:00", "2025-10-06 12:00"]`: start and end of a half-open interval; two dates alone
    (`["2025-10-06", "2025-10-07"]`) are those days whole, from the first's start to the last's end."""
    example = 'write ["2025-10-06 09:00", "2025-10-06 12:00"]'
    if isinstance(value, str):
        raise fail(
            "window",
            f"`{shown(value)}` alone is not a window; a window is [start, end], and `windows` "
            'or `unavailable` a list of them: write [["2025-10-06 09:00", "2025-10-06 12:00"]]',
        )
    if not isinstance(value, list) or len(value) != 2:
        raise fail("window", f"a window is a list of two datetimes, [start, end]; {example}")
    if all(_whole_day(end) for end in value):
        # ["2025-10-06", "2025-10-07"]: those days whole, as a person blocks days in a diary
        return WrittenDateTime(parse_date(value[0]), 0), WrittenDateTime(parse_date(value[1]), DAY_MINUTES)
    return parse_datetime(value[0]), parse_datetime(value[1])


DAY_MINUTES = 24 * 60


def _whole_day(value: Any) -> bool:
    """A window's end written as a date alone (`2025-10-06`), which means the whole of that day."""
    if isinstance(value, datetime):
        return False
    if isinstance(value, date):
        return True
    return isinstance(value, str) and DATE_PATTERN.fullmatch(value.strip()) is not None


def parse_time_range(value: Any) -> tuple[int, int]:
    """`["09:00", "17:00"]`: a daily range whose end is after its start."""
    if isinstance(value, str):
        raise fail(
            "time_range",
            f"`{shown(value)}` alone is not a daily range; a range is [start, end], and "
            '`open` a list of them: write [["09:00", "17:00"]]',
        )
    if not isinstance(value, list) or len(value) != 2:
        raise fail("time_range", 'a daily range is a list of two times of day; write ["09:00", "17:00"]')
    start, end = parse_time_of_day(value[0]), parse_time_of_day(value[1])
    if end <= start:
        raise fail(
            "time_range",
            f"the range ends ({value[1]}) before or when it starts ({value[0]}); "
            'the end must be later on the same day, e.g. ["09:00", "17:00"]',
        )
    return start, end


def parse_geo(value: Any) -> tuple[float, float]:
    """`[37.7924, -122.4102]`: latitude in [-90, 90], longitude in [-180, 180]."""
    if not isinstance(value, list) or len(value) != 2 or not all(is_number(part) for part in value):
        raise fail("geo", "geo is [latitude, longitude] in degrees; write e.g. [37.7924, -122.4102]")
    latitude, longitude = float(value[0]), float(value[1])
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise fail(
            "geo", f"latitude {value[0]} is out of range; it lies between -90 and 90 (write [lat, lon])"
        )
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise fail(
            "geo", f"longitude {value[1]} is out of range; it lies between -180 and 180 (write [lat, lon])"
        )
    return latitude, longitude


def suggest_id(text: str) -> str:
    """The id a person probably meant: lower-case, spaces and other characters turned into `-`."""
    candidate = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return candidate or "my-id"


def id_example(value: str) -> str:
    """How an invalid id's message ends: the id it probably meant, as an example (`, e.g. `sonaca``); a
    reference's message puts an id the file defines in its place (planner.mission.shapes)."""
    return f", e.g. `{suggest_id(value)}`"


def parse_id(value: Any) -> str:
    """An id: `[a-z0-9][a-z0-9_-]*`; a bare number such as 2025 is read as the id "2025"."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
        raise fail("id", f"`{shown(value)}` is {len(value):,} characters long; an id may hold at most "
                         f"{MAX_ID_LENGTH}: shorten it, e.g. `{suggest_id(value[:MAX_ID_LENGTH // 2])}`")
    if isinstance(value, str):
        if ID_PATTERN.fullmatch(value):
            return value
        raise fail(
            "id",
            f"`{shown(value)}` is not a valid id; use lower-case letters, digits, `-` and `_`, "
            f"starting with a letter or digit{id_example(value)}",
        )
    if isinstance(value, (list, dict)):
        raise fail(
            "id",
            f"expected an id, found a {'list' if isinstance(value, list) else 'mapping'}; write the "
            "id alone, e.g. `fairmont`, without brackets",
        )
    raise fail(
        "id",
        f"`{shown(value)}` is not an id; write a word such as `fairmont` "
        "(lower-case letters, digits, `-`, `_`)",
    )


def parse_text(value: Any, limit: int = DEFAULT_TEXT_LIMIT) -> str:
    """Free text; a number or date written bare is read as its text. At most `limit` characters, and no
    control character but tab and line feed (docs/limits.md)."""
    if isinstance(value, str):
        problem = too_long_message(len(value), limit) or control_character_message(value, "the text")
        if problem:
            raise fail("text", problem)
    if value is None:
        raise fail("text", "empty; write the text, or leave the key out if it is optional")
    if isinstance(value, bool):
        raise fail("text", f"expected text, found `{shown(value)}`; write the text, in quotes if need be")
    if isinstance(value, (str, int, float, date)):
        text = value.isoformat() if isinstance(value, date) else str(value)
        if text.strip():
            return text
        raise fail("text", "empty text; write something, or leave the key out if it is optional")
    raise fail(
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
    refuse_many(value, "timezone", "time zone", "`Europe/Brussels`", parse_timezone)
    if isinstance(value, str) and value.strip() and len(value) <= MAX_ID_LENGTH:
        name = value.strip()
        if name in _zone_names() or _zone_loads(name):
            return name
        same_letters = [zone for zone in _zone_names() if zone.lower() == name.lower().replace(" ", "_")]
        close = same_letters or get_close_matches(name, _zone_names(), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "write an IANA name such as `America/Los_Angeles`"
        raise fail("timezone", f"`{shown(value)}` is not a known IANA time zone; {hint}")
    raise fail(
        "timezone", f"`{shown(value)}` is not a time zone; write an IANA name such as `Europe/Brussels`"
    )


def parse_language(value: Any) -> str:
    """A language the outputs speak: `en`, `fr`, `nl` or `de` (ISO 639-1, any case)."""
    choices = ", ".join(f"`{code}`" for code in LANGUAGES)
    refuse_many(value, "language", "language", "`en`", parse_language)
    if isinstance(value, str) and value.strip():
        code = value.strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
        by_name = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}
        close = by_name.get(value.strip().lower()) or next(iter(get_close_matches(code, LANGUAGES, 1)), None)
        hint = f"did you mean `{close}`?" if close else f"write one of {choices}"
        raise fail("language", f"`{shown(value)}` is not a language planner speaks; {hint}")
    raise fail("language", f"`{shown(value)}` is not a language; write one of {choices}")


LANGUAGE_NAMES = {
    "en": ("english", "anglais", "engels", "englisch"),
    "fr": ("french", "français", "francais", "frans", "französisch"),
    "nl": ("dutch", "flemish", "néerlandais", "nederlands", "vlaams", "niederländisch"),
    "de": ("german", "allemand", "duits", "deutsch"),
}
"""What people write instead of a code, for the hint of an error."""


def parse_email(value: Any) -> str:
    text = parse_text(value).strip()
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return text
    raise fail("email", f"`{shown(text)}` is not an e-mail address; write e.g. name@example.org")


def parse_priority(value: Any) -> int | None:
    """`required` → None; otherwise a weight 1–1000."""
    refuse_many(value, "priority", "priority", "50", parse_priority)
    if value == "required":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
        return value
    raise fail(
        "priority",
        f"priority `{shown(value)}` is neither `required` nor a weight from 1 to 1000; "
        "write `required` or e.g. 50",
    )


def whole_number(minimum: int, maximum: int | None = None) -> Callable[[Any], int]:
    """A parser of whole numbers from `minimum` to `maximum`."""

    def parse(value: Any) -> int:
        refuse_many(value, "number", "whole number", str(max(minimum, 1)), parse)
        if isinstance(value, int) and not isinstance(value, bool):
            if value < minimum:
                raise fail(
                    "number", f"{value} is below {minimum}; write a whole number of at least {minimum}"
                )
            if maximum is not None and value > maximum:
                raise fail("number", f"{value} is above {maximum}; write a whole number up to {maximum}")
            return value
        raise fail("number", f"`{shown(value)}` is not a whole number; write e.g. {max(minimum, 1)}")

    return parse


def number_between(low: float, high: float, example: str) -> Callable[[Any], float]:
    """A parser of finite numbers in [low, high]: bounds keep computed travel times finite and meaningful."""

    def parse(value: Any) -> float:
        refuse_many(value, "number", "number", example, parse)
        if is_number(value) and math.isfinite(value) and low <= value <= high:
            return float(value)
        raise fail(
            "number", f"`{shown(value)}` is not a number from {low:g} to {high:g}; write e.g. {example}"
        )

    return parse


def parse_travel_time(value: Any) -> tuple[str, str, int]:
    """`[venue_a, venue_b, duration]`."""
    if not isinstance(value, list) or len(value) != 3:
        raise fail(
            "travel_time", "a travel time is [venue_a, venue_b, duration]; write e.g. [fairmont, google, 75m]"
        )
    return parse_id(value[0]), parse_id(value[1]), parse_duration(value[2])
