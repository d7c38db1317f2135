"""The diagnosis's phrasebook: how pre-checks, conflicts and left-out reasons name times, activities and rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from planner.domain import Activity, Mission, Source
from planner.domain.schedule import Conflict
from planner.domain.spans import Span, instant, minutes, window_span


def clock(minute: int, zone: ZoneInfo) -> str:
    return instant(minute, zone).strftime("%H:%M")


def when(minute: int, zone: ZoneInfo) -> str:
    return instant(minute, zone).strftime("%Y-%m-%d %H:%M")


def span_text(span: Span, zone: ZoneInfo, with_date: bool = True) -> str:
    """'2025-10-06 16:30–17:15', or with both dates when the span crosses midnight."""
    start, end = instant(span[0], zone), instant(span[1], zone)
    prefix = start.strftime("%Y-%m-%d ") if with_date else ""
    if start.date() == end.date() or (end.hour == 0 and end.minute == 0 and end.date() == start.date() + timedelta(1)):
        closing = "24:00" if end.date() != start.date() else end.strftime("%H:%M")
        return f"{prefix}{start.strftime('%H:%M')}–{closing}"
    return f"{start.strftime('%Y-%m-%d %H:%M')}–{end.strftime('%Y-%m-%d %H:%M')}"


def duration_text(length: int) -> str:
    if length < 60 or length % 60 and length < 120:
        return f"{length} min"
    hours, rest = divmod(length, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


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
    """"'Title' (fixed 2025-10-06 16:30–17:15, 45 min, mission.yaml:57:5)"; no position for a generated mission."""
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
