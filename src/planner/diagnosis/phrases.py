"""The diagnosis's phrasebook: how pre-checks, conflicts and left-out reasons name times, activities and
rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from planner.domain import Activity, Mission, Source
from planner.domain.schedule import Conflict
from planner.domain.spans import Span, instant, minutes, window_span
from planner.text.format import format_clock, format_duration, format_iso_date


def clock(minute: int, zone: ZoneInfo) -> str:
    """The wall clock in `zone` at `minute` (minutes since the epoch)."""
    return format_clock(instant(minute, zone))


def when(minute: int, zone: ZoneInfo) -> str:
    """'2025-10-06 16:30' in `zone`."""
    local = instant(minute, zone)
    return f"{format_iso_date(local)} {format_clock(local)}"


def span_text(span: Span, zone: ZoneInfo, with_date: bool = True) -> str:
    """'2025-10-06 16:30–17:15', or with both dates when the span crosses midnight."""
    start, end = instant(span[0], zone), instant(span[1], zone)
    prefix = f"{format_iso_date(start)} " if with_date else ""
    at_midnight = end.hour == 0 and end.minute == 0
    if start.date() == end.date() or (at_midnight and end.date() == start.date() + timedelta(1)):
        closing = format_clock(1440) if end.date() != start.date() else format_clock(end)
        return f"{prefix}{format_clock(start)}–{closing}"
    return (f"{format_iso_date(start)} {format_clock(start)}–"
            f"{format_iso_date(end)} {format_clock(end)}")


def duration_text(length: int) -> str:
    """A duration as the diagnosis's sentences say it: '45 min', '90 min', '2 h 30'."""
    return format_duration(length, "spoken")


def where(source: Source) -> str:
    return str(source)


def timing_text(mission: Mission, activity: Activity) -> str:
    """How the mission places the activity, e.g. 'fixed 2025-10-06 16:30–17:15'."""
    zone = mission.leg_of_activity(activity.id).zone
    if activity.fixed is not None:
        start = minutes(activity.fixed)
        return f"fixed {span_text((start, start + activity.duration), zone)}"
    if activity.windows:
        return "within " + " or ".join(span_text(window_span(w), zone) for w in activity.windows)
    if activity.dates:
        return "on " + " or ".join(day.isoformat() for day in activity.dates)
    leg = mission.leg_of_activity(activity.id)
    return f"any day of the {leg.city} leg"


def activity_phrase(mission: Mission, activity: Activity) -> str:
    """"'Title' (fixed 2025-10-06 16:30–17:15, 45 min, mission.yaml:57:5)"; no position for a generated
    mission."""
    parts = [timing_text(mission, activity), duration_text(activity.duration)]
    if activity.source.line > 0:
        parts.append(where(activity.source))
    return f"'{activity.title}' ({', '.join(parts)})"


def rule_phrase(mission: Mission, rule_id: str) -> str:
    rule = mission.rule(rule_id)
    name = rule_id if rule_id.startswith(rule.kind) else f"{rule.kind} {rule_id}"
    return f"rule {name}, {where(rule.source)}" if rule.source.line > 0 else f"rule {name}"


def make_conflict(message: str, activities: Iterable[str] = (), delegates: Iterable[str] = (),
                  rules: Iterable[str] = (), sources: Iterable[Source] = (), **extra: object) -> Conflict:
    unique_sources = sorted({s for s in sources if s.line > 0}, key=lambda s: (s.file, s.line, s.column))
    return Conflict(
        message,
        activities=tuple(sorted(set(activities))),
        delegates=tuple(sorted(set(delegates))),
        rules=tuple(sorted(set(rules))),
        extra={**extra, "sources": [str(s) for s in unique_sources]},
    )
