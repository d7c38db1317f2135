"""The peers of planner's matchmaking, on the same brokerage: a first-fit greedy (what automatic
schedulers of the b2match kind do) and a MIP solved by HiGHS; and an upper bound on schedulable priority.

They share planner's compiled brokerage (`planner.b2b.problem`: cells, candidate cells per request, who is
available when) so that every method sees the same data; none uses planner's search.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import highspy
import numpy as np

from planner.b2b.problem import Problem
from planner.domain.meetings import Meeting

INFINITY = highspy.kHighsInf


def first_fit(problem: Problem, by_priority: bool) -> list[int]:
    """Each request in turn (as written, or required first then by priority) in its first candidate cell
    where every participant is free and a table is left. Returns a cell per request (-1: none)."""
    order = list(range(len(problem.weight)))
    if by_priority:
        order.sort(key=lambda request: (not problem.required[request], -problem.weight[request], request))
    busy: dict[int, set[float]] = defaultdict(set)  # participant -> start minutes of their meetings
    used: dict[int, int] = defaultdict(int)
    cells = [-1] * len(order)
    for request in order:
        members = problem.request_participants[request]
        for cell in problem.candidates[request]:
            place = problem.cells[cell]
            clash = any(
                problem.cells[other].start in busy[member]
                for member in members
                for other in problem.overlapping[cell]
            )
            if clash or used[cell] >= problem.capacity[cell]:
                continue
            for member in members:
                busy[member].add(place.start)
            used[cell] += 1
            cells[request] = cell
            break
    return cells


def meetings_of(problem: Problem, cells: list[int]) -> list[Meeting]:
    """Meetings for a cell per request, each at the lowest free table of its cell."""
    next_table: dict[int, int] = defaultdict(int)
    result = []
    for request, cell in enumerate(cells):
        if cell < 0:
            continue
        next_table[cell] += 1
        wish = problem.brokerage.requests[request]
        session = problem.brokerage.sessions[problem.cells[cell].session]
        slot = problem.cells[cell].slot
        result.append(
            Meeting(
                wish.id,
                session.id,
                slot,
                next_table[cell],
                tuple(sorted(wish.participants)),
                session.slot_start(slot),
                session.slot_end(slot),
            )
        )
    return result


def _time_points(problem: Problem, member: int) -> int:
    return len({problem.cells[cell].start for cell in problem.available[member]})


def priority_upper_bound(problem: Problem) -> float:
    """LP bound on the optional priority: each participant meets at most once per slot they can attend
    (less the required requests they are in), and no more meetings than tables × slots in all."""
    live = [
        request
        for request in range(len(problem.weight))
        if problem.candidates[request] and not problem.required[request]
    ]
    column = {request: number for number, request in enumerate(live)}
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.addVars(len(live), np.zeros(len(live)), np.ones(len(live)))
    highs.changeColsCost(
        len(live),
        np.arange(len(live), dtype=np.int32),
        np.array([-problem.weight[request] for request in live], dtype=float),
    )
    for member, requests in enumerate(problem.requests_of):
        columns = [column[request] for request in requests if request in column]
        required = sum(1 for request in requests if problem.required[request] and problem.candidates[request])
        room = max(0, _time_points(problem, member) - required)
        if len(columns) > room:
            highs.addRow(
                -INFINITY, room, len(columns), np.array(columns, dtype=np.int32), np.ones(len(columns))
            )
    required_total = sum(1 for request in range(len(problem.weight)) if problem.required[request])
    highs.addRow(
        -INFINITY,
        sum(problem.capacity) - required_total,
        len(live),
        np.arange(len(live), dtype=np.int32),
        np.ones(len(live)),
    )
    highs.run()
    return -highs.getInfo().objective_function_value


class _Rows:
    """Constraint rows gathered as CSR arrays, added to HiGHS in one call."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, lower: float, upper: float, terms: list[tuple[int, float]]) -> None:
        self.lower.append(lower)
        self.upper.append(upper)
        self.starts.append(len(self.index))
        for column, coefficient in terms:
            self.index.append(column)
            self.value.append(coefficient)

    def into(self, highs: highspy.Highs) -> None:
        highs.addRows(
            len(self.lower),
            np.array(self.lower),
            np.array(self.upper),
            len(self.index),
            np.array(self.starts, dtype=np.int32),
            np.array(self.index, dtype=np.int32),
            np.array(self.value),
        )


def highs_mip(problem: Problem, time_limit: float) -> dict[str, Any]:
    """The matchmaking as a MIP (x[request, cell] binary; idle slots by monotone begun/ongoing columns),
    solved lexicographically by HiGHS in two stages: priority, then size-weighted idle slots with the
    priority found kept. Half the time limit each (the second gets what the first leaves)."""
    started = time.monotonic()
    columns: list[tuple[int, int]] = []
    for request, candidates in enumerate(problem.candidates):
        for cell in candidates:
            columns.append((request, cell))
    x_count = len(columns)
    by_request: dict[int, list[int]] = defaultdict(list)
    by_member_cell: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_cell: dict[int, list[int]] = defaultdict(list)
    for column, (request, cell) in enumerate(columns):
        by_request[request].append(column)
        by_cell[cell].append(column)
        for member in problem.request_participants[request]:
            by_member_cell[member, cell].append(column)
    rows = _Rows()
    for request, chosen in by_request.items():
        rows.add(1 if problem.required[request] else -INFINITY, 1, [(column, 1) for column in chosen])
    for member, cell in by_member_cell:
        start = problem.cells[cell].start
        covering = [other for other in problem.overlapping[cell] if problem.cells[other].start <= start]
        terms = [(column, 1) for other in covering for column in by_member_cell.get((member, other), [])]
        if len(terms) > 1:
            rows.add(-INFINITY, 1, terms)
    for cell, chosen in by_cell.items():
        if len(chosen) > problem.capacity[cell]:
            rows.add(-INFINITY, problem.capacity[cell], [(column, 1) for column in chosen])
    # Idle slots: per participant and session, begun[t] and ongoing[t] in [0, 1] (integral at the optimum).
    idle_cost: dict[int, float] = defaultdict(float)
    next_column = x_count
    constant = 0.0
    sessions_of: dict[int, set[int]] = defaultdict(set)
    for member, cell in by_member_cell:
        sessions_of[member].add(problem.cells[cell].session)
    for member, sessions in sessions_of.items():
        size = problem.size[member]
        for session in sessions:
            cells = problem.session_cells[session]
            slots = [slot for slot, cell in enumerate(cells) if (member, cell) in by_member_cell]
            low, high = min(slots), max(slots)
            begun = {slot: next_column + 2 * (slot - low) for slot in range(low, high + 1)}
            ongoing = {slot: next_column + 2 * (slot - low) + 1 for slot in range(low, high + 1)}
            next_column += 2 * (high - low + 1)
            for slot in range(low, high + 1):
                meeting = [(column, -1) for column in by_member_cell.get((member, cells[slot]), [])]
                if meeting:
                    rows.add(0, INFINITY, [(begun[slot], 1), *meeting])
                    rows.add(0, INFINITY, [(ongoing[slot], 1), *meeting])
                if slot > low:
                    rows.add(0, INFINITY, [(begun[slot], 1), (begun[slot - 1], -1)])
                    rows.add(0, INFINITY, [(ongoing[slot - 1], 1), (ongoing[slot], -1)])
                rows.add(1, INFINITY, [(begun[slot], 1), (ongoing[slot], 1)])
                if cells[slot] in problem.available[member]:
                    idle_cost[begun[slot]] += size
                    idle_cost[ongoing[slot]] += size
                    constant -= size
                    for column, _ in meeting:
                        idle_cost[column] -= size
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 2)
    highs.setOptionValue("random_seed", 0)
    total = next_column
    highs.addVars(total, np.zeros(total), np.ones(total))
    highs.changeColsIntegrality(
        x_count, np.arange(x_count, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * x_count)
    )
    rows.into(highs)
    build_seconds = time.monotonic() - started
    first: list[float] = []

    def improving(*_: Any) -> None:
        if not first:
            first.append(time.monotonic() - started)

    highs.cbMipImprovingSolution.subscribe(improving)
    priority = np.zeros(total)
    for column, (request, _) in enumerate(columns):
        if not problem.required[request]:
            priority[column] = -problem.weight[request]
    highs.changeColsCost(total, np.arange(total, dtype=np.int32), priority)
    highs.setOptionValue("time_limit", max(1.0, time_limit / 2 - build_seconds))
    highs.run()
    stage_one = highs.getModelStatus()
    values = highs.getSolution().col_value if highs.getInfo().primal_solution_status == 2 else None
    result: dict[str, Any] = {
        "variables": total,
        "rows": len(rows.lower),
        "build_seconds": round(build_seconds, 2),
        "first_solution_seconds": None,
        "status": highs.modelStatusToString(stage_one),
    }
    if values is None:
        result["seconds"] = round(time.monotonic() - started, 2)
        return {**result, "cells": None}
    found_priority = -float(np.dot(priority, values))
    # Stage 2: keep the priority, minimise idle slots.
    keep = [(column, -priority[column]) for column in range(x_count) if priority[column]]
    highs.addRow(
        found_priority - 0.5,
        INFINITY,
        len(keep),
        np.array([column for column, _ in keep], dtype=np.int32),
        np.array([value for _, value in keep]),
    )
    cost = np.zeros(total)
    for column, value in idle_cost.items():
        cost[column] = value
    highs.changeColsCost(total, np.arange(total, dtype=np.int32), cost)
    highs.setSolution(_solution(values))
    remaining = time_limit - (time.monotonic() - started)
    highs.setOptionValue("time_limit", max(1.0, remaining))
    highs.run()
    if highs.getInfo().primal_solution_status == 2:
        values = highs.getSolution().col_value
    result["status"] += " / " + highs.modelStatusToString(highs.getModelStatus())
    cells = [-1] * len(problem.weight)
    for column, (request, cell) in enumerate(columns):
        if values[column] > 0.5:
            cells[request] = cell
    result["first_solution_seconds"] = round(first[0], 2) if first else None
    result["seconds"] = round(time.monotonic() - started, 2)
    result["cells"] = cells
    return result


def _solution(values: list[float]) -> highspy.HighsSolution:
    solution = highspy.HighsSolution()
    solution.col_value = list(values)
    solution.value_valid = True
    return solution
