"""programme.xlsx's own words in the mission's language: its sheets' names, its column headings and the few
fixed words of its cells (docs/languages.md).

Only the workbook's own words are translated: ids, names, titles and addresses are the organiser's, and
dates, times and numbers stay real cells. The English words are the workbook as planner has always written
it (staff may have filters, formulas or scripts that name its sheets and columns).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from planner.text.format import format_weekday_date
from planner.text.i18n import SOURCE_LANGUAGE, Words, words_for

ENGLISH = words_for(SOURCE_LANGUAGE)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SHEET_NAME_LIMIT = 31
"""Characters: Excel refuses a longer sheet name."""
NOT_IN_SHEET_NAMES = str.maketrans("", "", "[]:*?/\\")
"""The characters Excel refuses in a sheet name."""


@dataclass(frozen=True, slots=True)
class SheetNames:
    programme: str
    venues: str
    delegates: str
    left_out: str
    b2b_meetings: str
    b2b_not_scheduled: str


def sheet_names(words: Words) -> SheetNames:
    # A context of their own: the pages' "B2B meetings" is a label within a sentence (`rendez-vous B2B`),
    # a tab's name stands alone.
    return SheetNames(
        programme=words.pgettext("workbook sheet", "Programme"),
        venues=words.pgettext("workbook sheet", "Venues"),
        delegates=words.pgettext("workbook sheet", "Delegates"),
        left_out=words.pgettext("workbook sheet", "Left out"),
        b2b_meetings=words.pgettext("workbook sheet", "B2B meetings"),
        b2b_not_scheduled=words.pgettext("workbook sheet", "B2B not scheduled"),
    )


def day_sheet_name(day: date, words: Words = ENGLISH) -> str:
    """`Mon 06 Oct 2025`, `lun. 06 oct. 2025`, `ma 06 okt 2025`, `Mo. 06 Okt. 2025`: short, readable in the
    tab bar, and free of the characters sheet names forbid."""
    if words.language == SOURCE_LANGUAGE:
        # Not CLDR's: its British September is `Sept`, and English tabs have always read `Sep`.
        return f"{WEEKDAYS[day.weekday()]} {day.day:02d} {MONTHS[day.month - 1]} {day.year}"
    return format_weekday_date(day, words.language).translate(NOT_IN_SHEET_NAMES)[:SHEET_NAME_LIMIT]


PROGRAMME_COLUMNS = ("date", "start", "end", "time zone", "activity", "title", "kind", "venue", "address",
                     "headcount", "delegates", "attendees")
VENUE_COLUMNS = ("venue", "name", "address", "date", "activities", "first start", "last end",
                 "peak headcount", "titles")
DELEGATE_COLUMNS = ("delegate", "name", "organisation", "delegation", "size", "email", "date", "start", "end",
                    "activity", "title", "venue", "address", "attends as")
LEFT_OUT_COLUMNS = ("activity", "title", "kind", "priority", "reason")
SIDES = ("delegates", "delegate names", "delegate organisations",
         "counterparts", "counterpart names", "counterpart organisations")
"""Whom a meeting or a request brings together, on both B2B sheets alike (so that one filters both the
same)."""
MEETING_COLUMNS = ("session", "session title", "date", "start", "end", "time zone", "table", "meeting",
                   *SIDES)
NOT_SCHEDULED_COLUMNS = ("meeting", *SIDES, "priority", "code", "reason")


def headers(words: Words, columns: tuple[str, ...]) -> list[str]:
    """The header row of a sheet whose columns are `columns` (their English headings)."""
    translated = _headings(words.language)
    return [translated[column] for column in columns]


def heading(words: Words, column: str) -> str:
    """One column's heading in `words` (`column`: its English heading)."""
    return _headings(words.language)[column]


@cache
def _headings(language: str) -> dict[str, str]:
    words = words_for(language)
    # One call per heading, each with its literals: what Babel's extraction reads.
    return {
        "date": words.pgettext("workbook column", "date"),
        "start": words.pgettext("workbook column", "start"),
        "end": words.pgettext("workbook column", "end"),
        "time zone": words.pgettext("workbook column", "time zone"),
        "activity": words.pgettext("workbook column", "activity"),
        "title": words.pgettext("workbook column", "title"),
        "kind": words.pgettext("workbook column", "kind"),
        "venue": words.pgettext("workbook column", "venue"),
        "address": words.pgettext("workbook column", "address"),
        "headcount": words.pgettext("workbook column", "headcount"),
        "delegates": words.pgettext("workbook column", "delegates"),
        "attendees": words.pgettext("workbook column", "attendees"),
        "name": words.pgettext("workbook column", "name"),
        "activities": words.pgettext("workbook column", "activities"),
        "first start": words.pgettext("workbook column", "first start"),
        "last end": words.pgettext("workbook column", "last end"),
        "peak headcount": words.pgettext("workbook column", "peak headcount"),
        "titles": words.pgettext("workbook column", "titles"),
        "delegate": words.pgettext("workbook column", "delegate"),
        "organisation": words.pgettext("workbook column", "organisation"),
        "delegation": words.pgettext("workbook column", "delegation"),
        "size": words.pgettext("workbook column", "size"),
        "email": words.pgettext("workbook column", "email"),
        "attends as": words.pgettext("workbook column", "attends as"),
        "priority": words.pgettext("workbook column", "priority"),
        "reason": words.pgettext("workbook column", "reason"),
        "delegate names": words.pgettext("workbook column", "delegate names"),
        "delegate organisations": words.pgettext("workbook column", "delegate organisations"),
        "counterparts": words.pgettext("workbook column", "counterparts"),
        "counterpart names": words.pgettext("workbook column", "counterpart names"),
        "counterpart organisations": words.pgettext("workbook column", "counterpart organisations"),
        "session": words.pgettext("workbook column", "session"),
        "session title": words.pgettext("workbook column", "session title"),
        "table": words.pgettext("workbook column", "table"),
        "meeting": words.pgettext("workbook column", "meeting"),
        "code": words.pgettext("workbook column", "code"),
        "time": words.pgettext("workbook column", "time"),
    }


def attends_as(words: Words, as_planned: bool, optional: bool) -> str:
    """How a delegate comes to an activity: invited to it, optionally, or with the delegate they accompany."""
    if as_planned:
        return words.pgettext("workbook cell", "attendee")
    if optional:
        return words.pgettext("workbook cell", "optional attendee")
    return words.pgettext("workbook cell", "accompanying")


def required(words: Words) -> str:
    """The priority of a B2B request that must be scheduled."""
    return words.pgettext("workbook cell", "required")


def people(words: Words, count: int) -> str:
    # English says `people` even for one, as programme.xlsx always has; other languages their singular.
    return words.ngettext("(%(count)d people)", "(%(count)d people)", count) % {"count": count}
