"""The travel objective's model (spec soft 3): per class of delegates who attend alike and per date, a
circuit through the activities they may attend that date, whose arcs carry the travel time between venues.

Built on demand (`add_travel_objective`), so that the first solve stage carries no circuit.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python.cp_model import CpModel, IntVar, LinearExpr

from planner.domain.travel import TRANSFER
from planner.solver.variables import (
    Circuit,
    Literal,
    MissionModel,
    PlacedActivity,
    literal_key,
    venue_condition,
)


def add_travel_objective(built: MissionModel) -> None:
    """Soft 3: travel minutes × size between consecutive activities of each delegate on one date, and with
    `lodging` the day's first trip (hotel → first venue) and last (last venue → hotel).

    Delegates with the same attendance literals (and hotels) share one sequence (weighted by their total
    size): per such class and date, a circuit through the activities they may attend that date, where an arc
    i → j (j starts after i ends) says j is the next one; its cost is the travel time between their venues.
    The depot is the hotel: the arcs out of it and back carry the hotel trips.
    """
    if built.travel_built:
        return
    built.travel_built = True
    mission, axis = built.mission, built.axis
    classes: dict[tuple, tuple[list[tuple[str, Literal]], int, dict[str, str]]] = {}
    for delegate_id, attended in built.attendance_by_delegate().items():
        hotels = {entry.city: entry.venue for entry in mission.lodging if delegate_id in entry.delegates}
        if len(attended) < (1 if hotels else 2):
            continue
        key = (tuple(sorted((a, literal_key(literal)) for a, literal in attended)),
               tuple(sorted(hotels.items())))
        members, weight, _ = classes.get(key, (sorted(attended, key=lambda e: e[0]), 0, hotels))
        classes[key] = (members, weight + mission.delegates[delegate_id].size, hotels)
    # Per date, classes that may attend the same activities that date (with the same literals, from the same
    # hotel) share one sequence: their weights add up.
    sequences: dict[tuple[int, tuple, str | None], tuple[list[tuple[str, Literal]], int]] = {}
    for key in sorted(classes):
        attended, weight, hotels = classes[key]
        for day in axis.days:
            hotel = hotels.get(day.leg.city)
            nodes = [(a, literal) for a, literal in attended if day.index in built.activities[a].days]
            if len(nodes) < (1 if hotel else 2) or not _may_travel(built, [a for a, _ in nodes], hotel):
                continue
            day_key = (day.index, tuple((a, literal_key(literal)) for a, literal in nodes), hotel)
            previous = sequences.get(day_key, (nodes, 0))
            sequences[day_key] = (nodes, previous[1] + weight)
    terms: list[LinearExpr | int] = []
    upper = 0
    circuits = 0
    for (day_index, _, hotel), (nodes, weight) in sorted(sequences.items(), key=lambda item: item[0][:2] + (
            item[0][2] or "",)):
        visits = [(a, built.on_day(built.activities[a], literal, day_index)) for a, literal in nodes]
        fixed_venues = all(len(built.activities[a].venues) == 1 for a, _ in visits)
        if hotel is None and len(visits) == 2 and fixed_venues:
            cost, most = _add_pair(built, visits)
        else:
            circuits += 1
            cost, most = _add_circuit(built, visits, hotel)
        terms.append(weight * cost)
        upper += weight * most
    built.travel = sum(terms)
    built.travel_upper_bound = upper
    built.statistics["circuits"] = circuits


def add_day_sequence(built: MissionModel, visits: list[tuple[str, Literal]]) -> LinearExpr | int:
    """The travel minutes between consecutive activities of one delegate on one date, as an expression.

    `visits` pairs each activity with the literal "attended and starting that date". Like a sequence of the
    travel objective (a pair, or a circuit whose arcs are the steps), but built during the first stage for a
    rule that bounds a day's travel (planner.rules.max_hours); its variables are hinted like the others.
    """
    if len(visits) == 2 and all(len(built.activities[a].venues) == 1 for a, _ in visits):
        cost, _ = _add_pair(built, visits)
    else:
        cost, _ = _add_circuit(built, visits)
    return cost


def add_least_travel(built: MissionModel) -> None:
    """Redundant constraints on the travel of the circuits built so far (call once): when a → b is a step,
    its travel is at least the fewest minutes from a's venue to any of b's, and from any of a's venues to
    b's; a trip from or to the hotel is at least the minutes of the venue held. Valid: every pair of venues
    costs at least these, so no schedule and no travel value is cut off.

    Why: the exact `travel >= minutes` per pair of venues has three enforcement literals (the step and both
    venues), whose linear relaxation is all but void once they are fractional; these have one. With them
    CP-SAT's full relaxation (`max_lp`) proves a far higher travel bound at scale (docs/solving.md, "The
    travel stage at scale": 1,000/5,000, 3 deterministic s: 107,863 against 104,185). They are added for the
    travel stage's last part only: the neighbourhoods' search, which needs no bound, ran slower with them."""
    model = built.model
    for circuit in built.circuits:
        for (a, b), (travel, combos) in circuit.travel.items():
            placed_a, placed_b = built.activities[a], built.activities[b]
            minutes = {(va, vb): 0 for va in placed_a.venues for vb in placed_b.venues}
            minutes.update({(va, vb): value for va, vb, value in combos})
            _add_least_travel(model, travel, circuit.arcs[(a, b)], placed_a, placed_b, minutes)
        for (activity_id, outward), (trip, hotel_combos) in circuit.hotel_travel.items():
            placed = built.activities[activity_id]
            step = (circuit.firsts if outward else circuit.lasts)[activity_id]
            model.add(trip >= sum(value * placed.venues[v] for v, value in hotel_combos)
                      ).only_enforce_if(step)


def _add_least_travel(model: CpModel, travel: IntVar, step: IntVar, placed_a: PlacedActivity,
                      placed_b: PlacedActivity, minutes: dict[tuple[str, str], int]) -> None:
    for own, other, outward in ((placed_a, placed_b, True), (placed_b, placed_a, False)):
        least = {v: min(minutes[(v, w) if outward else (w, v)] for w in other.venues) for v in own.venues}
        if not any(least.values()):
            continue
        if len(own.venues) == 1:
            model.add(travel >= least[next(iter(own.venues))] * step)
        else:
            model.add(travel >= sum(value * own.venues[v] for v, value in least.items() if value)
                      ).only_enforce_if(step)


def _may_travel(built: MissionModel, activity_ids: list[str], hotel: str | None = None) -> bool:
    venues = {v for a in activity_ids for v in built.activities[a].venues} | ({hotel} if hotel else set())
    return any(built.mission.travel_minutes(x, y) for x in venues for y in venues if x != y)


def _add_pair(built: MissionModel, visits: list[tuple[str, Literal]]) -> tuple[LinearExpr | int, int]:
    """Two activities on one date at fixed venues: whichever comes first, the move costs the same."""
    (a, visited_a), (b, visited_b) = visits
    venue_a, venue_b = next(iter(built.activities[a].venues)), next(iter(built.activities[b].venues))
    minutes = built.mission.travel_minutes(venue_a, venue_b) or 0
    both = built.model.new_bool_var(f"both:{a}+{b}")
    built.model.add_bool_or([visited_a.Not(), visited_b.Not(), both])
    built.pairs.append((visited_a, visited_b, both))
    return minutes * both, minutes


def _add_circuit(built: MissionModel, nodes: list[tuple[str, Literal]],
                 hotel: str | None = None) -> tuple[LinearExpr | int, int]:
    """One circuit: depot 0 (the hotel, when there is one), node k+1 for nodes[k]; returns (travel cost
    expression, its upper bound)."""
    model = built.model
    circuit = Circuit(nodes, model.new_bool_var("idle"), {}, {}, {}, {})
    arcs: list[tuple[int, int, Any]] = [(0, 0, circuit.idle)]
    # Activities surely visited (a required one of theirs, on a known date) rule out some arcs: nothing
    # comes first if a sure one always ends before it starts, and i → j is no step if a sure one lies between.
    assert built.true is not None
    sure = [built.activities[a] for a, visited in nodes if visited.index == built.true.index]

    def always_before(x: PlacedActivity, y: PlacedActivity) -> bool:
        return x.latest_end <= y.earliest

    for k, (activity_id, visited) in enumerate(nodes, start=1):
        placed = built.activities[activity_id]
        arcs.append((k, k, visited.Not()))
        if not any(always_before(other, placed) for other in sure):
            circuit.firsts[activity_id] = model.new_bool_var(f"first:{activity_id}")
            arcs.append((0, k, circuit.firsts[activity_id]))
        if not any(always_before(placed, other) for other in sure):
            circuit.lasts[activity_id] = model.new_bool_var(f"last:{activity_id}")
            arcs.append((k, 0, circuit.lasts[activity_id]))
    costs: list[LinearExpr] = []
    most_per_arc = 0
    for i, (a, _) in enumerate(nodes, start=1):
        placed_a = built.activities[a]
        for j, (b, _) in enumerate(nodes, start=1):
            placed_b = built.activities[b]
            if i == j or placed_b.latest_end - placed_b.duration < placed_a.earliest + placed_a.duration:
                continue  # b can never start after a ends
            if any(always_before(placed_a, other) and always_before(other, placed_b) for other in sure):
                continue
            literal = model.new_bool_var(f"next:{a}>{b}")
            arcs.append((i, j, literal))
            circuit.arcs[(a, b)] = literal
            model.add(placed_b.start >= placed_a.end).only_enforce_if(literal)
            # The step a → b agrees with the order literal every delegate shares (stronger propagation).
            if (a, b) in built.order:
                model.add_implication(literal, built.order[(a, b)])
            elif (b, a) in built.order:
                model.add_implication(literal, built.order[(b, a)].Not())
            minutes = {(va, vb): (built.mission.travel_minutes(va, vb) or 0)
                       for va in placed_a.venues for vb in placed_b.venues}
            highest = max(minutes.values())
            most_per_arc = max(most_per_arc, highest)
            if highest == 0:
                continue
            if len(minutes) == 1:
                costs.append(highest * literal)
                continue
            travel = model.new_int_var(0, highest, f"travel:{a}>{b}")
            combos = []
            for (va, vb), value in minutes.items():
                if value:
                    condition = [literal, *venue_condition(placed_a, va), *venue_condition(placed_b, vb)]
                    model.add(travel >= value).only_enforce_if(condition)
                    combos.append((va, vb, value))
            circuit.travel[(a, b)] = (travel, combos)
            costs.append(travel)
    most = most_per_arc * max(len(nodes) - 1, 0)
    if hotel is not None:
        costs += _hotel_trips(built, circuit, hotel)
        most += 2 * max((built.mission.travel_minutes(hotel, v) or 0) for a, _ in nodes
                        for v in built.activities[a].venues)
    model.add_circuit(arcs)
    built.circuits.append(circuit)
    return sum(costs), most


def _hotel_trips(built: MissionModel, circuit: Circuit, hotel: str) -> list[LinearExpr]:
    """The costs of the arcs out of the hotel (the day's first trip) and back to it (the last)."""
    costs: list[LinearExpr] = []
    for arcs, outward in ((circuit.firsts, True), (circuit.lasts, False)):
        for activity_id, literal in arcs.items():
            placed = built.activities[activity_id]
            if not outward and placed.activity.kind == TRANSFER:
                continue  # a day that ends with the transfer to the next leg has no way back to the hotel
            minutes = {v: built.mission.travel_minutes(*((hotel, v) if outward else (v, hotel))) or 0
                       for v in placed.venues}
            highest = max(minutes.values())
            if highest == 0:
                continue
            if len(minutes) == 1:
                costs.append(highest * literal)
                continue
            trip = built.model.new_int_var(0, highest, f"{'from' if outward else 'to'}-hotel:{activity_id}")
            combos = []
            for venue_id, value in minutes.items():
                if value:
                    condition = [literal, *venue_condition(placed, venue_id)]
                    built.model.add(trip >= value).only_enforce_if(condition)
                    combos.append((venue_id, value))
            circuit.hotel_travel[(activity_id, outward)] = (trip, combos)
            costs.append(trip)
    return costs
