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
    """The search's view of an assignment: slots held per (participant, session) as bit masks.

    `mask`, `free` and `idle` are indexed [session][participant] (lists: the inner loop reads them for every
    member of a component, faster than a dict keyed by pairs); `idle_keys` lists the pairs with idle time."""

    def __init__(self, problem: Problem, assignment: Assignment, sessions: frozenset[int] | None = None):
        self.problem = problem
        self.assignment = assignment
        self.sessions = sessions
        """The sessions this search may change (None: all): the others belong to another process."""
        self.candidate_sets = [frozenset(candidates) for candidates in problem.candidates]
        self.slot_of = [cell.slot for cell in problem.cells]
        self.session_of = [cell.session for cell in problem.cells]
        self.overlapping_elsewhere = [
            tuple(other for other in cells if other != cell) for cell, cells in enumerate(problem.overlapping)
        ]
        """Per cell, the other cells that share an instant with it: cells of other sessions, mostly none."""
        self.meets_of = [
            tuple(assignment.busy[member] for member in members) for members in problem.request_participants
        ]
        """Per request, its participants' `assignment.busy` dicts (kept up to date by the assignment)."""
        people, sessions_count = len(problem.size), len(problem.session_cells)
        self.mask = [[0] * people for _ in range(sessions_count)]
        """Per session and participant, the slots of their meetings."""
        self.free = [[0] * people for _ in range(sessions_count)]
        """Per session and participant, the slots they are available in: only those can be idle."""
        self.idle = [[0] * people for _ in range(sessions_count)]
        """Per session and participant, `_idle` of their mask, kept with it."""
        for member, cells in enumerate(problem.available):
            for cell in cells:
                self.free[self.session_of[cell]][member] |= 1 << self.slot_of[cell]
        self.total = [0] * people
        # (participant, session) in the order their first meeting comes: the first order of `idle_keys`.
        held: dict[tuple[int, int], None] = {}
        for request, cell in enumerate(assignment.cell):
            if cell != UNPLACED:
                session = self.session_of[cell]
                for member in problem.request_participants[request]:
                    held[member, session] = None
                    self.mask[session][member] |= 1 << self.slot_of[cell]
        self.idle_keys: list[tuple[int, int]] = []
        self.idle_position: dict[tuple[int, int], int] = {}
        for key in held:
            member, session = key
            value = _idle(self.mask[session][member], self.free[session][member])
            self.idle[session][member] = value
            self.total[member] += value
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
        meets_of = self.meets_of
        cell_of = self.assignment.cell
        candidate_sets = self.candidate_sets
        here = cell_of[request]
        left = [request]
        right: list[int] = []
        seen = {request}
        stack = [request]
        while stack:
            current = stack.pop()
            # A meeting of the component is in one of the two cells and goes to the other; whoever meets
            # in that other cell joins the component, on the other side.
            if cell_of[current] == here:
                other, side = target, right
            else:
                other, side = here, left
            if other not in candidate_sets[current]:
                return None
            for meets in meets_of[current]:
                blocking = meets.get(other)
                if blocking is not None and blocking not in seen:
                    seen.add(blocking)
                    side.append(blocking)
                    # Checked as the component grows rather than after each meeting taken off the stack:
                    # either way a component over the limit is None.
                    if len(seen) > LARGEST_COMPONENT:
                        return None
                    stack.append(blocking)
        return left, right

    def swap_delta(
        self, here: int, target: int, left: list[int], right: list[int]
    ) -> tuple[int, dict[int, int]] | None:
        """Cost change of exchanging the component's sides, with the toggles of the participants' masks (0:
        unchanged) for `apply_swap`; None if forbidden."""
        if len(left) != len(right):
            used, capacity = self.assignment.used, self.problem.capacity
            if used[target] - len(right) + len(left) > capacity[target]:
                return None
            if used[here] - len(left) + len(right) > capacity[here]:
                return None
        overlapping_elsewhere = self.overlapping_elsewhere
        if (overlapping_elsewhere[here] or overlapping_elsewhere[target]) and not self._no_clash_elsewhere(
            here, target, left, right
        ):
            return None
        slot_of = self.slot_of
        flip = (1 << slot_of[here]) | (1 << slot_of[target])
        session = self.session_of[here]
        # Whoever has a meeting on both sides keeps both slots: their toggles cancel out. The order in which
        # members first appear is kept, as the masks are later applied (and idle keys listed) in it.
        changed: dict[int, int] = {}
        toggle_of = changed.get
        participants = self.problem.request_participants
        for meeting in left:
            for member in participants[meeting]:
                changed[member] = toggle_of(member, 0) ^ flip
        for meeting in right:
            for member in participants[meeting]:
                changed[member] = toggle_of(member, 0) ^ flip
        masks, free_slots, idle = self.mask[session], self.free[session], self.idle[session]
        totals, size = self.total, self.problem.size
        delta = 0
        for member, toggle in changed.items():
            if not toggle:
                continue
            new = masks[member] ^ toggle
            free = free_slots[member]
            before = idle[member]
            # `_idle` written out (it is the inner loop): the new mask holds the slot of this member's
            # meeting in the component, so it is not empty.
            after = (((1 << new.bit_length()) - (new & -new)) & free & ~new).bit_count()
            if before != after:
                # cost(after, total - before + after) - cost(before, total), in integers: exact.
                total = totals[member]
                new_total = total - before + after
                delta += IDLE * size[member] * (after - before) + new_total * new_total - total * total
        return delta, changed

    def _no_clash_elsewhere(self, here: int, target: int, left: list[int], right: list[int]) -> bool:
        """No one of the component meets, in a cell of another session, at the time of their new slot."""
        participants, busy = self.problem.request_participants, self.assignment.busy
        for meetings, new, old in ((left, target, here), (right, here, target)):
            elsewhere = self.overlapping_elsewhere[new]
            if old in elsewhere:  # never for cells of one session (back to back), kept to be exact
                elsewhere = tuple(cell for cell in elsewhere if cell != old)
            if not elsewhere:
                continue
            for meeting in meetings:
                for member in participants[meeting]:
                    meets = busy[member]
                    for cell in elsewhere:
                        if cell in meets:
                            return False
        return True

    def apply_swap(
        self, here: int, target: int, left: list[int], right: list[int], toggles: dict[int, int]
    ) -> None:
        assignment = self.assignment
        for meeting in left:
            assignment.remove(meeting)
        for meeting in right:
            assignment.remove(meeting)
        for meeting in left:
            assignment.place(meeting, target)
        for meeting in right:
            assignment.place(meeting, here)
        session = self.session_of[here]
        for member, toggle in toggles.items():
            if toggle:
                self._set(member, session, self.mask[session][member] ^ toggle)

    def _set(self, member: int, session: int, mask: int) -> None:
        before = self.idle[session][member]
        after = _idle(mask, self.free[session][member])
        self.mask[session][member] = mask
        self.idle[session][member] = after
        self.total[member] += after - before
        self._mark((member, session), after > 0)

    def insert(self, request: int, cell: int) -> None:
        self.assignment.place(request, cell)
        session, bit = self.session_of[cell], 1 << self.slot_of[cell]
        for member in self.problem.request_participants[request]:
            self._set(member, session, self.mask[session][member] | bit)

    def insertion_delta(self, request: int, cell: int) -> int:
        session, bit = self.session_of[cell], 1 << self.slot_of[cell]
        delta = 0
        for member in self.problem.request_participants[request]:
            old = self.mask[session][member]
            before, after = self.idle[session][member], _idle(old | bit, self.free[session][member])
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
    try_move = _move_trial(state, rng, first_temperature * IDLE, LAST_TEMPERATURE * IDLE, moves)
    idle_keys = state.idle_keys
    for move in range(moves):
        if not idle_keys:
            break
        if move % 2000 == 0:
            if time.monotonic() - started > seconds:
                break
            if move and move % 100000 == 0:
                _insert_left_out(state, rng)
                if on_progress is not None:
                    on_progress(time.monotonic() - started, assignment)
        try_move(move)
    _insert_left_out(state, rng)
    return assignment


def _move_trial(
    state: Slots, rng: random.Random, first_temperature: float, last_temperature: float, moves: int
) -> Callable[[int], None]:
    """`try_move(move)`: one random swap around a participant with idle time, taken by the annealing rule
    at the temperature of move number `move` (of `moves`, cooling geometrically between the two given).

    Everything the move reads is bound once here, as it runs a few hundred thousand times. The draws are
    those of `rng.randrange(n)`, which for an int n > 0 returns `rng._randbelow(n)`; every n drawn here is
    positive (see the comments): for 0, `randrange` would raise where `_randbelow` would loop forever."""
    idle_keys, masks, free_slots = state.idle_keys, state.mask, state.free
    busy, used, capacity = state.assignment.busy, state.assignment.used, state.problem.capacity
    meets_of = state.meets_of
    # A session's cells are numbered consecutively, slot by slot (`planner.b2b.problem`).
    first_cells = [cells.start for cells in state.problem.session_cells]
    slot_counts = [len(cells) for cells in state.problem.session_cells]
    component, swap_delta, apply_swap = state.component, state.swap_delta, state.apply_swap
    uniform = rng.random
    draw_below: Callable[[int], int] = rng._randbelow  # type: ignore[attr-defined]
    cooling = last_temperature / first_temperature
    exp = math.exp

    def try_move(move: int) -> None:
        # The caller stops when no one is idle, so idle_keys is not empty.
        member, session = idle_keys[draw_below(len(idle_keys))]
        mask = masks[session][member]  # not empty: they are idle, between two meetings
        first_cell = first_cells[session]
        lowest = mask & -mask
        first, last = lowest.bit_length() - 1, mask.bit_length() - 1
        if uniform() < END_MOVES:
            slot = first if uniform() < 0.5 else last
        else:  # one of their meetings: the k-th slot held, in increasing order
            slot = _kth_bit(mask, draw_below(mask.bit_count()))
        here = first_cell + slot
        request = busy[member].get(here)
        if request is None:  # the slot belongs to an overlapping session's cell: nothing to move here
            return
        if uniform() < GAP_TARGETS:  # one of their idle slots (there is one: they are idle), in order
            gaps = ((1 << (last + 1)) - lowest) & free_slots[session][member] & ~mask
            target_slot = _kth_bit(gaps, draw_below(gaps.bit_count()))
        else:
            target_slot = draw_below(slot_counts[session])
            if target_slot == slot:
                return
        target = first_cell + target_slot
        if used[target] >= capacity[target]:
            for meets in meets_of[request]:
                if target in meets:
                    break
            else:  # No one of them meets in the full target cell: the request would move there alone, and
                return  # swap_delta would refuse it for want of a table. Known without the component.
        sides = component(request, target)
        if sides is None:
            return
        left, right = sides
        judged = swap_delta(here, target, left, right)
        if judged is None:
            return
        delta, toggles = judged
        if delta <= 0 or uniform() < exp(-delta / (first_temperature * cooling ** (move / moves))):
            apply_swap(here, target, left, right, toggles)

    return try_move


def _kth_bit(bits: int, k: int) -> int:
    """The position of the k-th (from 0) lowest set bit of `bits`, which has more than k."""
    for _ in range(k):
        bits &= bits - 1
    return (bits & -bits).bit_length() - 1


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
