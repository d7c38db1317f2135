"""Travel between activities (spec rule 4) and the `min_gap` rule (spec rules table): between two
*consecutive* activities of a delegate at venues of one city lies at least the travel time between them
(plus the widest `min_gap` that names the delegate).

Each pair of a delegate's activities gets an order literal and the separation that holds whatever lies
between them: the shortest route between their venues, through any others (with a travel table that
obeys the triangle inequality, the travel time itself). Where the direct trip is longer than that route
(a → c 5 h, but a → b → c 20 min), the direct time is required only when nothing of the delegate's lies
between: one "between" literal per activity that could, so that `infeasible` is never claimed for a
programme that stops on the way (issue 12)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy

from planner.domain import MinGap
from planner.solver.variables import Literal, MissionModel, PlacedActivity, literal_key, venue_condition


def _gaps(built: MissionModel) -> dict[str, list[tuple[int, list[Literal]]]]:
    """delegate → [(min_gap minutes, guard literals)] from the min_gap rules that name them."""
    result: dict[str, list[tuple[int, list[Literal]]]] = defaultdict(list)
    for rule in built.mission.rules:
        if isinstance(rule, MinGap):
            for delegate_id in rule.delegates:
                guard = built.statement("rule", (rule.id, delegate_id), rule.source)
                result[delegate_id].append((rule.gap, guard))
    # Of the gaps that always hold, the widest implies the others.
    return {d: _widest_unguarded(entries) for d, entries in result.items()}


def _widest_unguarded(entries: list[tuple[int, list[Literal]]]) -> list[tuple[int, list[Literal]]]:
    always = [entry for entry in entries if not entry[1]]
    switchable = [entry for entry in entries if entry[1]]
    return ([max(always, key=lambda e: e[0])] if always else []) + switchable


Shortest = dict[tuple[str, str], int]


def shortest_travel(mission) -> Shortest:
    """(venue, venue) of one city → the fewest minutes from one to the other, directly or through other
    venues of the city (Floyd–Warshall over the travel table; unknown pairs count 0, as below)."""
    by_city: dict[str, list[str]] = defaultdict(list)
    for venue in mission.venues.values():
        by_city[venue.city].append(venue.id)
    result: Shortest = {}
    for venues in by_city.values():
        table = numpy.array([[mission.travel_minutes(a, b) or 0 for b in venues] for a in venues],
                            dtype=numpy.int64)
        for middle in range(len(venues)):
            table = numpy.minimum(table, table[:, middle, None] + table[None, middle, :])
        for i, a in enumerate(venues):
            for j, b in enumerate(venues):
                result[(a, b)] = int(table[i, j])
    return result


def _shortcut(built: MissionModel, shortest: Shortest, venue_a: str, venue_b: str) -> bool:
    """Whether going from `venue_a` to `venue_b` through other venues is quicker than the direct trip."""
    route = shortest.get((venue_a, venue_b))  # None between cities
    return route is not None and route < (built.mission.travel_minutes(venue_a, venue_b) or 0)


def _separation_units(built: MissionModel, venue_a: str, venue_b: str, gap: int,
                      shortest: Shortest | None = None) -> int:
    """Units needed between an end at `venue_a` and a start at `venue_b`: travel within a city (direct, or
    by the shortest route when `shortest` is given) + gap."""
    travel = 0
    mission = built.mission
    if venue_a != venue_b and mission.venues[venue_a].city == mission.venues[venue_b].city:
        travel = (shortest[(venue_a, venue_b)] if shortest is not None
                  else mission.travel_minutes(venue_a, venue_b) or 0)
    return built.axis.units_up(travel + gap)


def add_travel(built: MissionModel) -> None:
    """Spec rule 4 and `min_gap`: travel time (+ gap) between activities of a delegate, one order literal
    per pair."""
    model = built.model
    gaps = _gaps(built)
    # (a, b) → {(literal a, literal b, gap, guard indexes) : guard literals}
    needs: dict[tuple[str, str], dict[tuple, tuple[Literal, Literal, int, list[Literal]]]] = defaultdict(dict)
    # (a, b) → the same, with the delegate's activities that could lie between (for the direct trip)
    chains: dict[tuple[str, str], dict[tuple, tuple]] = defaultdict(dict)
    shortest = shortest_travel(built.mission)
    seen: set[tuple] = set()
    for delegate_id, attended in built.attendance_by_delegate().items():
        if len(attended) < 2:
            continue
        attended = sorted(attended, key=lambda e: e[0])
        options = gaps.get(delegate_id, [(0, [])])
        if any(guard for _, guard in options):
            # A min_gap that can be switched off leaves the travel time itself in force.
            options = [(0, []), *options]
        signature = (tuple((a, literal_key(literal)) for a, literal in attended),
                     tuple(g for g, _ in options))
        if built.repeats(signature, seen):
            continue  # the same separations as another delegate's
        for i, (a, literal_a) in enumerate(attended):
            placed_a = built.activities[a]
            for b, literal_b in attended[i + 1:]:
                placed_b = built.activities[b]
                if placed_a.leg is not placed_b.leg and not any(g for g, _ in options):
                    continue
                shortcut = any(_shortcut(built, shortest, va, vb) or _shortcut(built, shortest, vb, va)
                               for va in placed_a.venues for vb in placed_b.venues)
                for gap, guard in options:
                    key = (literal_key(literal_a), literal_key(literal_b), gap, tuple(g.index for g in guard))
                    needs[(a, b)][key] = (literal_a, literal_b, gap, guard)
                    if shortcut:
                        others = tuple((c, literal) for c, literal in attended if c not in (a, b))
                        chain_key = (key, tuple((c, literal_key(literal)) for c, literal in others))
                        chains[(a, b)][chain_key] = (literal_a, literal_b, gap, guard, others)
    pairs = 0
    between: dict[tuple, Literal] = {}
    for (a, b), entries in sorted(needs.items()):
        placed_a, placed_b = built.activities[a], built.activities[b]
        kept = _dominant(built, placed_a, placed_b, list(entries.values()))
        separations = [(la, lb, guard, va, vb, _separation_units(built, va, vb, gap, shortest),
                        _separation_units(built, vb, va, gap, shortest))
                       for la, lb, gap, guard in kept for va in placed_a.venues for vb in placed_b.venues]
        separations = [s for s in separations if s[5] > 0 or s[6] > 0]
        if not separations and (a, b) not in chains:
            continue
        # The direct trip (never shorter than the shortest route) decides whether the pair can be close.
        widest = max(max(_separation_units(built, va, vb, gap), _separation_units(built, vb, va, gap))
                     for _, _, gap, _ in entries.values() for va in placed_a.venues for vb in placed_b.venues)
        if (placed_a.latest_end + widest <= placed_b.earliest
                or placed_b.latest_end + widest <= placed_a.earliest):
            continue  # their domains keep them far enough apart
        pairs += 1
        a_first = model.new_bool_var(f"order:{a}<{b}")
        built.order[(a, b)] = a_first
        for la, lb, guard, va, vb, forward, backward in separations:
            venues = venue_condition(placed_a, va) + venue_condition(placed_b, vb)
            condition = [la, lb, *venues, *guard]
            model.add(placed_b.start >= placed_a.end + forward).only_enforce_if([a_first, *condition])
            model.add(placed_a.start >= placed_b.end + backward).only_enforce_if([a_first.Not(), *condition])
        for la, lb, gap, guard, others in chains.get((a, b), {}).values():
            condition = [la, lb, *guard]
            add_direct_trip(built, placed_a, placed_b, a_first, condition, gap, others, shortest, between)
            add_direct_trip(built, placed_b, placed_a, a_first.Not(), condition, gap, others, shortest,
                            between)
    built.statistics["order_pairs"] = pairs
    built.statistics["between_literals"] = len(between)


def add_direct_trip(built: MissionModel, first: PlacedActivity, second: PlacedActivity, first_before: Any,
                    condition: list[Literal], gap: int, others: tuple[tuple[str, Literal], ...],
                    shortest: Shortest, between: dict[tuple, Literal]) -> None:
    """Spec rule 4, exactly: `second` right after `first` (nothing of the delegate's between) starts at
    least the direct travel time (+ gap) after `first` ends, where that is longer than the shortest route."""
    for venue_first in first.venues:
        for venue_second in second.venues:
            direct = _separation_units(built, venue_first, venue_second, gap)
            if direct <= _separation_units(built, venue_first, venue_second, gap, shortest):
                continue
            if first.latest_end + direct <= second.earliest:
                continue  # never that close
            stops = [_between(built, first, second, built.activities[c], literal, between)
                     for c, literal in others
                     if built.activities[c].latest_end > first.earliest
                     and built.activities[c].earliest < second.latest_end]
            venues = venue_condition(first, venue_first) + venue_condition(second, venue_second)
            built.model.add(second.start >= first.end + direct).only_enforce_if(
                [first_before, *condition, *venues, *(stop.Not() for stop in stops)])


def _between(built: MissionModel, first: PlacedActivity, second: PlacedActivity, middle: PlacedActivity,
             attends: Literal, cache: dict[tuple, Literal]) -> Literal:
    """A literal that may be true only when `middle`, attended (`attends`), lies between the two."""
    key = (first.activity.id, second.activity.id, middle.activity.id, literal_key(attends))
    if key not in cache:
        ids = (first.activity.id, middle.activity.id, second.activity.id)
        stop = built.model.new_bool_var("between:" + "<".join(ids))
        built.model.add_implication(stop, attends)
        built.model.add(middle.start >= first.end).only_enforce_if(stop)
        built.model.add(second.start >= middle.end).only_enforce_if(stop)
        cache[key] = stop
    return cache[key]


def _dominant(built: MissionModel, placed_a: PlacedActivity, placed_b: PlacedActivity,
              entries: list[tuple[Literal, Literal, int, list[Literal]]]) -> list:
    """Drop separations implied by a wider one between the two presences (att ≤ presence)."""
    if not built.simplified:
        return entries
    widest_required = max((gap for la, lb, gap, _ in entries
                           if la.index == placed_a.presence.index and lb.index == placed_b.presence.index),
                          default=None)
    if widest_required is None:
        return entries
    return [e for e in entries
            if (e[0].index == placed_a.presence.index and e[1].index == placed_b.presence.index
                and e[2] == widest_required) or e[2] > widest_required]

