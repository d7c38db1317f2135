"""Any `planner.domain.Mission` back to the mission format (version 1): `load_mission_text` reads the text
back equal. Used to save synthetic missions (`planner.testing.generate`) and by tools that write missions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.domain import (
    DEFAULT_LANGUAGE,
    Accompany,
    Activity,
    Leg,
    Lunch,
    MinGap,
    Mission,
    Rule,
    Window,
)
from planner.domain.rules import kind_of
from planner.domain.travel import computed_travel_minutes
from planner.text.format import format_clock, format_duration

_PLAIN_ID = re.compile(r"[a-z][a-z0-9_-]*")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"}


def _id(value: str) -> str:
    return value if _PLAIN_ID.fullmatch(value) and value not in _YAML_WORDS else json.dumps(value)


def _ids(values: Iterable[str]) -> str:
    return "[" + ", ".join(_id(v) for v in values) + "]"


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _clock(minute: int) -> str:
    """A clock quoted for YAML (unquoted, 08:30 would be read as a number in YAML 1.1)."""
    return f'"{format_clock(minute)}"'


def _number(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() and isinstance(value, int) else repr(float(value))


def _resolved(mission: Mission, day: date, minute: int, fallback: Leg | None) -> tuple[datetime, Leg] | None:
    """What the loader makes of a written local datetime (mission format: the leg whose dates hold it)."""
    leg = next((leg for leg in mission.legs if leg.contains(day)), None)
    if (leg is None and fallback is not None
            and fallback.first_day <= day <= fallback.last_day + timedelta(days=1)):
        leg = fallback
    if leg is None:
        return None
    return leg.local_instant(day, minute), leg


def _datetime(mission: Mission, instant: datetime, zone: ZoneInfo, fallback: Leg | None = None,
              must_be: Leg | None = None) -> tuple[str, Leg | None]:
    """Local wall time when the loader reads it back as the same instant; else ISO 8601 with the offset."""
    local = instant.astimezone(zone)
    minute = local.hour * 60 + local.minute
    candidates = [(local.date(), minute)]
    if minute == 0:
        candidates.append((local.date() - timedelta(days=1), 1440))
    for day, at in candidates:
        resolved = _resolved(mission, day, at, fallback)
        if resolved and resolved[0] == instant and (must_be is None or resolved[1] is must_be):
            return f'"{day.isoformat()} {at // 60:02d}:{at % 60:02d}"', resolved[1]
    leg = next((leg for leg in mission.legs if leg.contains(local.date())), fallback)
    return local.isoformat(timespec="minutes"), leg


def _window(mission: Mission, window: Window, zone: ZoneInfo) -> str:
    start, leg = _datetime(mission, window.start, zone)
    end, _ = _datetime(mission, window.end, zone, fallback=leg)
    return f"[{start}, {end}]"


def _zone_of_instant(mission: Mission, instant: datetime) -> ZoneInfo:
    for leg in mission.legs:
        if leg.contains(instant.astimezone(leg.zone).date()):
            return leg.zone
    return ZoneInfo(mission.timezone)


def mission_to_yaml(mission: Mission) -> str:
    """The mission in the mission format (version 1); `planner.mission.load.load_mission_text` reads it
    back equal."""
    lines = [f"# {mission.name} — written by planner.testing.generate.mission_to_yaml", "mission:",
             f"  name: {_text(mission.name)}", f"  timezone: {mission.timezone}",
             f"  grain: {format_duration(mission.grain)}",
             f"  day: {{start: {_clock(mission.day.start)}, end: {_clock(mission.day.end)}}}"]
    if mission.language != DEFAULT_LANGUAGE:
        lines.append(f"  language: {mission.language}")
    lines += ["", "legs:"]
    for leg in mission.legs:
        zone = f", timezone: {leg.timezone}" if leg.timezone != mission.timezone else ""
        lines.append(f"  - {{city: {_text(leg.city)}, from: {leg.first_day.isoformat()}, "
                     f"to: {leg.last_day.isoformat()}{zone}}}")
    lines += ["", "venues:"]
    for venue in mission.venues.values():
        parts = [f"id: {_id(venue.id)}", f"name: {_text(venue.name)}", f"city: {_text(venue.city)}"]
        if venue.address is not None:
            parts.append(f"address: {_text(venue.address)}")
        if venue.geo is not None:
            parts.append(f"geo: [{_number(venue.geo[0])}, {_number(venue.geo[1])}]")
        if venue.open_hours:
            hours = ", ".join(f"[{_clock(r.start)}, {_clock(r.end)}]" for r in venue.open_hours)
            parts.append(f"open: [{hours}]")
        if venue.parallel != 1:
            parts.append(f"parallel: {venue.parallel}")
        if venue.capacity is not None:
            parts.append(f"capacity: {venue.capacity}")
        lines.append("  - {" + ", ".join(parts) + "}")
    lines += ["", *_travel_section(mission), "", "delegates:"]
    for delegate in mission.delegates.values():
        parts = [f"id: {_id(delegate.id)}", f"name: {_text(delegate.name)}"]
        for key in ("role", "organisation", "delegation", "email", "language"):
            value = getattr(delegate, key)
            if value is not None:
                parts.append(f"{key}: {_text(value)}")
        if delegate.sectors:
            parts.append("sectors: [" + ", ".join(_text(s) for s in delegate.sectors) + "]")
        if delegate.size != 1:
            parts.append(f"size: {delegate.size}")
        if delegate.unavailable:
            windows = ", ".join(_window(mission, w, _zone_of_instant(mission, w.start))
                                for w in delegate.unavailable)
            parts.append(f"unavailable: [{windows}]")
        lines.append("  - {" + ", ".join(parts) + "}")
    if mission.groups:
        lines += ["", "groups:"]
        for group in mission.groups.values():
            parts = [f"id: {_id(group.id)}"]
            if group.name is not None:
                parts.append(f"name: {_text(group.name)}")
            if group.kind is not None:
                parts.append(f"kind: {_text(group.kind)}")
            parts.append(f"members: {_ids(group.members)}")
            lines.append("  - {" + ", ".join(parts) + "}")
    lines += ["", "activities:"]
    for activity in mission.activities.values():
        lines.append("  - {" + ", ".join(_activity_parts(mission, activity)) + "}")
    if mission.rules:
        lines += ["", "rules:"]
        for position, rule in enumerate(mission.rules, start=1):
            lines.append("  - {" + ", ".join(_rule_parts(rule, position)) + "}")
    lines += _b2b_sections(mission)
    if mission.lodging:
        lines += ["", "lodging:"]
        for lodging in mission.lodging:
            parts = [f"city: {_text(lodging.city)}", f"venue: {_id(lodging.venue)}"]
            if lodging.who is not None:
                parts.append(f"who: {_id(lodging.who)}")
            if lodging.leave != mission.day.start:
                parts.append(f"leave: {_clock(lodging.leave)}")
            lines.append("  - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


def _b2b_sections(mission: Mission) -> list[str]:
    """`counterparts` and the top-level `meetings` (docs/b2b.md), when the mission has them."""
    lines: list[str] = []
    if mission.counterparts:
        lines += ["", "counterparts:"]
        for counterpart in mission.counterparts.values():
            parts = [f"id: {_id(counterpart.id)}", f"name: {_text(counterpart.name)}"]
            for key in ("organisation", "email"):
                value = getattr(counterpart, key)
                if value is not None:
                    parts.append(f"{key}: {_text(value)}")
            if counterpart.size != 1:
                parts.append(f"size: {counterpart.size}")
            if counterpart.unavailable:
                windows = ", ".join(_window(mission, window, _zone_of_instant(mission, window.start))
                                    for window in counterpart.unavailable)
                parts.append(f"unavailable: [{windows}]")
            if counterpart.sessions is not None:
                parts.append(f"sessions: {_ids(counterpart.sessions)}")
            lines.append("  - {" + ", ".join(parts) + "}")
    if mission.meeting_requests:
        lines += ["", "meetings:"]
        for request in mission.meeting_requests:
            parts = [f"with: {_ids(request.refs)}"]
            if request.priority != 1:
                parts.append(f"priority: {'required' if request.priority is None else request.priority}")
            if request.sessions is not None:
                parts.append(f"sessions: {_ids(request.sessions)}")
            lines.append("  - {" + ", ".join(parts) + "}")
    return lines


def _travel_section(mission: Mission) -> list[str]:
    """Settings, and an explicit time for each pair whose time the loader would not compute the same."""
    settings = mission.travel_settings
    lines = ["travel:", f"  speed_kmh: {_number(settings.speed_kmh)}",
             f"  detour: {_number(settings.detour)}",
             f"  buffer: {format_duration(settings.buffer)}"]
    if settings.default is not None:
        lines.append(f"  default: {format_duration(settings.default)}")
    explicit = []
    for (venue_a, venue_b), minutes in mission.travel.items():
        if venue_a > venue_b:
            continue
        a, b = mission.venues.get(venue_a), mission.venues.get(venue_b)
        if a is None or b is None:
            continue
        computed = (computed_travel_minutes(a.geo, b.geo, settings) if a.geo is not None and b.geo is not None
                    else settings.default)
        if computed != minutes:
            explicit.append(f"    - [{_id(venue_a)}, {_id(venue_b)}, {format_duration(minutes)}]")
    if explicit:
        lines += ["  times:", *explicit]
    return lines


def _activity_parts(mission: Mission, activity: Activity) -> list[str]:
    leg = mission.leg_of_activity(activity.id)
    parts = [f"id: {_id(activity.id)}", f"title: {_text(activity.title)}"]
    if activity.kind != "meeting":
        parts.append(f"kind: {_text(activity.kind)}")
    if len(activity.venues) == 1:
        parts.append(f"venue: {_id(activity.venues[0])}")
    else:
        parts.append(f"venues: {_ids(activity.venues)}")
    parts.append(f"duration: {format_duration(activity.duration)}")
    parts.append(f"attendees: {_ids(activity.attendee_refs or activity.attendees)}")
    optional = activity.optional_attendee_refs or activity.optional_attendees
    if optional:
        parts.append(f"optional_attendees: {_ids(optional)}")
    if activity.fixed is not None:
        parts.append(f"fixed: {_datetime(mission, activity.fixed, leg.zone, must_be=leg)[0]}")
    if activity.windows:
        parts.append("windows: [" + ", ".join(_window(mission, w, leg.zone) for w in activity.windows) + "]")
    if activity.dates:
        parts.append("dates: [" + ", ".join(d.isoformat() for d in activity.dates) + "]")
    if activity.after:
        items = [_id(a.activity) if a.gap == 0
                 else f"{{id: {_id(a.activity)}, gap: {format_duration(a.gap)}}}"
                 for a in activity.after]
        parts.append("after: [" + ", ".join(items) + "]")
    if activity.priority is not None:
        parts.append(f"priority: {activity.priority}")
    if activity.description is not None:
        parts.append(f"description: {_text(activity.description)}")
    if activity.meetings is not None:
        setting = activity.meetings
        parts.append(f"meetings: {{slot: {format_duration(setting.slot)}, tables: {setting.tables}}}")
    return parts


def _rule_parts(rule: Rule, position: int) -> list[str]:
    parts = [] if rule.id == f"{rule.kind}-{position}" else [f"id: {_id(rule.id)}"]
    body = [f"who: {_id(rule.who)}"]
    if isinstance(rule, Accompany):
        body.append(f"with: {_id(rule.principal)}")
        if rule.kinds is not None:
            body.append("kinds: [" + ", ".join(_text(k) for k in rule.kinds) + "]")
    elif isinstance(rule, MinGap):
        body.append(f"gap: {format_duration(rule.gap)}")
    elif isinstance(rule, Lunch):
        body.append(f"between: [{_clock(rule.between.start)}, {_clock(rule.between.end)}]")
        body.append(f"duration: {format_duration(rule.duration)}")
    elif (kind := kind_of(rule)) is not None:
        body += [f"{key}: {_value(value)}" for key, value in kind.write(rule).items()]
    parts.append(f"{rule.kind}: {{" + ", ".join(body) + "}")
    return parts


def _value(value: Any) -> str:
    """A value of a registry kind's entry (its `write`), as the YAML flow style writes it."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return str(value)
