"""VTIMEZONE components in the form Outlook, Google Calendar and Apple Calendar all read.

Each `TZID` gets one `VTIMEZONE` built from the zone's current rule (the POSIX TZ string that ends its TZif
file): one `STANDARD` and one `DAYLIGHT` with yearly `RRULE`s (Outlook does not read `RDATE` lists), or
`STANDARD` alone for a zone without daylight-saving time. The rule is checked against the IANA database
(`zoneinfo`) at every instant a calendar uses; where it does not hold, icalendar's exact list of
transitions is used instead.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur


@dataclass(frozen=True, slots=True)
class _Transition:
    """A yearly change of offset: in `month`, the `week`-th (5: last) `weekday` (0: Sunday), at `minute`
    after local midnight."""

    month: int
    week: int
    weekday: int
    minute: int


@dataclass(frozen=True, slots=True)
class _ZoneRule:
    """The zone's current rule, as in the POSIX TZ string that ends a TZif file."""

    standard_name: str
    standard_offset: timedelta
    daylight_name: str | None = None
    daylight_offset: timedelta | None = None
    daylight_start: _Transition | None = None
    standard_start: _Transition | None = None


_POSIX_NAME = r"(?:<[^>]+>|[A-Za-z]{3,})"
_POSIX_OFFSET = r"[+-]?\d{1,3}(?::\d{2}){0,2}"
_POSIX_RULE = re.compile(
    rf"^(?P<std>{_POSIX_NAME})(?P<stdoff>{_POSIX_OFFSET})"
    rf"(?:(?P<dst>{_POSIX_NAME})(?P<dstoff>{_POSIX_OFFSET})?"
    rf",(?P<start>[^,]+),(?P<end>[^,]+))?$"
)
_POSIX_DATE = re.compile(
    r"^M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<weekday>[0-6])(?:/(?P<time>[+-]?\d{1,3}(?::\d{2}){0,2}))?$"
)
_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


def _posix_minutes(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    hours, minutes = parts[0], parts[1] if len(parts) > 1 else 0
    return sign * (hours * 60 + minutes)


def _posix_transition(text: str) -> _Transition | None:
    match = _POSIX_DATE.match(text)
    if match is None:
        return None  # Julian-day forms (Jn, n): no zone in use today needs them
    minute = _posix_minutes(match["time"]) if match["time"] else 120
    if not 0 <= minute < 24 * 60:
        return None  # a change on the day before or after the named weekday: a BYDAY rule cannot say it
    return _Transition(int(match["month"]), int(match["week"]), int(match["weekday"]), minute)


def _posix_name(text: str) -> str:
    """A zone abbreviation without the angle brackets POSIX puts around numeric ones (`<+03>`)."""
    return text.strip("<>")


def _posix_rule(tzid: str) -> _ZoneRule | None:
    """The zone's current rule from the footer of its TZif file (RFC 8536), or None when unreadable."""
    data = _tzif_bytes(tzid)
    if data is None or not data.startswith(b"TZif") or data[4:5] < b"2":
        return None
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace")
    match = _POSIX_RULE.match(footer)
    if match is None:
        return None
    standard_offset = timedelta(minutes=-_posix_minutes(match["stdoff"]))  # POSIX counts west positive
    if match["dst"] is None:
        return _ZoneRule(_posix_name(match["std"]), standard_offset)
    daylight_offset = (timedelta(minutes=-_posix_minutes(match["dstoff"])) if match["dstoff"]
                       else standard_offset + timedelta(hours=1))
    daylight_start, standard_start = _posix_transition(match["start"]), _posix_transition(match["end"])
    if daylight_start is None or standard_start is None:
        return None
    return _ZoneRule(_posix_name(match["std"]), standard_offset, _posix_name(match["dst"]), daylight_offset,
                     daylight_start, standard_start)


def _tzif_bytes(tzid: str) -> bytes | None:
    """The TZif data of a zone, looked up where `zoneinfo` looks: TZPATH first, then the tzdata package."""
    if not tzid or ".." in tzid or tzid.startswith("/"):
        return None
    for base in zoneinfo.TZPATH:
        candidate = os.path.join(base, tzid)
        if os.path.isfile(candidate):
            with open(candidate, "rb") as stream:
                return stream.read()
    try:
        resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*tzid.split("/"))
        return resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError):
        return None


def _first_onset(transition: _Transition, year: int) -> datetime:
    """The local wall time of the transition in `year` (the VTIMEZONE sub-component's DTSTART)."""
    if transition.week == 5:
        next_month = date(year + (transition.month == 12), transition.month % 12 + 1, 1)
        day = next_month - timedelta(days=1)
        while (day.weekday() + 1) % 7 != transition.weekday:
            day -= timedelta(days=1)
    else:
        day = date(year, transition.month, 1)
        while (day.weekday() + 1) % 7 != transition.weekday:
            day += timedelta(days=1)
        day += timedelta(weeks=transition.week - 1)
    return datetime(day.year, day.month, day.day) + timedelta(minutes=transition.minute)


def _yearly(transition: _Transition) -> vRecur:
    ordinal = -1 if transition.week == 5 else transition.week
    weekday = f"{ordinal}{_WEEKDAYS[transition.weekday]}"
    return vRecur({"FREQ": "YEARLY", "BYMONTH": transition.month, "BYDAY": weekday})


def _rule_vtimezone(tzid: str, rule: _ZoneRule) -> Timezone:
    timezone = Timezone()
    timezone.add("tzid", tzid)
    standard = TimezoneStandard()
    standard.add("tzname", rule.standard_name)
    if rule.daylight_start is None or rule.standard_start is None or rule.daylight_offset is None:
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", rule.standard_offset)
        standard.add("tzoffsetto", rule.standard_offset)
        timezone.add_component(standard)
        return timezone
    standard.add("dtstart", _first_onset(rule.standard_start, 1970))
    standard.add("rrule", _yearly(rule.standard_start))
    standard.add("tzoffsetfrom", rule.daylight_offset)
    standard.add("tzoffsetto", rule.standard_offset)
    daylight = TimezoneDaylight()
    daylight.add("tzname", rule.daylight_name)
    daylight.add("dtstart", _first_onset(rule.daylight_start, 1970))
    daylight.add("rrule", _yearly(rule.daylight_start))
    daylight.add("tzoffsetfrom", rule.standard_offset)
    daylight.add("tzoffsetto", rule.daylight_offset)
    timezone.add_component(standard)
    timezone.add_component(daylight)
    return timezone


def _agrees(timezone: Timezone, tzid: str, instants: Iterable[datetime]) -> bool:
    """Whether the VTIMEZONE gives every instant the offset that the IANA database gives it."""
    zone = zoneinfo.ZoneInfo(tzid)
    described = timezone.to_tz(lookup_tzid=False)  # built from the component, not looked up by TZID
    for instant in instants:
        wall = instant.astimezone(zone).replace(tzinfo=None)
        if wall.replace(tzinfo=described).utcoffset() != wall.replace(tzinfo=zone).utcoffset():
            return False
    return True


def vtimezone(tzid: str, instants: Iterable[datetime] = ()) -> Timezone:
    """One VTIMEZONE for `tzid`: the zone's current rule as yearly RRULEs (STANDARD alone without DST).

    The rule is checked against the IANA database at every instant the calendar uses; where it does not
    hold (a zone whose rules changed in the mission's time, or a rule a BYDAY cannot express), the
    VTIMEZONE falls back to icalendar's exact list of transitions, which is right but less portable.
    """
    instants = list(instants)
    rule = _posix_rule(tzid)
    if rule is not None:
        timezone = _rule_vtimezone(tzid, rule)
        if _agrees(timezone, tzid, instants):
            return timezone
    return Timezone.from_tzid(tzid)
