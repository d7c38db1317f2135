"""The variables of a mission's model: `MissionModel` (the CP-SAT model and what reads it), one
`PlacedActivity` per activity, one `Circuit` per travel sequence, and the helpers the families share.

Reads only `planner.domain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import Domain, IntervalVar, IntVar, LinearExpr

from planner.domain import UNKNOWN_SOURCE, Activity, Leg, Mission, Source
from planner.solver.axis import TimeAxis

Literal = IntVar  # a Boolean variable, or its negation

STATEMENT_KINDS = ("timing", "required", "attendance", "after", "unavailable", "venue-parallel",
                   "venue-capacity", "rule", "lodging")


@dataclass(frozen=True, slots=True)
class Statement:
    """One input statement that guarded mode can switch off (for the infeasibility diagnosis).

    kind / ids: `timing` (activity), `required` (activity), `attendance` (activity, delegate), `after`
    (activity, predecessor), `unavailable` (delegate, window index), `venue-parallel` (venue),
    `venue-capacity` (venue), `rule` (rule id, delegate), `lodging` (delegate, leg city).
    """

    kind: str
    ids: tuple[str, ...]
    source: Source = UNKNOWN_SOURCE


@dataclass
class PlacedActivity:
    """The variables of one activity."""

    activity: Activity
    leg: Leg
    presence: Literal
    start: IntVar
    duration: int
    """In units."""
    interval: IntervalVar
    venues: dict[str, Literal] = field(default_factory=dict)
    venue_intervals: dict[str, IntervalVar] = field(default_factory=dict)
    venue_domains: dict[str, Domain] = field(default_factory=dict)
    earliest: int = 0
    latest_end: int = 0
    days: list[int] = field(default_factory=list)
    """Indexes of the days its start may fall on."""
    day_literals: dict[int, Literal] = field(default_factory=dict)
    timing_guard: list[Literal] = field(default_factory=list)

    @property
    def end(self) -> LinearExpr:
        return self.start + self.duration


@dataclass
class Circuit:
    """The variables of one travel sequence (a delegate class on one date), kept to hint it."""

    nodes: list[tuple[str, Literal]]
    idle: Literal
    firsts: dict[str, Literal]
    lasts: dict[str, Literal]
    arcs: dict[tuple[str, str], Literal]
    travel: dict[tuple[str, str], tuple[IntVar, list[tuple[str, str, int]]]]
    hotel_travel: dict[tuple[str, bool], tuple[IntVar, list[tuple[str, int]]]] = field(default_factory=dict)
    """(activity, True: the trip from the hotel / False: back to it) → its minutes and (venue, minutes)."""


@dataclass
class MissionModel:
    """The CP-SAT model of a mission and what is needed to read a solution."""

    mission: Mission
    model: cp_model.CpModel
    axis: TimeAxis
    guarded: bool
    activities: dict[str, PlacedActivity] = field(default_factory=dict)
    attendance: dict[tuple[str, str], Literal] = field(default_factory=dict)
    """(activity id, delegate id) → literal: the delegate attends (required attendees share presence)."""
    guards: dict[Statement, IntVar] = field(default_factory=dict)
    left_out_weight: LinearExpr | int = 0
    optional_headcount: int = 0
    brought: LinearExpr | int = 0
    travel: LinearExpr | int = 0
    travel_upper_bound: int = 0
    travel_built: bool = False
    true: Literal | None = None
    statistics: dict[str, int] = field(default_factory=dict)
    _intervals: dict[tuple[str, int], IntervalVar] = field(default_factory=dict)
    on_day_literals: dict[tuple[int, str, int], Literal] = field(default_factory=dict)
    order: dict[tuple[str, str], Literal] = field(default_factory=dict)
    """(a, b), a < b by id → the literal 'a comes before b' of `add_travel`."""
    circuits: list[Circuit] = field(default_factory=list)
    pairs: list[tuple[Literal, Literal, Literal]] = field(default_factory=list)

    # --- statements: the one place that knows whether the model is guarded ---
    # Every family adds what an input statement says under `statement(...)`'s literals, and asks
    # `repeats(...)` / `simplified` before merging or folding statements; none reads `guarded` itself.

    def statement(self, kind: str, ids: tuple[str, ...], source: Source = UNKNOWN_SOURCE) -> list[Literal]:
        """The literals that enforce one input statement: [] when statements are fixed; [its guard
        literal] in guarded mode, an assumption the diagnosis switches on and off (`guards`)."""
        if not self.guarded:
            return []
        statement = Statement(kind, ids, source)
        if statement not in self.guards:
            self.guards[statement] = self.model.new_bool_var(f"guard:{kind}:{'/'.join(ids)}")
        return [self.guards[statement]]

    def repeats(self, signature: tuple, seen: set[tuple]) -> bool:
        """Whether a constraint with `signature` repeats one already added (`seen`, updated), so that it can
        be left out: never in guarded mode, where each constraint carries statements of its own."""
        if not self.guarded and signature in seen:
            return True
        seen.add(signature)
        return False

    @property
    def simplified(self) -> bool:
        """Statements are fixed, so that a family may fold them into the model's structure: fix a required
        activity's presence, alias attendance literals, drop implied separations, break symmetries."""
        return not self.guarded

    def interval_of(self, activity_id: str, literal: Literal) -> IntervalVar:
        """The activity's interval as seen by someone whose attendance is `literal`."""
        placed = self.activities[activity_id]
        if literal.index == placed.presence.index and not is_negated(literal):
            return placed.interval
        key = (activity_id, literal_key(literal))
        if key not in self._intervals:
            self._intervals[key] = self.model.new_optional_fixed_size_interval_var(
                placed.start, placed.duration, literal, f"{activity_id}@{literal_key(literal)}")
        return self._intervals[key]

    def on_day(self, placed: PlacedActivity, literal: Literal, day: int) -> Literal:
        """A literal true exactly when `literal` holds and the activity starts on `day`."""
        if placed.days == [day]:
            return literal
        day_literal = self.day_literal(placed, day)
        key = (literal_key(literal), placed.activity.id, day)
        if key not in self.on_day_literals:
            both = self.model.new_bool_var(f"{placed.activity.id}:{day}:{literal_key(literal)}")
            self.model.add_bool_or([literal.Not(), day_literal.Not(), both])
            self.model.add_implication(both, literal)
            self.model.add_implication(both, day_literal)
            self.on_day_literals[key] = both
        return self.on_day_literals[key]

    def day_literal(self, placed: PlacedActivity, day: int) -> Literal:
        """Whether the activity starts on `day` (one literal per possible day, exactly one true)."""
        if not placed.day_literals:
            for index in placed.days:
                literal = self.model.new_bool_var(f"{placed.activity.id}:day{index}")
                start_day = self.axis.days[index]
                self.model.add_linear_constraint(
                    placed.start, self.axis.units_up(start_day.start_minute),
                    self.axis.units_up(start_day.end_minute) - 1).only_enforce_if(literal)
                placed.day_literals[index] = literal
            self.model.add_exactly_one(placed.day_literals.values())
        return placed.day_literals[day]

    def attendance_by_delegate(self) -> dict[str, list[tuple[str, Literal]]]:
        result: dict[str, list[tuple[str, Literal]]] = {d: [] for d in self.mission.delegates}
        for (activity_id, delegate_id), literal in self.attendance.items():
            result[delegate_id].append((activity_id, literal))
        return result


def is_negated(literal: Literal) -> bool:
    return literal.index < 0


def literal_key(literal: Literal) -> int:
    return literal.index


def venue_condition(placed: PlacedActivity, venue_id: str) -> list[Literal]:
    """The literals under which `placed` is at `venue_id` ([] when it has one venue only)."""
    return [placed.venues[venue_id]] if len(placed.venues) > 1 else []
