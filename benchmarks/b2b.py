"""B2B matchmaking benchmark: generated brokerage events of 500, 2,000, 5,000 and 20,000 requests; planner
against a first-fit greedy in request order (b2match-like), the same greedy in priority order, and a MIP
solved by HiGHS; and the upper bound on schedulable priority.

    python benchmarks/b2b.py            # the four sizes (about 12 minutes on 2 cores)
    python benchmarks/b2b.py --quick    # 300 and 500 requests, short limits: a smoke run
    python benchmarks/b2b.py --sizes 5000   # one size, printed only

Every run is a child process (its own peak memory, killed at a cap, an address-space limit). Every
schedule is judged the same way: planner's objective terms, idle slots counted per participant and
session, and the independent checker (`planner.check.b2b`). Writes results/b2b.{md,csv,png}.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from measure import machine  # noqa: E402
from report import markdown_table, percent, seconds, write_csv, write_png  # noqa: E402

from planner.mission.files import write_atomic  # noqa: E402

RESULTS = BENCHMARKS / "results"
SIZES = (500, 2000, 5000, 20000)
TIME_LIMITS = {500: 60, 2000: 60, 5000: 60, 20000: 120}
MEMORY_LIMIT_GIB = 6.0
METHODS = ("planner", "greedy (request order)", "greedy (priority order)", "HiGHS MIP")


def judge(brokerage, cells_or_meetings, tables_given: bool) -> dict[str, Any]:
    """Measures of one schedule: priority, meetings, idle slots (weighted and not), the worst participant
    in a session and in all sessions, table changes, the checker's verdict."""
    from collections import defaultdict

    from peers.b2b import meetings_of

    from planner.b2b.problem import assignment_from_meetings, compile_problem
    from planner.b2b.terms import IdleSlots, ScheduledPriority, WorstIdle, idle_by_participant_session
    from planner.check.b2b import check_meetings
    from planner.domain.meetings import MeetingSchedule, Reason, UnscheduledMeeting

    problem = compile_problem(brokerage)
    meetings = cells_or_meetings if tables_given else meetings_of(problem, cells_or_meetings)
    assignment = assignment_from_meetings(problem, meetings)
    idle = idle_by_participant_session(problem, assignment)
    held = {meeting.request for meeting in meetings}
    unscheduled = tuple(
        UnscheduledMeeting(request.id, request.participants, Reason("not_scheduled"))
        for request in brokerage.requests
        if request.id not in held
    )
    violations = check_meetings(brokerage, MeetingSchedule("feasible", tuple(meetings), unscheduled))
    tables: dict[tuple[str, str], set[int]] = defaultdict(set)
    delegates = {person.id for person in brokerage.participants if person.kind == "delegate"}
    for meeting in meetings:
        for person in meeting.participants:
            if person in delegates:
                tables[person, meeting.session].add(meeting.table)
    return {
        "meetings": len(meetings),
        "priority": ScheduledPriority().evaluate(problem, assignment),
        "required_left": sum(
            1 for request in brokerage.requests if request.required and request.id not in held
        ),
        "idle_slots": sum(idle.values()),
        "idle_weighted": IdleSlots().evaluate(problem, assignment),
        "worst_in_session": max(idle.values(), default=0),
        "worst_participant": WorstIdle().evaluate(problem, assignment),
        "table_changes": sum(len(used) - 1 for used in tables.values()),
        "violations": len(violations),
    }


def _peak_mib() -> float:
    """Peak resident memory of this run: its own, plus the largest of the worker processes it started."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + workers) / 1024, 1)


def run_method(method: str, size: int, time_limit: float) -> dict[str, Any]:
    """One method on the event of `size` requests (in the child process)."""
    from b2b_events import brokerage_event

    from planner.b2b.problem import compile_problem

    brokerage = brokerage_event(size)
    started = time.monotonic()
    row: dict[str, Any] = {"method": method, "requests": size}
    if method == "planner":
        from planner.b2b.solve import MatchOptions, schedule_meetings

        result = schedule_meetings(brokerage, MatchOptions(time_limit=time_limit, workers=2))
        row["seconds"] = round(time.monotonic() - started, 2)
        row["first_solution_seconds"] = result.statistics["first_solution_seconds"]
        row["status"] = result.status
        if result.statistics.get("priority_proved") and result.status != "optimal":
            row["status"] += ", priority proved optimal"
        row.update(judge(brokerage, list(result.meetings), tables_given=True))
    elif method.startswith("greedy"):
        from peers.b2b import first_fit

        cells = first_fit(compile_problem(brokerage), by_priority="priority" in method)
        row["seconds"] = row["first_solution_seconds"] = round(time.monotonic() - started, 2)
        row["status"] = "feasible"
        row.update(judge(brokerage, cells, tables_given=False))
    else:
        from peers.b2b import highs_mip

        answer = highs_mip(compile_problem(brokerage), time_limit)
        row.update({key: value for key, value in answer.items() if key != "cells"})
        if answer["cells"] is not None:
            row.update(judge(brokerage, answer["cells"], tables_given=False))
    row["peak_mib"] = _peak_mib()
    return row


def _child(answers: multiprocessing.Queue, method: str, size: int, time_limit: float) -> None:
    os.setpgrp()
    limit = int(MEMORY_LIMIT_GIB * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(BENCHMARKS))
    try:
        answers.put(run_method(method, size, time_limit))
    except MemoryError:
        answers.put(
            {
                "method": method,
                "requests": size,
                "failure": f"out of memory ({MEMORY_LIMIT_GIB} GiB)",
                "peak_mib": _peak_mib(),
            }
        )
    except BaseException as error:  # a failing peer is a row of the table, not a crash of the benchmark
        answers.put(
            {
                "method": method,
                "requests": size,
                "failure": f"{type(error).__name__}: {error}",
                "trace": traceback.format_exc(limit=4),
                "peak_mib": _peak_mib(),
            }
        )


def isolated(method: str, size: int, time_limit: float) -> dict[str, Any]:
    """Run in a child process, killed at twice the time limit plus a minute."""
    context = multiprocessing.get_context("spawn")
    answers: multiprocessing.Queue = context.Queue()
    # Not a daemon: planner's swaps start worker processes of their own (killed with the group at the cap).
    child = context.Process(target=_child, args=(answers, method, size, time_limit), daemon=False)
    cap = 2 * time_limit + 60
    began = time.monotonic()
    child.start()
    answer = None
    while answer is None:
        try:
            answer = answers.get(timeout=0.5)
        except queue.Empty:
            if time.monotonic() - began > cap:
                answer = {"method": method, "requests": size, "failure": f"stopped at the cap of {cap:.0f} s"}
            elif not child.is_alive():
                try:
                    answer = answers.get(timeout=1)
                except queue.Empty:
                    answer = {
                        "method": method,
                        "requests": size,
                        "failure": f"died (exit status {child.exitcode}; out of memory?)",
                    }
    child.join(timeout=5)
    if child.is_alive():
        os.killpg(child.pid, 9)
        child.join()
    answer["elapsed_seconds"] = round(time.monotonic() - began, 2)
    return answer


def bound_row(size: int) -> dict[str, Any]:
    from b2b_events import brokerage_event
    from peers.b2b import priority_upper_bound

    from planner.b2b.problem import compile_problem

    brokerage = brokerage_event(size)
    problem = compile_problem(brokerage)
    return {
        "requests": size,
        "sessions": len(brokerage.sessions),
        "participants": len(brokerage.participants),
        "tables": brokerage.sessions[0].tables,
        "choices": sum(len(candidates) for candidates in problem.candidates),
        "bound": round(priority_upper_bound(problem), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 and 500 requests, 20 s limits")
    parser.add_argument(
        "--sizes", type=int, nargs="+", metavar="REQUESTS", help="only these sizes (results not written)"
    )
    arguments = parser.parse_args()
    sizes = (300, 500) if arguments.quick else tuple(arguments.sizes or SIZES)
    rows: list[dict[str, Any]] = []
    events = {}
    for size in sizes:
        events[size] = bound_row(size)
        limit = 20 if arguments.quick else TIME_LIMITS.get(size, 60)
        for method in METHODS:
            row = isolated(method, size, limit)
            row["time_limit"] = limit
            row["bound"] = events[size]["bound"]
            rows.append(row)
            print(_line(row), flush=True)
    context = machine()
    report = _markdown(rows, events, context, arguments.quick)
    print(report)
    if not arguments.quick and not arguments.sizes:
        RESULTS.mkdir(exist_ok=True)
        write_atomic(RESULTS / "b2b.md", report)
        write_csv(RESULTS / "b2b.csv", rows)
        write_png(RESULTS / "b2b.png", _plot(rows))


def _line(row: dict[str, Any]) -> str:
    if "failure" in row:
        return f"{row['requests']:>6} {row['method']:<24} {row['failure']}"
    return (
        f"{row['requests']:>6} {row['method']:<24} priority {row.get('priority')} / {row['bound']}  "
        f"idle {row.get('idle_slots')}  worst {row.get('worst_in_session')}  {row.get('seconds')} s  "
        f"{row.get('peak_mib')} MiB  violations {row.get('violations')}"
    )


def _markdown(
    rows: list[dict[str, Any]], events: dict[int, dict[str, Any]], context: dict[str, Any], quick: bool
) -> str:
    lines = [
        "# B2B matchmaking benchmark",
        "",
        f"Machine: {context['cores']} cores, {context['cpu']}, {context['memory_gib']} GiB, Python "
        f"{context['python']}, OR-Tools {context['ortools']}; load average at the start "
        f"{context['load_average']}." + (" Quick run." if quick else ""),
        "",
        "Events (generated by `benchmarks/b2b_events.py`, seed 1):",
        "",
    ]
    lines.append(
        markdown_table(
            [
                "requests",
                "sessions",
                "participants",
                "tables per session",
                "(request, slot) choices",
                "priority upper bound",
            ],
            [
                [
                    f"{event['requests']:,}",
                    str(event["sessions"]),
                    f"{event['participants']:,}",
                    str(event["tables"]),
                    f"{event['choices']:,}",
                    f"{event['bound']:,.0f}",
                ]
                for event in events.values()
            ],
        )
    )
    headers = [
        "requests",
        "method",
        "priority",
        "of bound",
        "meetings",
        "idle slots",
        "idle / meetings",
        "worst in a session",
        "table changes",
        "first solution",
        "end",
        "peak memory",
        "violations",
        "status",
    ]
    table = []
    for row in rows:
        if "failure" in row:
            table.append(
                [
                    f"{row['requests']:,}",
                    row["method"],
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    f"{row.get('peak_mib', '—')} MiB",
                    "—",
                    row["failure"],
                ]
            )
            continue
        has = "priority" in row
        table.append(
            [
                f"{row['requests']:,}",
                row["method"],
                f"{row['priority']:,}" if has else "—",
                percent(row["priority"] / row["bound"]) if has and row["bound"] else "—",
                f"{row['meetings']:,}" if has else "—",
                f"{row['idle_slots']:,}" if has else "—",
                percent(row["idle_slots"] / row["meetings"]) if has and row["meetings"] else "—",
                str(row["worst_in_session"]) if has else "—",
                f"{row['table_changes']:,}" if has else "—",
                seconds(row.get("first_solution_seconds")) + " s"
                if row.get("first_solution_seconds") is not None
                else "—",
                seconds(row.get("seconds")) + " s",
                f"{row['peak_mib']:,.0f} MiB",
                str(row["violations"]) if has else "—",
                str(row.get("status", "")),
            ]
        )
    lines += ["", markdown_table(headers, table)]
    return "\n".join(lines)


def _plot(rows: list[dict[str, Any]]):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for method in METHODS:
        mine = [row for row in rows if row["method"] == method and "priority" in row]
        sizes = [row["requests"] for row in mine]
        left.plot(sizes, [100 * row["priority"] / row["bound"] for row in mine], marker="o", label=method)
        right.plot(
            sizes,
            [100 * row["idle_slots"] / max(row["meetings"], 1) for row in mine],
            marker="o",
            label=method,
        )
    for axis, title in (
        (left, "scheduled priority, % of the upper bound"),
        (right, "idle slots, % of meetings held"),
    ):
        axis.set_xscale("log")
        axis.set_xlabel("requests")
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
    right.set_yscale("log")
    left.legend(fontsize=8)
    figure.tight_layout()
    return figure


if __name__ == "__main__":
    main()
