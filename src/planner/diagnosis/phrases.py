"""The diagnosis's references: the plain data by which pre-checks, conflicts and left-out reasons name
times, activities and rules (rendered by planner.text.conflict_phrases), and the `Conflict` they make."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from planner.domain import Activity, Mission, Source
from planner.domain.schedule import Conflict
from planner.domain.spans import Span, instant, minutes, window_span
from planner.text.conflicts import conflict_message


def local_instant(minute: int, zone: ZoneInfo) -> str:
    """`minute` (minutes since the epoch) as ISO 8601 in `zone`: the wall time, with the offset there."""
    return instant(minute, zone).isoformat()


def local_span(span: Span, zone: ZoneInfo) -> list[str]:
    return [local_instant(span[0], zone), local_instant(span[1], zone)]


def position(source: Source) -> str | None:
    """Where a statement stands, or None for a generated mission's (which has no file to point into)."""
    return str(source) if source.line > 0 else None


def timing(mission: Mission, activity: Activity) -> dict[str, Any]:
    """How the mission places the activity: its fixed span, its windows, its dates, or its leg."""
    zone = mission.leg_of_activity(activity.id).zone
    if activity.fixed is not None:
        start = minutes(activity.fixed)
        return {"fixed": local_span((start, start + activity.duration), zone)}
    if activity.windows:
        return {"windows": [local_span(window_span(w), zone) for w in activity.windows]}
    if activity.dates:
        return {"dates": [day.isoformat() for day in activity.dates]}
    return {"leg": mission.leg_of_activity(activity.id).city}


def activity_ref(mission: Mission, activity: Activity) -> dict[str, Any]:
    """An activity described in full: id, title, timing, duration and position."""
    return {"id": activity.id, "title": activity.title, "timing": timing(mission, activity),
            "duration": activity.duration, "source": position(activity.source)}


def rule_ref(mission: Mission, rule_id: str) -> dict[str, Any]:
    rule = mission.rule(rule_id)
    return {"id": rule_id, "kind": rule.kind, "source": position(rule.source)}


def make_conflict(code: str, params: dict[str, Any], activities: Iterable[str] = (),
                  delegates: Iterable[str] = (), rules: Iterable[str] = (), sources: Iterable[Source] = (),
                  **extra: object) -> Conflict:
    """A conflict found by the check `code`, its sentence rendered from `params` by planner.text."""
    unique_sources = sorted({s for s in sources if s.line > 0}, key=lambda s: (s.file, s.line, s.column))
    return Conflict(
        conflict_message(code, params),
        activities=tuple(sorted(set(activities))),
        delegates=tuple(sorted(set(delegates))),
        rules=tuple(sorted(set(rules))),
        extra={"check": code, **extra, "sources": [str(s) for s in unique_sources]},
        code=code,
        params=params,
    )
