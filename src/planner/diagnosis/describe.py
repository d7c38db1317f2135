"""A minimal set of statements that cannot hold together, said in the mission's words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Protocol

from planner.diagnosis.phrases import activity_ref, local_span, make_conflict, position
from planner.diagnosis.placements import placements
from planner.domain import Accompany, Activity, Lodging, Lunch, MinGap, Mission, Rule, Source
from planner.domain.rules import kind_of
from planner.domain.schedule import Conflict
from planner.domain.spans import window_span


class StatementLike(Protocol):
    kind: str
    ids: tuple[str, ...]
    source: Source



def describe_core(mission: Mission, core: Sequence[StatementLike], with_travel: bool = True) -> Conflict:
    """One conflict from a minimal set of statements, e.g. "HRH Princess Astrid must attend 'A' (fixed …)
    and 'B' (fixed …), but Google → Fairmont takes 75 min plus the 15 min protocol gap (rule …)": who must
    attend what (`clauses`) and what stands in the way (`limits`), said by planner.text.conflicts."""
    activities: list[str] = []
    delegates: list[str] = []
    rules: list[str] = []
    venues: list[str] = []
    sources: list[Source] = []
    attending: dict[str, list[str]] = defaultdict(list)
    mentioned: set[str] = set()
    limits: list[dict[str, Any]] = []

    def activity(activity_id: str) -> Activity | None:
        found = mission.activities.get(activity_id)
        if found is not None:
            activities.append(activity_id)
            sources.append(found.source)
        return found

    def title(activity_id: str) -> str:
        found = mission.activities.get(activity_id)
        return found.title if found else activity_id

    for statement in core:
        kind, ids = statement.kind, tuple(statement.ids)
        where_ = str(statement.source)
        if statement.source.line > 0:
            sources.append(statement.source)
        if kind == "attendance" and len(ids) >= 2:
            activity(ids[0])
            delegates.append(ids[1])
            attending[ids[1]].append(ids[0])
        elif kind in ("timing", "required") and ids:
            activity(ids[0])
        elif kind == "after" and len(ids) >= 2:
            follower = mission.activities.get(ids[0])
            activity(ids[0])
            activity(ids[1])
            gap = next((link.gap for link in follower.after if link.activity == ids[1]), 0) if follower else 0
            limits.append({"case": "after", "follower": title(ids[0]), "predecessor": title(ids[1]),
                           "gap": gap, "source": where_})
        elif kind == "unavailable" and ids:
            delegates.append(ids[0])
            delegate = mission.delegates.get(ids[0])
            window = unavailable_window(mission, ids, statement.source)
            limits.append({"case": "unavailable", "delegate": delegate.name if delegate else ids[0],
                           "span": (local_span(window_span(window), window_zone(mission, window))
                                    if window is not None else None),
                           "source": where_})
        elif kind == "venue-parallel" and ids:
            venue = mission.venues.get(ids[0])
            venues.append(ids[0])
            if venue is not None:
                sources.append(venue.source)
                limits.append({"case": "venue-parallel", "venue": venue.name, "parallel": venue.parallel,
                               "source": str(venue.source)})
        elif kind == "venue-capacity" and ids:
            venue = mission.venues.get(ids[0]) or (mission.venues.get(ids[1]) if len(ids) > 1 else None)
            if venue is not None:
                venues.append(venue.id)
                sources.append(venue.source)
                limits.append({"case": "venue-capacity", "venue": venue.name, "capacity": venue.capacity,
                               "source": str(venue.source), "over": headcounts_over(mission, core, venue.id)})
            for other in ids:
                if other in mission.activities:
                    activity(other)
        elif kind == "lodging" and len(ids) >= 2:
            delegates.append(ids[0])
            lodging = mission.hotel(ids[0], ids[1])
            if lodging is None:
                limits.append({"case": "statement", "kind": kind, "ids": list(ids), "source": where_})
                continue
            sources.append(lodging.source)
            limits.append(lodging_limit(mission, ids[0], lodging, core))
        elif kind == "rule" and ids:
            rules.append(ids[0])
            if len(ids) > 1 and ids[1] in mission.delegates:
                delegates.append(ids[1])
            try:
                rule = mission.rule(ids[0])
            except KeyError:
                limits.append({"case": "unknown-rule", "rule": ids[0], "source": where_})
                continue
            sources.append(rule.source)
            limits.append(rule_limit(mission, rule, ids[1:]))
        else:
            limits.append({"case": "statement", "kind": kind, "ids": list(ids), "source": where_})

    clauses: list[dict[str, Any]] = []
    declared = {delegate_id: n for n, delegate_id in enumerate(mission.delegates)}
    # Delegates bound to the same activities share one clause: "Odoo team and Press pool must attend …".
    together: dict[tuple[str, ...], list[str]] = {}
    for delegate_id in sorted(attending, key=lambda d: declared.get(d, 0)):
        listed = tuple(sorted(dict.fromkeys(attending[delegate_id]),
                              key=lambda a: earliest_start(mission, a)))
        together.setdefault(listed, []).append(delegate_id)
    for listed, group in together.items():
        # An activity is described in full where first named, by its title after that.
        named = [activity_ref(mission, mission.activities[a]) if a not in mentioned
                 else {"id": a, "title": title(a)} for a in listed if a in mission.activities]
        mentioned.update(listed)
        clauses.append({"delegates": [delegate_name(mission, d) for d in group], "activities": named})
    loose = sorted((a for a in dict.fromkeys(activities) if a not in mentioned),
                   key=lambda a: earliest_start(mission, a))
    if loose:
        clauses.append({"delegates": [], "activities": [activity_ref(mission, mission.activities[a])
                                                        for a in loose]})
        mentioned.update(loose)
    if with_travel:
        limits = travel_facts(mission, attending) + limits
    return make_conflict("diagnosis", {"clauses": clauses, "limits": limits}, activities, delegates, rules,
                         sources, statements=[f"{s.kind} {' '.join(s.ids)}" for s in core],
                         **({"venues": sorted(set(venues))} if venues else {}))


def earliest_start(mission: Mission, activity_id: str) -> tuple[int, str]:
    """Sort key: where the activity may start first (messages read in the order of the day), then id."""
    activity = mission.activities.get(activity_id)
    if activity is None:
        return (0, activity_id)
    starts = [low for place in placements(mission, activity) for low, _ in (place.spans or ((1 << 40, 0),))]
    return (min(starts, default=1 << 40), activity_id)


def delegate_name(mission: Mission, delegate_id: str) -> str:
    """The delegate's name; their id when the mission has no such delegate (a statement of a part)."""
    return mission.delegates[delegate_id].name if delegate_id in mission.delegates else delegate_id


def headcounts_over(mission: Mission, core: Sequence[StatementLike], venue_id: str) -> list[dict[str, Any]]:
    """The headcounts above the venue's capacity that the core's attendance statements bring to the
    activities that could use it ("fewer than the 30 of 'Tour'")."""
    counts: dict[str, int] = defaultdict(int)
    for statement in core:
        if (statement.kind == "attendance" and len(statement.ids) >= 2
                and statement.ids[1] in mission.delegates):
            activity = mission.activities.get(statement.ids[0])
            if activity is not None and venue_id in activity.venues:
                counts[activity.id] += mission.delegates[statement.ids[1]].size
    return [{"count": count, "title": mission.activities[a].title} for a, count in counts.items()
            if count > (mission.venues[venue_id].capacity or 0)]


def unavailable_window(mission: Mission, ids: tuple[str, ...], source: Source):
    delegate = mission.delegates.get(ids[0])
    if delegate is None:
        return None
    for window in delegate.unavailable:
        if window.source == source:
            return window
    if len(ids) > 1 and ids[1].isdigit() and int(ids[1]) < len(delegate.unavailable):
        return delegate.unavailable[int(ids[1])]
    return delegate.unavailable[0] if len(delegate.unavailable) == 1 else None


def window_zone(mission: Mission, window):
    local_day = window.start.date()
    for leg in mission.legs:
        if leg.contains(local_day):
            return leg.zone
    return mission.legs[0].zone


def travel_facts(mission: Mission, attending: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Travel times between the venues of one delegate's clashing activities (a fact, not a statement)."""
    facts = []
    for listed in attending.values():
        ids = sorted((a for a in dict.fromkeys(listed) if a in mission.activities),
                     key=lambda a: earliest_start(mission, a))
        for index, first in enumerate(ids):
            for second in ids[index + 1:]:
                a, b = mission.activities[first], mission.activities[second]
                if len(a.venues) != 1 or len(b.venues) != 1:
                    continue
                travel = mission.travel_minutes(a.venues[0], b.venues[0])
                if travel:
                    facts.append({"case": "travel", "from": mission.venues[a.venues[0]].name,
                                  "to": mission.venues[b.venues[0]].name, "minutes": travel})
    return facts


def lodging_limit(mission: Mission, delegate_id: str, lodging: Lodging,
                  core: Sequence[StatementLike]) -> dict[str, Any]:
    """"Odoo leaves Fairmont San Francisco no earlier than 08:00 (…), and Fairmont San Francisco → Google
    takes 75 min": the hotel and the trips to the activities of the core the delegate attends."""
    attended = [s.ids[0] for s in core if s.kind == "attendance" and len(s.ids) >= 2
                and s.ids[1] == delegate_id and s.ids[0] in mission.activities]
    venues = dict.fromkeys(v for a in attended for v in mission.activities[a].venues if v != lodging.venue)
    return {"case": "lodging", "delegate": delegate_name(mission, delegate_id),
            "hotel": mission.venues[lodging.venue].name, "leave": lodging.leave,
            "source": str(lodging.source),
            "trips": [{"to": mission.venues[v].name, "minutes": mission.travel_minutes(lodging.venue, v) or 0}
                      for v in venues]}


def rule_limit(mission: Mission, rule: Rule, delegate_ids: Sequence[str] = ()) -> dict[str, Any]:
    """A rule of a minimal set: its kind, whom it binds there, its file position, and what it demands."""
    limit: dict[str, Any] = {
        "case": "rule", "kind": rule.kind, "rule": rule.id, "source": position(rule.source),
        "delegates": [mission.delegates[d].name for d in delegate_ids if d in mission.delegates],
        "who": rule.who,
    }
    if isinstance(rule, MinGap):
        return {**limit, "gap": rule.gap}
    if isinstance(rule, Lunch):
        return {**limit, "duration": rule.duration, "between": [rule.between.start, rule.between.end]}
    if isinstance(rule, Accompany):
        return {**limit, "kinds": list(rule.kinds) if rule.kinds else None, "principal": rule.principal,
                "principals": [mission.delegates[d].name for d in rule.principal_delegates
                               if d in mission.delegates]}
    kind = kind_of(rule)
    if kind is not None:
        return {**limit, "details": kind.describe(mission, rule)}
    return {"case": "unknown-rule", "rule": rule.id, "source": str(rule.source)}
