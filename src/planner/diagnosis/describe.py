"""A minimal set of statements that cannot hold together, said in the mission's words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from planner.diagnosis.phrases import activity_phrase, duration_text, make_conflict, span_text, where
from planner.diagnosis.placements import placements
from planner.domain import Accompany, Activity, Lodging, Lunch, MaxPerDay, MinGap, Mission, Rule, Source
from planner.domain.rules import kind_of
from planner.domain.schedule import Conflict
from planner.domain.spans import window_span
from planner.text.format import format_clock


class StatementLike(Protocol):
    kind: str
    ids: tuple[str, ...]
    source: Source



def describe_core(mission: Mission, core: Sequence[StatementLike], with_travel: bool = True) -> Conflict:
    """One conflict from a minimal set of statements, e.g. "HRH Princess Astrid must attend 'A' (fixed …)
    and 'B' (fixed …), but Google → Fairmont takes 75 min plus the 15 min protocol gap (rule …)"."""
    activities: list[str] = []
    delegates: list[str] = []
    rules: list[str] = []
    venues: list[str] = []
    sources: list[Source] = []
    attending: dict[str, list[str]] = defaultdict(list)
    mentioned: set[str] = set()
    limits: list[str] = []

    def activity(activity_id: str) -> Activity | None:
        found = mission.activities.get(activity_id)
        if found is not None:
            activities.append(activity_id)
            sources.append(found.source)
        return found

    def title(activity_id: str) -> str:
        found = mission.activities.get(activity_id)
        return f"'{found.title}'" if found else f"'{activity_id}'"

    for statement in core:
        kind, ids = statement.kind, tuple(statement.ids)
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
            plus = f" + {duration_text(gap)}" if gap else ""
            limits.append(f"{title(ids[0])} must start after {title(ids[1])} ends{plus} "
                          f"({where(statement.source)})")
        elif kind == "unavailable" and ids:
            delegates.append(ids[0])
            delegate = mission.delegates.get(ids[0])
            window = unavailable_window(mission, ids, statement.source)
            name = delegate.name if delegate else ids[0]
            text = (span_text(window_span(window), window_zone(mission, window)) if window is not None
                    else "at some time")
            limits.append(f"{name} is unavailable {text} ({where(statement.source)})")
        elif kind == "venue-parallel" and ids:
            venue = mission.venues.get(ids[0])
            venues.append(ids[0])
            if venue is not None:
                sources.append(venue.source)
                many = "one activity" if venue.parallel == 1 else f"{venue.parallel} activities"
                limits.append(f"{venue.name} hosts {many} at a time ({where(venue.source)})")
        elif kind == "venue-capacity" and ids:
            venue = mission.venues.get(ids[0]) or (mission.venues.get(ids[1]) if len(ids) > 1 else None)
            if venue is not None:
                venues.append(venue.id)
                sources.append(venue.source)
                limits.append(f"{venue.name} holds {venue.capacity} people ({where(venue.source)})"
                              + headcount_text(mission, core, venue.id))
            for other in ids:
                if other in mission.activities:
                    activity(other)
        elif kind == "lodging" and len(ids) >= 2:
            delegates.append(ids[0])
            lodging = mission.hotel(ids[0], ids[1])
            if lodging is None:
                limits.append(f"lodging {' '.join(ids)} ({where(statement.source)})")
                continue
            sources.append(lodging.source)
            limits.append(lodging_text(mission, ids[0], lodging, core))
        elif kind == "rule" and ids:
            rules.append(ids[0])
            if len(ids) > 1 and ids[1] in mission.delegates:
                delegates.append(ids[1])
            try:
                rule = mission.rule(ids[0])
            except KeyError:
                limits.append(f"rule {ids[0]} ({where(statement.source)})")
                continue
            sources.append(rule.source)
            limits.append(rule_text(mission, rule, ids[1:]))
        else:
            limits.append(f"{kind} {' '.join(ids)} ({where(statement.source)})")

    clauses: list[str] = []
    declared = {delegate_id: n for n, delegate_id in enumerate(mission.delegates)}
    # Delegates bound to the same activities share one clause: "Odoo team and Press pool must attend …".
    together: dict[tuple[str, ...], list[str]] = {}
    for delegate_id in sorted(attending, key=lambda d: declared.get(d, 0)):
        listed = tuple(sorted(dict.fromkeys(attending[delegate_id]),
                              key=lambda a: earliest_start(mission, a)))
        together.setdefault(listed, []).append(delegate_id)
    for listed, group in together.items():
        names = join_and([mission.delegates[d].name if d in mission.delegates else d for d in group])
        phrases = [activity_phrase(mission, mission.activities[a]) if a not in mentioned else title(a)
                   for a in listed if a in mission.activities]
        mentioned.update(listed)
        clauses.append(f"{names} must attend {join_and(phrases)}")
    loose = sorted((a for a in dict.fromkeys(activities) if a not in mentioned),
                   key=lambda a: earliest_start(mission, a))
    if loose:
        phrases = [activity_phrase(mission, mission.activities[a]) for a in loose]
        clauses.append(f"{join_and(phrases)} must take place")
        mentioned.update(loose)
    if with_travel:
        limits = travel_facts(mission, attending) + limits
    head = "; ".join(clauses) if clauses else "these statements"
    message = f"{head}, but {join_and(list(dict.fromkeys(limits)))}" if limits else (
        f"{head}, and there is no way to fit them all in the times allowed")
    return make_conflict(message, activities, delegates, rules, sources, check="diagnosis",
                         statements=[f"{s.kind} {' '.join(s.ids)}" for s in core],
                         **({"venues": sorted(set(venues))} if venues else {}))


def earliest_start(mission: Mission, activity_id: str) -> tuple[int, str]:
    """Sort key: where the activity may start first (messages read in the order of the day), then id."""
    activity = mission.activities.get(activity_id)
    if activity is None:
        return (0, activity_id)
    starts = [low for place in placements(mission, activity) for low, _ in (place.spans or ((1 << 40, 0),))]
    return (min(starts, default=1 << 40), activity_id)


def headcount_text(mission: Mission, core: Sequence[StatementLike], venue_id: str) -> str:
    """', fewer than the 30 of 'Tour'': the headcount that the core's attendance statements bring to the
    activities that could use the venue."""
    counts: dict[str, int] = defaultdict(int)
    for statement in core:
        if (statement.kind == "attendance" and len(statement.ids) >= 2
                and statement.ids[1] in mission.delegates):
            activity = mission.activities.get(statement.ids[0])
            if activity is not None and venue_id in activity.venues:
                counts[activity.id] += mission.delegates[statement.ids[1]].size
    over = [f"the {count} of '{mission.activities[a].title}'" for a, count in counts.items()
            if count > (mission.venues[venue_id].capacity or 0)]
    return f", fewer than {join_and(over)}" if over else ""


def join_and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


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


def travel_facts(mission: Mission, attending: dict[str, list[str]]) -> list[str]:
    """Travel times between the venues of one delegate's clashing activities (a fact, not a statement)."""
    facts = []
    for listed in attending.values():
        ids = sorted((a for a in dict.fromkeys(listed) if a in mission.activities),
                     key=lambda a: earliest_start(mission, a))
        for position, first in enumerate(ids):
            for second in ids[position + 1:]:
                a, b = mission.activities[first], mission.activities[second]
                if len(a.venues) != 1 or len(b.venues) != 1:
                    continue
                travel = mission.travel_minutes(a.venues[0], b.venues[0])
                if travel:
                    facts.append(f"{mission.venues[a.venues[0]].name} → {mission.venues[b.venues[0]].name} "
                                 f"takes {travel} min")
    return facts


def lodging_text(mission: Mission, delegate_id: str, lodging: Lodging, core: Sequence[StatementLike]) -> str:
    """"Odoo leaves Fairmont San Francisco no earlier than 08:00 (…), and Fairmont San Francisco → Google
    takes 75 min": the hotel and the trips to the activities of the core the delegate attends."""
    hotel = mission.venues[lodging.venue].name
    name = mission.delegates[delegate_id].name if delegate_id in mission.delegates else delegate_id
    attended = [s.ids[0] for s in core if s.kind == "attendance" and len(s.ids) >= 2
                and s.ids[1] == delegate_id and s.ids[0] in mission.activities]
    venues = dict.fromkeys(v for a in attended for v in mission.activities[a].venues if v != lodging.venue)
    trips = [f"{hotel} → {mission.venues[v].name} takes "
             f"{duration_text(mission.travel_minutes(lodging.venue, v) or 0)}" for v in venues]
    text = f"{name} leaves {hotel} no earlier than {format_clock(lodging.leave)} ({where(lodging.source)})"
    return text + (f", and {join_and(trips)}" if trips else "")


def rule_text(mission: Mission, rule: Rule, delegate_ids: Sequence[str] = ()) -> str:
    """A rule in the mission's words, with its file position."""
    who = ", ".join(mission.delegates[d].name for d in delegate_ids if d in mission.delegates) or rule.who
    where_ = f"rule {rule.id}, {where(rule.source)}" if rule.source.line > 0 else f"rule {rule.id}"
    if isinstance(rule, MinGap):
        return f"{who} needs the {rule.gap} min protocol gap between activities ({where_})"
    if isinstance(rule, MaxPerDay):
        kinds = f" of kind {'/'.join(rule.kinds)}" if rule.kinds else ""
        return f"{who} attends at most {rule.count} activities{kinds} a day ({where_})"
    if isinstance(rule, Lunch):
        return (f"{who} needs a {duration_text(rule.duration)} lunch break off the road within "
                f"{rule.between} ({where_})")
    if isinstance(rule, Accompany):
        kinds = f" to every {'/'.join(rule.kinds)}" if rule.kinds else " everywhere"
        principal = ", ".join(mission.delegates[d].name for d in rule.principal_delegates
                              if d in mission.delegates) or rule.principal
        return f"{who} must accompany {principal}{kinds} ({where_})"
    kind = kind_of(rule)
    if kind is not None:
        return f"{kind.describe(mission, rule, who)} ({where_})"
    return f"rule {rule.id} ({where(rule.source)})"
