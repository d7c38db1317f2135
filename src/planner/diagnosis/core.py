"""The minimal-conflict search: statements guarded by assumption literals, tested under a budget, and shrunk
by deletion, one part of the mission (a day, a leg) at a time."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.diagnosis.describe import StatementLike, describe_core, travel_facts
from planner.diagnosis.phrases import make_conflict
from planner.diagnosis.placements import placements
from planner.domain import Mission
from planner.domain.schedule import Conflict
from planner.domain.spans import Span, day_span

if TYPE_CHECKING:
    from planner.solver.solve import SolveOptions

MAX_CONFLICTS = 3
"""Disjoint conflicts looked for after an infeasibility proof: enough to fix several clashes in one go."""


ACTIVITY_KINDS = ("timing", "required", "attendance", "after", "venue-capacity")
"""Statement kinds whose ids name activities."""


EXTRA_WORK = 200
"""Activities that may be modelled again, after the first clash is found, to look for further ones."""


KIND_ORDER = ("timing", "required", "attendance", "after", "unavailable", "venue-parallel", "venue-capacity",
              "rule", "lodging")


def statement_order(statement: StatementLike) -> tuple[Any, ...]:
    kind_rank = KIND_ORDER.index(statement.kind) if statement.kind in KIND_ORDER else len(KIND_ORDER)
    return (kind_rank, statement.kind, tuple(statement.ids), statement.source.line, statement.source.column)


@dataclass
class DiagnosisBudget:
    """Time for the whole diagnosis, and for each infeasibility test inside it."""

    total_seconds: float
    check_seconds: float
    started: float = 0.0

    def left(self) -> float:
        return self.total_seconds - (time.monotonic() - self.started)


def budget_for(options: SolveOptions | None) -> DiagnosisBudget:
    """A few times a short solve: the user already waited for the proof of infeasibility."""
    limit = float(getattr(options, "time_limit", 60.0) or 60.0)
    total = min(max(10.0, 2.0 * limit), 300.0)
    return DiagnosisBudget(total_seconds=total, check_seconds=min(max(2.0, limit / 4), 20.0),
                           started=time.monotonic())


class CoreFinder:
    """Infeasibility tests of the guarded model under a chosen set of statements."""

    def __init__(self, mission_model: Any, seed: int, budget: DiagnosisBudget) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.model = mission_model.model
        if self.model.has_objective():
            self.model.clear_objective()  # only feasibility matters here; an objective slows every test
        self.guards: dict[Any, Any] = dict(mission_model.guards)
        self.statements = sorted(self.guards, key=statement_order)
        self.by_index = {self.guards[s].index: s for s in self.statements}
        self.seed = seed
        self.budget = budget
        self.tests = 0

    def test(self, chosen: Sequence[Any], seconds: float | None = None) -> tuple[str, list[Any]]:
        """('infeasible', core ⊆ chosen) | ('feasible', []) | ('unknown', []): the chosen statements
        enforced, every other one dropped."""
        chosen_set = set(chosen)
        self.model.clear_assumptions()
        self.model.clear_hints()
        literals = [self.guards[s] if s in chosen_set else self.guards[s].negated() for s in self.statements]
        self.model.add_assumptions(literals)
        solver = self.cp_model.CpSolver()
        limit = seconds or self.budget.check_seconds
        # Assumption cores need one worker; the deterministic limit keeps answers reproducible.
        solver.parameters.num_workers = 1
        # With assumptions, presolve must keep every solution and costs seconds on a real mission, far more
        # than the search it would spare: tests on the flagship drop from ~7 s to under 1 s without it.
        solver.parameters.cp_model_presolve = False
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = limit
        # Wall-clock time only as a safety net (a loaded machine), never the limit that decides.
        solver.parameters.max_time_in_seconds = max(0.5, min(4 * limit, self.budget.left()))
        status = solver.solve(self.model)
        self.tests += 1
        if status == self.cp_model.INFEASIBLE:
            assumptions = solver.sufficient_assumptions_for_infeasibility()
            named = {self.by_index[i] for i in assumptions if i in self.by_index}
            core = [s for s in self.statements if s in named and s in chosen_set]
            return "infeasible", core or list(chosen)
        if status in (self.cp_model.FEASIBLE, self.cp_model.OPTIMAL):
            return "feasible", []
        return "unknown", []

    def minimise(self, core: list[Any]) -> list[Any]:
        """Deletion: drop one statement at a time; keep it out when the rest is still infeasible."""
        current = list(core)
        position = 0
        while position < len(current):
            if self.budget.left() <= 0:
                break
            trial = current[:position] + current[position + 1:]
            verdict, smaller = self.test(trial)
            if verdict == "infeasible":
                # The solver's own core of the trial may be smaller still: take it, keep the order.
                kept = set(smaller)
                current = [s for s in current if s in kept]
                position = min(position, len(current))
                # Statements before `position` were shown necessary in a superset; they stay necessary.
            else:
                position += 1
        return current


def diagnose(mission: Mission, options: SolveOptions | None = None) -> list[Conflict]:
    """The input statements that cannot hold together, once CP-SAT proved that no programme exists: up to
    `MAX_CONFLICTS` disjoint minimal sets, each in the mission's words."""
    try:
        return run_diagnosis(mission, options).conflicts
    except Exception as error:  # noqa: BLE001 — the proof stands; schedule.json must still be written
        return [make_conflict("diagnosis-failed", {"error": f"{type(error).__name__}: {error}"})]


@dataclass
class Diagnosis:
    conflicts: list[Conflict]
    tests: int = 0
    """Infeasibility tests run (CP-SAT solves under assumptions)."""
    parts_tried: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0


def run_diagnosis(mission: Mission, options: SolveOptions | None = None) -> Diagnosis:
    """`diagnose`, with what it cost.

    A set of statements that is infeasible on a part of the mission (a subset of its activities) is
    infeasible on the whole: the activities outside the part may simply be left out once their statements
    are dropped. So the search looks at one day at a time first, then one leg, and only then at the whole
    mission, which costs most; a clash found on a small part is then shrunk there.
    """
    from planner.solver.model import build_model

    budget = budget_for(options)
    seed = int(getattr(options, "seed", 0) or 0)
    result = Diagnosis([])
    found: set[Any] = set()
    # Looking on for further clashes after the first is a bonus: it may cost as much work (activities
    # modelled) as finding the first did, or EXTRA_WORK, whichever is more — counted, not timed, so that
    # the answer does not depend on the machine's load.
    work = 0
    allowance: int | None = None
    for label, part, scope in mission_parts(mission):
        if len(result.conflicts) >= MAX_CONFLICTS or budget.left() <= 0:
            break
        if result.conflicts:
            if scope != "day":
                break  # the wider parts cost far more; a clash found on a day is enough to act on
            if allowance is None:
                allowance = max(EXTRA_WORK, work)
            if len(part.activities) > allowance:
                break
            allowance -= len(part.activities)
        work += len(part.activities)
        result.parts_tried.append(label)
        finder = CoreFinder(build_model(part, guarded=True), seed, budget)
        while len(result.conflicts) < MAX_CONFLICTS and budget.left() > 0:
            chosen = [s for s in finder.statements if s not in found]
            verdict, core = finder.test(chosen, seconds=max(budget.check_seconds, min(30.0, budget.left())))
            result.tests += finder.tests
            finder.tests = 0
            if verdict != "infeasible":
                break
            minimal, small = shrink(part, core, finder, seed, budget)
            result.tests += small.tests
            small.tests = 0
            travel = travel_matters(mission_part(part, minimal), minimal, small)
            result.conflicts.append(describe_core(mission, minimal, travel))
            # Look on for another clash that shares no statement with those found.
            found |= set(minimal)
    if not result.conflicts:
        result.conflicts.append(make_conflict("diagnosis-incomplete", {"seconds": budget.total_seconds}))
    result.seconds = time.monotonic() - budget.started
    return result


def shrink(part: Mission, core: list[Any], finder: CoreFinder, seed: int,
           budget: DiagnosisBudget) -> tuple[list[Any], CoreFinder]:
    """A minimal subset of `core`, shrunk on the activities that the core names (every test far cheaper)."""
    from planner.solver.model import build_model

    core = sorted(core, key=deletion_preference(part, core))
    small = CoreFinder(build_model(mission_part(part, core), guarded=True), seed, budget)
    if not set(core) <= set(small.statements):
        small = finder  # the model names statements differently in the reduced part: shrink on the part
    minimal = small.minimise(core)
    return sorted(speak_of_principals(part, minimal, small), key=statement_order), small


def speak_of_principals(mission: Mission, core: list[Any], finder: CoreFinder) -> list[Any]:
    """Among equally small clashes, prefer the one that names the principal people: where a delegate of the
    core (an aide, say) is bound to activities that an earlier-declared delegate must attend too, try the
    clash with that delegate's statements instead, and keep it (shrunk again) when it still holds."""
    declared = {delegate_id: n for n, delegate_id in enumerate(mission.delegates)}
    by_key = {(s.kind, tuple(s.ids)): s for s in finder.statements}
    tried: set[str] = set()
    while True:
        bound: dict[str, list[Any]] = defaultdict(list)
        for statement in core:
            if (statement.kind in ("attendance", "rule") and len(statement.ids) > 1
                    and statement.ids[1] in declared
                    or statement.kind == "unavailable" and statement.ids and statement.ids[0] in declared):
                delegate_id = statement.ids[0] if statement.kind == "unavailable" else statement.ids[1]
                bound[delegate_id].append(statement)
        replaced = False
        for delegate_id in sorted(bound, key=lambda d: -declared[d]):
            if delegate_id in tried or any(s.kind == "unavailable" for s in bound[delegate_id]):
                continue
            tried.add(delegate_id)
            for principal in sorted((d for d in declared if declared[d] < declared[delegate_id]),
                                    key=lambda d: (d not in bound, declared[d])):
                swapped = [by_key.get((s.kind, (s.ids[0], principal) + tuple(s.ids[2:])))
                           for s in bound[delegate_id]]
                if any(s is None for s in swapped):
                    continue
                trial = [s for s in core if s not in bound[delegate_id]]
                trial += [s for s in swapped if s not in trial]
                verdict, _ = finder.test(trial)
                if verdict == "infeasible":
                    core = finder.minimise(sorted(trial, key=statement_order))
                    replaced = True
                break  # only the most natural principal is tried, to keep the cost to one test
            if replaced:
                break
        if not replaced:
            return core


def deletion_preference(mission: Mission, core: Sequence[StatementLike]):
    """Order in which deletion tries to drop statements: what a reader needs least goes first — the
    attendance of delegates who appear least in the core (companions, aides), later-declared ones first —
    so that among several minimal sets the one kept speaks of the principal people."""
    appearances = Counter(s.ids[1] for s in core if s.kind == "attendance" and len(s.ids) > 1)
    declared = {delegate_id: n for n, delegate_id in enumerate(mission.delegates)}

    def key(statement: StatementLike) -> tuple[Any, ...]:
        if statement.kind == "attendance" and len(statement.ids) > 1:
            delegate_id = statement.ids[1]
            return (0, appearances[delegate_id], -declared.get(delegate_id, 0), statement_order(statement))
        return (1, statement_order(statement))

    return key


def mission_parts(mission: Mission) -> list[tuple[str, Mission, str]]:
    """Each local date's activities (those that may lie on it), then each leg's, then the whole mission;
    parts holding the same activities as an earlier one are skipped."""
    reach: dict[str, list[Span]] = {}
    for activity in mission.activities.values():
        reach[activity.id] = [span for place in placements(mission, activity) for span in place.spans]
    parts: list[tuple[str, Mission, str]] = []
    seen: set[frozenset[str]] = set()

    def add(label: str, keep: set[str], scope: str) -> None:
        key = frozenset(keep)
        if not keep or key in seen:
            return
        seen.add(key)
        parts.append((label, mission_part_of(mission, keep), scope))

    for leg in mission.legs:
        for day in leg.days():
            low, high = day_span(leg, day)
            add(day.isoformat(), {a for a, spans in reach.items()
                                  if any(start < high and low < end for start, end in spans)}, "day")
    if len(mission.legs) > 1:
        for leg in mission.legs:
            add(leg.city, {a for a in mission.activities if mission.leg_of_activity(a) == leg}, "leg")
    add("whole mission", set(mission.activities), "mission")
    return parts


def mission_part_of(mission: Mission, keep: set[str]) -> Mission:
    activities = {
        activity_id: dataclasses.replace(
            activity, after=tuple(after for after in activity.after if after.activity in keep))
        for activity_id, activity in mission.activities.items() if activity_id in keep
    }
    return dataclasses.replace(mission, activities=activities)


def mission_part(mission: Mission, core: Sequence[StatementLike]) -> Mission:
    """The mission reduced to the activities that the statements of `core` name (`after` links to others
    dropped): enforcing `core` there is possible exactly when it is on the whole mission."""
    return mission_part_of(mission, {i for s in core if s.kind in ACTIVITY_KINDS for i in s.ids
                                     if i in mission.activities})


def travel_matters(mission: Mission, core: Sequence[StatementLike], finder: CoreFinder) -> bool:
    """Whether travel between venues is part of the clash: travel is a fact, not a statement, so it has no
    guard; the same statements are tested again on the mission with every travel time at zero."""
    attending: dict[str, list[str]] = defaultdict(list)
    for statement in core:
        if statement.kind == "attendance" and len(statement.ids) >= 2:
            attending[statement.ids[1]].append(statement.ids[0])
    if not travel_facts(mission, attending) or finder.budget.left() <= 0:
        return False
    from planner.solver.model import build_model

    without_travel = dataclasses.replace(mission, travel={})
    other = CoreFinder(build_model(without_travel, guarded=True), finder.seed, finder.budget)
    chosen = [s for s in other.statements if s in set(core)]
    if len(chosen) != len(core):
        return True
    verdict, _ = other.test(chosen)
    return verdict != "infeasible"
