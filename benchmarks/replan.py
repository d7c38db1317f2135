"""Re-planning the flagship mid-mission: how long `planner replan` takes, and what a plain re-solve would do.

The baseline is the flagship solved once (as `planner solve` does). Each scenario is one change made on 7
October at noon (two hours' notice); each run, in its own process (its peak memory its own), is
`planner.pipeline.solve_replan` itself. Beside it, the peer: `planner solve` of the same updated
mission from scratch, with its disruption recomputed against the baseline (what re-solving would do to the
people holding the programme).

    python benchmarks/replan.py            # ~1 min; writes results/replan.md and results/replan.csv
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue
import resource
import sys
import time
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
FLAGSHIP = ROOT / "examples" / "west-coast-2025" / "mission.yaml"
NOW = "2025-10-07T12:00:00-07:00"
NOTICE = 120

SCENARIOS: dict[str, str] = {
    "unchanged": "the mission as it was",
    "activity cancelled": "visit-jpl (10 October) dropped from the file",
    "delegate away a day": "the press pool unavailable all of 9 October",
    "activity added": "a new 1-hour networking lunch for the Walloon cleantech companies on 10 October",
}


def updated_mission(scenario: str):
    """The flagship with the scenario's change, as the organiser would write it into the file."""
    from dataclasses import replace
    from datetime import date

    from planner.domain import Activity, Window
    from planner.mission.load import load_mission

    mission = load_mission(FLAGSHIP)
    if scenario == "activity cancelled":
        return replace(mission, activities={i: a for i, a in mission.activities.items() if i != "visit-jpl"})
    if scenario == "delegate away a day":
        pool, leg = mission.delegates["press-pool"], mission.legs[1]
        day = Window(leg.local_instant(date(2025, 10, 9), 0), leg.local_instant(date(2025, 10, 9), 24 * 60))
        away = replace(pool, unavailable=pool.unavailable + (day,))
        return replace(mission, delegates={**mission.delegates, "press-pool": away})
    if scenario == "activity added":
        companies = tuple(sorted(d.id for d in mission.delegates.values() if d.id.startswith("wal-clean-")))
        lunch = Activity(id="cleantech-lunch", title="Networking lunch: Walloon cleantech", kind="meal",
                         venues=("intercontinental-la",), duration=60, attendees=companies,
                         attendee_refs=companies, dates=(date(2025, 10, 10),), priority=50)
        return replace(mission, activities={**mission.activities, lunch.id: lunch})
    return mission


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scenario(scenario: str, baseline_path: str, peer: bool, time_limit: float) -> dict[str, Any]:
    """One re-plan (or, with `peer`, one plain re-solve) of the scenario; figures as a plain dict."""
    from datetime import datetime

    from planner.domain import Source
    from planner.domain.change import disruption
    from planner.domain.replan import resolve_replan
    from planner.mission.schedule_file import read_schedule
    from planner.pipeline import SolveOptions, solve, solve_replan

    mission = updated_mission(scenario)
    baseline = read_schedule(Path(baseline_path))
    first: list[float] = []
    started = time.monotonic()

    def record(progress: Any) -> None:
        if not first and progress.objective is not None:
            first.append(time.monotonic() - started)

    options = SolveOptions(time_limit=time_limit, workers=2, seed=0, progress=False, on_progress=record)
    if peer:
        schedule = solve(mission, options)
    else:
        plan = resolve_replan(mission, baseline, datetime.fromisoformat(NOW), NOTICE,
                              lambda needle: Source(baseline_path, 1, 1))
        schedule = solve_replan(plan, options)
    wall = time.monotonic() - started
    info = schedule.solver
    sizes = {d.id: d.size for d in mission.delegates.values()}
    return {
        "scenario": scenario, "solver": "planner solve (from scratch)" if peer else "planner replan",
        "variables": info.model.get("variables") if info else None,
        "constraints": info.model.get("constraints") if info else None,
        "build_seconds": info.build_seconds if info else None,
        "first_solution_seconds": first[0] if first else None,
        "wall_seconds": round(wall, 3), "status": schedule.status,
        "disruption": disruption(baseline, schedule, sizes) if schedule.has_programme else None,
        "changed_activities": (sum(1 for a in schedule.activities if a.id not in baseline.by_id()
                                   or (a.start, a.venue, a.attendees) != (baseline.by_id()[a.id].start,
                                                                          baseline.by_id()[a.id].venue,
                                                                          baseline.by_id()[a.id].attendees))
                               + sum(1 for a in baseline.activities if a.id not in schedule.by_id())
                               if schedule.has_programme else None),
        "objective": schedule.objective, "bound": schedule.bound,
        "gap": (None if schedule.objective is None or schedule.bound is None
                else abs(schedule.objective - schedule.bound) / max(abs(schedule.objective), 1)),
        "peak_mib": round(_peak_mib(), 1),
    }


def _child(answers: Any, *arguments: Any) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    answers.put(run_scenario(*arguments))


def isolated(*arguments: Any, cap: float = 300) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_child, args=(answers, *arguments), daemon=True)
    child.start()
    try:
        return answers.get(timeout=cap)
    except queue.Empty:
        return {"scenario": arguments[0], "status": f"stopped at the cap of {cap:.0f} s"}
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=BENCHMARKS / "results")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(BENCHMARKS))
    import os

    from report import markdown_table, number, percent, ratio, seconds, write_csv

    from planner.mission.files import write_atomic
    from planner.mission.load import load_mission
    from planner.mission.schedule_file import write_schedule
    from planner.pipeline import SolveOptions, solve

    began = time.monotonic()
    baseline = solve(load_mission(FLAGSHIP), SolveOptions(time_limit=60, workers=2, seed=0, progress=False))
    baseline_seconds = time.monotonic() - began
    baseline_path = arguments.out / "replan-baseline.json"
    write_schedule(baseline, baseline_path)
    rows = []
    for scenario in SCENARIOS:
        replanned = isolated(scenario, str(baseline_path), False, arguments.time_limit)
        resolved = isolated(scenario, str(baseline_path), True, arguments.time_limit)
        replanned["resolve_seconds"] = resolved.get("wall_seconds")
        replanned["resolve_disruption"] = resolved.get("disruption")
        replanned["resolve_changed_activities"] = resolved.get("changed_activities")
        rows.append(replanned)
        print(f"{scenario}: replan {replanned.get('wall_seconds')} s, disruption "
              f"{replanned.get('disruption')}; re-solve {resolved.get('wall_seconds')} s, disruption "
              f"{resolved.get('disruption')}", flush=True)
    baseline_path.unlink()
    headers = ["scenario", "change", "variables", "constraints", "build s", "first solution s", "replan s",
               "status", "disruption", "activities changed", "objective", "bound", "gap", "peak MiB",
               "re-solve s", "re-solve disruption", "re-solve activities changed", "replan ÷ re-solve"]
    table = markdown_table(headers, [[
        row["scenario"], SCENARIOS[row["scenario"]], number(row.get("variables")),
        number(row.get("constraints")),
        seconds(row.get("build_seconds")), seconds(row.get("first_solution_seconds")),
        seconds(row.get("wall_seconds")), str(row.get("status")), number(row.get("disruption")),
        number(row.get("changed_activities")), number(row.get("objective")), number(row.get("bound")),
        percent(row.get("gap")), number(row.get("peak_mib")), seconds(row.get("resolve_seconds")),
        number(row.get("resolve_disruption")), number(row.get("resolve_changed_activities")),
        ratio(row.get("wall_seconds"), row.get("resolve_seconds")),
    ] for row in rows])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    document = (f"# Re-planning the flagship\n\n`python benchmarks/replan.py` — baseline solved in "
                f"{baseline_seconds:.1f} s; each change made at {NOW} with {NOTICE} min notice; 2 workers, "
                f"seed 0, time limit {arguments.time_limit:.0f} s; load average {load} (a shared machine)."
                f"\n\n{table}\n")
    write_atomic(arguments.out / "replan.md", document)
    write_csv(arguments.out / "replan.csv", rows)
    print(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
