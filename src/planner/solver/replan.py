"""Re-planning in the model (`shared/spec/replan.md`): the frozen past, the frozen period, the disruption
term and the baseline as a solution hint.

The effective mission (`planner.domain.replan`) already says the frozen past and the cut-off in the
mission's terms; the two families below state them again on the model's own variables, so that nothing the
mission's rules add (a companion an `accompany` rule brings) can change what already happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from ortools.sat.python.cp_model import IntVar, LinearExpr

from planner.domain import Mission
from planner.domain.change import disruption
from planner.domain.replan import Replan
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.solver.model import MissionModel
from planner.solver.solve import Extension

Literal = IntVar  # a Boolean variable, or its negation


def _units(built: MissionModel, instant: datetime) -> int | None:
    """The instant on the model's axis, or None when it falls between two units."""
    minute = built.axis.minute(instant)
    return minute // built.axis.unit if minute % built.axis.unit == 0 else None


def add_frozen_past(built: MissionModel, frozen: dict[str, ScheduledActivity]) -> None:
    """Re-planning rule 1 (replan.md): each frozen activity keeps its start, venue and attendees."""
    model = built.model
    for activity_id, kept in frozen.items():
        placed = built.activities[activity_id]
        start = _units(built, kept.start)
        model.add(placed.presence == 1)
        if start is None or kept.venue not in placed.venues:
            model.add_bool_or([])  # the baseline cannot be written on this axis: no programme keeps it
            continue
        model.add(placed.start == start)
        model.add(placed.venues[kept.venue] == 1)
        for (attended, delegate_id), literal in built.attendance.items():
            if attended == activity_id:
                model.add(literal == int(delegate_id in kept.attendees))


def add_nothing_into_frozen_period(built: MissionModel, frozen: dict[str, ScheduledActivity],
                                   cutoff: datetime) -> None:
    """Re-planning rule 2 (replan.md): every activity not frozen starts at or after now + notice."""
    minute = built.axis.minute(cutoff)
    earliest = -((-minute) // built.axis.unit)
    for activity_id, placed in built.activities.items():
        if activity_id not in frozen:
            built.model.add(placed.start >= earliest).only_enforce_if(placed.presence)


@dataclass(frozen=True)
class Disruption:
    """Re-planning's preference 2 (replan.md): for every delegate weighted by `size`, each baseline activity
    of theirs after the frozen period that moved (another start or venue) or that they no longer attend,
    and each activity they newly attend."""

    name: ClassVar[str] = "disruption"
    maximise: ClassVar[bool] = False
    baseline: Schedule
    frozen: frozenset[str]
    _built: dict[int, tuple[LinearExpr | int, int]] = field(default_factory=dict, compare=False, repr=False)

    def expression(self, built: MissionModel) -> LinearExpr | int:
        return self._build(built)[0]

    def most(self, built: MissionModel) -> int:
        return self._build(built)[1]

    def evaluate(self, mission: Mission, schedule: Schedule) -> int:
        return disruption(self.baseline, schedule, {d.id: d.size for d in mission.delegates.values()})

    def _build(self, built: MissionModel) -> tuple[LinearExpr | int, int]:
        key = id(built)
        if key not in self._built:
            self._built[key] = _disruption_expression(built, self.baseline, self.frozen)
        return self._built[key]


def _size(mission: Mission, delegate_id: str) -> int:
    delegate = mission.delegates.get(delegate_id)
    return delegate.size if delegate is not None else 1


def _disruption_expression(built: MissionModel, baseline: Schedule, frozen: frozenset[str]
                           ) -> tuple[LinearExpr | int, int]:
    model, mission = built.model, built.mission
    constant, most = 0, 0
    terms: list[LinearExpr] = []
    in_baseline: set[tuple[str, str]] = set()
    for kept in baseline.activities:
        if kept.id in frozen:
            in_baseline.update((kept.id, d) for d in kept.attendees)
            continue
        placed = built.activities.get(kept.id)
        same_place = _same_place(built, kept) if placed is not None else None
        for delegate_id in kept.attendees:
            size = _size(mission, delegate_id)
            most += size
            in_baseline.add((kept.id, delegate_id))
            attends = built.attendance.get((kept.id, delegate_id))
            if placed is None or same_place is None or attends is None:
                constant += size  # moved, left out, or no longer theirs: whatever the model does
                continue
            if attends.index == placed.presence.index:
                stays = same_place  # a required attendee stays wherever the activity stays
            else:
                stays = model.new_bool_var(f"stays:{kept.id}:{delegate_id}")
                model.add_implication(stays, attends)
                model.add_implication(stays, same_place)
            terms.append(size * (1 - stays))
    for (activity_id, delegate_id), attends in built.attendance.items():
        if activity_id in frozen or (activity_id, delegate_id) in in_baseline:
            continue
        size = _size(mission, delegate_id)
        most += size
        terms.append(size * attends)
    if not terms:
        return constant, most
    return constant + LinearExpr.sum(terms), most


def _same_place(built: MissionModel, kept: ScheduledActivity) -> Literal | None:
    """A literal that holds only if the activity keeps its baseline start and venue; None when it cannot."""
    placed = built.activities[kept.id]
    start = _units(built, kept.start)
    if start is None or kept.venue not in placed.venues:
        return None
    literal = built.model.new_bool_var(f"same-place:{kept.id}")
    built.model.add_implication(literal, placed.venues[kept.venue])
    built.model.add(placed.start == start).only_enforce_if(literal)
    return literal


def hint_baseline(built: MissionModel, baseline: Schedule) -> None:
    """The baseline as a solution hint: its starts, venues and attendance where the model still has them."""
    model = built.model
    model.clear_hints()
    scheduled = baseline.by_id()
    hinted: set[int] = set()

    def hint(literal: Literal, value: int) -> None:
        index = literal.index if literal.index >= 0 else -literal.index - 1
        if literal.index < 0:
            value = 1 - value
        if index in hinted or list(model.proto.variables[index].domain) == [value, value]:
            return
        hinted.add(index)
        model.add_hint(model.get_int_var_from_proto_index(index), value)

    for activity_id, placed in built.activities.items():
        kept = scheduled.get(activity_id)
        start = _units(built, kept.start) if kept is not None else None
        hint(placed.presence, int(kept is not None))
        if kept is None:
            continue
        if start is not None and placed.start.index not in hinted:
            hinted.add(placed.start.index)
            model.add_hint(placed.start, start)
        for venue_id, literal in placed.venues.items():
            hint(literal, int(venue_id == kept.venue))
    for (activity_id, delegate_id), literal in built.attendance.items():
        kept = scheduled.get(activity_id)
        hint(literal, int(kept is not None and delegate_id in kept.attendees))


def replan_extension(replan: Replan) -> Extension:
    """The frozen past, the frozen period and the baseline hint (`prepare`), and the disruption term
    (ranked after the priority weight left out): what `planner.pipeline.solve_replan` adds to a solve."""
    frozen = replan.frozen

    def prepare(built: MissionModel) -> None:
        add_frozen_past(built, frozen)
        add_nothing_into_frozen_period(built, frozen, replan.cutoff)
        hint_baseline(built, replan.baseline)

    return Extension(prepare, Disruption(replan.baseline, frozenset(frozen)))
