"""Kempe swaps on several cores: the sessions shared out among worker processes.

A swap never leaves its session, so sessions can be searched apart: worker k takes the sessions whose
index is k modulo the workers, runs the annealing on them alone (its moves in proportion to their
requests, its seed derived from the seed and k), and hands back the cells of their requests. Requests
that could go to sessions of two workers are inserted afterwards, in this process. The share-out and the
seeds are fixed, so the result does not depend on which worker finishes first. When sessions overlap in
time (a person could be in two at once) the search stays in one process.
"""

from __future__ import annotations

import math
import multiprocessing
import os

from planner.b2b.kempe import kempe_search
from planner.b2b.problem import UNPLACED, Assignment, Problem

_SHARED: dict[str, object] = {}
"""What the forked workers read (inherited, not pickled): the problem and the starting assignment."""


def _work(task: tuple[frozenset[int], int, int, float]) -> list[tuple[int, int]]:
    sessions, moves, seed, seconds = task
    problem = _SHARED["problem"]
    start = _SHARED["assignment"]
    assert isinstance(problem, Problem) and isinstance(start, Assignment)
    assignment = start.copy()
    kempe_search(problem, assignment, moves, seed, seconds, sessions=sessions)
    return [(request, cell) for request, cell in enumerate(assignment.cell)
            if cell != UNPLACED and problem.cells[cell].session in sessions]


def kempe_in_parallel(problem: Problem, assignment: Assignment, moves: int, seed: int = 0,
                      seconds: float = math.inf, workers: int = 1) -> Assignment:
    """`kempe_search` over `workers` processes (one when there is one session, one worker, or sessions that
    overlap in time); `assignment` is changed in place and returned."""
    sessions = len(problem.session_cells)
    overlapping = any(len(cells) > 1 for cells in problem.overlapping)
    workers = min(workers, sessions, os.cpu_count() or 1)
    # A daemonic process (a worker of someone else's pool) may not start processes of its own.
    daemonic = multiprocessing.current_process().daemon
    if workers <= 1 or overlapping or daemonic or "fork" not in multiprocessing.get_all_start_methods():
        return kempe_search(problem, assignment, moves, seed, seconds)
    groups = [frozenset(range(k, sessions, workers)) for k in range(workers)]
    load = [sum(1 for request in range(len(problem.weight)) if problem.candidates[request]
                and problem.cells[problem.candidates[request][0]].session in group) for group in groups]
    total = max(1, sum(load))
    tasks = [(group, max(1, moves * load[k] // total * workers), seed * 1000 + k, seconds)
             for k, group in enumerate(groups)]
    _SHARED["problem"], _SHARED["assignment"] = problem, assignment
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_work, tasks)
    finally:
        _SHARED.clear()
    every = set().union(*groups)
    for request, cell in enumerate(list(assignment.cell)):
        if cell != UNPLACED and problem.cells[cell].session in every:
            assignment.remove(request)
    for placed in results:
        for request, cell in placed:
            assignment.place(request, cell)
    # Requests whose candidate cells span two workers' sessions: a short pass in this process inserts them.
    kempe_search(problem, assignment, 0, seed, seconds)
    return assignment
