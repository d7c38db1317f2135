"""How conflicts and left-out reasons name times, activities and rules, from their plain parameters.

The diagnosis describes what it found as plain data (JSON values, so that schedule.json keeps them and
they can be rendered again in another language): a local instant is its ISO 8601 text with the offset of
the place, a span the pair of them, a time of day minutes after local midnight, a duration whole minutes,
a statement's position its `file:line:column` (None where a generated mission has none). These functions
turn those values into the words of `planner.text.conflicts` and `planner.text.left_out`: English by
default (schedule.json's sentences), or the reader's language of a `Words` (dates stay ISO 8601 and clocks
24-hour in every language; durations take the reader's CLDR units).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from planner.text.format import format_clock, format_duration, format_iso_date
from planner.text.i18n import SOURCE_LANGUAGE, Words, words_for

Params = Mapping[str, Any]
ENGLISH = words_for(SOURCE_LANGUAGE)


def local(text: str) -> datetime:
    """A local instant of the parameters: ISO 8601 with the offset of its place."""
    return datetime.fromisoformat(text)


def when(instant: str) -> str:
    """'2025-10-06 16:30'."""
    moment = local(instant)
    return f"{format_iso_date(moment)} {format_clock(moment)}"


def span_text(span: Sequence[str]) -> str:
    """'2025-10-06 16:30–17:15', or with both dates when the span crosses midnight."""
    start, end = local(span[0]), local(span[1])
    at_midnight = end.hour == 0 and end.minute == 0
    if start.date() == end.date() or (at_midnight and end.date() == start.date() + timedelta(1)):
        closing = format_clock(1440) if end.date() != start.date() else format_clock(end)
        return f"{format_iso_date(start)} {format_clock(start)}–{closing}"
    return (f"{format_iso_date(start)} {format_clock(start)}–"
            f"{format_iso_date(end)} {format_clock(end)}")


def daily_range(minutes: Sequence[int]) -> str:
    """'12:00–14:00': a daily range [start, end) in minutes after local midnight."""
    return f"{format_clock(minutes[0])}–{format_clock(minutes[1])}"


def duration_text(length: int, words: Words = ENGLISH) -> str:
    """A duration as the diagnosis's sentences say it: '45 min', '90 min', '2 h 30'; in another language
    CLDR's units of the itineraries (`1 Std., 30 Min.`), since `2 h 30` is no German."""
    if words.language == SOURCE_LANGUAGE:
        return format_duration(length, "spoken")
    return format_duration(length, "clock", words.language)


def minutes_text(length: int, words: Words = ENGLISH) -> str:
    """'150 min': a travel time or a gap in whole minutes, as schedule.json's sentences say them; in another
    language the reader's CLDR units, as `duration_text`."""
    if words.language == SOURCE_LANGUAGE:
        return f"{length} min"
    return duration_text(length, words)


def plus_gap(gap: int, words: Words = ENGLISH) -> str:
    """' + 15 min' after an `after` link with a gap, nothing without."""
    return f" + {duration_text(gap, words)}" if gap else ""


def join_and(parts: Sequence[str], words: Words = ENGLISH) -> str:
    """'A, B and C'; in another language its CLDR list (`A, B et C`)."""
    if words.language != SOURCE_LANGUAGE:
        return words.join(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def unique(parts: Sequence[str]) -> list[str]:
    """Each sentence once, in the order first said."""
    return list(dict.fromkeys(parts))


def _either(words: Words, choices: Sequence[str]) -> str:
    """'A or B or C': the choices the mission allows, in the reader's words."""
    return words.gettext(" or ").join(choices)


def timing_text(timing: Params, words: Words = ENGLISH) -> str:
    """How the mission places an activity, e.g. 'fixed 2025-10-06 16:30–17:15'."""
    if "fixed" in timing:
        return words.gettext("fixed %(span)s") % {"span": span_text(timing["fixed"])}
    if "windows" in timing:
        return words.gettext("within %(windows)s") % {
            "windows": _either(words, [span_text(window) for window in timing["windows"]])}
    if "dates" in timing:
        return words.gettext("on %(dates)s") % {"dates": _either(words, timing["dates"])}
    return words.gettext("any day of the %(leg)s leg") % {"leg": timing["leg"]}


def quoted(title: str, words: Words = ENGLISH) -> str:
    """"'Title'" as the diagnosis quotes a title, in the reader's quotation marks (`« Title »`)."""
    return words.pgettext("quoted title in a reason", "'%(title)s'") % {"title": title}


def activity_phrase(activity: Params, words: Words = ENGLISH) -> str:
    """"'Title' (fixed 2025-10-06 16:30–17:15, 45 min, mission.yaml:57:5)" for an activity described in
    full (`timing`, `duration`, `source`); "'Title'" for one named again, described by its title alone."""
    if "timing" not in activity:
        return quoted(activity["title"], words)
    parts = [timing_text(activity["timing"], words), duration_text(activity["duration"], words)]
    if activity["source"] is not None:
        parts.append(activity["source"])
    return f"{quoted(activity['title'], words)} ({', '.join(parts)})"


def activities_phrase(activities: Sequence[Params], words: Words = ENGLISH) -> str:
    return join_and([activity_phrase(activity, words) for activity in activities], words)


def rule_phrase(rule: Params, words: Words = ENGLISH) -> str:
    """'rule min_gap-1, mission.yaml:80:5', or "rule lunch slow-lunch" for a named one."""
    name = rule["id"] if rule["id"].startswith(rule["kind"]) else f"{rule['kind']} {rule['id']}"
    return rule_where(name, rule["source"], words)


def rule_where(rule: str, source: str | None, words: Words = ENGLISH) -> str:
    """'rule min_gap-1, mission.yaml:80:5' (a rule as its limit in a conflict names it)."""
    if source is None:
        return words.gettext("rule %(rule)s") % {"rule": rule}
    return words.gettext("rule %(rule)s, %(source)s") % {"rule": rule, "source": source}


def trips(hotel: str, trips_: Sequence[Params], words: Words = ENGLISH) -> list[str]:
    """'Fairmont → Google takes 75 min' for each trip from a hotel."""
    return [words.gettext("%(hotel)s → %(venue)s takes %(duration)s") % {
        "hotel": hotel, "venue": trip["to"], "duration": duration_text(trip["minutes"], words)}
        for trip in trips_]
