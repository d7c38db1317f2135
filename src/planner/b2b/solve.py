"""Matchmaking from start to end: `schedule_meetings(brokerage) -> MeetingSchedule`.

1. Constructive start: the requests by priority, each in its earliest open cell (first fit) or where it
   adds the least idle time (compact fit); the better of the two (lexicographically) is the first
   schedule, valid in well under a second even for 20,000 requests.
2. Kempe-swap annealing (`planner.b2b.kempe`) for a fixed number of moves: brings in requests left out
   when a slot opens, and removes idle time.
3. Trades for priority (`planner.b2b.trades`): a meeting of people who are full given up for requests
   of theirs left out, when CP-SAT finds that this gains priority; the swaps then repair the idle slots.
   Skipped once the priority reaches the LP upper bound (`planner.b2b.bound`), which also proves the
   priority optimal (`statistics["priority_proved"]`) even where the idle slots are not.
4. CP-SAT on the session of each participant left with idle slots, longest waits first
   (`planner.b2b.neighbourhoods`): brings down the worst participant without giving up idle slots.
5. When the brokerage is small, the whole CP-SAT model (`planner.b2b.model`) from that schedule as hint,
   which can prove it optimal (or prove a required request impossible).
6. Tables (`planner.b2b.tables`), then the reasons of the requests left out (`planner.b2b.reasons`).

Deterministic: seeded, a move budget rather than a time budget, one CP-SAT worker unless asked; only a
wall-clock limit that cuts the search short makes the result depend on the machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.b2b.bound import priority_upper_bound
from planner.b2b.greedy import compact_fit, first_fit
from planner.b2b.kempe import kempe_search
from planner.b2b.neighbourhoods import improve_worst_idle
from planner.b2b.parallel import kempe_in_parallel
from planner.b2b.problem import UNPLACED, Assignment, Problem, compile_problem
from planner.b2b.reasons import unscheduled_reasons
from planner.b2b.search import SearchOptions, solve_whole
from planner.b2b.tables import TableChanges, assign_tables, improve_tables
from planner.b2b.terms import SLOT_TERMS, evaluate
from planner.b2b.trades import trade_for_priority
from planner.domain.meetings import Brokerage, Meeting, MeetingSchedule, UnscheduledMeeting

WHOLE_MODEL_SECONDS = 20.0
"""At most this long on the whole model of a small brokerage: it proves small ones in well under a second,
and the swaps' schedule stands when it cannot."""
FINISH_SHARE = 0.02
"""Of the time limit, kept for what follows the last stage (reasons, meetings): 2.4 s of 120 s."""
SWAPS_SHARE = 0.7
"""At most this share of the time left after the start goes to the swaps; the neighbourhoods have the
rest, less what the tables need."""
TRADES_SHARE = 0.3
"""At most this share of the time left after the swaps goes to trades for priority."""
REPAIR_MOVES_PER_REQUEST = 20
REPAIR_TEMPERATURE = 0.2
"""Swaps after a trade: a short annealing that starts cool (the schedule is good but for the trade)."""
MOVES_PER_REQUEST = 250
"""Default move budget of the annealing, per request (about 40 s for 5,000 requests on one core)."""


@dataclass(frozen=True)
class MatchProgress:
    stage: str
    """`start`, `swaps`, `trades`, `neighbourhoods`, `model` or `tables`."""
    seconds: float
    objectives: dict[str, int]


@dataclass(frozen=True)
class MatchOptions:
    time_limit: float = 60.0
    """Wall-clock seconds for the whole matchmaking."""
    seed: int = 0
    workers: int = 1
    """CP-SAT workers for the whole model of a small brokerage (interleaved, so deterministic)."""
    moves: int | None = None
    """Kempe moves; None: `MOVES_PER_REQUEST` per request."""
    on_progress: Callable[[MatchProgress], None] | None = None


def schedule_meetings(brokerage: Brokerage, options: MatchOptions = MatchOptions()) -> MeetingSchedule:
    """The best meeting schedule found for `brokerage` within the options' limits."""
    started = time.monotonic()
    budget = (1 - FINISH_SHARE) * options.time_limit
    problem = compile_problem(brokerage)
    bound = priority_upper_bound(problem)

    def report(stage: str, assignment: Assignment) -> None:
        if options.on_progress is not None:
            options.on_progress(
                MatchProgress(stage, time.monotonic() - started, slot_objectives(problem, assignment))
            )

    assignment = max((first_fit(problem), compact_fit(problem)), key=lambda option: evaluate(problem, option))
    first_solution = time.monotonic() - started
    report("start", assignment)
    moves = options.moves if options.moves is not None else MOVES_PER_REQUEST * len(brokerage.requests)
    remaining = budget - (time.monotonic() - started)
    assignment = kempe_in_parallel(
        problem, assignment, moves, options.seed, SWAPS_SHARE * remaining, options.workers
    )
    report("swaps", assignment)
    remaining = budget - (time.monotonic() - started)
    before = evaluate(problem, assignment)
    assignment = trade_for_priority(problem, assignment, TRADES_SHARE * remaining, options.seed, bound)
    if evaluate(problem, assignment)[:2] > before[:2]:
        repaired = kempe_search(
            problem,
            assignment.copy(),
            REPAIR_MOVES_PER_REQUEST * len(brokerage.requests),
            options.seed,
            TRADES_SHARE * remaining,
            first_temperature=REPAIR_TEMPERATURE,
        )
        # The annealing ends where it ends, not at the best it saw: keep the trade alone if better.
        assignment = max((assignment, repaired), key=lambda option: evaluate(problem, option))
    report("trades", assignment)
    remaining = budget - (time.monotonic() - started)
    assignment = improve_worst_idle(problem, assignment, 0.8 * remaining, options.seed)
    report("neighbourhoods", assignment)

    proved = proved_impossible = False
    remaining = budget - (time.monotonic() - started)
    whole = solve_whole(
        problem,
        assignment,
        SearchOptions(time_limit=min(0.9 * remaining, WHOLE_MODEL_SECONDS), seed=options.seed,
                      workers=options.workers),
    )
    if whole is not None:
        if evaluate(problem, whole.assignment) >= evaluate(problem, assignment):
            assignment = whole.assignment
        proved, proved_impossible = whole.proved_optimal, whole.proved_required_impossible
        report("model", assignment)
    priority_proved = _priority_proved(problem, assignment, bound)
    idle_free = slot_objectives(problem, assignment)["idle"] == 0
    proved = proved or _ideal(problem, assignment) or (priority_proved and idle_free)

    table = assign_tables(problem, assignment)
    remaining = budget - (time.monotonic() - started)
    tables_proved = improve_tables(problem, assignment, table, max(0.5, 0.5 * remaining), options.seed)
    objectives = slot_objectives(problem, assignment)
    objectives[TableChanges.name] = TableChanges().evaluate(problem, assignment, table)
    report("tables", assignment)

    unscheduled = unscheduled_reasons(problem, assignment)
    required_left = required_left_out(problem, unscheduled)
    if required_left:
        structural = any(not problem.candidates[number] for number in required_left)
        status = "infeasible" if structural or proved_impossible else "unknown"
    else:
        status = "optimal" if proved and tables_proved else "feasible"
    return MeetingSchedule(
        status=status,
        meetings=_meetings(problem, assignment, table),
        unscheduled=tuple(unscheduled),
        objectives=objectives,
        statistics={
            "seconds": round(time.monotonic() - started, 3),
            "first_solution_seconds": round(first_solution, 3),
            "moves": moves,
            **({"priority_bound": bound} if bound is not None else {}),
            "priority_proved": int(priority_proved),
        },
    )


def slot_objectives(problem: Problem, assignment: Assignment) -> dict[str, int]:
    """Each slot term's value (required, priority, idle, worst idle) of `assignment`."""
    return {term.name: term.evaluate(problem, assignment) for term in SLOT_TERMS}


def required_left_out(problem: Problem, unscheduled: Iterable[UnscheduledMeeting]) -> list[int]:
    """The required requests among `unscheduled`, by their number in the brokerage."""
    index = {request.id: number for number, request in enumerate(problem.brokerage.requests)}
    return [index[entry.request] for entry in unscheduled if problem.required[index[entry.request]]]


def _priority_proved(problem: Problem, assignment: Assignment, bound: int | None) -> bool:
    """Every required request is in and the priority reaches the LP bound (`planner.b2b.bound`)."""
    every_required = all(
        cell != UNPLACED for request, cell in enumerate(assignment.cell) if problem.required[request]
    )
    return every_required and bound is not None and slot_objectives(problem, assignment)["priority"] >= bound


def _ideal(problem: Problem, assignment: Assignment) -> bool:
    """Every request that has a candidate cell is scheduled and no one is idle: nothing can be better."""
    every = all(
        cell != UNPLACED for request, cell in enumerate(assignment.cell) if problem.candidates[request]
    )
    return every and slot_objectives(problem, assignment)["idle"] == 0


def _meetings(problem: Problem, assignment: Assignment, table: list[int]) -> tuple[Meeting, ...]:
    brokerage = problem.brokerage
    result = []
    for number, cell in enumerate(assignment.cell):
        if cell == UNPLACED:
            continue
        request = brokerage.requests[number]
        session = brokerage.sessions[problem.cells[cell].session]
        slot = problem.cells[cell].slot
        result.append(
            Meeting(
                request.id,
                session.id,
                slot,
                table[number],
                tuple(sorted(request.participants)),
                session.slot_start(slot),
                session.slot_end(slot),
            )
        )
    result.sort(key=lambda meeting: (meeting.start, meeting.session, meeting.table, meeting.request))
    return tuple(result)
