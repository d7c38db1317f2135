"""The CP-SAT model of a mission: one function per constraint family of the spec.

Reads only `planner.domain`. Time is counted in whole *units* from an epoch (local midnight of the first
leg's first day): a unit is the largest number of minutes that divides the grain, every activity's
duration and the distance between any two local midnights of the mission, so that every start and end of
a valid schedule is a whole number of units and every bound below is exact (see docs/solving.md).

Objectives (spec "What the solver prefers", in order):
1. priority weight left out, 2. optional attendees' headcount not brought  — `objective_placement`;
3. travel minutes × size between consecutive activities of a delegate on one date — built on demand by
   `add_travel_objective` (sequencing by circuits), so that the first solve stage carries no circuit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import Domain, IntervalVar, IntVar, LinearExpr

from planner.domain import (
    Accompany,
    Activity,
    Leg,
    Lunch,
    MaxPerDay,
    MinGap,
    Mission,
    Source,
    TimeOfDayRange,
    UNKNOWN_SOURCE,
)
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.domain.travel import travel_by_date

Literal = IntVar  # a Boolean variable, or its negation
Ranges = list[tuple[int, int]]  # half-open [lo, hi) in minutes from the epoch

STATEMENT_KINDS = ("timing", "required", "attendance", "after", "unavailable", "venue-parallel",
                   "venue-capacity", "rule")


@dataclass(frozen=True, slots=True)
class Statement:
    """One input statement that guarded mode can switch off (for the infeasibility diagnosis).

    kind / ids: `timing` (activity), `required` (activity), `attendance` (activity, delegate), `after`
    (activity, predecessor), `unavailable` (delegate, window index), `venue-parallel` (venue),
    `venue-capacity` (venue), `rule` (rule id, delegate).
    """

    kind: str
    ids: tuple[str, ...]
    source: Source = UNKNOWN_SOURCE


# --- time axis -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """One leg date on the unit axis: [start, end) from local midnight to the next."""

    index: int
    leg: Leg
    date: date
    start_minute: int
    end_minute: int


class TimeAxis:
    """Minutes and units from the epoch, and the leg dates on that axis."""

    def __init__(self, mission: Mission):
        first = mission.legs[0]
        self.epoch = first.local_instant(first.first_day, 0).astimezone(timezone.utc)
        self.days: list[Day] = []
        for leg in mission.legs:
            for day in leg.days():
                self.days.append(Day(len(self.days), leg, day, self.minute(leg.local_instant(day, 0)),
                                     self.minute(leg.local_instant(day + timedelta(days=1), 0))))
        unit = mission.grain
        for day in self.days:
            unit = math.gcd(unit, day.start_minute, day.end_minute)
        for activity in mission.activities.values():
            unit = math.gcd(unit, activity.duration)
        for rule in mission.rules:
            if isinstance(rule, Lunch):
                # A free stretch may end at a bound of `between`: off the unit, rounding would lose lunches.
                unit = math.gcd(unit, rule.between.start, rule.between.end, rule.duration)
        self.unit = max(unit, 1)
        self.grain = mission.grain
        self.grain_step = mission.grain // self.unit if mission.grain % self.unit == 0 else 1
        self._grain_cache: dict[tuple[int, int], list[int]] = {}
        self.days_of_leg: dict[str, list[Day]] = defaultdict(list)
        for day in self.days:
            self.days_of_leg[day.leg.city].append(day)

    def minute(self, instant: datetime) -> int:
        return int((instant - self.epoch).total_seconds() // 60)

    def instant(self, units: int, leg: Leg) -> datetime:
        return (self.epoch + timedelta(minutes=units * self.unit)).astimezone(leg.zone)

    def units_up(self, minutes: int) -> int:
        return -((-minutes) // self.unit)

    def units_down(self, minutes: int) -> int:
        return minutes // self.unit

    def daily(self, leg: Leg, hours: TimeOfDayRange, days: Iterable[date]) -> Ranges:
        """`hours` on each of `days` as ranges; an end at or before the start lies on the next day."""
        result = []
        for day in days:
            end = hours.end if hours.end > hours.start else hours.end + 1440
            result.append((self.minute(leg.local_instant(day, hours.start)),
                           self.minute(leg.local_instant(day, end))))
        return result

    def leg_span(self, leg: Leg) -> tuple[int, int]:
        days = self.days_of_leg[leg.city]
        return days[0].start_minute, days[-1].end_minute

    def start_domain(self, ranges: Ranges, duration: int, leg: Leg) -> list[int] | list[tuple[int, int]]:
        """Unit starts on the grain of an activity of `duration` minutes lying inside one of `ranges`."""
        intervals = []
        for lo, hi in ranges:
            first, last = self.units_up(lo), self.units_down(hi - duration)
            if first <= last:
                intervals.append((first, last))
        if self.grain_step == 1:
            return _merge(intervals)
        values: set[int] = set()
        for first, last in intervals:
            for day in self.days_of_leg[leg.city]:
                if day.end_minute <= first * self.unit or last * self.unit < day.start_minute:
                    continue
                values.update(v for v in self._grain_starts(day, duration) if first <= v <= last)
        return sorted(values)

    def _grain_starts(self, day: Day, duration: int) -> list[int]:
        """Unit starts on `day` whose start and end lie on the grain of local wall time (spec: the grain is
        counted in wall time, which differs from elapsed time on a daylight-saving day)."""
        key = (day.index, duration)
        if key not in self._grain_cache:
            zone, grain = day.leg.zone, self.grain
            starts = []
            midnight = datetime(day.date.year, day.date.month, day.date.day)
            for wall in range(0, 1440, grain):
                naive = midnight + timedelta(minutes=wall)
                for fold in (0, 1):
                    start = naive.replace(tzinfo=zone, fold=fold)
                    if start.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
                        continue  # a wall time skipped by the change of clocks
                    end = (start.astimezone(timezone.utc) + timedelta(minutes=duration)).astimezone(zone)
                    minute = self.minute(start)
                    if (end.hour * 60 + end.minute) % grain == 0 and minute % self.unit == 0:
                        starts.append(minute // self.unit)
            self._grain_cache[key] = sorted(set(starts))
        return self._grain_cache[key]


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    """Pairwise intersections: lying inside one range of each list means lying inside one of these."""
    return [(max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b if max(x[0], y[0]) < min(x[1], y[1])]


def _domain(values: list[int] | list[tuple[int, int]]) -> Domain:
    if values and isinstance(values[0], tuple):
        return Domain.FromIntervals([list(v) for v in values])
    return Domain.FromValues(list(values))


# --- the model ------------------------------------------------------------------------------------------


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
    _on_day: dict[tuple[int, str, int], Literal] = field(default_factory=dict)
    order: dict[tuple[str, str], Literal] = field(default_factory=dict)
    """(a, b), a < b by id → the literal 'a comes before b' of `add_travel`."""
    _circuits: list[Circuit] = field(default_factory=list)
    _pairs: list[tuple[Literal, Literal, Literal]] = field(default_factory=list)

    # --- helpers shared by the constraint families ---

    def guard(self, kind: str, ids: tuple[str, ...], source: Source = UNKNOWN_SOURCE) -> list[Literal]:
        """[] in normal mode; [the statement's guard literal] in guarded mode."""
        if not self.guarded:
            return []
        statement = Statement(kind, ids, source)
        if statement not in self.guards:
            self.guards[statement] = self.model.new_bool_var(f"guard:{kind}:{'/'.join(ids)}")
        return [self.guards[statement]]

    def interval_of(self, activity_id: str, literal: Literal) -> IntervalVar:
        """The activity's interval as seen by someone whose attendance is `literal`."""
        placed = self.activities[activity_id]
        if literal.index == placed.presence.index and not _is_negated(literal):
            return placed.interval
        key = (activity_id, _literal_key(literal))
        if key not in self._intervals:
            self._intervals[key] = self.model.new_optional_fixed_size_interval_var(
                placed.start, placed.duration, literal, f"{activity_id}@{_literal_key(literal)}")
        return self._intervals[key]

    def on_day(self, placed: PlacedActivity, literal: Literal, day: int) -> Literal:
        """A literal true exactly when `literal` holds and the activity starts on `day`."""
        if placed.days == [day]:
            return literal
        day_literal = self.day_literal(placed, day)
        key = (_literal_key(literal), placed.activity.id, day)
        if key not in self._on_day:
            both = self.model.new_bool_var(f"{placed.activity.id}:{day}:{_literal_key(literal)}")
            self.model.add_bool_or([literal.Not(), day_literal.Not(), both])
            self.model.add_implication(both, literal)
            self.model.add_implication(both, day_literal)
            self._on_day[key] = both
        return self._on_day[key]

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

    def delegates_attendance(self, delegate_id: str) -> list[tuple[str, Literal]]:
        return [(activity_id, literal) for (activity_id, d), literal in self.attendance.items()
                if d == delegate_id]

    def attendance_by_delegate(self) -> dict[str, list[tuple[str, Literal]]]:
        result: dict[str, list[tuple[str, Literal]]] = {d: [] for d in self.mission.delegates}
        for (activity_id, delegate_id), literal in self.attendance.items():
            result[delegate_id].append((activity_id, literal))
        return result

    def gaps(self) -> dict[str, list[tuple[int, list[Literal]]]]:
        """delegate → [(min_gap minutes, guard literals)] from the min_gap rules that name them."""
        result: dict[str, list[tuple[int, list[Literal]]]] = defaultdict(list)
        for rule in self.mission.rules:
            if isinstance(rule, MinGap):
                for delegate_id in rule.delegates:
                    result[delegate_id].append((rule.gap, self.guard("rule", (rule.id, delegate_id), rule.source)))
        if not self.guarded:
            return {d: [max(entries, key=lambda e: e[0])] for d, entries in result.items()}
        return result

    def separation_units(self, venue_a: str, venue_b: str, gap: int) -> int:
        """Units needed between an end at `venue_a` and a start at `venue_b` (travel within a city + gap)."""
        travel = 0
        if venue_a != venue_b and self.mission.venues[venue_a].city == self.mission.venues[venue_b].city:
            travel = self.mission.travel_minutes(venue_a, venue_b) or 0
        return self.axis.units_up(travel + gap)


def _is_negated(literal: Literal) -> bool:
    return literal.index < 0


def _literal_key(literal: Literal) -> int:
    return literal.index


def build_model(mission: Mission, *, guarded: bool = False) -> MissionModel:
    """The model of every hard rule and of the first two objectives (the third is added on demand)."""
    built = MissionModel(mission, cp_model.CpModel(), TimeAxis(mission), guarded)
    built.true = built.model.new_constant(1)
    add_placement(built)
    add_venue_choice(built)
    add_attendance(built)
    add_no_overlap(built)
    add_travel(built)
    add_venue_limits(built)
    add_after(built)
    add_rules(built)
    add_symmetry_breaking(built)
    objective_placement(built)
    built.statistics.update(variables=len(built.model.proto.variables),
                            constraints=len(built.model.proto.constraints))
    return built


# --- 2. placement ---------------------------------------------------------------------------------------


def _timing_ranges(mission: Mission, axis: TimeAxis, activity: Activity, leg: Leg) -> Ranges:
    """Where `fixed` / `windows` / `dates` / the working day put the activity (rule 2)."""
    if activity.fixed is not None:
        start = axis.minute(activity.fixed)
        ranges = [(start, start + activity.duration)]
    elif activity.windows:
        ranges = [(axis.minute(w.start), axis.minute(w.end)) for w in activity.windows]
    elif activity.dates:
        return axis.daily(leg, mission.day, activity.dates)
    else:
        return axis.daily(leg, mission.day, leg.days())
    if activity.dates:
        # With fixed or windows the working day does not apply, but the listed dates still do.
        spans: Ranges = []
        for day in axis.days:
            if day.leg is leg and day.date in activity.dates:
                if spans and spans[-1][1] == day.start_minute:
                    spans[-1] = (spans[-1][0], day.end_minute)
                else:
                    spans.append((day.start_minute, day.end_minute))
        ranges = _intersect(ranges, spans)
    return ranges


def _venue_ranges(mission: Mission, axis: TimeAxis, venue_id: str, leg: Leg) -> Ranges:
    """The venue's open hours on the leg's dates (and the night before its first), or the whole leg."""
    venue = mission.venues[venue_id]
    if not venue.open_hours:
        return [axis.leg_span(leg)]
    days = [leg.first_day - timedelta(days=1), *leg.days()]
    return [r for hours in venue.open_hours for r in axis.daily(leg, hours, days)]


def add_placement(built: MissionModel) -> None:
    """Rule 2: duration, grain, fixed / windows / dates / working day, leg dates and venue open hours."""
    mission, axis, model = built.mission, built.axis, built.model
    for activity in mission.activities.values():
        leg = mission.leg_of_activity(activity.id)
        timing_guard = built.guard("timing", (activity.id,), activity.source)
        timing = _timing_ranges(mission, axis, activity, leg)
        leg_span = [axis.leg_span(leg)]
        domains: dict[str, Domain] = {}
        bounds: list[int] = []
        for venue_id in activity.venues:
            ranges = _intersect(_intersect(timing, leg_span), _venue_ranges(mission, axis, venue_id, leg))
            values = axis.start_domain(ranges, activity.duration, leg)
            domains[venue_id] = _domain(values)
            if values:
                bounds += [values[0][0], values[-1][1]] if isinstance(values[0], tuple) else [values[0], values[-1]]
        whole_leg = _domain(axis.start_domain(leg_span, activity.duration, leg))
        if built.guarded:
            domain = whole_leg
        else:
            union = Domain.FromValues([])
            for venue_domain in domains.values():
                union = union.union_with(venue_domain)
            domain = union
        duration = axis.units_up(activity.duration)
        presence = built.true if activity.required and not built.guarded else model.new_bool_var(f"present:{activity.id}")
        if domain.is_empty():
            model.add(presence == 0)
            domain = Domain(0, 0)
        if activity.required and built.guarded:
            model.add(presence == 1).only_enforce_if(built.guard("required", (activity.id,), activity.source))
        start = model.new_int_var_from_domain(domain, f"start:{activity.id}")
        interval = model.new_optional_fixed_size_interval_var(start, duration, presence, f"interval:{activity.id}")
        placed = PlacedActivity(activity, leg, presence, start, duration, interval, venue_domains=domains)
        placed.timing_guard = timing_guard
        lows = [v for v in domain.flattened_intervals()[0::2]]
        highs = [v for v in domain.flattened_intervals()[1::2]]
        placed.earliest, placed.latest_end = min(lows), max(highs) + duration
        placed.days = [d.index for d in axis.days_of_leg[leg.city]
                       if axis.units_up(d.start_minute) <= max(highs) and min(lows) < axis.units_up(d.end_minute)
                       and domain.intersection_with(Domain(axis.units_up(d.start_minute),
                                                           axis.units_up(d.end_minute) - 1)).size() > 0]
        if not placed.days:
            placed.days = [axis.days_of_leg[leg.city][0].index]
        built.activities[activity.id] = placed


# --- venue choice ---------------------------------------------------------------------------------------


def add_venue_choice(built: MissionModel) -> None:
    """Rule 2: a scheduled activity uses exactly one of its candidate venues, inside that venue's hours."""
    model = built.model
    for placed in built.activities.values():
        activity = placed.activity
        guard = placed.timing_guard
        if len(activity.venues) == 1 and not built.guarded:
            placed.venues = {activity.venues[0]: placed.presence}
            placed.venue_intervals = {activity.venues[0]: placed.interval}
            continue
        if len(activity.venues) == 1:
            literals = {activity.venues[0]: placed.presence}
        else:
            literals = {v: model.new_bool_var(f"venue:{activity.id}:{v}") for v in activity.venues}
            model.add(sum(literals.values()) == placed.presence)
        for venue_id, literal in literals.items():
            domain = placed.venue_domains[venue_id]
            if domain.is_empty():
                model.add(literal == 0).only_enforce_if(guard)
            elif built.guarded or len(activity.venues) > 1:
                model.add_linear_expression_in_domain(placed.start, domain).only_enforce_if([literal, *guard])
            placed.venue_intervals[venue_id] = (
                placed.interval if len(activity.venues) == 1 else
                model.new_optional_fixed_size_interval_var(placed.start, placed.duration, literal,
                                                           f"interval:{activity.id}@{venue_id}"))
        placed.venues = literals


# --- attendance -----------------------------------------------------------------------------------------


def _companions(mission: Mission) -> dict[str, dict[str, dict[str, list[str]]]]:
    """activity → companion → rule id → principals: `accompany` applied until nothing changes (a companion
    who is a principal of another rule brings their own companion)."""
    result: dict[str, dict[str, dict[str, list[str]]]] = {}
    rules = [r for r in mission.rules if isinstance(r, Accompany)]
    for activity in mission.activities.values():
        possible = set(activity.attendees) | set(activity.optional_attendees)
        brought: dict[str, dict[str, list[str]]] = {}
        changed = True
        while changed:
            changed = False
            for rule in rules:
                if rule.kinds is not None and activity.kind not in rule.kinds:
                    continue
                principals = sorted(d for d in rule.principal_delegates if d in possible or d in brought)
                if not principals:
                    continue
                for companion in rule.delegates:
                    if companion in activity.attendees or companion in principals:
                        continue
                    entry = brought.setdefault(companion, {})
                    if entry.get(rule.id) != principals:
                        entry[rule.id] = principals
                        changed = True
        if brought:
            result[activity.id] = brought
    return result


def add_attendance(built: MissionModel) -> None:
    """Rules 1 and 6: required attendees attend, optional ones may, `accompany` brings companions."""
    mission, model = built.mission, built.model
    for placed in built.activities.values():
        activity = placed.activity
        for delegate_id in activity.attendees:
            guard = built.guard("attendance", (activity.id, delegate_id), activity.source)
            if not guard:
                built.attendance[(activity.id, delegate_id)] = placed.presence
                continue
            literal = model.new_bool_var(f"attends:{activity.id}:{delegate_id}")
            model.add_implication(literal, placed.presence)
            model.add_implication(placed.presence, literal).only_enforce_if(guard)
            built.attendance[(activity.id, delegate_id)] = literal
        for delegate_id in activity.optional_attendees:
            literal = model.new_bool_var(f"attends:{activity.id}:{delegate_id}")
            model.add_implication(literal, placed.presence)
            built.attendance[(activity.id, delegate_id)] = literal
    add_accompany(built, _companions(mission))


def add_accompany(built: MissionModel, companions: dict[str, dict[str, dict[str, list[str]]]]) -> None:
    """Rule accompany: every scheduled activity of the listed kinds that B attends is attended by A too."""
    model = built.model
    # Chains (a companion who is a principal elsewhere) need the companions' literals in dependency order.
    pending = {(a, c): rules for a, by_companion in companions.items() for c, rules in by_companion.items()}
    fresh: set[tuple[str, str]] = set()
    """Companions in a cycle, given a literal before their principals were linked."""
    while pending:
        progress = False
        for (activity_id, companion), rules in sorted(pending.items()):
            principals = sorted({p for ps in rules.values() for p in ps})
            if any((activity_id, p) not in built.attendance for p in principals):
                continue
            del pending[(activity_id, companion)]
            progress = True
            presence = built.activities[activity_id].presence
            listed = built.attendance.get((activity_id, companion))
            principal_literals = {p: built.attendance[(activity_id, p)] for p in principals}
            # Aliasing only a companion without a literal of its own: an optional attendee's literal may
            # already stand for a companion it brings (aliased above), so it must stay that delegate's.
            if not built.guarded and listed is None and (activity_id, companion) not in fresh:
                values = list(principal_literals.values())
                if any(v.index == presence.index for v in values):
                    built.attendance[(activity_id, companion)] = presence
                    continue
                if len({v.index for v in values}) == 1:
                    built.attendance[(activity_id, companion)] = values[0]
                    continue
            literal = listed
            if literal is None or (activity_id, companion) in fresh:
                if literal is None:
                    literal = model.new_bool_var(f"attends:{activity_id}:{companion}")
                    model.add_implication(literal, presence)
                    built.attendance[(activity_id, companion)] = literal
                # Brought only by the rule: attends only when a principal does.
                model.add_bool_or([literal.Not(), *principal_literals.values()])
            for rule_id, rule_principals in sorted(rules.items()):
                rule = built.mission.rule(rule_id)
                guard = built.guard("rule", (rule_id, companion), rule.source)
                for principal in rule_principals:
                    model.add_implication(principal_literals[principal], literal).only_enforce_if(guard)
        if not progress:
            # Only a cycle of companions can remain (A accompanies B, B accompanies A, one of them brought by a
            # third): give each a literal of its own, then link them in the next pass.
            waiting = [key for key in sorted(pending) if key not in built.attendance]
            if not waiting:
                break
            for activity_id, companion in waiting:
                literal = model.new_bool_var(f"attends:{activity_id}:{companion}")
                model.add_implication(literal, built.activities[activity_id].presence)
                built.attendance[(activity_id, companion)] = literal
                fresh.add((activity_id, companion))


# --- 4. each delegate -----------------------------------------------------------------------------------


def _unavailable_intervals(built: MissionModel, delegate_id: str) -> list[tuple[IntervalVar, int, int]]:
    delegate = built.mission.delegates[delegate_id]
    axis, model = built.axis, built.model
    result = []
    for index, window in enumerate(delegate.unavailable):
        lo, hi = axis.units_down(axis.minute(window.start)), axis.units_up(axis.minute(window.end))
        guard = built.guard("unavailable", (delegate_id, str(index)), window.source)
        if guard:
            interval = model.new_optional_fixed_size_interval_var(lo, hi - lo, guard[0], f"away:{delegate_id}:{index}")
        else:
            interval = model.new_fixed_size_interval_var(lo, hi - lo, f"away:{delegate_id}:{index}")
        result.append((interval, lo, hi))
    return result


def _lunch_intervals(built: MissionModel, delegate_id: str,
                     attended: list[tuple[str, Literal]]) -> list[tuple[IntervalVar, int, int]]:
    """Rule lunch: one free stretch per leg date inside `between`; always there (equivalent, simpler)
    unless another leg's activity may overlap it (legs far apart in time zones share instants): there
    only on dates the delegate attends something of that leg."""
    axis, model = built.axis, built.model
    result = []
    for rule in built.mission.rules:
        if not isinstance(rule, Lunch) or delegate_id not in rule.delegates:
            continue
        guard = built.guard("rule", (rule.id, delegate_id), rule.source)
        duration = axis.units_up(rule.duration)
        for day in axis.days:
            for lo_minute, hi_minute in axis.daily(day.leg, rule.between, [day.date]):
                lo, hi = axis.units_up(lo_minute), axis.units_down(hi_minute)
                if hi - lo < duration:
                    # Shorter than the lunch (a night `between` across a change of clocks): no lunch fits, so
                    # the delegate attends nothing on that date.
                    model.add_bool_or([_lunch_needed(built, day, attended, guard).Not()])
                    continue
                start = model.new_int_var(lo, hi - duration, f"lunch:{rule.id}:{delegate_id}:{day.index}")
                presence = guard[0] if guard else None
                if any(built.activities[a].leg is not day.leg and built.activities[a].earliest < hi
                       and lo < built.activities[a].latest_end for a, _ in attended):
                    presence = _lunch_needed(built, day, attended, guard)
                if presence is not None:
                    interval = model.new_optional_fixed_size_interval_var(start, duration, presence, start.name)
                else:
                    interval = model.new_fixed_size_interval_var(start, duration, start.name)
                result.append((interval, lo, hi))
    return result


def _lunch_needed(built: MissionModel, day: Day, attended: list[tuple[str, Literal]],
                  guard: list[Literal]) -> Literal:
    """A literal that must hold when the delegate attends an activity touching `day` (of its leg)."""
    axis, model = built.axis, built.model
    needed = model.new_bool_var(f"lunch-needed:{day.index}")
    day_start, day_end = axis.units_up(day.start_minute), axis.units_up(day.end_minute)
    for activity_id, literal in attended:
        placed = built.activities[activity_id]
        if placed.leg is not day.leg or placed.latest_end <= day_start or day_end <= placed.earliest:
            continue
        elsewhere = []
        if placed.earliest + placed.duration <= day_start:
            before = model.new_bool_var("")
            model.add(placed.start + placed.duration <= day_start).only_enforce_if(before)
            elsewhere.append(before)
        if day_end < placed.latest_end:
            after = model.new_bool_var("")
            model.add(placed.start >= day_end).only_enforce_if(after)
            elsewhere.append(after)
        model.add_bool_or([needed, literal.Not(), *elsewhere])
    if not guard:
        return needed
    present = model.new_bool_var(f"lunch-present:{day.index}")
    model.add_implication(present, guard[0])
    model.add_bool_or([needed.Not(), guard[0].Not(), present])
    return present


def add_no_overlap(built: MissionModel) -> None:
    """Rule 4 (+ lunch): a delegate attends one activity at a time, nothing when unavailable, and keeps lunch."""
    seen: set[tuple] = set()
    for delegate_id, attended in built.attendance_by_delegate().items():
        lunch_rules = [r for r in built.mission.rules if isinstance(r, Lunch) and delegate_id in r.delegates]
        signature = (tuple(sorted((a, _literal_key(l)) for a, l in attended)),
                     built.mission.delegates[delegate_id].unavailable,
                     tuple((r.between, r.duration) for r in lunch_rules))
        if not built.guarded and signature in seen:
            continue  # the same timeline as another delegate's: the same constraint
        seen.add(signature)
        intervals = [built.interval_of(a, l) for a, l in attended]
        away = _unavailable_intervals(built, delegate_id)
        lunches = _lunch_intervals(built, delegate_id, attended) if attended else []
        # A lunch stretch may lie inside an unavailable window: those windows get a timeline of their own.
        apart = [w for w in away if any(w[1] < hi and lo < w[2] for _, lo, hi in lunches)]
        together = [w for w in away if w not in apart]
        main = intervals + [w[0] for w in together] + [l[0] for l in lunches]
        if len(main) > 1:
            built.model.add_no_overlap(main)
        if apart and intervals:
            built.model.add_no_overlap(intervals + [w[0] for w in apart])


def add_travel(built: MissionModel) -> None:
    """Rule 4 and min_gap: travel time (+ gap) between activities of a delegate, one order literal per pair."""
    model = built.model
    gaps = built.gaps()
    # (a, b) → {(literal a, literal b, gap, guard indexes) : guard literals}
    needs: dict[tuple[str, str], dict[tuple, tuple[Literal, Literal, int, list[Literal]]]] = defaultdict(dict)
    seen: set[tuple] = set()
    for delegate_id, attended in built.attendance_by_delegate().items():
        if len(attended) < 2:
            continue
        attended = sorted(attended, key=lambda e: e[0])
        options = gaps.get(delegate_id, [(0, [])])
        if built.guarded and delegate_id in gaps:
            options = [(0, [])] + options
        signature = (tuple((a, _literal_key(l)) for a, l in attended), tuple(g for g, _ in options))
        if not built.guarded and signature in seen:
            continue  # the same separations as another delegate's
        seen.add(signature)
        for i, (a, literal_a) in enumerate(attended):
            placed_a = built.activities[a]
            for b, literal_b in attended[i + 1:]:
                placed_b = built.activities[b]
                if placed_a.leg is not placed_b.leg and not any(g for g, _ in options):
                    continue
                for gap, guard in options:
                    key = (_literal_key(literal_a), _literal_key(literal_b), gap, tuple(g.index for g in guard))
                    needs[(a, b)][key] = (literal_a, literal_b, gap, guard)
    pairs = 0
    for (a, b), entries in sorted(needs.items()):
        placed_a, placed_b = built.activities[a], built.activities[b]
        entries = _dominant(built, placed_a, placed_b, list(entries.values()))
        separations = [(la, lb, guard, va, vb, built.separation_units(va, vb, gap), built.separation_units(vb, va, gap))
                       for la, lb, gap, guard in entries for va in placed_a.venues for vb in placed_b.venues]
        separations = [s for s in separations if s[5] > 0 or s[6] > 0]
        if not separations:
            continue
        widest = max(max(s[5], s[6]) for s in separations)
        if placed_a.latest_end + widest <= placed_b.earliest or placed_b.latest_end + widest <= placed_a.earliest:
            continue  # their domains keep them far enough apart
        pairs += 1
        a_first = model.new_bool_var(f"order:{a}<{b}")
        built.order[(a, b)] = a_first
        for la, lb, guard, va, vb, forward, backward in separations:
            venues = _venue_condition(placed_a, va) + _venue_condition(placed_b, vb)
            condition = [la, lb, *venues, *guard]
            model.add(placed_b.start >= placed_a.end + forward).only_enforce_if([a_first, *condition])
            model.add(placed_a.start >= placed_b.end + backward).only_enforce_if([a_first.Not(), *condition])
    built.statistics["order_pairs"] = pairs


def _dominant(built: MissionModel, placed_a: PlacedActivity, placed_b: PlacedActivity,
              entries: list[tuple[Literal, Literal, int, list[Literal]]]) -> list:
    """Drop separations implied by a wider one between the two presences (att ≤ presence)."""
    if built.guarded:
        return entries
    widest_required = max((gap for la, lb, gap, _ in entries
                           if la.index == placed_a.presence.index and lb.index == placed_b.presence.index),
                          default=None)
    if widest_required is None:
        return entries
    return [e for e in entries
            if (e[0].index == placed_a.presence.index and e[1].index == placed_b.presence.index
                and e[2] == widest_required) or e[2] > widest_required]


def _venue_condition(placed: PlacedActivity, venue_id: str) -> list[Literal]:
    return [placed.venues[venue_id]] if len(placed.venues) > 1 else []


# --- 5. each venue --------------------------------------------------------------------------------------


def add_venue_limits(built: MissionModel) -> None:
    """Rule 5: at most `parallel` activities at once at a venue; no headcount above its `capacity`."""
    model, mission = built.model, built.mission
    by_venue: dict[str, list[tuple[PlacedActivity, Literal, IntervalVar]]] = defaultdict(list)
    for placed in built.activities.values():
        for venue_id, literal in placed.venues.items():
            by_venue[venue_id].append((placed, literal, placed.venue_intervals[venue_id]))
    for venue_id, hosted in by_venue.items():
        venue = mission.venues[venue_id]
        if len(hosted) > venue.parallel:
            guard = built.guard("venue-parallel", (venue_id,), venue.source)
            intervals = [interval for _, _, interval in hosted]
            if guard:
                intervals = []
                for placed, literal, _ in hosted:
                    both = model.new_bool_var(f"hosted:{venue_id}:{placed.activity.id}")
                    model.add_bool_and([literal, guard[0]]).only_enforce_if(both)
                    model.add_bool_or([literal.Not(), guard[0].Not(), both])
                    intervals.append(model.new_optional_fixed_size_interval_var(
                        placed.start, placed.duration, both, f"hosted:{venue_id}:{placed.activity.id}"))
            if venue.parallel == 1:
                model.add_no_overlap(intervals)
            else:
                model.add_cumulative(intervals, [1] * len(intervals), venue.parallel)
        if venue.capacity is None:
            continue
        for placed, literal, _ in hosted:
            terms = [(mission.delegates[d].size, built.attendance[(placed.activity.id, d)])
                     for d in _possible_attendees(built, placed.activity.id)]
            if sum(size for size, _ in terms) <= venue.capacity:
                continue
            guard = built.guard("venue-capacity", (venue_id,), venue.source)
            model.add(sum(size * attends for size, attends in terms) <= venue.capacity).only_enforce_if([literal, *guard])


def _possible_attendees(built: MissionModel, activity_id: str) -> list[str]:
    return sorted(d for (a, d) in built.attendance if a == activity_id)


# --- 3. after -------------------------------------------------------------------------------------------


def add_after(built: MissionModel) -> None:
    """Rule 3: an activity starts at least `gap` after each scheduled activity of its `after` ends."""
    for placed in built.activities.values():
        for after in placed.activity.after:
            before = built.activities[after.activity]
            guard = built.guard("after", (placed.activity.id, after.activity), after.source)
            built.model.add(placed.start >= before.end + built.axis.units_up(after.gap)).only_enforce_if(
                [placed.presence, before.presence, *guard])


# --- 6. rules -------------------------------------------------------------------------------------------


def add_rules(built: MissionModel) -> None:
    """Rule 6: each rule kind (accompany is part of attendance; min_gap of travel; lunch of no-overlap)."""
    for rule in built.mission.rules:
        if isinstance(rule, MaxPerDay):
            add_max_per_day(built, rule)


def add_max_per_day(built: MissionModel, rule: MaxPerDay) -> None:
    """Rule max_per_day: each delegate attends at most `count` activities (of `kinds`) starting on one date."""
    seen: set[tuple] = set()
    attendance = built.attendance_by_delegate()
    for delegate_id in rule.delegates:
        attended = [(a, l) for a, l in attendance.get(delegate_id, [])
                    if rule.kinds is None or built.mission.activities[a].kind in rule.kinds]
        if len(attended) <= rule.count:
            continue
        signature = tuple(sorted((a, _literal_key(l)) for a, l in attended))
        if not built.guarded and signature in seen:
            continue
        seen.add(signature)
        guard = built.guard("rule", (rule.id, delegate_id), rule.source)
        by_day: dict[int, list[tuple[str, Literal]]] = defaultdict(list)
        for activity_id, literal in attended:
            for day in built.activities[activity_id].days:
                by_day[day].append((activity_id, literal))
        for day, entries in sorted(by_day.items()):
            if len(entries) <= rule.count:
                continue
            terms = [built.on_day(built.activities[a], l, day) for a, l in entries]
            built.model.add(sum(terms) <= rule.count).only_enforce_if(guard)


# --- symmetry -------------------------------------------------------------------------------------------


def _interchangeable(activity: Activity) -> tuple:
    """What makes two activities interchangeable in every rule and objective (all but id and title)."""
    return (activity.venues, activity.duration, activity.attendees, activity.optional_attendees, activity.kind,
            activity.fixed, tuple((w.start, w.end) for w in activity.windows), activity.dates, activity.priority)


def add_symmetry_breaking(built: MissionModel) -> None:
    """Sound symmetry breaking: of interchangeable activities (same everything but id and title, no `after`
    either way), the earlier in file order is scheduled if the later is, and starts no later."""
    if built.guarded:
        return  # each statement must stay removable on its own
    referenced = {after.activity for a in built.mission.activities.values() for after in a.after}
    groups: dict[tuple, list[PlacedActivity]] = defaultdict(list)
    for placed in built.activities.values():
        activity = placed.activity
        if activity.after or activity.id in referenced or activity.fixed is not None:
            continue
        groups[_interchangeable(activity)].append(placed)
    broken = 0
    for members in groups.values():
        for earlier, later in zip(members, members[1:]):
            built.model.add_implication(later.presence, earlier.presence)
            built.model.add(earlier.start <= later.start).only_enforce_if(later.presence)
            broken += 1
    built.statistics["symmetries_broken"] = broken


# --- objectives -----------------------------------------------------------------------------------------


def objective_placement(built: MissionModel) -> None:
    """Soft 1 and 2: left-out priority weight, optional attendees' headcount brought."""
    mission = built.mission
    built.left_out_weight = sum(
        (a.priority or 0) * (1 - built.activities[a.id].presence) for a in mission.activities.values()
        if not a.required)
    terms = []
    for activity in mission.activities.values():
        for delegate_id in activity.optional_attendees:
            size = mission.delegates[delegate_id].size
            built.optional_headcount += size
            terms.append(size * built.attendance[(activity.id, delegate_id)])
    built.brought = sum(terms)


def placement_weight(built: MissionModel) -> int:
    """The weight of objective 1 against objective 2: one unit of 1 outweighs all of 2."""
    return built.optional_headcount + 1


def placement_objective(built: MissionModel) -> LinearExpr:
    """Soft 1 and 2 as one expression to minimise (lexicographic by the weight above)."""
    return placement_weight(built) * built.left_out_weight + (built.optional_headcount - built.brought)


def add_travel_objective(built: MissionModel) -> None:
    """Soft 3: travel minutes × size between consecutive activities of each delegate on one date.

    Delegates with the same attendance literals share one sequence (weighted by their total size): per
    such class and date, a circuit through the activities they may attend that date, where an arc i → j
    (j starts after i ends) says j is the next one; its cost is the travel time between their venues.
    """
    if built.travel_built:
        return
    built.travel_built = True
    mission, axis = built.mission, built.axis
    classes: dict[tuple, tuple[list[tuple[str, Literal]], int]] = {}
    for delegate_id, attended in built.attendance_by_delegate().items():
        if len(attended) < 2:
            continue
        key = tuple(sorted((a, _literal_key(l)) for a, l in attended))
        members, weight = classes.get(key, (sorted(attended, key=lambda e: e[0]), 0))
        classes[key] = (members, weight + mission.delegates[delegate_id].size)
    # Per date, classes that may attend the same activities that date (with the same literals) share one
    # sequence: their weights add up.
    sequences: dict[tuple[int, tuple], tuple[list[tuple[str, Literal]], int]] = {}
    for key in sorted(classes):
        attended, weight = classes[key]
        for day in axis.days:
            nodes = [(a, l) for a, l in attended if day.index in built.activities[a].days]
            if len(nodes) < 2 or not _may_travel(built, [a for a, _ in nodes]):
                continue
            day_key = (day.index, tuple((a, _literal_key(l)) for a, l in nodes))
            previous = sequences.get(day_key, (nodes, 0))
            sequences[day_key] = (nodes, previous[1] + weight)
    terms: list[LinearExpr] = []
    upper = 0
    circuits = 0
    for (day_index, _), (nodes, weight) in sorted(sequences.items(), key=lambda item: item[0]):
        visits = [(a, built.on_day(built.activities[a], l, day_index)) for a, l in nodes]
        if len(visits) == 2 and all(len(built.activities[a].venues) == 1 for a, _ in visits):
            cost, most = _add_pair(built, visits)
        else:
            circuits += 1
            cost, most = _add_circuit(built, visits)
        terms.append(weight * cost)
        upper += weight * most
    built.travel = sum(terms)
    built.travel_upper_bound = upper
    built.statistics["circuits"] = circuits


def _may_travel(built: MissionModel, activity_ids: list[str]) -> bool:
    venues = {v for a in activity_ids for v in built.activities[a].venues}
    return any(built.mission.travel_minutes(x, y) for x in venues for y in venues if x != y)


def _add_pair(built: MissionModel, visits: list[tuple[str, Literal]]) -> tuple[LinearExpr, int]:
    """Two activities on one date at fixed venues: whichever comes first, the move costs the same."""
    (a, visited_a), (b, visited_b) = visits
    venue_a, venue_b = next(iter(built.activities[a].venues)), next(iter(built.activities[b].venues))
    minutes = built.mission.travel_minutes(venue_a, venue_b) or 0
    both = built.model.new_bool_var(f"both:{a}+{b}")
    built.model.add_bool_or([visited_a.Not(), visited_b.Not(), both])
    built._pairs.append((visited_a, visited_b, both))
    return minutes * both, minutes


def _add_circuit(built: MissionModel, nodes: list[tuple[str, Literal]]) -> tuple[LinearExpr, int]:
    """One circuit: depot 0, node k+1 for nodes[k]; returns (travel cost expression, its upper bound)."""
    model = built.model
    circuit = Circuit(nodes, model.new_bool_var("idle"), {}, {}, {}, {})
    arcs: list[tuple[int, int, Literal]] = [(0, 0, circuit.idle)]
    # Activities surely visited (a required one of theirs, on a known date) rule out some arcs: nothing
    # comes first if a sure one always ends before it starts, and i → j is no step if a sure one lies between.
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
                    condition = [literal, *_venue_condition(placed_a, va), *_venue_condition(placed_b, vb)]
                    model.add(travel >= value).only_enforce_if(condition)
                    combos.append((va, vb, value))
            circuit.travel[(a, b)] = (travel, combos)
            costs.append(travel)
    model.add_circuit(arcs)
    built._circuits.append(circuit)
    return sum(costs), most_per_arc * max(len(nodes) - 1, 0)


# --- reading a solution ---------------------------------------------------------------------------------


def extract_schedule(built: MissionModel, solver: cp_model.CpSolver, status: str) -> Schedule:
    """The programme of the solver's current solution (no reasons, objectives or bounds yet)."""
    mission = built.mission
    attendees_of: dict[str, list[str]] = defaultdict(list)
    for (activity_id, delegate_id), literal in built.attendance.items():
        if solver.boolean_value(literal):
            attendees_of[activity_id].append(delegate_id)
    activities = []
    for activity_id, placed in built.activities.items():
        if not solver.boolean_value(placed.presence):
            continue
        venue = next(v for v, literal in placed.venues.items() if solver.boolean_value(literal))
        start = solver.value(placed.start)
        activities.append(ScheduledActivity(
            id=activity_id, title=placed.activity.title, kind=placed.activity.kind, venue=venue,
            start=built.axis.instant(start, placed.leg), end=built.axis.instant(start + placed.duration, placed.leg),
            attendees=tuple(sorted(attendees_of[activity_id]))))
    activities.sort(key=lambda a: (a.start, a.id))
    return Schedule(mission=mission.name, status=status, activities=activities)


def solution_values(built: MissionModel, solver: cp_model.CpSolver) -> list[int]:
    """Every variable's value in the current solution (a hint for the next stage)."""
    return list(solver.response_proto.solution)


def hint_solution(built: MissionModel, values: Sequence[int]) -> None:
    """Hint a previous stage's solution, completed for the variables added since (days, circuits)."""
    model = built.model
    model.clear_hints()
    known: dict[int, int] = dict(enumerate(values))

    def value_of(literal: Literal) -> int:
        index = literal.index
        return known.get(index, 0) if index >= 0 else 1 - known.get(-index - 1, 0)

    for placed in built.activities.values():
        start = known.get(placed.start.index, 0)
        for day, literal in placed.day_literals.items():
            known.setdefault(literal.index, int(_day_of(built, start) == day))
    for (literal_key, activity_id, day), both in built._on_day.items():
        if both.index not in known:
            literal_value = known.get(literal_key, 0) if literal_key >= 0 else 1 - known.get(-literal_key - 1, 0)
            day_value = value_of(built.activities[activity_id].day_literals[day])
            known[both.index] = int(bool(literal_value and day_value))
    for visited_a, visited_b, both in built._pairs:
        known[both.index] = int(bool(value_of(visited_a) and value_of(visited_b)))
    for circuit in built._circuits:
        order = sorted((a for a, visited in circuit.nodes if value_of(visited)),
                       key=lambda a: known.get(built.activities[a].start.index, 0))
        chosen = set(zip(order, order[1:]))
        known[circuit.idle.index] = int(not order)
        for activity_id, literal in circuit.firsts.items():
            known[literal.index] = int(bool(order) and order[0] == activity_id)
        for activity_id, literal in circuit.lasts.items():
            known[literal.index] = int(bool(order) and order[-1] == activity_id)
        for pair, literal in circuit.arcs.items():
            known[literal.index] = int(pair in chosen)
        for (a, b), (travel, combos) in circuit.travel.items():
            known[travel.index] = max(
                (minutes for va, vb, minutes in combos if (a, b) in chosen
                 and value_of(built.activities[a].venues[va]) and value_of(built.activities[b].venues[vb])),
                default=0)
    for index in sorted(known):
        if index < len(model.proto.variables):
            model.add_hint(model.get_int_var_from_proto_index(index), known[index])


def _day_of(built: MissionModel, start_units: int) -> int:
    minute = start_units * built.axis.unit
    for day in built.axis.days:
        if day.start_minute <= minute < day.end_minute:
            return day.index
    return -1


def travel_of_schedule(mission: Mission, schedule: Schedule) -> int:
    """Soft 3 of a schedule, computed plainly: minutes × size between consecutive activities of each
    delegate that start on the same local date, at different venues of one city (planner.domain.travel, which the
    per-day table shares)."""
    return sum(travel_by_date(mission, schedule).values())
