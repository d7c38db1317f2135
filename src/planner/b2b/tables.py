"""Table numbers, once every meeting has its slot: the contract's third preference.

There are never more meetings in a slot than tables, so a table number always exists; the question is
which. Each delegate of a session gets a *home* table: the lowest table where no delegate already placed
there meets at the same time as they do (first fit in order of first slot; with contiguous blocks this
is close to colouring intervals, which first fit by start does with as few tables as there are
overlapping blocks). A meeting of several delegates sits at its host's home table (the busiest of them),
when free in that slot, otherwise at the lowest free table; meetings without a delegate take what is left.
A small session is then solved exactly by `TableModel`.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner.b2b.problem import UNPLACED, Assignment, Problem


def assign_tables(problem: Problem, assignment: Assignment) -> list[int]:
    """A table number (1-based) per request; 0 for a request not scheduled."""
    table = [0] * len(assignment.cell)
    for session, cells in enumerate(problem.session_cells):
        _session_tables(problem, assignment, session, cells, table)
    return table


def _session_tables(
    problem: Problem, assignment: Assignment, session: int, cells: range, table: list[int]
) -> None:
    slot_of = {cell: problem.cells[cell].slot for cell in cells}
    meetings = [
        request for request, cell in enumerate(assignment.cell) if cell != UNPLACED and cell in slot_of
    ]
    if not meetings:
        return
    tables = problem.capacity[cells[0]]
    spans: dict[int, list[int]] = defaultdict(list)
    for request in meetings:
        for member in problem.request_participants[request]:
            if problem.delegate[member]:
                spans[member].append(slot_of[assignment.cell[request]])
    # A meeting of several delegates needs one table: its host's (the busiest of them); the others visit.
    host = {}
    hosting: dict[int, list[int]] = defaultdict(list)
    for request in meetings:
        delegates = [member for member in problem.request_participants[request] if problem.delegate[member]]
        if delegates:
            host[request] = min(delegates, key=lambda member: (-len(spans[member]), member))
            hosting[host[request]].append(slot_of[assignment.cell[request]])
    home = _home_tables(hosting, tables)
    by_slot: dict[int, list[int]] = defaultdict(list)
    for request in meetings:
        by_slot[slot_of[assignment.cell[request]]].append(request)
    for slot in sorted(by_slot):
        taken: set[int] = set()
        waiting = []
        # Meetings whose delegates have a home table first, busiest delegates first, then the rest.
        ordered = sorted(by_slot[slot], key=lambda request: (host.get(request) not in home, request))
        for request in ordered:
            number = home.get(host.get(request, -1))
            if number is not None and number not in taken:
                table[request] = number
                taken.add(number)
            else:
                waiting.append(request)
        free = (number for number in range(1, tables + 1) if number not in taken)
        for request in waiting:
            table[request] = next(free)


def _home_tables(spans: dict[int, list[int]], tables: int) -> dict[int, int]:
    """A home table per delegate, first fit in order of first slot: the lowest table none of whose
    delegates meets in a slot this one meets in (a table is shared by delegates who meet at different
    times, which the contiguous blocks of the search make the usual case)."""
    order = sorted(spans, key=lambda member: (min(spans[member]), -len(spans[member]), member))
    occupied = [0] * (tables + 1)
    home = {}
    for member in order:
        mask = 0
        for slot in spans[member]:
            mask |= 1 << slot
        for number in range(1, tables + 1):
            if not occupied[number] & mask:
                occupied[number] |= mask
                home[member] = number
                break
    return home


def table_changes(problem: Problem, assignment: Assignment, table: list[int]) -> int:
    """Preference 3 evaluated: per delegate and session, the tables used beyond the first."""
    used: dict[tuple[int, int], set[int]] = defaultdict(set)
    for request, cell in enumerate(assignment.cell):
        if cell == UNPLACED:
            continue
        for member in problem.request_participants[request]:
            if problem.delegate[member]:
                used[member, problem.cells[cell].session].add(table[request])
    return sum(len(tables) - 1 for tables in used.values())


TABLE_MODEL_LIMIT = 4000
"""Largest (meeting, table) choice count for which a session's tables are also solved exactly."""


class TableModel:
    """CP-SAT model of one session's tables: each meeting at one table, one meeting per table and slot,
    `uses[delegate, table]` true when the delegate meets at that table."""

    def __init__(self, problem: Problem, assignment: Assignment, session: int):
        self.model = cp_model.CpModel()
        cells = problem.session_cells[session]
        self.tables = problem.capacity[cells[0]]
        self.meetings = [
            request for request, cell in enumerate(assignment.cell) if cell != UNPLACED and cell in cells
        ]
        self.at: dict[tuple[int, int], cp_model.IntVar] = {}
        self.uses: dict[tuple[int, int], cp_model.IntVar] = {}
        by_slot_table: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for request in self.meetings:
            slot = problem.cells[assignment.cell[request]].slot
            choices = []
            for number in range(1, self.tables + 1):
                variable = self.model.new_bool_var(f"m{request}t{number}")
                self.at[request, number] = variable
                choices.append(variable)
                by_slot_table[slot, number].append(variable)
                for member in problem.request_participants[request]:
                    if problem.delegate[member]:
                        if (member, number) not in self.uses:
                            self.uses[member, number] = self.model.new_bool_var(f"d{member}t{number}")
                        self.model.add_implication(variable, self.uses[member, number])
            self.model.add_exactly_one(choices)
        for variables in by_slot_table.values():
            if len(variables) > 1:
                self.model.add_at_most_one(variables)
        self.delegates = sorted({member for member, _ in self.uses})


class TableChanges:
    """Preference 3: tables each delegate uses in a session beyond the first, summed."""

    name = "table_changes"
    maximise = False

    def build(self, table_model: TableModel) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([*table_model.uses.values(), -len(table_model.delegates)])

    def evaluate(self, problem: Problem, assignment: Assignment, table: list[int]) -> int:
        return table_changes(problem, assignment, table)


def improve_tables(
    problem: Problem, assignment: Assignment, table: list[int], seconds: float, seed: int = 0
) -> bool:
    """Solve the table model of each session where the greedy left table changes and the model is small;
    `table` is updated in place. True when every session's table changes are proved minimal."""
    from ortools.sat.python import cp_model

    proved = True
    for session, cells in enumerate(problem.session_cells):
        count = sum(1 for cell in assignment.cell if cell != UNPLACED and cell in cells)
        if not count:
            continue
        current = _session_changes(problem, assignment, table, cells)
        if current == 0:
            continue
        if count * problem.capacity[cells[0]] > TABLE_MODEL_LIMIT:
            proved = False
            continue
        built = TableModel(problem, assignment, session)
        term = TableChanges()
        built.model.minimize(term.build(built))
        for (request, number), variable in built.at.items():
            built.model.add_hint(variable, table[request] == number)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.max_deterministic_time = max(seconds, 0.01)
        status = solver.solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < current:
            for (request, number), variable in built.at.items():
                if solver.boolean_value(variable):
                    table[request] = number
        proved = proved and status == cp_model.OPTIMAL
    return proved


def _session_changes(problem: Problem, assignment: Assignment, table: list[int], cells: range) -> int:
    used: dict[int, set[int]] = defaultdict(set)
    for request, cell in enumerate(assignment.cell):
        if cell != UNPLACED and cell in cells:
            for member in problem.request_participants[request]:
                if problem.delegate[member]:
                    used[member].add(table[request])
    return sum(len(tables) - 1 for tables in used.values())
