"""How conflicts and left-out reasons name times, activities and rules, from their plain parameters.

The diagnosis describes what it found as plain data (JSON values, so that schedule.json keeps them and
they can be rendered again in another language): a local instant is its ISO 8601 text with the offset of
the place, a span the pair of them, a time of day minutes after local midnight, a duration whole minutes,
a statement's position its `file:line:column` (None where a generated mission has none). These functions
turn those values into the words of `planner.text.conflicts` and `planner.text.left_out`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from planner.text.format import format_clock, format_duration, format_iso_date

Params = Mapping[str, Any]


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


def duration_text(length: int) -> str:
    """A duration as the diagnosis's sentences say it: '45 min', '90 min', '2 h 30'."""
    return format_duration(length, "spoken")


def plus_gap(gap: int) -> str:
    """' + 15 min' after an `after` link with a gap, nothing without."""
    return f" + {duration_text(gap)}" if gap else ""


def join_and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def unique(parts: Sequence[str]) -> list[str]:
    """Each sentence once, in the order first said."""
    return list(dict.fromkeys(parts))


def timing_text(timing: Params) -> str:
    """How the mission places an activity, e.g. 'fixed 2025-10-06 16:30–17:15'."""
    if "fixed" in timing:
        return f"fixed {span_text(timing['fixed'])}"
    if "windows" in timing:
        return "within " + " or ".join(span_text(window) for window in timing["windows"])
    if "dates" in timing:
        return "on " + " or ".join(timing["dates"])
    return f"any day of the {timing['leg']} leg"


def activity_phrase(activity: Params) -> str:
    """"'Title' (fixed 2025-10-06 16:30–17:15, 45 min, mission.yaml:57:5)" for an activity described in
    full (`timing`, `duration`, `source`); "'Title'" for one named again, described by its title alone."""
    if "timing" not in activity:
        return f"'{activity['title']}'"
    parts = [timing_text(activity["timing"]), duration_text(activity["duration"])]
    if activity["source"] is not None:
        parts.append(activity["source"])
    return f"'{activity['title']}' ({', '.join(parts)})"


def activities_phrase(activities: Sequence[Params]) -> str:
    return join_and([activity_phrase(activity) for activity in activities])


def rule_phrase(rule: Params) -> str:
    """'rule min_gap-1, mission.yaml:80:5', or "rule lunch slow-lunch" for a named one."""
    name = rule["id"] if rule["id"].startswith(rule["kind"]) else f"{rule['kind']} {rule['id']}"
    return f"rule {name}, {rule['source']}" if rule["source"] is not None else f"rule {name}"


def rule_where(rule: str, source: str | None) -> str:
    """'rule min_gap-1, mission.yaml:80:5' (a rule as its limit in a conflict names it)."""
    return f"rule {rule}, {source}" if source is not None else f"rule {rule}"


def trips(hotel: str, trips_: Sequence[Params]) -> list[str]:
    """'Fairmont → Google takes 75 min' for each trip from a hotel."""
    return [f"{hotel} → {trip['to']} takes {duration_text(trip['minutes'])}" for trip in trips_]
