"""The CP-SAT matchmaking model: requests × cells Boolean choices, for all requests or a neighbourhood.

The model is built for a set of *free* requests while every other request keeps the cell it holds in an
assignment (nothing is fixed when all requests are free). A free request may take any of its candidate
cells (sessions it may go to and every participant attends, slots where every participant is available:
see `planner.b2b.problem`) that the fixed meetings leave open. Each constraint family below is one rule of
the contract (../shared/spec/b2b.md, "What a valid schedule satisfies"); the objective terms
(`planner.b2b.terms`) read the variables and expressions kept here.

Idle slots use the "begun / not yet ended" formulation: for a participant and a session, `begun[t]` is 1
from their first meeting on and `ongoing[t]` until their last one; both only rise (resp. fall) and cover
every meeting, and `begun[t] + ongoing[t] - 1` is 1 exactly inside the span, so the idle slots are
Σ(begun + ongoing - 1 - meetings) over the slots they are available in.

This model is exact but CP-SAT proves it only for small brokerages (a few thousand choices); larger ones
are improved by `planner.b2b.kempe` and this model is not built for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.b2b.problem import UNPLACED, Assignment, Problem


@dataclass
class ParticipantSession:
    """Idle-slot machinery of one participant in one session, over the slots their meetings may take."""

    participant: int
    session: int
    idle: cp_model.LinearExprT
    span: int
    """Slots the span may cover: an upper bound of `idle`."""
    begun: dict[int, cp_model.IntVar] = field(default_factory=dict)
    ongoing: dict[int, cp_model.IntVar] = field(default_factory=dict)


@dataclass
class MatchModel:
    problem: Problem
    fixed: Assignment
    """The assignment without the free requests: what the model must fit around."""
    free: list[int]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    choices: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(request, cell) -> 1 when the request meets in that cell."""
    by_request: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    by_participant_cell: dict[tuple[int, int], list[cp_model.IntVar]] = field(default_factory=dict)
    idle: list[ParticipantSession] = field(default_factory=list)
    affected: set[int] = field(default_factory=set)
    """Participants of the free requests: the only ones whose idle slots the model may change."""

    def hint(self, assignment: Assignment) -> None:
        """Start the search from `assignment` (which must agree with `fixed` outside the free requests)."""
        for (request, cell), variable in self.choices.items():
            self.model.add_hint(variable, assignment.cell[request] == cell)
        cells = self.problem.cells
        for entry in self.idle:
            slots = [
                cells[cell].slot
                for cell in assignment.busy[entry.participant]
                if cells[cell].session == entry.session
            ]
            first, last = (min(slots), max(slots)) if slots else (min(entry.begun), min(entry.begun) - 1)
            for slot, variable in entry.begun.items():
                self.model.add_hint(variable, slot >= first)
            for slot, variable in entry.ongoing.items():
                self.model.add_hint(variable, slot <= last)


def build_model(
    problem: Problem,
    assignment: Assignment,
    free: list[int],
    cells: set[int] | None = None,
    enforce_required: bool = False,
) -> MatchModel:
    """The model of moving `free` (within `cells` if given) while the rest of `assignment` stays put."""
    fixed = assignment.copy()
    for request in free:
        fixed.remove(request)
    built = MatchModel(problem, fixed, sorted(free))
    meetings_in_candidate_cells(built, cells)
    each_request_at_most_once(built, assignment, enforce_required)
    one_meeting_per_participant_at_a_time(built)
    at_most_tables_meetings_per_slot(built)
    idle_slots(built)
    return built


def meetings_in_candidate_cells(built: MatchModel, cells: set[int] | None) -> None:
    """Rules 2–3: a meeting lies in a slot of a session it may go to, that all its participants attend and
    where none is unavailable (the candidates), and that the fixed meetings leave open."""
    problem, fixed = built.problem, built.fixed
    for request in built.free:
        options = []
        for cell in problem.candidates[request]:
            if cells is not None and cell not in cells:
                continue
            if not fixed.fits(request, cell):
                continue
            variable = built.model.new_bool_var(f"r{request}c{cell}")
            built.choices[request, cell] = variable
            options.append((cell, variable))
            for member in problem.request_participants[request]:
                built.by_participant_cell.setdefault((member, cell), []).append(variable)
        built.by_request[request] = options
        built.affected.update(problem.request_participants[request])


def each_request_at_most_once(built: MatchModel, assignment: Assignment, enforce_required: bool) -> None:
    """Rule 1: a request is scheduled at most once; a required one exactly once (when `enforce_required`,
    or when it is already scheduled, so that a neighbourhood never drops it)."""
    for request in built.free:
        variables = [variable for _, variable in built.by_request[request]]
        held = assignment.cell[request] != UNPLACED
        if built.problem.required[request] and (enforce_required or held):
            built.model.add_exactly_one(variables)
        elif variables:
            built.model.add_at_most_one(variables)


def one_meeting_per_participant_at_a_time(built: MatchModel) -> None:
    """Rule 3: every participant has at most one meeting per slot, and none in two overlapping slots of
    different sessions (one constraint per slot start: the slots covering that instant)."""
    problem = built.problem
    cells_of: dict[int, set[int]] = defaultdict(set)
    for member, cell in built.by_participant_cell:
        cells_of[member].add(cell)
    for member, cells in cells_of.items():
        for cell in sorted(cells):
            start = problem.cells[cell].start
            covering = [
                other
                for other in problem.overlapping[cell]
                if other in cells and problem.cells[other].start <= start
            ]
            variables = [
                variable for other in covering for variable in built.by_participant_cell[member, other]
            ]
            if len(variables) > 1:
                built.model.add_at_most_one(variables)


def at_most_tables_meetings_per_slot(built: MatchModel) -> None:
    """Rule 2: at most `tables` meetings in one slot of a session (then a table number always exists)."""
    by_cell: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (_, cell), variable in built.choices.items():
        by_cell[cell].append(variable)
    for cell, variables in by_cell.items():
        room = built.problem.capacity[cell] - built.fixed.used[cell]
        if len(variables) > room:
            built.model.add(sum(variables) <= room)


def idle_slots(built: MatchModel) -> None:
    """Preference 2: per participant and session, the slots between their first and last meeting where
    they are available and meet no one (docs/b2b.md)."""
    problem, fixed, model = built.problem, built.fixed, built.model
    sessions_of: dict[int, set[int]] = defaultdict(set)
    for member, cell in built.by_participant_cell:
        sessions_of[member].add(problem.cells[cell].session)
    for member in sorted(sessions_of):
        available = problem.available[member]
        for session in sorted(sessions_of[member]):
            cells = problem.session_cells[session]
            held = {
                problem.cells[cell].slot
                for cell in fixed.busy[member]
                if problem.cells[cell].session == session
            }
            possible = _possible_slots(built, member, cells)
            slots = sorted(held | possible)
            low, high = slots[0], slots[-1]
            begun = {slot: model.new_bool_var(f"b{member}s{session}t{slot}") for slot in range(low, high + 1)}
            ongoing = {
                slot: model.new_bool_var(f"e{member}s{session}t{slot}") for slot in range(low, high + 1)
            }
            idle: list[cp_model.LinearExprT] = []
            for slot in range(low, high + 1):
                here: cp_model.LinearExpr | int = 0
                if slot in held:
                    here = 1
                    model.add(begun[slot] == 1)
                    model.add(ongoing[slot] == 1)
                elif slot in possible:
                    here = cp_model.LinearExpr.sum(built.by_participant_cell[member, cells[slot]])
                    model.add(begun[slot] >= here)
                    model.add(ongoing[slot] >= here)
                if slot > low:
                    model.add_implication(begun[slot - 1], begun[slot])
                    model.add_implication(ongoing[slot], ongoing[slot - 1])
                model.add_bool_or([begun[slot], ongoing[slot]])
                if cells[slot] in available:
                    idle.append(cp_model.LinearExpr.sum([begun[slot], ongoing[slot], -1, -here]))
            built.idle.append(ParticipantSession(member, session, sum(idle), len(idle), begun, ongoing))


def _possible_slots(built: MatchModel, member: int, cells: range) -> set[int]:
    problem = built.problem
    return {problem.cells[cell].slot for cell in cells if (member, cell) in built.by_participant_cell}


def neighbourhood_solver(seed: int, work: float, seconds: float) -> cp_model.CpSolver:
    """A one-worker solver for a small neighbourhood: a seed, a deterministic work limit (so that the same
    input gives the same answer) and the wall-clock time left as a backstop; Ctrl-C is planner's."""
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.random_seed = seed
    parameters.num_workers = 1
    parameters.max_deterministic_time = work
    parameters.max_time_in_seconds = max(seconds, 0.01)
    parameters.catch_sigint_signal = False
    return solver
