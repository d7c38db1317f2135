"""The brokerage compiled to integers, and a mutable assignment of requests to cells.

A *cell* is one slot of one session; cells of all sessions are numbered consecutively, session by session
and slot by slot, so that a meeting's place is one integer. Each request gets its *candidates*: the cells
of the sessions it may go to, where every participant attends the session and is available for the whole
slot. Everything the model, the constructive start and the search read is here, computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.domain.meetings import Brokerage, Meeting

UNPLACED = -1


@dataclass(frozen=True, slots=True)
class Cell:
    session: int
    slot: int
    start: float
    """Minutes since the epoch (UTC), to compare cells of different sessions."""
    end: float


@dataclass
class Problem:
    brokerage: Brokerage
    cells: list[Cell]
    session_cells: list[range]
    capacity: list[int]
    """Tables of each cell's session."""
    overlapping: list[tuple[int, ...]]
    """Per cell, the cells (itself included) that share some instant with it: one person, one of them."""
    participant_index: dict[str, int]
    size: list[int]
    delegate: list[bool]
    available: list[frozenset[int]]
    """Per participant, the cells they can meet in (session attended, free for the whole slot)."""
    request_participants: list[tuple[int, ...]]
    weight: list[int]
    """Priority of each request; a required request weighs more than all optional ones together."""
    required: list[bool]
    candidates: list[tuple[int, ...]]
    requests_of: list[list[int]] = field(default_factory=list)
    """Per participant, the requests they take part in."""

    @property
    def optional_total(self) -> int:
        return sum(weight for weight, required in zip(self.weight, self.required) if not required)

    def session_of(self, cell: int) -> int:
        return self.cells[cell].session


def _minutes(instant) -> float:
    return instant.timestamp() / 60


def compile_problem(brokerage: Brokerage) -> Problem:
    """Index the brokerage: cells, availability per participant, candidate cells per request."""
    cells: list[Cell] = []
    session_cells: list[range] = []
    capacity: list[int] = []
    for session_number, session in enumerate(brokerage.sessions):
        first = len(cells)
        for slot in range(session.slots):
            cells.append(
                Cell(
                    session_number, slot, _minutes(session.slot_start(slot)), _minutes(session.slot_end(slot))
                )
            )
            capacity.append(session.tables)
        session_cells.append(range(first, len(cells)))
    overlapping = _overlaps(cells)

    participant_index = {participant.id: number for number, participant in enumerate(brokerage.participants)}
    available: list[frozenset[int]] = []
    for participant in brokerage.participants:
        cells_free = []
        for session_number, session in enumerate(brokerage.sessions):
            if not participant.attends(session.id):
                continue
            for cell in session_cells[session_number]:
                slot = cells[cell].slot
                if participant.free(session.slot_start(slot), session.slot_end(slot)):
                    cells_free.append(cell)
        available.append(frozenset(cells_free))

    session_index = {session.id: number for number, session in enumerate(brokerage.sessions)}
    request_participants = [
        tuple(participant_index[name] for name in request.participants) for request in brokerage.requests
    ]
    optional = sum(request.priority or 0 for request in brokerage.requests)
    weight = [
        optional + 1 if request.required else int(request.priority or 0) for request in brokerage.requests
    ]
    candidates = []
    for request, members in zip(brokerage.requests, request_participants):
        allowed: set[int] | None = None
        if request.sessions is not None:
            allowed = {
                cell
                for name in request.sessions
                if name in session_index
                for cell in session_cells[session_index[name]]
            }
        common = set.intersection(*(set(available[member]) for member in members)) if members else set()
        if allowed is not None:
            common &= allowed
        candidates.append(tuple(sorted(common)))
    requests_of: list[list[int]] = [[] for _ in brokerage.participants]
    for number, members in enumerate(request_participants):
        for member in members:
            requests_of[member].append(number)
    return Problem(
        brokerage,
        cells,
        session_cells,
        capacity,
        overlapping,
        participant_index,
        [participant.size for participant in brokerage.participants],
        [participant.kind == "delegate" for participant in brokerage.participants],
        available,
        request_participants,
        weight,
        [request.required for request in brokerage.requests],
        candidates,
        requests_of,
    )


def _overlaps(cells: list[Cell]) -> list[tuple[int, ...]]:
    """Cells sharing an instant, by a sweep over start times (sessions rarely overlap: mostly singletons)."""
    order = sorted(range(len(cells)), key=lambda cell: (cells[cell].start, cells[cell].end))
    result: list[list[int]] = [[cell] for cell in range(len(cells))]
    active: list[int] = []
    for cell in order:
        active = [other for other in active if cells[other].end > cells[cell].start]
        for other in active:
            result[cell].append(other)
            result[other].append(cell)
        active.append(cell)
    return [tuple(sorted(cells_here)) for cells_here in result]


class Assignment:
    """Which cell each request holds (UNPLACED when none), with the occupancy it implies kept in step."""

    def __init__(self, problem: Problem, cells: list[int] | None = None):
        self.problem = problem
        self.cell = [UNPLACED] * len(problem.request_participants)
        self.busy: list[dict[int, int]] = [{} for _ in problem.size]
        """Per participant: cell -> the request they meet in it."""
        self.used = [0] * len(problem.cells)
        if cells is not None:
            for request, cell in enumerate(cells):
                if cell != UNPLACED:
                    self.place(request, cell)

    def copy(self) -> Assignment:
        return Assignment(self.problem, list(self.cell))

    def fits(self, request: int, cell: int) -> bool:
        """True when the cell has a free table and every participant is free at every instant of it."""
        if self.used[cell] >= self.problem.capacity[cell]:
            return False
        overlapping = self.problem.overlapping[cell]
        for member in self.problem.request_participants[request]:
            busy = self.busy[member]
            if busy and any(other in busy for other in overlapping):
                return False
        return True

    def place(self, request: int, cell: int) -> None:
        self.cell[request] = cell
        self.used[cell] += 1
        for member in self.problem.request_participants[request]:
            self.busy[member][cell] = request

    def remove(self, request: int) -> None:
        cell = self.cell[request]
        if cell == UNPLACED:
            return
        self.cell[request] = UNPLACED
        self.used[cell] -= 1
        for member in self.problem.request_participants[request]:
            del self.busy[member][cell]

    def slots(self, participant: int, session: int) -> list[int]:
        """The slots (sorted) of the participant's meetings in one session."""
        cells = self.problem.cells
        return sorted(cells[cell].slot for cell in self.busy[participant] if cells[cell].session == session)


def assignment_from_meetings(problem: Problem, meetings: list[Meeting] | tuple[Meeting, ...]) -> Assignment:
    """An assignment from domain meetings (of any solver), for the objective terms to evaluate."""
    request_number = {request.id: number for number, request in enumerate(problem.brokerage.requests)}
    session_number = {session.id: number for number, session in enumerate(problem.brokerage.sessions)}
    cells = [UNPLACED] * len(problem.request_participants)
    for meeting in meetings:
        cells[request_number[meeting.request]] = problem.session_cells[session_number[meeting.session]][
            meeting.slot
        ]
    return Assignment(problem, cells)
