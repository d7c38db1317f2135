"""planner solve on the flagship and on generated missions of growing size.

    python benchmarks/run.py                 # flagship, 100/500, 300/1,500, 1,000/5,000
    python benchmarks/run.py --sizes 100/500 --time-limit 30

For each mission, in its own process (benchmarks/measure.py): model size (variables, constraints,
intervals), build time, time to the first solution, each objective's value, the objective, its bound and
the gap, the solve time and the peak resident memory. Prints a table and writes it to
benchmarks/results/run.md and run.csv. Nothing here asserts a time: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
from report import markdown_table, number, percent, seconds, write_atomic, write_csv  # noqa: E402

DEFAULT_SIZES = ("100/500", "300/1500", "1000/5000")
OUTPUT_SIZES = ("1000/5000",)
"""Generated sizes whose outputs are written and timed (besides the flagship's)."""
TIME_LIMITS = {"flagship": 60.0, "100/500": 60.0, "300/1500": 60.0, "1000/5000": 120.0}


def cases(sizes: list[str], seed: int, include_flagship: bool) -> list[tuple[dict, float | None]]:
    result: list[tuple[dict, float | None]] = []
    if include_flagship:
        flagship = {"name": "flagship (west-coast-2025)", "file": str(measure.FLAGSHIP), "outputs": True}
        result.append((flagship, TIME_LIMITS["flagship"]))
    for size in sizes:
        activities, delegates = (int(part) for part in size.split("/"))
        result.append(({"name": f"generated {activities}/{delegates}", "activities": activities,
                        "delegates": delegates, "seed": seed, "outputs": size in OUTPUT_SIZES},
                       TIME_LIMITS.get(size, 60.0)))
    return result


def table(rows: list[dict]) -> str:
    headers = ["mission", "activities", "delegates", "variables", "constraints", "intervals", "build s",
               "first solution s", "objectives 1–2 proved s", "solve s", "status", "left-out priority",
               "optional attendees", "travel minutes", "travel bound", "travel gap", "objective", "bound",
               "gap", "violations", "peak MiB"]
    lines = []
    for row in rows:
        if not row.get("ok"):
            lines.append([row["case"], row.get("failure", "failed")] + ["—"] * 19)
            continue
        build = (row.get("build_seconds") or 0) + (row.get("travel_build_seconds") or 0)
        lines.append([
            row["case"], number(row.get("activities")), number(row.get("delegates")),
            number(row.get("variables")),
            number(row.get("constraints")), number(row.get("intervals")), seconds(build),
            seconds(row.get("first_solution_seconds")),
            seconds(row.get("placement_done_seconds") if row.get("placement_optimal") else None),
            seconds(row.get("wall_seconds")), str(row.get("status")),
            number(row.get("left_out_priority")), number(row.get("optional_attendees")),
            number(row.get("travel_minutes")), number(row.get("travel_bound")),
            percent(row.get("travel_gap")),
            number(row.get("objective")), number(row.get("bound")),
            percent(row.get("gap")), number(row.get("violations")), number(row.get("peak_mib")),
        ])
    return markdown_table(headers, lines)


def outputs_table(rows: list[dict], command: dict | None) -> str:
    """Writing the outputs (and, for the flagship, the whole `planner solve` command)."""
    headers = ["mission", "files", "outputs s", "of which kernel s", "creating a file µs",
               "again into the same folder s", "files reserved ahead (s)", "outputs after the solve s",
               "calendars s", "itineraries s", "overview s", "solve s", "whole command s",
               "command's own solve s"]
    lines = []
    for row in rows:
        if not row.get("ok") or "output_seconds" not in row:
            continue
        whole = own = None
        if command is not None and row["case"].startswith("flagship"):
            whole, own = command.get("seconds"), command.get("solve_seconds")
        lines.append([row["case"], number(row.get("output_files")), seconds(row.get("output_seconds")),
                      seconds(row.get("output_system_seconds")), str(row.get("file_create_us", "")),
                      seconds(row.get("output_again_seconds")),
                      f"{number(row.get('reserved_files'))} ({seconds(row.get('reserve_seconds'))})",
                      seconds(row.get("output_reserved_seconds")),
                      seconds(row.get("write_calendars_seconds")),
                      seconds(row.get("write_itineraries_seconds")),
                      seconds(row.get("write_overview_seconds")),
                      seconds(row.get("wall_seconds")), seconds(whole), seconds(own)])
    return markdown_table(headers, lines)


def command_lines(command: dict) -> str:
    """What the whole flagship command's figures say beyond the table."""
    lines = [f"\nWhole `planner solve` on the flagship: {seconds(command.get('seconds'))} s against its own "
             f"solve's {seconds(command.get('solve_seconds'))} s, of which the kernel "
             f"{seconds(command.get('system_seconds'))} s in the command's own processes; creating a file "
             f"on this disk {command.get('file_create_us')} µs. Run again into the folder of its first "
             f"run: {seconds(command.get('again_seconds'))} s."]
    if "memory_seconds" in command:
        lines.append(f"Writing into a RAM disk (/dev/shm) instead: {seconds(command.get('memory_seconds'))} "
                     f"s against its own solve's {seconds(command.get('memory_solve_seconds'))} s.")
    return " ".join(lines) + "\n" + runs_lines(command.get("runs", []))


def machine_speed() -> float:
    """Seconds a fixed piece of pure Python takes (ten million additions, one core). On a shared virtual
    machine the same loop takes up to twice as long from one minute to the next, so every time of a run is
    to be read against this figure, taken at its start and at its end."""
    began = time.perf_counter()
    total = 0
    for addend in range(10_000_000):
        total += addend
    return round(time.perf_counter() - began, 3)


def whole_command(mission: Path, time_limit: float, workers: int, seed: int, runs: int = 0) -> dict:
    """`planner solve` as a user runs it (a fresh process: imports, load, solve, every output), timed from
    outside; the solve's own seconds read back from the schedule.json it wrote. The first run writes on
    the disk, then again into its folder, then into a RAM disk; then `runs` more times on each, in turn
    with the flagship without its B2B requests (`WITHOUT_B2B`), each into a new folder (`timed_runs`): on
    a machine whose speed drifts, one run decides little."""
    import compileall
    import subprocess
    import tempfile

    import planner

    # planner's bytecode, as Python caches it on a user's first run (and pip when it installs a wheel):
    # without it (an editable install under PYTHONDONTWRITEBYTECODE=1, as on some CI machines) each of the
    # command's two Python processes would compile planner's modules anew, a fifth of a second each.
    compileall.compile_dir(Path(planner.__file__).parent, quiet=1)

    def command_for(file: Path) -> Callable[[Path], list[str]]:
        def command(folder: Path) -> list[str]:
            return [sys.executable, "-c", "from planner.launch import main; main()", "solve", str(file),
                    "--out", str(folder / "out"), "--quiet", "--time-limit", str(time_limit),
                    "--workers", str(workers), "--seed", str(seed)]
        return command

    command = command_for(mission)

    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="planner-command-") as folder:
        figures["file_create_us"] = measure.file_creation_microseconds(Path(folder))
        began, kernel = time.monotonic(), measure.system_seconds()
        first = _timed(command(Path(folder)), Path(folder))
        if "failure" in first:
            return first
        figures["system_seconds"] = round(measure.system_seconds() - kernel, 3)
        began = time.monotonic()
        subprocess.run(command(Path(folder)), capture_output=True, text=True, check=False)
        figures["again_seconds"] = round(time.monotonic() - began, 3)
    figures.update(first)
    memory = Path("/dev/shm")
    places = {"disk": None}
    if memory.is_dir() and os.access(memory, os.W_OK):
        # The same command writing into a RAM disk: what it costs where creating a file costs the disk
        # nothing (docs/performance.md, "The disk").
        places["RAM disk"] = memory
        with tempfile.TemporaryDirectory(prefix="planner-command-", dir=memory) as folder:
            in_memory = _timed(command(Path(folder)), Path(folder))
            if "failure" not in in_memory:
                figures["memory_seconds"] = in_memory["seconds"]
                figures["memory_solve_seconds"] = in_memory["solve_seconds"]
    if runs > 0:
        with tempfile.TemporaryDirectory(prefix="planner-variant-") as variant_folder:
            # The flagship as it was when the target was set (issue 16): no B2B requests to match. Its runs
            # go in turn with the others, so that the machine's drift touches both alike.
            variant = without_b2b_requests(mission, Path(variant_folder))
            commands = {place: (command, parent) for place, parent in places.items()}
            if variant is not None:
                commands[WITHOUT_B2B] = (command_for(variant), None)
            figures["runs"] = timed_runs(commands, runs)
    return figures


WITHOUT_B2B = "disk, the flagship without its B2B requests"
"""The runs of the flagship with its `meetings` and `counterparts` left out: its programme is the same
problem (the B2B sessions stay, as activities), and the command matches no meetings, as when the target
"the whole command at most twice its solve plus one second" was set (docs/performance.md)."""


def without_b2b_requests(mission: Path, folder: Path) -> Path | None:
    """A copy of `mission` in `folder` without its `meetings` (the B2B requests) and `counterparts`; None
    when it has neither."""
    from ruamel.yaml import YAML

    reader = YAML()  # round trip: the rest of the file as written
    document = reader.load(mission.read_text(encoding="utf-8"))
    if "meetings" not in document and "counterparts" not in document:
        return None
    for key in ("meetings", "counterparts"):
        document.pop(key, None)
    variant = folder / mission.name
    with variant.open("w", encoding="utf-8") as stream:
        reader.dump(document, stream)
    return variant


def _timed(arguments: list[str], folder: Path) -> dict:
    """One run of the command writing into `folder`/out: its seconds and the solve's own, or its failure."""
    import json
    import subprocess

    began = time.monotonic()
    finished = subprocess.run(arguments, capture_output=True, text=True, check=False)
    elapsed = round(time.monotonic() - began, 3)
    if finished.returncode != 0:
        return {"failure": finished.stderr[-500:], "seconds": elapsed}
    written = json.loads((folder / "out" / "schedule.json").read_text())
    return {"seconds": elapsed, "solve_seconds": written.get("solve_seconds"),
            "meetings_seconds": written.get("meetings_seconds")}


def timed_runs(commands: dict[str, tuple[Callable[[Path], list[str]], Path | None]], runs: int) -> list[dict]:
    """`runs` runs of each of `commands` (a name → the command for an output folder, and the folder to
    write under, None: the system's temporary folder), one after the other, each run into a new folder."""
    import tempfile

    timed = []
    for _ in range(runs):
        for place, (command, parent) in commands.items():
            with tempfile.TemporaryDirectory(prefix="planner-command-", dir=parent) as folder:
                timed.append({"place": place, **_timed(command(Path(folder)), Path(folder))})
    return timed


def runs_lines(runs: list[dict]) -> str:
    """Each place's runs against the target (twice the run's own solve plus one second), and how many met
    it."""
    lines = []
    for place in dict.fromkeys(run["place"] for run in runs):
        here = [run for run in runs if run["place"] == place and "failure" not in run]
        if not here:
            continue
        margins = [2 * run["solve_seconds"] + 1 - run["seconds"] for run in here]
        each = ", ".join(f"{seconds(run['seconds'])} s against {seconds(2 * run['solve_seconds'] + 1)}"
                         for run in here)
        line = (f"{place}: {each}; target met in {sum(1 for margin in margins if margin >= 0)} of "
                f"{len(here)}, median margin {statistics.median(margins):+.2f} s")
        matched = [run for run in here if run.get("meetings_seconds") is not None]
        if matched and place != WITHOUT_B2B:
            # The B2B matchmaking is a solve too (docs/performance.md, "The whole command, several runs").
            with_meetings = [2 * (run["solve_seconds"] + run["meetings_seconds"]) + 1 - run["seconds"]
                             for run in matched]
            line += (f" (counting the B2B matchmaking as solving: met in "
                     f"{sum(1 for margin in with_meetings if margin >= 0)} of {len(matched)}, median margin "
                     f"{statistics.median(with_meetings):+.2f} s)")
        lines.append(line)
    return ("Runs in turn, each against twice its own solve plus one second: " + "; ".join(lines) + ".\n"
            if lines else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Solve the flagship and generated missions; print the figures.")
    parser.add_argument("--sizes", nargs="*", default=list(DEFAULT_SIZES),
                        help="generated missions as ACTIVITIES/DELEGATES (default: %(default)s)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per mission (default: by size)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--mission-seed", type=int, default=1, help="generator seed")
    parser.add_argument("--no-flagship", action="store_true")
    parser.add_argument("--command-runs", type=int, default=3,
                        help="more runs of the flagship's whole command, on the disk and in a RAM disk in "
                             "turn, beside the first ones (default: %(default)s; 0: none)")
    parser.add_argument("--out", type=Path, default=measure.BENCHMARKS / "results")
    arguments = parser.parse_args(argv)
    machine = measure.machine()
    print(f"machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory_gib']} GiB; "
          f"OR-Tools {machine['ortools']}", flush=True)
    rows = []
    speed_before = machine_speed()
    started = time.monotonic()
    command = None
    if not arguments.no_flagship:
        # First: the cases below write and delete some 12,000 files, whose freed inodes a disk such as this
        # machine's then makes every new file step over for minutes (docs/performance.md, "The disk").
        command = whole_command(measure.FLAGSHIP, arguments.time_limit or TIME_LIMITS["flagship"],
                                arguments.workers, arguments.seed, arguments.command_runs)
        print(f"  flagship, whole command: {command}", flush=True)
    for case, limit in cases(arguments.sizes, arguments.mission_seed, not arguments.no_flagship):
        limit = arguments.time_limit or limit
        # Writing thousands of files on a busy machine can take minutes: the cap leaves room for it.
        cap = limit + 180 + (900 if case.get("outputs") else 0)
        row = measure.run_isolated("planner", case, cap, time_limit=limit, workers=arguments.workers,
                                   seed=arguments.seed)
        row["time_limit"] = limit
        rows.append(row)
        if row.get("ok"):
            print(f"  {case['name']}: {row['status']}, objective {number(row.get('objective'))}, bound "
                  f"{number(row.get('bound'))}, {seconds(row.get('wall_seconds'))} s", flush=True)
        else:
            print(f"  {case['name']}: {row.get('failure')}", flush=True)
    document = (f"# planner solve at growing size (benchmarks/run.py)\n\nMachine: {machine['cores']} cores, "
                f"{machine['cpu']}, {machine['memory_gib']} GiB RAM; OR-Tools {machine['ortools']}; "
                f"{arguments.workers} workers, seed {arguments.seed}; whole run "
                f"{(time.monotonic() - started) / 60:.1f} min; load average {machine['load_average']} at the "
                f"start, {os.getloadavg()[0]:.2f} at the end; a fixed Python loop (`machine_speed`) "
                f"{speed_before} s at the start, {machine_speed()} s at the end.\n\n" + table(rows)
                + "\n## Outputs\n\n" + outputs_table(rows, command)
                + ("" if command is None else command_lines(command)))
    print()
    print(document)
    write_atomic(arguments.out / "run.md", document)
    write_csv(arguments.out / "run.csv", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
