"""Warnings about a mission that loads: things that are allowed but may surprise (docs/solving.md, known
limits). Nothing here refuses a mission."""

from __future__ import annotations

from planner.domain import Mission, Source
from planner.domain.errors import InputError
from planner.domain.meetings import MeetingRequest
from planner.mission.hints import written
from planner.text.format import format_duration

TRAVEL_WARNINGS_SHOWN = 10


def mission_warnings(mission: Mission) -> list[InputError]:
    """Every warning about a mission that loads, as `validate`, `solve` and `replan` print them."""
    return travel_warnings(mission) + repeated_meeting_warnings(mission)


def repeated_meeting_warnings(mission: Mission) -> list[InputError]:
    """Requests for a meeting of the same people as an earlier request, with no `sessions` that keep the
    two apart: usually one entry written twice (a pasted line, two organisers asking for the same thing),
    which the matchmaking would honour as two meetings, often back to back. Meeting twice can be meant, so
    it is a warning."""
    earlier: dict[frozenset[str], list[MeetingRequest]] = {}
    warnings = []
    for request in mission.meeting_requests:
        people = frozenset(request.participants)
        same_people = earlier.get(people, [])
        first = next((other for other in same_people if _may_share_a_session(other, request)), None)
        earlier.setdefault(people, []).append(request)
        if first is None:
            continue
        warnings.append(InputError(request.source, (
            f"meeting request `with: {written(list(request.refs))}` asks for the same people as the request "
            f"at {first.source}, and no `sessions` keeps the two apart: the same people will meet twice; if "
            "that is meant, nothing to do, else remove one of the two")))
    return warnings


def _may_share_a_session(first: MeetingRequest, second: MeetingRequest) -> bool:
    """Whether the two could go to one session: written `sessions` with none in common keep them apart."""
    if first.sessions is None or second.sessions is None:
        return True
    return bool(set(first.sessions) & set(second.sessions))


def travel_warnings(mission: Mission) -> list[InputError]:
    """Travel triangles that may make the solver refuse a valid programme (docs/solving.md, known limits).

    The model keeps the direct travel time between any two activities of a delegate, while the mission
    format only asks for it between consecutive ones. The two agree unless going a → b → c, stopping at b
    for the shortest activity the delegate may attend there, is quicker than t(a, c): an explicit
    `travel.times` entry (or a `travel.default`) can make it so; times computed from `geo` never do.
    Gaps of `min_gap` are left out, which only makes the check warn earlier. One warning per pair (a, c),
    through its worst b; the worst ten, and a count of the rest.
    """
    order = {venue_id: index for index, venue_id in enumerate(mission.venues)}
    shortest_stop: dict[str, dict[str, int]] = {}
    """delegate id → venue → the shortest activity the delegate may attend there."""
    for delegate_id in sorted(mission.delegates):
        stops: dict[str, int] = {}
        for activity in mission.activities_of(delegate_id):
            for venue_id in activity.venues:
                stops[venue_id] = min(stops.get(venue_id, activity.duration), activity.duration)
        shortest_stop[delegate_id] = stops
    # (a, c) → (excess, b, stop at b) of its worst b: excess = t(a, c) − (t(a, b) + stop + t(b, c)) > 0
    worst: dict[tuple[str, str], tuple[int, str, int]] = {}
    for stops in shortest_stop.values():
        venues = sorted(stops, key=order.__getitem__)
        for a in venues:
            for c in venues:
                if order[a] >= order[c] or (a, c) not in mission.travel:
                    continue
                for b in venues:
                    if b in (a, c) or (a, b) not in mission.travel or (b, c) not in mission.travel:
                        continue
                    via = mission.travel[(a, b)] + stops[b] + mission.travel[(b, c)]
                    excess = mission.travel[(a, c)] - via
                    if excess > worst.get((a, c), (0, "", 0))[0]:
                        worst[(a, c)] = (excess, b, stops[b])
    ranked = sorted(worst.items(), key=lambda item: (-item[1][0], order[item[0][0]], order[item[0][1]]))
    warnings = [_travel_triangle_warning(mission, a, b, c, stop) for (a, c), (_, b, stop) in
                ranked[:TRAVEL_WARNINGS_SHOWN]]
    if len(ranked) > TRAVEL_WARNINGS_SHOWN:
        rest = len(ranked) - TRAVEL_WARNINGS_SHOWN
        warnings.append(InputError(
            _travel_source(mission, *ranked[TRAVEL_WARNINGS_SHOWN][0]),
            f"and {rest} more travel time{'s' if rest != 1 else ''} longer than going through another "
            "venue, like those above",
        ))
    return warnings


def _travel_source(mission: Mission, a: str, c: str, *others: tuple[str, str]) -> Source:
    """The written time to look at: a–c's, else the first of the shorter legs that is written."""
    for pair in ((a, c), *others):
        if pair in mission.travel_sources:
            return mission.travel_sources[pair]
    return mission.source


def _travel_triangle_warning(mission: Mission, a: str, b: str, c: str, stop: int) -> InputError:
    direct, first, second = mission.travel[(a, c)], mission.travel[(a, b)], mission.travel[(b, c)]
    source = _travel_source(mission, a, c, (a, b), (b, c))
    # a workbook's travel times are rows of its Travel sheet, not YAML lists
    written = (f"`{a} | {c} | {first + second}m` (or less) on the Travel sheet" if source.sheet
               else f"`[{a}, {c}, {first + second}m]` (or less) under travel.times")
    return InputError(
        source,
        f"travel {a} → {c} ({direct} min) is longer than going via {b} ({first} + {second} min) with a "
        f"{format_duration(stop)} stop there: probably a typing mistake (planner plans with it as written: "
        f"{a} → {c} direct, or via {b}); set {written}, or correct {a}–{b} or {b}–{c}",
    )
