"""Pre-checks on the order of activities: `after` cycles and chains, and the hours of a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise

from planner.diagnosis.phrases import activity_ref, local_instant, make_conflict, rule_ref
from planner.diagnosis.placements import Placement, certain_day, has_room, topological
from planner.domain import Activity, Mission, Source
from planner.domain.schedule import Conflict
from planner.domain.spans import measure

MAX_PER_CHECK = 20
"""Conflicts reported per kind of check; a file with hundreds has one mistake repeated, not hundreds."""


def after_cycles(mission: Mission, required: dict[str, Activity]) -> list[list[str]]:
    """Strongly connected groups of required activities linked by `after` (Tarjan, in file order)."""
    successors: dict[str, list[str]] = {a: [] for a in required}
    for activity in required.values():
        for link in activity.after:
            if link.activity in required:
                successors[link.activity].append(activity.id)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        # Iterative Tarjan: chains of `after` can be long, recursion depth must not be.
        work = [(node, iter(successors[node]))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == current:
                        break
                if len(group) > 1 or any(link.activity == current for link in required[current].after):
                    groups.append(group)

    for node in required:
        if node not in index:
            visit(node)
    return groups


def check_after_cycles(mission: Mission, required: dict[str, Activity]) -> tuple[list[Conflict], set[str]]:
    """Spec hard rule 3: `after` between required activities cannot run in a circle."""
    conflicts = []
    involved: set[str] = set()
    order = {activity_id: n for n, activity_id in enumerate(mission.activities)}
    for group in after_cycles(mission, required):
        members = set(group)
        cycle = shortest_cycle(min(members, key=order.__getitem__), members, required)
        involved |= members
        links = []
        sources = []
        for position, activity_id in enumerate(cycle):
            follower = required[cycle[(position + 1) % len(cycle)]]
            link = next(after for after in follower.after if after.activity == activity_id)
            links.append({"follower": follower.title, "predecessor": required[activity_id].title,
                          "gap": link.gap, "source": str(link.source)})
            sources += [follower.source, link.source]
        conflicts.append(make_conflict("after-cycle", {"links": links}, cycle, sources=sources))
    return conflicts, involved


def shortest_cycle(start: str, members: set[str], required: dict[str, Activity]) -> list[str]:
    """The shortest circle of `after` through `start` inside one strongly connected group (breadth first)."""
    successors = {a: sorted(b for b in members if any(after.activity == a for after in required[b].after))
                  for a in members}
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in successors[node]:
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return list(reversed(path))
                if child not in parents:
                    parents[child] = node
                    following.append(child)
        frontier = following
    return [start]


def check_after_chains(mission: Mission, required: dict[str, Activity], places: dict[str, list[Placement]],
                       cyclic: set[str]) -> list[Conflict]:
    """Spec hard rule 3: a chain of `after` fits between the earliest start of its first and the latest end
    of its last activity."""
    activities = {a: act for a, act in required.items()
                  if a not in cyclic and places[a] and has_room(places[a])}
    ranges = {a: sorted(r for place in places[a] for r in place.starts) for a in activities}
    earliest = {a: ranges[a][0][0] for a in activities}
    latest = {a: max(r[1] for r in ranges[a]) for a in activities}
    pushed_by: dict[str, str] = {}
    pulled_by: dict[str, str] = {}
    order = topological(activities)
    for activity_id in order:
        for link in activities[activity_id].after:
            if link.activity in activities:
                ready = earliest[link.activity] + activities[link.activity].duration + link.gap
                if ready > earliest[activity_id]:
                    earliest[activity_id] = min(
                        (max(ready, lo) for lo, hi in ranges[activity_id] if hi >= ready), default=ready)
                    pushed_by[activity_id] = link.activity
    for activity_id in reversed(order):
        for link in activities[activity_id].after:
            if link.activity in activities:
                predecessor = activities[link.activity]
                deadline = latest[activity_id] - link.gap - predecessor.duration
                if deadline < latest[link.activity]:
                    latest[link.activity] = max(
                        (min(deadline, hi) for lo, hi in ranges[link.activity] if lo <= deadline),
                        default=deadline)
                    pulled_by[link.activity] = activity_id
    conflicts = []
    seen: set[tuple[str, ...]] = set()
    for activity_id in order:
        if earliest[activity_id] <= latest[activity_id]:
            continue
        chain = [activity_id]
        while chain[0] in pushed_by:
            chain.insert(0, pushed_by[chain[0]])
        while chain[-1] in pulled_by:
            chain.append(pulled_by[chain[-1]])
        key = tuple(chain)
        if key in seen or len(chain) < 2:
            continue
        seen.add(key)
        first, last = activities[chain[0]], activities[chain[-1]]
        zone_first = mission.leg_of_activity(first.id).zone
        zone_last = mission.leg_of_activity(last.id).zone
        start = ranges[first.id][0][0]
        end = max(r[1] for r in ranges[last.id]) + last.duration
        links = []
        sources: list[Source] = []
        for previous, following in pairwise(chain):
            link = next(after for after in activities[following].after if after.activity == previous)
            links.append({"follower": activities[following].title, "predecessor": activities[previous].title,
                          "gap": link.gap, "source": str(link.source)})
            sources.append(link.source)
        needed = sum(activities[a].duration for a in chain) + sum(
            next(after for after in activities[f].after if after.activity == p).gap
            for p, f in pairwise(chain))
        params = {"links": links, "needed": needed,
                  "first": activity_ref(mission, first), "earliest": local_instant(start, zone_first),
                  "last": activity_ref(mission, last), "latest_end": local_instant(end, zone_last)}
        sources += [activities[a].source for a in chain]
        conflicts.append(make_conflict("after-chain", params, chain, sources=sources))
    return conflicts


def check_daily_hours(mission: Mission, required: dict[str, Activity],
                      attendance: dict[str, dict[str, str | None]],
                      places: dict[str, list[Placement]]) -> list[Conflict]:
    """Spec hard rule 4: one activity at a time — a delegate's required activities of one day fit into the
    time those activities may occupy on that day."""
    per_day: dict[tuple[str, date], list[Activity]] = defaultdict(list)
    for activity in required.values():
        day = certain_day(mission, activity)
        if day is None or not has_room(places[activity.id]):
            continue
        for attendee in attendance[activity.id]:
            per_day[(attendee, day)].append(activity)
    conflicts: list[Conflict] = []
    for (delegate_id, day), activities in sorted(per_day.items()):
        if len(activities) < 2:
            continue
        total = sum(a.duration for a in activities)
        available = measure(span for a in activities for place in places[a.id] for span in place.spans)
        if total <= available:
            continue
        if all(a.fixed is not None for a in activities):
            continue  # pairs of fixed activities are reported, more precisely, as overlaps
        if len(conflicts) >= MAX_PER_CHECK:
            conflicts.append(Conflict("", extra={"check": "daily-hours"}))  # counted by `capped`, never shown
            continue
        rules = sorted({rule for a in activities if (rule := attendance[a.id][delegate_id])})
        params = {"day": day.isoformat(), "delegate": mission.delegates[delegate_id].name,
                  "activities": [activity_ref(mission, a) for a in activities], "total": total,
                  "available": available, "rules": [rule_ref(mission, rule) for rule in rules]}
        sources = [a.source for a in activities] + [mission.rule(r).source for r in rules]
        conflicts.append(make_conflict("daily-hours", params, [a.id for a in activities], [delegate_id],
                                       rules, sources))
    return conflicts
