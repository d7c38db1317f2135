"""Why no programme exists, and why an optional activity was left out (issue 7).

Three entry points, called by `planner.solver.solve.solve`:
- `precheck`: fast checks before solving (`planner.diagnosis.precheck`); a non-empty answer means infeasible without
  running CP-SAT;
- `diagnose`: after CP-SAT proved infeasibility, a minimal set of input statements that cannot hold
  together, found with assumption literals and shrunk by deletion;
- `unscheduled_reasons`: for each optional activity left out, what it would have displaced or what blocks it.
"""

from __future__ import annotations

import bisect
import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from planner.domain import Accompany, Activity, Lunch, MaxPerDay, Mission, MinGap, Rule, Source
from planner.diagnosis.precheck import (
    Span,
    activity_phrase,
    check_capacity,
    check_room,
    check_unavailability,
    day_span,
    duration_text,
    instant,
    make_conflict,
    minutes,
    placements,
    required_attendance,
    span_text,
    subtract,
    when,
    where,
    window_span,
)
from planner.diagnosis.precheck import precheck as precheck_mission
from planner.domain.schedule import Conflict, Schedule, ScheduledActivity

if TYPE_CHECKING:
    from planner.solver.solve import SolveOptions

MAX_CONFLICTS = 3
"""Disjoint conflicts looked for after an infeasibility proof: enough to fix several clashes in one go."""

ACTIVITY_KINDS = ("timing", "required", "attendance", "after", "venue-capacity")
"""Statement kinds whose ids name activities."""

EXTRA_WORK = 200
"""Activities that may be modelled again, after the first clash is found, to look for further ones."""

KIND_ORDER = ("timing", "required", "attendance", "after", "unavailable", "venue-parallel", "venue-capacity",
              "rule")


def precheck(mission: Mission) -> list[Conflict]:
    """Impossibilities visible without solving (see `planner.diagnosis.precheck`); empty when none is found."""
    return precheck_mission(mission)


# --- diagnosis after an infeasibility proof -------------------------------------------------------------


class StatementLike(Protocol):
    kind: str
    ids: tuple[str, ...]
    source: Source


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
        if self.model.HasObjective():
            self.model.ClearObjective()  # only feasibility matters here; an objective slows every test
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
        self.model.ClearAssumptions()
        self.model.ClearHints()
        literals = [self.guards[s] if s in chosen_set else self.guards[s].Not() for s in self.statements]
        self.model.AddAssumptions(literals)
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
        status = solver.Solve(self.model)
        self.tests += 1
        if status == self.cp_model.INFEASIBLE:
            named = {self.by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in self.by_index}
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
        return [make_conflict(
            f"no programme satisfies every statement of the mission together; the diagnosis failed "
            f"({type(error).__name__}: {error}) — please report it", check="diagnosis-failed")]


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
            result.conflicts.append(describe_core(mission, minimal, travel_matters(mission_part(part, minimal),
                                                                                   minimal, small)))
            # Look on for another clash that shares no statement with those found.
            found |= set(minimal)
    if not result.conflicts:
        result.conflicts.append(make_conflict(
            "no programme satisfies every statement of the mission together, but the diagnosis could not "
            f"isolate a smaller set within {budget.total_seconds:.0f} s; run planner solve with a longer "
            "--time-limit to let it look further",
            check="diagnosis-incomplete"))
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
            if statement.kind in ("attendance", "rule") and len(statement.ids) > 1 and statement.ids[1] in declared \
                    or statement.kind == "unavailable" and statement.ids and statement.ids[0] in declared:
                delegate_id = statement.ids[0] if statement.kind == "unavailable" else statement.ids[1]
                bound[delegate_id].append(statement)
        replaced = False
        for delegate_id in sorted(bound, key=lambda d: -declared[d]):
            if delegate_id in tried or any(s.kind == "unavailable" for s in bound[delegate_id]):
                continue
            tried.add(delegate_id)
            for principal in sorted((d for d in declared if declared[d] < declared[delegate_id]),
                                    key=lambda d: (d not in bound, declared[d])):
                swapped = [by_key.get((s.kind, (s.ids[0], principal) + tuple(s.ids[2:]))) for s in bound[delegate_id]]
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
        activity_id: dataclasses.replace(activity, after=tuple(l for l in activity.after if l.activity in keep))
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


# --- a core in the mission's words -------------------------------------------------------------------------


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
            limits.append(f"{title(ids[0])} must start after {title(ids[1])} ends{plus} ({where(statement.source)})")
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
        listed = tuple(sorted(dict.fromkeys(attending[delegate_id]), key=lambda a: earliest_start(mission, a)))
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
        if statement.kind == "attendance" and len(statement.ids) >= 2 and statement.ids[1] in mission.delegates:
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
    for delegate_id, listed in attending.items():
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
        return f"{who} needs a {duration_text(rule.duration)} lunch break within {rule.between} ({where_})"
    if isinstance(rule, Accompany):
        kinds = f" to every {'/'.join(rule.kinds)}" if rule.kinds else " everywhere"
        principal = ", ".join(mission.delegates[d].name for d in rule.principal_delegates
                              if d in mission.delegates) or rule.principal
        return f"{who} must accompany {principal}{kinds} ({where_})"
    return f"rule {rule.id} ({where(rule.source)})"


# --- why an optional activity was left out ---------------------------------------------------------------


MAX_SLOTS = 4000
"""Candidate starts examined per left-out activity (evenly thinned beyond): keeps reasons instant."""


def unscheduled_reasons(mission: Mission, schedule: Schedule) -> dict[str, str]:
    """A reason for each optional activity that the schedule leaves out, keyed by activity id."""
    scheduled = schedule.by_id()
    reasons: dict[str, str] = {}
    context = ScheduleContext(mission, schedule)
    for activity in mission.activities.values():
        if activity.required or activity.id in scheduled:
            continue
        try:
            reason = left_out_reason(mission, activity, context)
        except Exception as error:  # noqa: BLE001 — a reason is a courtesy; the programme stands
            reason = f"left out (no reason could be worked out: {type(error).__name__}: {error})"
        reasons[activity.id] = f"priority {activity.priority}: {reason}"
    return reasons


class ScheduleContext:
    """The schedule indexed for fast look-ups: who is where, when; which venue is busy."""

    def __init__(self, mission: Mission, schedule: Schedule) -> None:
        self.mission = mission
        self.status = schedule.status
        self.by_delegate: dict[str, list[tuple[int, int, ScheduledActivity]]] = defaultdict(list)
        self.by_venue: dict[str, list[tuple[int, int, ScheduledActivity]]] = defaultdict(list)
        for item in sorted(schedule.activities, key=lambda a: (a.start, a.id)):
            span = (minutes(item.start), minutes(item.end))
            for delegate in item.attendees:
                self.by_delegate[delegate].append((*span, item))
            self.by_venue[item.venue].append((*span, item))
        self.starts_of = {d: [low for low, _, _ in items] for d, items in self.by_delegate.items()}
        self.reach = (max((high - low for items in self.by_delegate.values() for low, high, _ in items), default=0)
                      + max(mission.travel.values(), default=0)
                      + max((rule.gap for rule in mission.rules if isinstance(rule, MinGap)), default=0))
        self.span_of = {item.id: (minutes(item.start), minutes(item.end), item) for item in schedule.activities}
        self.followers: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for follower in mission.activities.values():
            for link in follower.after:
                self.followers[link.activity].append((follower.id, link))
        self.day_rules: dict[str, list[Rule]] = defaultdict(list)
        """delegate → the max_per_day and lunch rules that apply to them."""
        for rule in mission.rules:
            if isinstance(rule, (MaxPerDay, Lunch)):
                for delegate in rule.delegates:
                    self.day_rules[delegate].append(rule)
        self.same_day: dict[tuple[str, str], list[tuple[int, int, ScheduledActivity]]] = {}
        self.gap_of: dict[str, tuple[int, str | None]] = {}
        for rule in mission.rules:
            if isinstance(rule, MinGap):
                for delegate in rule.delegates:
                    if rule.gap > self.gap_of.get(delegate, (0, None))[0]:
                        self.gap_of[delegate] = (rule.gap, rule.id)


def left_out_reason(mission: Mission, activity: Activity, context: ScheduleContext) -> str:
    places = placements(mission, activity)
    attendance = required_attendance(mission, activity)
    static = (check_room(mission, activity, places) or check_capacity(mission, activity, attendance)
              or check_unavailability(mission, activity, places, attendance))
    if static is not None:
        return "it can never take place: " + static.message
    zone = mission.leg_of_activity(activity.id).zone
    blocked_slots: list[frozenset[str]] = []
    labels: dict[str, str] = {}
    free: tuple[int, str] | None = None
    for place in places:
        for start in slot_starts(place.starts, mission.grain):
            blockers = slot_blockers(mission, activity, place.venue, start, attendance, context, labels, zone)
            if not blockers:
                free = (start, place.venue)
                break
            blocked_slots.append(frozenset(blockers))
        if free is not None:
            break
    if not blocked_slots and free is None:
        return "it has no possible slot"
    if free is not None:
        slot = (f"{span_text((free[0], free[0] + activity.duration), zone)} at "
                f"{mission.venues[free[1]].name}")
        if context.status == "optimal":
            return (f"no single clash with the programme explains it ({slot} looks free), so placing it "
                    "anywhere breaks a combination of rules for the people it brings along (travel, min_gap, "
                    "lunch or max_per_day of companions)")
        return (f"{slot} looks free: the solver stopped at its time limit before placing it; a longer "
                "--time-limit may fit it in")
    cover = greedy_cover(blocked_slots)
    where_text = "; ".join(place_text(mission, activity, place.venue) for place in places)
    return f"left out because every slot ({where_text}) clashes with " + join_and([labels[t] for t in cover])


def slot_starts(ranges: Iterable[Span], grain: int) -> list[int]:
    starts = [start for low, high in ranges for start in range(low, high + 1, grain)]
    if len(starts) > MAX_SLOTS:
        step = len(starts) / MAX_SLOTS
        starts = [starts[int(n * step)] for n in range(MAX_SLOTS)]
    return starts


def place_text(mission: Mission, activity: Activity, venue_id: str) -> str:
    venue = mission.venues[venue_id]
    hours = f", open {', '.join(str(h) for h in venue.open_hours)}" if venue.open_hours else ""
    return f"{venue.name}{hours}"


def slot_blockers(mission: Mission, activity: Activity, venue_id: str, start: int,
                  attendance: dict[str, str | None], context: ScheduleContext, labels: dict[str, str],
                  zone) -> set[str]:
    """What stops the activity from starting at `start` at `venue_id`, each as a tag with a label."""
    end = start + activity.duration
    blockers: set[str] = set()
    for delegate_id in attendance:
        name = mission.delegates[delegate_id].name
        gap, gap_rule = context.gap_of.get(delegate_id, (0, None))
        items = context.by_delegate.get(delegate_id, [])
        first = bisect.bisect_left(context.starts_of.get(delegate_id, []), start - context.reach)
        for other_start, other_end, other in items[first:]:
            if other_start >= end + context.reach:
                break
            if other.venue == venue_id or mission.venues[other.venue].city == mission.venues[venue_id].city:
                travel = mission.travel_minutes(other.venue, venue_id) or 0
                before = travel + gap if other_end <= start else 0
                after = (mission.travel_minutes(venue_id, other.venue) or 0) + gap if end <= other_start else 0
            else:
                before = after = 0
            if other_start < end + after and start - before < other_end:
                tag = f"activity:{other.id}:{delegate_id}"
                if tag not in labels:
                    labels[tag] = (f"{name} being at '{other.title}' "
                                   f"{span_text((other_start, other_end), zone)}")
                blockers.add(tag)
                if gap_rule and not (other_start < end + after - gap and start - before + gap < other_end):
                    blockers.discard(tag)
                    tag = f"rule:{gap_rule}:{other.id}:{delegate_id}"
                    labels.setdefault(tag, f"the {gap} min protocol gap of {name} around '{other.title}' "
                                           f"(rule {gap_rule})")
                    blockers.add(tag)
        for window in mission.delegates[delegate_id].unavailable:
            low, high = window_span(window)
            if low < end and start < high:
                tag = f"unavailable:{delegate_id}:{low}"
                labels.setdefault(tag, f"{name} being unavailable {span_text((low, high), zone)} "
                                       f"({where(window.source)})")
                blockers.add(tag)
        blockers |= rule_blockers(mission, activity, delegate_id, start, end, context, labels, zone)
    blockers |= after_blockers(mission, activity, start, end, context, labels, zone)
    venue = mission.venues[venue_id]
    busy = [item for low, high, item in context.by_venue.get(venue_id, ()) if low < end and start < high]
    if len(busy) >= venue.parallel:
        tag = f"venue:{venue_id}:{','.join(sorted(item.id for item in busy))}"
        labels.setdefault(tag, f"{venue.name} being taken by " + join_and([f"'{item.title}'" for item in busy]))
        blockers.add(tag)
    return blockers


def after_blockers(mission: Mission, activity: Activity, start: int, end: int, context: ScheduleContext,
                   labels: dict[str, str], zone) -> set[str]:
    """`after` links with scheduled activities that the slot would break (spec hard rule 3)."""
    blockers: set[str] = set()
    for link in activity.after:
        if link.activity in context.span_of:
            _, other_end, other = context.span_of[link.activity]
            if start < other_end + link.gap:
                tag = f"after:{link.activity}"
                gap = f" + {duration_text(link.gap)}" if link.gap else ""
                labels.setdefault(tag, f"having to come after '{other.title}', which ends "
                                       f"{when(other_end, zone)}{gap} ({where(link.source)})")
                blockers.add(tag)
    for follower_id, link in context.followers.get(activity.id, ()):
        if follower_id in context.span_of:
            other_start, _, other = context.span_of[follower_id]
            if end + link.gap > other_start:
                tag = f"before:{follower_id}"
                labels.setdefault(tag, f"having to end before '{other.title}' starts {when(other_start, zone)} "
                                       f"({where(link.source)})")
                blockers.add(tag)
    return blockers


def rule_blockers(mission: Mission, activity: Activity, delegate_id: str, start: int, end: int,
                  context: ScheduleContext, labels: dict[str, str], zone) -> set[str]:
    """max_per_day and lunch rules that the slot would break for the delegate (spec: rules)."""
    blockers: set[str] = set()
    rules = context.day_rules.get(delegate_id)
    if not rules:
        return blockers
    day = instant_day(start, zone)
    key = (delegate_id, day)
    if key not in context.same_day:
        context.same_day[key] = [(low, high, item) for low, high, item in context.by_delegate.get(delegate_id, ())
                                 if instant_day(low, zone) == day]
    same_day = context.same_day[key]
    name = mission.delegates[delegate_id].name
    for rule in rules:
        if isinstance(rule, MaxPerDay):
            if rule.kinds is not None and activity.kind not in rule.kinds:
                continue
            counted = [item for _, _, item in same_day if rule.kinds is None or item.kind in rule.kinds]
            if len(counted) >= rule.count:
                tag = f"rule:{rule.id}:{delegate_id}:{day}"
                labels.setdefault(tag, f"{name} already having {len(counted)} activities on {day} "
                                       f"(rule {rule.id}: at most {rule.count}, {where(rule.source)})")
                blockers.add(tag)
        elif isinstance(rule, Lunch):
            midnight = minutes_at_local_midnight(start, zone)
            between = (midnight + rule.between.start, midnight + rule.between.end)
            busy = [(low, high) for low, high, _ in same_day] + [(start, end)]
            free = subtract([between], busy)
            if not any(high - low >= rule.duration for low, high in free):
                tag = f"rule:{rule.id}:{delegate_id}:{day}"
                labels.setdefault(tag, f"{name}'s {duration_text(rule.duration)} lunch break within "
                                       f"{rule.between} on {day} (rule {rule.id}, {where(rule.source)})")
                blockers.add(tag)
    return blockers


def instant_day(minute: int, zone) -> str:
    return instant(minute, zone).date().isoformat()


def minutes_at_local_midnight(minute: int, zone) -> int:
    local = instant(minute, zone)
    return minute - local.hour * 60 - local.minute


def greedy_cover(blocked_slots: Sequence[frozenset[str]]) -> list[str]:
    """Few blockers that together block every slot, the most blocking first (ties: by tag, for determinism)."""
    uncovered = [slot for slot in blocked_slots if slot]
    chosen: list[str] = []
    while uncovered and len(chosen) < 6:
        counts = Counter(tag for slot in uncovered for tag in slot)
        best = min(counts, key=lambda tag: (-counts[tag], tag))
        chosen.append(best)
        uncovered = [slot for slot in uncovered if best not in slot]
    return chosen
