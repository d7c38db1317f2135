"""Large-neighbourhood search for the travel stage (docs/solving.md, "The travel stage at scale").

The travel objective is a sum over dates: each date's circuits cost the moves of that date. Holding every
activity that does not lie on one date where the incumbent has it (start, venue, presence, attendance) and
solving the whole model again leaves a small problem that CP-SAT solves to optimality in a fraction of the
time the whole model takes to improve; the activities of that date may still move to another of their dates.
One round visits every date of the mission in order; rounds repeat while one improves the incumbent. When
they converge, rounds by groups of venues of each city (on every date of its leg) let activities trade dates,
which no date's neighbourhood can do alone; then dates again while those improved. Every
neighbourhood is the full model with some variables fixed, so each schedule it returns is valid and holds
the placement stage's value (the stage's constraint is in the model). Deterministic: the dates and the
groups of venues in order, each solve with a fixed seed and a deterministic time limit.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.variables import MissionModel

FIRST_WORK = 0.75
"""CP-SAT's deterministic time limit per neighbourhood in the first rounds (`max_deterministic_time`; two
workers report about twice as much, ~1.5 s, both their shares). Why small (docs/solving.md, "The travel
stage at scale"): from a first look's schedule a date's neighbourhood finds most of what it will find early,
and the rest of its work goes into proving. At 1,000/5,000 one round at this limit ends at 111,580 in 5.9
deterministic s, one at `NEIGHBOURHOOD_WORK` at 110,519 in ~24, three at this limit at 110,255 in 17.8."""
NEIGHBOURHOOD_WORK = 5.0
"""The most deterministic time per neighbourhood: when rounds by date and then by venues improve nothing at
one limit, the limit doubles, up to this (a date's problem is proved optimal, or nearly, well within)."""


@dataclass
class Neighbourhood:
    """What a neighbourhood solve found: CP-SAT's status and, with a solution, its objective and values."""

    status: int
    objective: int | None = None
    values: list[int] | None = None
    solver: cp_model.CpSolver | None = None


SolveNeighbourhood = Callable[[cp_model.CpModel, float, float], Neighbourhood]
"""(model with variables fixed, seconds, deterministic time limit) → the result: the caller sets the other
parameters (workers, seed)."""


def activity_variables(built: MissionModel) -> dict[str, list[int]]:
    """activity id → the indexes of the variables that say when, where and with whom it takes place."""
    result: dict[str, list[int]] = {}
    for activity_id, placed in built.activities.items():
        variables = [placed.start, placed.presence, *placed.venues.values()]
        result[activity_id] = [v.index for v in variables if v.index >= 0]
    for (activity_id, _), literal in built.attendance.items():
        if literal.index >= 0:
            result[activity_id].append(literal.index)
    return {activity_id: sorted(set(indexes)) for activity_id, indexes in result.items()}


def day_of_start(built: MissionModel, values: list[int], activity_id: str) -> int:
    """The index of the date on which the incumbent starts the activity (-1 when absent)."""
    placed = built.activities[activity_id]
    if placed.presence.index >= 0 and not values[placed.presence.index]:
        return -1
    minute = values[placed.start.index] * built.axis.unit
    for day in built.axis.days:
        if day.start_minute <= minute < day.end_minute:
            return day.index
    return -1


def venue_of(built: MissionModel, values: list[int], activity_id: str) -> str | None:
    """The venue at which the incumbent holds the activity (None when absent or undecided)."""
    venues = built.activities[activity_id].venues
    if len(venues) == 1:
        return next(iter(venues))
    for venue_id in sorted(venues):
        literal = venues[venue_id]
        if literal.index >= 0 and values[literal.index]:
            return venue_id
    return None


FreeActivities = Callable[[list[int]], set[str]]
"""One neighbourhood: the incumbent's values → the activities it leaves free (every other one is held)."""


def by_date(built: MissionModel) -> list[FreeActivities]:
    """One neighbourhood per date, in order: the activities the incumbent starts that date."""
    def on(day: int) -> FreeActivities:
        return lambda values: {a for a in built.activities if day_of_start(built, values, a) == day}
    return [on(day.index) for day in built.axis.days]


VENUE_PARTS = 2
"""Into how many groups of venues each city is cut for `by_venues` (docs/solving.md: halves of ~250 activities
at 1,000/5,000, each a date's size, which CP-SAT proves or nearly proves within `NEIGHBOURHOOD_WORK`)."""


def by_venues(built: MissionModel) -> list[FreeActivities]:
    """Per city, its venues cut into `VENUE_PARTS` groups by place (latitude, longitude, then id): one
    neighbourhood per group, the activities the incumbent holds at those venues on any date of the city's leg.

    Why (docs/solving.md, "The travel stage at scale"): neighbourhoods by date hold every other date, so an
    activity can hardly move to another date (that date is full of held activities); after the rounds by
    date converge, no date improves alone. A group of venues spans the leg's dates: its activities may trade
    dates and times among themselves, and the travel between nearby venues is what the circuits pay for."""
    result: list[FreeActivities] = []
    days_of_city: dict[str, set[int]] = {}
    for day in built.axis.days:
        days_of_city.setdefault(day.leg.city, set()).add(day.index)
    for city in sorted(days_of_city):
        venues = sorted((v for v in built.mission.venues.values() if v.city == city),
                        key=lambda v: (v.geo or (0.0, 0.0), v.id))
        cuts = [part * len(venues) // VENUE_PARTS for part in range(VENUE_PARTS + 1)]
        for low, high in itertools.pairwise(cuts):
            group = {v.id for v in venues[low:high]}
            if group:
                result.append(_at_venues(built, days_of_city[city], group))
    return result


def _at_venues(built: MissionModel, days: set[int], venues: set[str]) -> FreeActivities:
    return lambda values: {a for a in built.activities
                           if day_of_start(built, values, a) in days and venue_of(built, values, a) in venues}


def improve_by_neighbourhoods(built: MissionModel, values: list[int], objective: int | None,
                              solve: SolveNeighbourhood, deadline: float,
                              on_better: Callable[[Neighbourhood], None] | None = None,
                              ) -> tuple[Neighbourhood | None, int]:
    """Rounds of neighbourhoods by date (`by_date`) from the incumbent `values` (a solution of
    `built.model`) until a round improves nothing, then rounds by groups of venues (`by_venues`) likewise;
    both again while the venues improved the incumbent. Each neighbourhood gets `FIRST_WORK`; when neither
    kind improves and some neighbourhood was not proved optimal, twice that, up to `NEIGHBOURHOOD_WORK`;
    otherwise convergence ends the search, as does `deadline` (time.monotonic()). Returns the best
    neighbourhood solution found (None when none beat `objective`) and the number solved."""
    state = _Search(built, values, objective, solve, deadline, on_better)
    dates, venues = by_date(built), by_venues(built)
    while state.rounds(dates) is not None:
        dates_proved = state.proved
        venues_improved = state.rounds(venues)
        if venues_improved is None:
            break
        if not venues_improved:
            # Converged at this limit. When every neighbourhood of the last rounds was proved optimal, more
            # work cannot change one (at 300/1,500 the search would otherwise run on to its deadline).
            if state.work >= NEIGHBOURHOOD_WORK or (dates_proved and state.proved):
                break
            state.work = min(2 * state.work, NEIGHBOURHOOD_WORK)
    return state.best, state.solved


class _Search:
    """The incumbent of a large-neighbourhood search and the neighbourhoods solved from it."""

    def __init__(self, built: MissionModel, values: list[int], objective: int | None,
                 solve: SolveNeighbourhood, deadline: float,
                 on_better: Callable[[Neighbourhood], None] | None) -> None:
        self.built, self.values, self.objective = built, values, objective
        self.solve, self.deadline, self.on_better = solve, deadline, on_better
        self.variables = activity_variables(built)
        self.best: Neighbourhood | None = None
        self.solved = 0
        self.work = FIRST_WORK
        self.proved = False
        """Whether CP-SAT proved every neighbourhood of the last round optimal (within its fixings)."""

    def rounds(self, neighbourhoods: list[FreeActivities]) -> bool | None:
        """Rounds over `neighbourhoods` in order while one improves: whether any did (None: time is up)."""
        improved_any = False
        improved = True
        while improved:
            improved = False
            self.proved = True
            for free in neighbourhoods:
                seconds = self.deadline - time.monotonic()
                if seconds <= 0.05:
                    return None
                if self.one(free(self.values), seconds):
                    improved = improved_any = True
        return improved_any

    def one(self, free: set[str], seconds: float) -> bool:
        """Solve the whole model with every activity outside `free` held; whether the incumbent improved."""
        frozen = self.built.model.clone()
        domains = frozen.proto.variables
        for activity_id, indexes in self.variables.items():
            if activity_id in free:
                continue
            for index in indexes:
                domain = domains[index].domain
                domain.clear()
                domain.extend([self.values[index], self.values[index]])
        frozen.clear_hints()
        hint = frozen.proto.solution_hint
        hint.vars.extend(range(len(self.values)))
        hint.values.extend(self.values)
        result = self.solve(frozen, seconds, self.work)
        self.solved += 1
        self.proved = self.proved and result.status == cp_model.OPTIMAL
        if result.objective is None or result.values is None:
            return False
        if self.objective is not None and result.objective >= self.objective:
            return False
        self.objective, self.values, self.best = result.objective, result.values, result
        if self.on_better is not None:
            self.on_better(result)
        return True
