"""planner side by side with the tools an organiser would otherwise use, in one command.

    python benchmarks/compare.py            # the full comparison (about 8 minutes on 2 cores)
    python benchmarks/compare.py --quick    # example-small and two tiny generated missions (about 1 minute)

Prints the tables and writes them, with the plots, to benchmarks/results/ (compare.md, compare.csv,
compare.json, peers.png, scaling.png). Every run of every solver is a fresh child process, capped in time
(and, for the peers, in memory): see benchmarks/measure.py. What each peer can and cannot express is in
benchmarks/peers/ and docs/performance.md.

Sections:
1. the peers on the same missions: example-small, the flagship, generated missions of growing size, and
   a "common" family of generated missions cut down to what every peer can express (all activities
   required, no optional attendees, no `after`, no rules, dates instead of exact times), solved by
   planner, PyJobShop, conference-scheduler and the greedy first-fit planner; a peer that fails to cope
   with one size of a family (no answer within the cap, out of memory) is not run on its larger ones;
2. the greedy planner on every generated mission of the scaling curve;
3. the scaling curve of planner alone: activities 50 → 1,000, delegates 100 → 5,000.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
from report import (  # noqa: E402
    markdown_table,
    number,
    percent,
    ratio,
    seconds,
    write_atomic,
    write_csv,
    write_json,
    write_png,
)

RESULTS = measure.BENCHMARKS / "results"
PEER_MEMORY_GIB = 6.0
"""Address-space cap of a peer's run: PyJobShop's setup-time matrix grows as resources × tasks²."""

FULL = {
    "peer_cases": [
        ({"name": "example-small", "file": str(measure.EXAMPLE_SMALL)}, 30.0),
        ({"name": "flagship", "file": str(measure.FLAGSHIP)}, 45.0),
        ({"name": "generated 50/100", "activities": 50, "delegates": 100, "seed": 1}, 30.0),
        ({"name": "generated 100/250", "activities": 100, "delegates": 250, "seed": 1}, 45.0),
        ({"name": "generated 200/500", "activities": 200, "delegates": 500, "seed": 1}, 30.0),
        ({"name": "common 25/50", "activities": 25, "delegates": 50, "seed": 1, "common": True}, 30.0),
        ({"name": "common 50/100", "activities": 50, "delegates": 100, "seed": 1, "common": True}, 30.0),
        ({"name": "common 100/250", "activities": 100, "delegates": 250, "seed": 1, "common": True}, 30.0),
    ],
    "scaling_cases": [
        ({"name": "scale 50/100", "activities": 50, "delegates": 100, "seed": 1}, 20.0),
        ({"name": "scale 100/500", "activities": 100, "delegates": 500, "seed": 1}, 30.0),
        ({"name": "scale 300/1500", "activities": 300, "delegates": 1500, "seed": 1}, 45.0),
        ({"name": "scale 1000/5000", "activities": 1000, "delegates": 5000, "seed": 1}, 60.0),
    ],
}
QUICK = {
    "peer_cases": [
        ({"name": "example-small", "file": str(measure.EXAMPLE_SMALL)}, 15.0),
        ({"name": "generated 10/20", "activities": 10, "delegates": 20, "seed": 1}, 15.0),
        ({"name": "common 10/20", "activities": 10, "delegates": 20, "seed": 1, "common": True}, 15.0),
    ],
    "scaling_cases": [
        ({"name": "scale 10/20", "activities": 10, "delegates": 20, "seed": 1}, 10.0),
        ({"name": "scale 20/50", "activities": 20, "delegates": 50, "seed": 1}, 10.0),
    ],
}
PEERS = ("pyjobshop", "conference-scheduler", "greedy")


def _available(case: dict[str, Any]) -> bool:
    if "file" in case:
        return Path(case["file"]).exists()
    return True


def _log(text: str) -> None:
    print(text, flush=True)


def run_peers(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Section 1: every peer on every case, planner with the same cap as its time limit."""
    rows: list[dict[str, Any]] = []
    given_up: set[tuple[str, bool]] = set()
    for case, cap in plan["peer_cases"]:
        if not _available(case):
            _log(f"  {case['name']}: not available here, skipped")
            continue
        planner_row = measure.run_isolated("planner", case, cap + 30, time_limit=cap)
        planner_row["cap_seconds"] = cap
        rows.append(planner_row)
        _log(f"  {case['name']}: planner {_summary(planner_row)}")
        for peer in PEERS:
            family = bool(case.get("common"))
            if (peer, family) in given_up:
                rows.append({"ok": False, "solver": peer, "case": case["name"],
                             "failure": "not run: stopped coping with a smaller mission"})
                continue
            kwargs = {} if peer == "greedy" else {"time_limit": cap}
            row = measure.run_isolated(peer, case, cap + 30, PEER_MEMORY_GIB, **kwargs)
            row["cap_seconds"] = cap
            if not row.get("ok"):
                row["activities"] = planner_row.get("activities", case.get("activities"))
            rows.append(row)
            _log(f"  {case['name']}: {peer} {_summary(row)}")
            coped = row.get("ok") and row.get("status") in ("optimal", "feasible")
            if peer != "greedy" and "activities" in case and not coped:
                given_up.add((peer, family))  # each family grows: a peer that failed one size is done
    return rows


def run_scaling(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections 2 and 3: planner alone on growing generated missions, and the greedy planner beside it."""
    rows = []
    for case, limit in plan["scaling_cases"]:
        if not _available(case):
            _log(f"  {case['name']}: planner.testing.generate is not available here, skipped")
            continue
        row = measure.run_isolated("planner", case, limit + 120, time_limit=limit)
        row["time_limit"] = limit
        rows.append(row)
        _log(f"  {case['name']}: planner {_summary(row)}")
        greedy = measure.run_isolated("greedy", case, 300, PEER_MEMORY_GIB)
        rows.append(greedy)
        _log(f"  {case['name']}: greedy {_summary(greedy)}")
    return rows


def _summary(row: dict[str, Any]) -> str:
    if not row.get("ok"):
        return f"— {row.get('failure')}"
    return (f"{row.get('status')} in {seconds(row.get('wall_seconds'))} s, "
            f"left out {number(row.get('left_out_weight'))}, "
            f"optional {number(row.get('optional_attendance'))}, travel {number(row.get('travel_minutes'))}, "
            f"violations {number(row.get('violations'))}, {number(row.get('peak_mib'))} MiB")


# --- tables -------------------------------------------------------------------------------------------------


def peers_table(rows: list[dict[str, Any]]) -> str:
    headers = ["mission", "solver", "status", "first solution s", "first ÷ planner", "finished s",
               "finished ÷ planner", "left-out weight", "required left out", "optional headcount",
               "travel min", "travel ÷ planner", "violations (rules)", "peak MiB"]
    lines = []
    by_case: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_case.setdefault(row["case"], {})[row["solver"]] = row
    for case, solvers in by_case.items():
        reference = solvers.get("planner", {})
        for solver in ("planner", *PEERS):
            row = solvers.get(solver)
            if row is None:
                continue
            if not row.get("ok"):
                lines.append([case, solver, row.get("failure", "failed")] + ["—"] * 11)
                continue
            violations = number(row.get("violations"))
            if row.get("violated_rules"):
                violations += f" ({row['violated_rules']})"
            lines.append([
                case, solver, str(row.get("status")), seconds(row.get("first_solution_seconds")),
                "1×" if solver == "planner" else ratio(row.get("first_solution_seconds"),
                                                       reference.get("first_solution_seconds")),
                seconds(row.get("wall_seconds")),
                "1×" if solver == "planner"
                else ratio(row.get("wall_seconds"), reference.get("wall_seconds")),
                number(row.get("left_out_weight")), number(row.get("required_left_out")),
                f"{number(row.get('optional_attendance'))} of {number(row.get('optional_offered'))}",
                number(row.get("travel_minutes")),
                "1×" if solver == "planner"
                else ratio(row.get("travel_minutes"), reference.get("travel_minutes")),
                violations, number(row.get("peak_mib")),
            ])
    return markdown_table(headers, lines)


def scaling_table(rows: list[dict[str, Any]]) -> str:
    headers = ["activities", "delegates", "variables", "constraints", "intervals", "build s", "build share",
               "first solution s", "objectives 1–2 proved s", "within 1% s", "finished s", "status",
               "objective", "bound", "gap", "left out", "optional", "travel min (bound)", "violations",
               "peak MiB"]
    lines = []
    for row in rows:
        if row.get("solver") != "planner":
            continue
        if not row.get("ok"):
            lines.append([row["case"], "", "", "", "", "", "", "", "", "", "", row.get("failure", "failed")]
                         + ["—"] * 8)
            continue
        build = (row.get("build_seconds") or 0) + (row.get("travel_build_seconds") or 0)
        placement_done = row.get("placement_done_seconds") if row.get("placement_optimal") else None
        lines.append([
            number(row.get("activities")), number(row.get("delegates")), number(row.get("variables")),
            number(row.get("constraints")), number(row.get("intervals")), seconds(build),
            ratio(build, row.get("wall_seconds")).replace("×", "") if row.get("wall_seconds") else "—",
            seconds(row.get("first_solution_seconds")), seconds(placement_done),
            seconds(row.get("one_percent_seconds")), seconds(row.get("wall_seconds")), str(row.get("status")),
            number(row.get("objective")), number(row.get("bound")), percent(row.get("gap")),
            number(row.get("left_out_priority")), number(row.get("optional_attendees")),
            f"{number(row.get('travel_minutes'))} ({number(row.get('travel_bound'))})",
            number(row.get("violations")), number(row.get("peak_mib")),
        ])
    return markdown_table(headers, lines)


def greedy_table(rows: list[dict[str, Any]]) -> str:
    headers = ["mission", "planner left out", "greedy left out", "greedy required left out",
               "planner optional", "greedy optional", "optional ratio", "planner travel", "greedy travel",
               "travel ratio", "greedy violations", "greedy s", "planner s"]
    by_case: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_case.setdefault(row["case"], {})[row["solver"]] = row
    lines = []
    for case, solvers in by_case.items():
        planner, greedy = solvers.get("planner"), solvers.get("greedy")
        if not planner or not greedy or not planner.get("ok") or not greedy.get("ok"):
            continue
        lines.append([
            case, number(planner.get("left_out_weight")), number(greedy.get("left_out_weight")),
            number(greedy.get("required_left_out")), number(planner.get("optional_attendance")),
            number(greedy.get("optional_attendance")),
            ratio(greedy.get("optional_attendance"), planner.get("optional_attendance")),
            number(planner.get("travel_minutes")), number(greedy.get("travel_minutes")),
            ratio(greedy.get("travel_minutes"), planner.get("travel_minutes")),
            f"{number(greedy.get('violations'))}"
            + (f" ({greedy['violated_rules']})" if greedy.get("violated_rules") else ""),
            seconds(greedy.get("wall_seconds")), seconds(planner.get("wall_seconds")),
        ])
    return markdown_table(headers, lines)


# --- plots --------------------------------------------------------------------------------------------------


def plot_peers(rows: list[dict[str, Any]], path: Path) -> None:
    """Left: wall time to the answer against mission size. Right: travel and optional attendance of
    each peer's schedule as a ratio to planner's on the same mission, with its hard-rule violations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (timing, quality) = plt.subplots(1, 2, figsize=(13, 4.6))
    solvers = (("planner", "o"), ("pyjobshop", "s"), ("conference-scheduler", "^"), ("greedy", "D"))
    cap = max((r.get("cap_seconds") or 0) for r in rows) or 45
    for solver, marker in solvers:
        points = sorted((r["activities"], r["wall_seconds"]) for r in rows
                        if r.get("solver") == solver and r.get("ok") and r.get("activities"))
        if points:
            timing.plot([p[0] for p in points], [p[1] for p in points], marker=marker, linestyle="",
                        label=solver)
        failed = [r.get("activities") for r in rows if r.get("solver") == solver and not r.get("ok")
                  and r.get("activities") and not str(r.get("failure", "")).startswith("not run")]
        if failed:
            timing.scatter(failed, [cap] * len(failed), marker="X", color="red", s=60)
    timing.axhline(cap, color="red", linewidth=0.6, linestyle=":")
    timing.text(0.02, 0.97, "red ×: no answer within the cap (dotted)", transform=timing.transAxes,
                color="red", fontsize=8, va="top")
    timing.set_xscale("log")
    timing.set_yscale("log")
    timing.set_xlabel("activities in the mission")
    timing.set_ylabel("wall seconds to the answer")
    timing.set_title("Same missions, each solver in its own process")
    timing.grid(True, which="both", alpha=0.3)
    timing.legend()

    by_case: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_case.setdefault(row["case"], {})[row["solver"]] = row
    cases = [c for c, solvers_of in by_case.items() if solvers_of.get("planner", {}).get("ok")]
    peers = list(PEERS)
    width = 0.8 / len(peers)
    for index, peer in enumerate(peers):
        values, labels = [], []
        for case in cases:
            reference, row = by_case[case]["planner"], by_case[case].get(peer, {})
            if row.get("ok") and row.get("travel_minutes") is not None and reference.get("travel_minutes"):
                values.append(row["travel_minutes"] / reference["travel_minutes"])
                offered = row.get("optional_offered") or 0
                share = f"{100 * (row.get('optional_attendance') or 0) / offered:.0f}%" if offered else "—"
                labels.append(f"{row.get('violations', 0)}\n{share}")
            else:
                values.append(0.0)
                labels.append("—")
        positions = [c + (index - (len(peers) - 1) / 2) * width for c in range(len(cases))]
        bars = quality.bar(positions, values, width, label=peer)
        for bar, label in zip(bars, labels):
            quality.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 0.03, label, ha="center",
                         fontsize=7)
    quality.set_ylim(0, max(1.0, quality.get_ylim()[1]) * 1.15)
    quality.axhline(1.0, color="black", linewidth=0.8)
    quality.set_xticks(range(len(cases)), cases, rotation=20, ha="right", fontsize=8)
    quality.set_ylabel("travel minutes ÷ planner's")
    quality.set_title("Schedule quality (above a bar: violations, then optional attendance; — no answer)",
                      fontsize=10)
    quality.legend(fontsize=8)
    write_png(path, figure)
    plt.close(figure)


def plot_scaling(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    planner_rows = sorted((r for r in rows if r.get("solver") == "planner" and r.get("ok")),
                          key=lambda r: r["activities"])
    figure, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    activities = [r["activities"] for r in planner_rows]
    for key, label in (("build", "model built"), ("first_solution_seconds", "first solution"),
                       ("placement", "objectives 1–2 proved"), ("one_percent_seconds", "within 1% of bound"),
                       ("wall_seconds", "finished")):
        values = []
        for r in planner_rows:
            if key == "build":
                values.append((r.get("build_seconds") or 0) + (r.get("travel_build_seconds") or 0))
            elif key == "placement":
                values.append(r.get("placement_done_seconds") if r.get("placement_optimal") else None)
            else:
                values.append(r.get(key))
        xs = [a for a, v in zip(activities, values) if v is not None]
        ys = [v for v in values if v is not None]
        if ys:
            times.plot(xs, ys, marker="o", label=label)
    times.set_xscale("log")
    times.set_yscale("log")
    times.set_xlabel("activities (delegates: 5 × activities, 2 × for the smallest)")
    times.set_ylabel("seconds from the start of solve")
    times.set_title("planner: time")
    times.grid(True, alpha=0.3)
    times.legend()
    memory.plot(activities, [r.get("peak_mib") for r in planner_rows], marker="o", color="purple")
    memory.set_xlabel("activities")
    memory.set_ylabel("peak resident memory, MiB")
    memory.set_ylim(bottom=0)
    memory.set_title("planner: memory")
    memory.grid(True, alpha=0.3)
    write_png(path, figure)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny missions only (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results")
    arguments = parser.parse_args(argv)
    plan = QUICK if arguments.quick else FULL
    started = time.monotonic()
    machine = measure.machine()
    _log(f"machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory_gib']} GiB; "
         f"OR-Tools {machine['ortools']}, PyJobShop {machine['pyjobshop']}, "
         f"conference-scheduler {machine['conference-scheduler']} (PuLP {machine['pulp']}, CBC)")
    _log("1. the peers on the same missions")
    peer_rows = run_peers(plan)
    _log("2–3. planner's scaling curve, and the greedy planner on the same missions")
    scaling_rows = run_scaling(plan)
    elapsed = time.monotonic() - started
    greedy_rows = peer_rows + scaling_rows
    caps = ", ".join(f"{case['name']} {cap:.0f} s" for case, cap in plan["peer_cases"])
    document = "\n".join([
        "# planner beside the alternatives (benchmarks/compare.py)\n",
        f"Machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory_gib']} GiB RAM; Python "
        f"{machine['python']}, {machine['system']}; OR-Tools {machine['ortools']}, PyJobShop "
        f"{machine['pyjobshop']}, conference-scheduler {machine['conference-scheduler']} with PuLP "
        f"{machine['pulp']} (CBC). Every run in its own process, 2 CP-SAT workers, seed 0; whole run "
        f"{elapsed / 60:.1f} min; load average {machine['load_average']} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end (the machine is shared).\n",
        "## 1. The peers on the same missions\n",
        f"Each solver capped at {caps} "
        "(planner's time limit is the same cap; loading the mission is not counted). Objectives "
        "measured on each schedule by one yardstick (benchmarks/peers/objectives.py); violations counted by "
        "`planner.check`.\n",
        peers_table(peer_rows),
        "## 2. The greedy first-fit planner against planner\n",
        greedy_table(greedy_rows),
        "## 3. planner's scaling curve\n",
        scaling_table(scaling_rows),
    ])
    print()
    print(document)
    arguments.out.mkdir(parents=True, exist_ok=True)
    write_atomic(arguments.out / "compare.md", document)
    write_csv(arguments.out / "compare.csv", peer_rows + scaling_rows)
    write_json(arguments.out / "compare.json", {"machine": machine, "elapsed_seconds": round(elapsed, 1),
                                                "peers": peer_rows, "scaling": scaling_rows})
    plot_peers(peer_rows, arguments.out / "peers.png")
    plot_scaling(scaling_rows, arguments.out / "scaling.png")
    _log(f"wrote compare.md, compare.csv, compare.json, peers.png, scaling.png to {arguments.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
