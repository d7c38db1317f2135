"""Local search on slots by Kempe swaps: the fast way to bring idle time near zero.

Take a meeting in slot `a` of a session and a target slot `b`. Its *component* is the set of meetings of
slots a and b connected through shared participants; exchanging a and b for the whole component keeps
every participant at one meeting per slot (whoever meets in both slots has both meetings swapped). Only
the participants with a meeting on one side of the component see their slots change, so a swap is judged
on a handful of people. Swaps that break availability or a slot's table count are skipped: the search
never leaves the valid schedules, and it moves a chain of meetings where single moves are blocked.

It is simulated annealing on the cost `IDLE × size × idle slots + (idle slots of the participant)²`
summed over participants and sessions: the first part is the contract's size-weighted idle time, the
second pulls the worst participant down. Moves are drawn from a seeded generator (a participant with idle
time, one of the meetings at the ends of their span, a slot inside it), for a fixed number of moves, so
the search is deterministic. Requests left out are inserted whenever a slot opens for them, directly or
after one swap clears the participant who blocked them: more priority always wins over idle time.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from planner.b2b.problem import UNPLACED, Assignment, Problem

IDLE = 100
"""Cost of one size-weighted idle slot, against 1 for the square of a participant's idle slots."""
LARGEST_COMPONENT = 80
FIRST_TEMPERATURE = 0.8
LAST_TEMPERATURE = 0.05
END_MOVES = 0.7
GAP_TARGETS = 0.7


def _idle(mask: int, free: int) -> int:
    """Slots between the first and last of `mask` that are in `free` (available) and not in `mask`."""
    if not mask:
        return 0
    span = (1 << mask.bit_length()) - (mask & -mask)
    return (span & free & ~mask).bit_count()


class Slots:
    """The search's view of an assignment: slots held per (participant, session) as bit masks."""

    def __init__(self, problem: Problem, assignment: Assignment, sessions: frozenset[int] | None = None):
        self.problem = problem
        self.assignment = assignment
        self.sessions = sessions
        """The sessions this search may change (None: all): the others belong to another process."""
        self.candidate_sets = [frozenset(candidates) for candidates in problem.candidates]
        self.slot_of = [cell.slot for cell in problem.cells]
        self.session_of = [cell.session for cell in problem.cells]
        self.mask: dict[tuple[int, int], int] = {}
        self.free: dict[tuple[int, int], int] = {}
        """Per (participant, session), the slots they are available in: only those can be idle."""
        for member, cells in enumerate(problem.available):
            for cell in cells:
                key = (member, self.session_of[cell])
                self.free[key] = self.free.get(key, 0) | (1 << self.slot_of[cell])
        self.total = [0] * len(problem.size)
        for request, cell in enumerate(assignment.cell):
            if cell != UNPLACED:
                for member in problem.request_participants[request]:
                    key = (member, self.session_of[cell])
                    self.mask[key] = self.mask.get(key, 0) | (1 << self.slot_of[cell])
        self.idle_keys: list[tuple[int, int]] = []
        self.idle_position: dict[tuple[int, int], int] = {}
        for key, mask in self.mask.items():
            value = _idle(mask, self.free[key])
            self.total[key[0]] += value
            if value:
                self._mark(key, True)

    def _mark(self, key: tuple[int, int], idle: bool) -> None:
        """Keep `idle_keys` the list of (participant, session) with idle time, for O(1) random draws."""
        if idle and key not in self.idle_position and (self.sessions is None or key[1] in self.sessions):
            self.idle_position[key] = len(self.idle_keys)
            self.idle_keys.append(key)
        elif not idle and key in self.idle_position:
            position = self.idle_position.pop(key)
            last = self.idle_keys.pop()
            if position < len(self.idle_keys):
                self.idle_keys[position] = last
                self.idle_position[last] = position

    def cost(self, member: int, idle: int, total: int) -> int:
        return IDLE * self.problem.size[member] * idle + total * total

    def component(self, request: int, target: int) -> tuple[list[int], list[int]] | None:
        """The Kempe component of `request` between its cell and `target`: (meetings now in its cell,
        meetings now in target), or None when some meeting of it cannot take the other slot."""
        busy = self.assignment.busy
        participants = self.problem.request_participants
        here = self.assignment.cell[request]
        left = [request]
        right: list[int] = []
        seen = {request}
        stack = [(request, target)]
        while stack:
            current, other = stack.pop()
            if other not in self.candidate_sets[current]:
                return None
            for member in participants[current]:
                blocking = busy[member].get(other)
                if blocking is not None and blocking not in seen:
                    seen.add(blocking)
                    if other == target:
                        right.append(blocking)
                        stack.append((blocking, here))
                    else:
                        left.append(blocking)
                        stack.append((blocking, target))
            if len(seen) > LARGEST_COMPONENT:
                return None
        return left, right

    def swap_delta(
        self, here: int, target: int, left: list[int], right: list[int]
    ) -> tuple[int, dict] | None:
        """Cost change of exchanging the component's sides, with the new masks; None if forbidden."""
        problem, assignment = self.problem, self.assignment
        if len(left) != len(right):
            if assignment.used[target] - len(right) + len(left) > problem.capacity[target]:
                return None
            if assignment.used[here] - len(left) + len(right) > problem.capacity[here]:
                return None
        overlapping = len(problem.overlapping[here]) > 1 or len(problem.overlapping[target]) > 1
        if overlapping and not self._no_clash_elsewhere(here, target, left, right):
            return None
        flip = (1 << self.slot_of[here]) | (1 << self.slot_of[target])
        session = self.session_of[here]
        changed: dict[int, int] = {}
        participants = problem.request_participants
        for meeting in left + right:
            for member in participants[meeting]:
                changed[member] = changed.get(member, 0) ^ flip
        delta = 0
        masks = {}
        for member, toggle in changed.items():
            if not toggle:
                continue
            key = (member, session)
            old = self.mask[key]
            new = old ^ toggle
            masks[key] = new
            free = self.free[key]
            before, after = _idle(old, free), _idle(new, free)
            if before != after:
                total = self.total[member]
                delta += self.cost(member, after, total - before + after) - self.cost(member, before, total)
        return delta, masks

    def _no_clash_elsewhere(self, here: int, target: int, left: list[int], right: list[int]) -> bool:
        problem, busy = self.problem, self.assignment.busy
        for meetings, new in ((left, target), (right, here)):
            for meeting in meetings:
                for member in problem.request_participants[meeting]:
                    for cell in problem.overlapping[new]:
                        if cell not in (here, target) and cell in busy[member]:
                            return False
        return True

    def apply_swap(self, here: int, target: int, left: list[int], right: list[int], masks: dict) -> None:
        assignment = self.assignment
        for meeting in left + right:
            assignment.remove(meeting)
        for meeting in left:
            assignment.place(meeting, target)
        for meeting in right:
            assignment.place(meeting, here)
        for key, mask in masks.items():
            self._set(key, mask)

    def _set(self, key: tuple[int, int], mask: int) -> None:
        free = self.free.get(key, 0)
        before = _idle(self.mask.get(key, 0), free)
        after = _idle(mask, free)
        self.mask[key] = mask
        self.total[key[0]] += after - before
        self._mark(key, after > 0)

    def insert(self, request: int, cell: int) -> None:
        self.assignment.place(request, cell)
        session, bit = self.session_of[cell], 1 << self.slot_of[cell]
        for member in self.problem.request_participants[request]:
            self._set((member, session), self.mask.get((member, session), 0) | bit)

    def insertion_delta(self, request: int, cell: int) -> int:
        session, bit = self.session_of[cell], 1 << self.slot_of[cell]
        delta = 0
        for member in self.problem.request_participants[request]:
            old = self.mask.get((member, session), 0)
            free = self.free[member, session]
            before, after = _idle(old, free), _idle(old | bit, free)
            total = self.total[member]
            delta += self.cost(member, after, total - before + after) - self.cost(member, before, total)
        return delta


def kempe_search(
    problem: Problem,
    assignment: Assignment,
    moves: int,
    seed: int = 0,
    seconds: float = math.inf,
    on_progress: Callable[[float, Assignment], None] | None = None,
    sessions: frozenset[int] | None = None,
    first_temperature: float = FIRST_TEMPERATURE,
) -> Assignment:
    """Annealing by Kempe swaps from `assignment` (changed in place and returned) for `moves` moves, or until
    no idle slot is left or `seconds` have passed; only in `sessions` when given. A `first_temperature`
    lower than the default repairs a good schedule without first shaking it up."""
    started = time.monotonic()
    rng = random.Random(seed)
    state = Slots(problem, assignment, sessions)
    _insert_left_out(state, rng)
    first_temperature, last_temperature = first_temperature * IDLE, LAST_TEMPERATURE * IDLE
    for move in range(moves):
        if not state.idle_keys:
            break
        if move % 2000 == 0:
            if time.monotonic() - started > seconds:
                break
            if move and move % 100000 == 0:
                _insert_left_out(state, rng)
                if on_progress is not None:
                    on_progress(time.monotonic() - started, assignment)
        temperature = first_temperature * (last_temperature / first_temperature) ** (move / moves)
        _try_move(state, rng, temperature)
    _insert_left_out(state, rng)
    return assignment


def _try_move(state: Slots, rng: random.Random, temperature: float) -> None:
    """One random swap around a participant with idle time, taken by the annealing rule."""
    member, session = state.idle_keys[rng.randrange(len(state.idle_keys))]
    mask = state.mask[member, session]
    cells = state.problem.session_cells[session]
    first, last = (mask & -mask).bit_length() - 1, mask.bit_length() - 1
    busy = state.assignment.busy[member]
    if rng.random() < END_MOVES:
        slot = first if rng.random() < 0.5 else last
    else:
        held = [bit for bit in range(first, last + 1) if mask >> bit & 1]
        slot = held[rng.randrange(len(held))]
    request = busy.get(cells[slot])
    if request is None:  # the slot belongs to an overlapping session's cell: nothing to move here
        return
    free = state.free[member, session]
    if rng.random() < GAP_TARGETS:
        gaps = [bit for bit in range(first, last + 1) if not mask >> bit & 1 and free >> bit & 1]
        target_slot = gaps[rng.randrange(len(gaps))]
    else:
        target_slot = rng.randrange(len(cells))
        if target_slot == slot:
            return
    here, target = cells[slot], cells[target_slot]
    component = state.component(request, target)
    if component is None:
        return
    left, right = component
    judged = state.swap_delta(here, target, left, right)
    if judged is None:
        return
    delta, masks = judged
    if delta <= 0 or rng.random() < math.exp(-delta / temperature):
        state.apply_swap(here, target, left, right, masks)


def _insert_left_out(state: Slots, rng: random.Random) -> None:
    """Place each request left out (heaviest first) in the open cell adding the least cost, or after one
    swap that clears the only participant blocking it."""
    problem, assignment = state.problem, state.assignment
    left = [
        request
        for request, cell in enumerate(assignment.cell)
        if cell == UNPLACED and problem.candidates[request]
    ]
    left.sort(key=lambda request: (not problem.required[request], -problem.weight[request], request))
    for request in left:
        best = None
        for cell in problem.candidates[request]:
            if assignment.fits(request, cell):
                delta = state.insertion_delta(request, cell)
                if best is None or (delta, cell) < best:
                    best = (delta, cell)
        if best is not None:
            state.insert(request, best[1])
        else:
            _insert_after_swap(state, request)


def _insert_after_swap(state: Slots, request: int) -> bool:
    """Clear a cell for `request` by moving away the one meeting that blocks it there (a Kempe swap)."""
    problem, assignment = state.problem, state.assignment
    members = problem.request_participants[request]
    for cell in problem.candidates[request]:
        if len(problem.overlapping[cell]) > 1:
            continue
        blockers = {assignment.busy[member][cell] for member in members if cell in assignment.busy[member]}
        if len(blockers) != 1:
            continue
        blocker = blockers.pop()
        for target in problem.session_cells[state.session_of[cell]]:
            if target == cell:
                continue
            component = state.component(blocker, target)
            if component is None:
                continue
            left, right = component
            # The swap must not bring another meeting of theirs into the cell, and must leave a table.
            if assignment.used[cell] - len(left) + len(right) >= problem.capacity[cell]:
                continue
            if any(
                member in problem.request_participants[meeting] for meeting in right for member in members
            ):
                continue
            judged = state.swap_delta(cell, target, left, right)
            if judged is None:
                continue
            state.apply_swap(cell, target, left, right, judged[1])
            state.insert(request, cell)
            return True
    return False
