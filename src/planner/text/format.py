"""Formatting of clocks, dates and durations for people: one function each, one place.

Names of days and months come from Babel's CLDR data, never from the process locale (`strftime("%A")`
follows `LC_TIME`, so the same programme printed differently on two machines). Every function takes a
`locale` (default English, the language of every output today) so that French, Dutch and German
itineraries need only a locale, not new code. Numbers of minutes are local wall-clock minutes after
midnight; instants are aware datetimes already in the zone they are shown in (planner.domain.time).
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton as babel_format_skeleton
from babel.dates import format_time as babel_format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

DEFAULT_LOCALE = "en"
"""The language of every output today."""

DurationStyle = Literal["written", "spoken", "clock", "compact"]
"""How a duration reads (90 minutes as an example):

- `written`: `1h30m`, the form a person writes in a mission file (messages quote it back);
- `spoken`: `90 min`, whole hours as `2 h`, longer ones `2 h 30`: the diagnosis and pre-check sentences;
- `clock`: `1 hr, 30 min`, `45 min`, in the words of `locale` (CLDR's short units and their list): free
  time and travel in an itinerary and a calendar;
- `compact`: `1h30`, `2h`: hours in a narrow table column.
"""


@lru_cache(maxsize=8)
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def format_clock(value: datetime | time | int, locale: str = DEFAULT_LOCALE) -> str:
    """`09:30`: a wall-clock time (24-hour in every supported language).

    An int is minutes after local midnight, as mission files count them: 1440, the end of a day, reads
    `24:00` (and 1530 `25:30`), as a working day's end is written."""
    if isinstance(value, int):
        return f"{value // 60:02d}:{value % 60:02d}"
    return _clock(value.hour, value.minute, locale)


@lru_cache(maxsize=4096)
def _clock(hour: int, minute: int, locale: str) -> str:
    """A wall clock depends on its hour and minute only: written once per value (views write thousands)."""
    return babel_format_time(time(hour, minute), "HH:mm", locale=_locale(locale))


def format_clock_seconds(value: datetime | time, locale: str = DEFAULT_LOCALE) -> str:
    """`09:30:15`: a wall-clock time with its seconds (for an instant off the minute)."""
    return babel_format_time(value, "HH:mm:ss", locale=_locale(locale))


def format_zone_city(instant: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """`Los Angeles`, `Bruxelles`, `Brussel`: the city that names the time zone of `instant` (CLDR's exemplar
    city, in `locale`), to say in which zone a wall-clock time is read."""
    return babel_format_datetime(instant, "VVV", locale=_locale(locale))


def format_number(value: int, locale: str = DEFAULT_LOCALE) -> str:
    """`45,889`, `45.889` (nl, de), `45 889` (fr): a count with the reader's grouping of thousands."""
    return format_decimal(value, locale=_locale(locale))


def format_iso_date(day: date | datetime) -> str:
    """`2025-10-06`: the unambiguous date of messages (the same in every language)."""
    return f"{day:%Y-%m-%d}"


def format_long_datetime(instant: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """`Montag, 6. Oktober 2025, 14:05`, `maandag 6 oktober 2025, 14:05`: a day and its wall clock, joined by
    CLDR's date-time pattern, since a bare space runs the year into the hour; English keeps the space, as
    its long date keeps the Belgian order (`Monday 6 October 2025 14:05`)."""
    day, clock = format_long_date(instant.date(), locale), format_clock(instant, locale)
    cldr = _locale(locale)
    if cldr.language == "en":
        return f"{day} {clock}"
    return str(cldr.datetime_formats["full"]).replace("{1}", day).replace("{0}", clock)


@lru_cache(maxsize=1024)
def format_long_date(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """`Monday 6 October 2025`, `lundi 6 octobre 2025`, `maandag 6 oktober 2025`, `Montag, 6. Oktober 2025`:
    the heading of a day in an itinerary.

    Other languages take CLDR's full date, punctuation and all; English keeps the day before the month,
    as the mission's Belgian readers write it (CLDR's `en` is American: `Monday, October 6, 2025`)."""
    if _locale(locale).language == "en":
        return babel_format_date(day, "EEEE d MMMM y", locale=_locale(locale))
    return babel_format_date(day, "full", locale=_locale(locale))


def format_short_date(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """`Mon 06 Oct`: a day in a table column."""
    return babel_format_date(day, "EEE dd MMM", locale=_locale(locale))


def format_weekday_date(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """`lun. 06 oct. 2025`, `ma 06 okt 2025`, `Mo. 06 Okt. 2025`: a day in a few characters, its year
    included (a spreadsheet tab)."""
    return babel_format_date(day, "EEE dd MMM y", locale=_locale(locale))


def format_day_month(day: date, locale: str = DEFAULT_LOCALE, *, weekday: bool = False,
                     padded: bool = True) -> str:
    """`06 Oct` (`6 Oct` unpadded, `Mon 6 Oct` with the weekday): a date without its year.

    Other languages take CLDR's pattern, which writes German's ordinal and comma (`Mo., 6. Okt.`) and pads
    no day; English keeps the Belgian order (CLDR's `en` is American: `Mon, Oct 6`)."""
    cldr = _locale(locale)
    if cldr.language != "en":
        return babel_format_skeleton("MMMEd" if weekday else "MMMd", day, locale=cldr)
    pattern = ("dd" if padded else "d") + " MMM"
    return babel_format_date(day, ("EEE " if weekday else "") + pattern, locale=cldr)


def format_day_of_month(day: date) -> str:
    """`06`: the day alone, as the first day of a range `06–09 Oct`."""
    return f"{day.day:02d}"


def format_month(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """`Oct`: the abbreviated month."""
    return babel_format_date(day, "MMM", locale=_locale(locale))


@lru_cache(maxsize=4096)  # an itinerary says the same few durations hundreds of times (CLDR's units are slow)
def format_duration(minutes: int, style: DurationStyle = "written", locale: str = DEFAULT_LOCALE) -> str:
    """A duration of `minutes` in one of the `DurationStyle`s; `clock` speaks `locale`, the others are the
    forms of the mission file and of the (English) diagnosis."""
    hours, rest = divmod(minutes, 60)
    if style == "written":
        if hours and rest:
            return f"{hours}h{rest:02d}m"
        return f"{hours}h" if hours else f"{rest}m"
    if style == "spoken":
        if minutes < 60 or rest and minutes < 120:
            return f"{minutes} min"
        return f"{hours} h {rest:02d}" if rest else f"{hours} h"
    if style == "clock":
        # One CLDR length for both units and the list that joins them: `1 hr, 30 min`, `1 h et 30 min`,
        # `1 uur, 30 min`, `1 Std., 30 Min.`. CLDR's narrow German mixes styles (`1h, 30 Min.`), and a
        # narrow hour beside a short minute did the same in every language.
        cldr = _locale(locale)
        parts = [format_unit(hours, "duration-hour", length="short", locale=cldr)] if hours else []
        if rest or not hours:
            parts.append(format_unit(rest, "duration-minute", length="short", locale=cldr))
        return format_list(parts, style="unit-short", locale=cldr)
    if style == "compact":
        return f"{hours}h{rest:02d}" if rest else f"{hours}h"
    raise ValueError(f"unknown duration style {style!r}")
