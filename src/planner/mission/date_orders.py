"""Dates typed in a local order (`16/10/2025`, `16.10.2025`, `10/16/2025`, `2025/10/16`): what to write
instead, in the ISO form the mission format reads (`planner.mission.scalars` says it in its errors).

Nothing here reads such a date as one: `05/10/2025` is the 5th of October in Brussels and the 10th of May in
New York, so planner never guesses; it names the one reading when the numbers allow only one (a day above
12), both readings otherwise.
"""

from __future__ import annotations

import re
from datetime import date

NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})")
"""`16/10/2025`, `16.10.2025`, `16-10-2025`: a date as a French, Dutch, German or American types it."""
YEAR_FIRST_DATE = re.compile(r"(\d{4})([./])(\d{1,2})\2(\d{1,2})")
"""`2025/10/16`, `2025.10.16`: the ISO order with other separators."""


def _reading(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _spelt(day: date) -> str:
    """`5 October 2025`: CLDR's month names, in English as the errors are."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale="en")


def written_day_first(text: str, time_of_day: str = "") -> str | None:
    """What to write for a date typed in another order or with other separators (`16/10/2025`, followed by
    `time_of_day` in a datetime): the ISO form when only one reading makes a date (the day is the number
    above 12), both readings when either could be meant (`05/10/2025`); None when `text` is no such date."""
    after = f" {time_of_day}" if time_of_day else ""
    match = YEAR_FIRST_DATE.fullmatch(text)
    if match is not None:
        readings = [_reading(int(match[1]), int(match[3]), int(match[4]))]
    elif (match := NUMERIC_DATE.fullmatch(text)) is not None:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        readings = [_reading(year, second, first), _reading(year, first, second)]
    else:
        return None
    day_first, month_first = readings[0], readings[-1]
    if day_first and month_first and day_first != month_first:
        return (f"it could be {_spelt(day_first)} (day first) or {_spelt(month_first)} (month first); write "
                f"the date as YYYY-MM-DD: {day_first.isoformat()}{after} or {month_first.isoformat()}{after}")
    found = day_first or month_first
    form = "YYYY-MM-DD HH:MM" if time_of_day else "YYYY-MM-DD"
    return f"write {found.isoformat()}{after} ({form})" if found else None
