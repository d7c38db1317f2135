"""Travel between activities (spec rule 4) and the `min_gap` rule (spec rules table): between two
activities of a delegate at venues of one city lies at least the travel time between them (plus the
widest `min_gap` that names the delegate)."""

from __future__ import annotations

from collections import defaultdict

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


def _separation_units(built: MissionModel, venue_a: str, venue_b: str, gap: int) -> int:
    """Units needed between an end at `venue_a` and a start at `venue_b` (travel within a city + gap)."""
    travel = 0
    mission = built.mission
    if venue_a != venue_b and mission.venues[venue_a].city == mission.venues[venue_b].city:
        travel = mission.travel_minutes(venue_a, venue_b) or 0
    return built.axis.units_up(travel + gap)


def add_travel(built: MissionModel) -> None:
    """Spec rule 4 and `min_gap`: travel time (+ gap) between activities of a delegate, one order literal
    per pair."""
    model = built.model
    gaps = _gaps(built)
    # (a, b) → {(literal a, literal b, gap, guard indexes) : guard literals}
    needs: dict[tuple[str, str], dict[tuple, tuple[Literal, Literal, int, list[Literal]]]] = defaultdict(dict)
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
                for gap, guard in options:
                    key = (literal_key(literal_a), literal_key(literal_b), gap, tuple(g.index for g in guard))
                    needs[(a, b)][key] = (literal_a, literal_b, gap, guard)
    pairs = 0
    for (a, b), entries in sorted(needs.items()):
        placed_a, placed_b = built.activities[a], built.activities[b]
        kept = _dominant(built, placed_a, placed_b, list(entries.values()))
        separations = [(la, lb, guard, va, vb, _separation_units(built, va, vb, gap),
                        _separation_units(built, vb, va, gap))
                       for la, lb, gap, guard in kept for va in placed_a.venues for vb in placed_b.venues]
        separations = [s for s in separations if s[5] > 0 or s[6] > 0]
        if not separations:
            continue
        widest = max(max(s[5], s[6]) for s in separations)
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
    built.statistics["order_pairs"] = pairs


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

