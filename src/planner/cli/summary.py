"""`planner validate`'s summary of a mission, drawn with rich."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Group as RenderGroup
from rich.table import Table
from rich.text import Text

from planner.domain import Group, Mission

_GROUPS_LISTED_PER_KIND = 8


def summary(mission: Mission) -> RenderGroup:
    """A short rich summary: legs, venues, delegates and headcount, groups, activities by kind, rules, and
    the B2B sessions with their counterparts and requests.

    Text from the mission goes into cells as `Text`, never as a markup string: `[x]` in a kind stays `[x]`."""
    headcount = sum(delegate.size for delegate in mission.delegates.values())
    title = Text.assemble(
        (mission.name, "bold"), f"  ({mission.file}, grain {mission.grain}m, working day {mission.day})"
    )
    legs = Table(title="Legs", title_justify="left", show_edge=False)
    for column in ("city", "dates", "time zone", "venues"):
        legs.add_column(column)
    for leg in mission.legs:
        venues = [v.id for v in mission.venues.values() if v.city == leg.city]
        legs.add_row(Text(leg.city), f"{leg.first_day} – {leg.last_day}", leg.timezone, str(len(venues)))

    counts = Table(title="Mission", title_justify="left", show_edge=False, show_header=False)
    counts.add_column()
    counts.add_column(justify="right")
    counts.add_row("venues", str(len(mission.venues)))
    counts.add_row("delegates", str(len(mission.delegates)))
    counts.add_row("headcount", str(headcount))
    counts.add_row("groups", str(len(mission.groups)))
    counts.add_row("activities", str(len(mission.activities)))
    counts.add_row("rules", str(len(mission.rules)))
    counts.add_row("travel pairs", str(len(mission.travel) // 2))
    if mission.counterparts or mission.meeting_requests:
        required_requests = sum(request.required for request in mission.meeting_requests)
        counts.add_row("counterparts", str(len(mission.counterparts)))
        counts.add_row("meeting requests", f"{len(mission.meeting_requests)} ({required_requests} required)")

    groups = Table(title="Groups", title_justify="left", show_edge=False)
    for column in ("group", "kind", "delegates", "headcount"):
        groups.add_column(column)
    # A summary stays short: a kind with many groups (sectors, say) gets one line with the ranges.
    by_group_kind: dict[str, list[Group]] = {}
    for group in mission.groups.values():
        by_group_kind.setdefault(group.kind or "", []).append(group)
    for kind, members in by_group_kind.items():
        sizes = [len(group.delegates) for group in members]
        headcounts = [sum(mission.delegates[d].size for d in group.delegates) for group in members]
        if len(members) <= _GROUPS_LISTED_PER_KIND:
            for group, size, headcount in zip(members, sizes, headcounts):
                groups.add_row(group.id, Text(kind), str(size), str(headcount))
        else:
            groups.add_row(f"{len(members)} groups", Text(kind), f"{min(sizes)}–{max(sizes)}",
                           f"{min(headcounts)}–{max(headcounts)}")

    kinds = Table(title="Activities by kind", title_justify="left", show_edge=False)
    for column in ("kind", "activities", "required", "optional"):
        kinds.add_column(column)
    by_kind = Counter(activity.kind for activity in mission.activities.values())
    required = Counter(activity.kind for activity in mission.activities.values() if activity.required)
    for kind in sorted(by_kind):
        optional = by_kind[kind] - required[kind]
        kinds.add_row(Text(kind), str(by_kind[kind]), str(required[kind]), str(optional))

    rules = Table(title="Rules", title_justify="left", show_edge=False)
    for column in ("rule", "kind", "who", "delegates"):
        rules.add_column(column)
    for rule in mission.rules:
        rules.add_row(rule.id, rule.kind, rule.who, str(len(rule.delegates)))

    parts: list[Any] = [title, legs, counts]
    if mission.groups:
        parts.append(groups)
    parts.append(kinds)
    if mission.rules:
        parts.append(rules)
    if mission.meeting_requests:
        parts.append(_b2b_sessions(mission))
    return RenderGroup(*parts)


def _b2b_sessions(mission: Mission) -> Table:
    """Each B2B session's slots, tables and the counterparts who come to it (a counterpart without
    `sessions` comes to every one), so that a session nobody comes to shows before the solve."""
    sessions = Table(title="B2B sessions", title_justify="left", show_edge=False)
    for column in ("session", "slot", "slots × tables", "delegates", "counterparts"):
        sessions.add_column(column)
    for activity in mission.activities.values():
        if activity.meetings is None:
            continue
        coming = [c for c in mission.counterparts.values() if c.sessions is None or activity.id in c.sessions]
        sessions.add_row(activity.id, f"{activity.meetings.slot}m",
                         f"{activity.duration // activity.meetings.slot} × {activity.meetings.tables}",
                         str(len({*activity.attendees, *activity.optional_attendees})), str(len(coming)))
    return sessions
