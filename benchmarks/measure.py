"""Measuring one solver on one mission, each run in a fresh child process.

A run is isolated in its own process (multiprocessing, spawn) so that its peak memory (`ru_maxrss` of the
child) is its own, a run that will not stop is killed at its cap, and one that would eat the machine is
stopped by an address-space limit. Every run returns a plain dict (JSON-able), so that the tables, the
CSV and the plot are made from the same figures.

Missions are named by a *case*: `{"name": ..., "file": path}` for a mission file, or
`{"name": ..., "activities": n, "delegates": m, "seed": s}` for a mission made by
`planner.testing.generate.generate_mission` (with `"common": true`, cut down to what every peer can
express: all activities required, no optional attendees, no `after`, no rules, fixed starts and windows
loosened to their dates); the child loads or generates it before
the clock starts.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import platform
import queue
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
EXAMPLE_SMALL = ROOT.parent / "shared" / "spec" / "example-small.yaml"
FLAGSHIP = ROOT / "examples" / "west-coast-2025" / "mission.yaml"

Case = dict[str, Any]


# --- the machine ------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Cores, CPU model and memory of this machine, and the versions that matter."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gib = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    versions = {}
    for package in ("ortools", "pyjobshop", "conference-scheduler", "pulp"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # a peer that is not installed is reported, not fatal
            versions[package] = "not installed"
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": round(os.getloadavg()[0], 2),

        **versions,
    }


# --- missions -----------------------------------------------------------------------------------------------


def load_case(case: Case):
    """The `Mission` a case names."""
    if "file" in case:
        from planner.mission.load import load_mission

        return load_mission(Path(case["file"]))
    from planner.testing.generate import generate_mission

    if not case.get("common"):
        mission, _planted = generate_mission(case["activities"], case["delegates"], case.get("seed", 0))
        return mission
    # What every peer can express: every activity required, no optional attendees, no `after`, no rules,
    # and a fixed start or windows loosened to the date they lie on (a slot grid holds no exact time).
    import dataclasses

    mission, _planted = generate_mission(case["activities"], case["delegates"], case.get("seed", 0), rules=(),
                                         optional_share=0.0, after_share=0.0)
    activities = {}
    for key, activity in mission.activities.items():
        zone = mission.leg_of_activity(key).zone
        dates = activity.dates
        if activity.fixed is not None:
            dates = (activity.fixed.astimezone(zone).date(),)
        elif activity.windows:
            dates = tuple(sorted({w.start.astimezone(zone).date() for w in activity.windows}))
        activities[key] = dataclasses.replace(activity, optional_attendees=(), optional_attendee_refs=(),
                                              after=(), fixed=None, windows=(), dates=dates)
    return dataclasses.replace(mission, activities=activities)


def describe(mission) -> dict[str, Any]:
    return {
        "activities": len(mission.activities),
        "delegates": len(mission.delegates),
        "headcount": sum(d.size for d in mission.delegates.values()),
        "venues": len(mission.venues),
        "optional_activities": sum(1 for a in mission.activities.values() if not a.required),
    }


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measures(mission, schedule) -> dict[str, Any]:
    sys.path.insert(0, str(BENCHMARKS))
    from peers.objectives import measure

    return measure(mission, schedule).as_row()


# --- planner ---------------------------------------------------------------------------------------------


def _model_size(model) -> dict[str, int]:
    proto = model.proto
    intervals = sum(1 for c in proto.constraints if c.has_interval())
    return {"variables": len(proto.variables), "constraints": len(proto.constraints), "intervals": intervals}


def run_planner(case: Case, time_limit: float, workers: int = 2, seed: int = 0) -> dict[str, Any]:
    """planner's own solve, with the times of its first solution and of reaching 1% of the bound.

    The solve is `planner.pipeline.plan` itself (as `planner solve` runs it); `SolveOptions.on_progress` notes
    each improvement and bound.
    """
    import planner.diagnosis  # noqa: F401  (imported before the clock starts)
    import planner.pipeline as pipeline
    import planner.solver.solve as solving
    from planner.domain.solve_info import SolverInfo

    mission = load_case(case)
    events: list[tuple[float, str, float | None, float | None]] = []
    built_models: list[Any] = []
    started = [0.0]
    original_build = solving.build_model

    def record(progress: solving.Progress) -> None:
        events.append((time.monotonic() - started[0], progress.stage, progress.objective, progress.bound))

    build_times: list[float] = []

    def timed_build(*args: Any, **kwargs: Any):
        began = time.monotonic()
        built = original_build(*args, **kwargs)
        build_times.append(time.monotonic() - began)
        built_models.append(built)
        return built

    solving.build_model = timed_build
    options = solving.SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=False,
                                   on_progress=record)
    started[0] = time.monotonic()
    schedule = pipeline.plan(mission, options)
    wall = time.monotonic() - started[0]
    info = schedule.solver if schedule.solver is not None else SolverInfo()
    placement, travel = info.stage("placement"), info.stage("travel")

    def first_time(stage: str, within: float | None = None, final_bound: float | None = None) -> float | None:
        """When the stage's incumbent first existed (`within` None), or first lay within `within` of
        `final_bound` (the bound proved by the end: CP-SAT reports no bound event for its last proof)."""
        for at, event_stage, objective, bound in events:
            if event_stage != stage or objective is None:
                continue
            if within is None:
                return at
            reference = final_bound if final_bound is not None else bound
            if reference is not None and abs(objective - reference) <= within * max(abs(objective), 1):
                return at
        return None

    size = _model_size(built_models[-1].model) if built_models else {}
    objectives = schedule.objectives or {}
    bounds = schedule.objective_bounds or {}
    placement_proved = bounds.get("optional_attendees") is not None
    # Within 1% of the bound: of the last stage that ran (travel, unless there was nothing to travel).
    if travel is not None and travel.ran:
        one_percent = first_time("travel", 0.01, bounds.get("travel_minutes"))
    else:
        one_percent = first_time("placement", 0.01, (events[-1][3] if events else None))
    result = {
        "solver": "planner",
        **describe(mission),
        **size,
        "build_seconds": round(sum(build_times), 3),
        "travel_build_seconds": travel.build_seconds if travel is not None else None,
        "first_solution_seconds": first_time("placement"),
        "placement_seconds": placement.seconds if placement is not None else None,
        # From the start of solve (pre-checks and model included), like the first solution's time.
        "placement_done_seconds": (round(info.build_seconds + placement.seconds, 3)
                                   if info.build_seconds is not None and placement is not None
                                   and placement.seconds is not None else None),
        "placement_optimal": placement_proved,
        "one_percent_seconds": one_percent,
        "wall_seconds": round(wall, 3),
        "status": schedule.status,
        "objective": schedule.objective,
        "bound": schedule.bound,
        "gap": (None if schedule.objective is None or schedule.bound is None
                else abs(schedule.objective - schedule.bound) / max(abs(schedule.objective), 1)),
        "left_out_priority": objectives.get("left_out_priority"),
        "optional_attendees": objectives.get("optional_attendees"),
        "travel_minutes": objectives.get("travel_minutes"),
        "travel_bound": bounds.get("travel_minutes"),
        "peak_mib": round(_peak_mib(), 1),
    }
    result.update(_measures(mission, schedule) if schedule.has_programme else {})
    travel, travel_bound = result["travel_minutes"], result["travel_bound"]
    result["travel_gap"] = (None if travel is None or travel_bound is None
                            else (travel - travel_bound) / max(travel, 1))
    if case.get("outputs") and schedule.has_programme:
        result.update(time_outputs(mission, schedule))
    return result


def file_creation_microseconds(folder: Path, files: int = 2000) -> float:
    """Microseconds to create one empty file in a new folder inside `folder` (the mean of `files`): what the
    filesystem itself costs a writer of thousands of files: about ten on a RAM disk, up to several hundred
    on an ext4 without a journal, whose allocator checks each free inode for a deletion in the last
    minutes (docs/performance.md, "The disk")."""
    probe = Path(tempfile.mkdtemp(prefix="planner-files-", dir=folder))
    began = time.perf_counter()
    for number in range(files):
        os.close(os.open(probe / f"{number}.html", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    elapsed = time.perf_counter() - began
    shutil.rmtree(probe)
    return round(elapsed / files * 1e6, 1)


def system_seconds() -> float:
    """Processor seconds this process and its finished children spent in the kernel (files, memory)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_stime + children.ru_stime


def time_outputs(mission, schedule) -> dict[str, Any]:
    """Seconds to write everything `planner solve` writes (into an empty folder, then again into the folder
    holding that first run's files), the kernel's share of the first, what creating a file costs on this
    disk, each view's seconds (in a batch of its own, as the command writes them), and the number of files
    written. Then the same into an empty folder once more, as `planner solve` writes after its solve: its
    files reserved beforehand (`planner.mission.files.reserve_files`, which the command does while the
    solver works; its seconds are given apart)."""
    from planner.mission.files import output_batch, reserve_files
    from planner.mission.output_folder import stage_folder
    from planner.views import outputs

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="planner-outputs-") as folder:
        out = Path(folder) / "out"
        figures["file_create_us"] = file_creation_microseconds(Path(folder))
        began, kernel = time.monotonic(), system_seconds()
        written = outputs.write_outputs(mission, schedule, out)
        figures["output_seconds"] = round(time.monotonic() - began, 3)
        figures["output_system_seconds"] = round(system_seconds() - kernel, 3)
        figures["output_files"] = sum(1 for path in out.rglob("*") if path.is_file())
        began = time.monotonic()
        outputs.write_outputs(mission, schedule, out)
        figures["output_again_seconds"] = round(time.monotonic() - began, 3)
        reserved_out = Path(folder) / "reserved"
        with stage_folder(reserved_out, outputs.SCHEDULE_FILE) as staged:
            began = time.monotonic()
            figures["reserved_files"] = reserve_files(staged.path, outputs.files_to_write(mission))
            figures["reserve_seconds"] = round(time.monotonic() - began, 3)
            began = time.monotonic()
            outputs.write_outputs(mission, schedule, reserved_out, staged)
            figures["output_reserved_seconds"] = round(time.monotonic() - began, 3)
        for writer in outputs._programme_writers(Path(folder) / "none"):
            name = getattr(writer, "__name__", None) or writer.func.__name__
            target = Path(folder) / name
            target.mkdir()
            began = time.monotonic()
            with output_batch(target):
                writer(mission, schedule, target)
            figures[f"{name}_seconds"] = round(time.monotonic() - began, 3)
    figures["output_paths"] = len(written)
    return figures


# --- the peers ----------------------------------------------------------------------------------------------


def run_greedy(case: Case) -> dict[str, Any]:
    sys.path.insert(0, str(BENCHMARKS))
    from peers.greedy import greedy_schedule

    mission = load_case(case)
    began = time.monotonic()
    schedule = greedy_schedule(mission)
    wall = time.monotonic() - began
    return {"solver": "greedy", **describe(mission), "wall_seconds": round(wall, 3),
            "first_solution_seconds": round(wall, 3), "status": "feasible",
            "peak_mib": round(_peak_mib(), 1), **_measures(mission, schedule)}


def run_jobshop(case: Case, time_limit: float, workers: int = 2, seed: int = 0) -> dict[str, Any]:
    sys.path.insert(0, str(BENCHMARKS))
    import pyjobshop  # noqa: F401  (imported before the clock starts, like planner's own modules)
    from peers.jobshop import solve_jobshop

    mission = load_case(case)
    began = time.monotonic()
    run = solve_jobshop(mission, time_limit, workers, seed)
    wall = time.monotonic() - began
    result = {"solver": "pyjobshop", **describe(mission), "variables": run.variables,
              "constraints": run.constraints,
              "build_seconds": round(run.translate_seconds + run.build_seconds, 3),
              "first_solution_seconds": (None if run.first_solution_seconds is None else
                                         round(run.translate_seconds + run.build_seconds
                                               + run.first_solution_seconds, 3)),
              "wall_seconds": round(wall, 3), "status": run.status, "objective": run.objective,
              "bound": run.bound, "peak_mib": round(_peak_mib(), 1)}
    if run.schedule.has_programme:
        result.update(_measures(mission, run.schedule))
    return result


def run_conference(case: Case, time_limit: float) -> dict[str, Any]:
    sys.path.insert(0, str(BENCHMARKS))
    import conference_scheduler.scheduler  # noqa: F401  (imported before the clock starts)
    import pulp  # noqa: F401
    from peers.conference import solve_conference

    mission = load_case(case)
    began = time.monotonic()
    run = solve_conference(mission, time_limit)
    wall = time.monotonic() - began
    result = {"solver": "conference-scheduler", **describe(mission), "variables": run.variables,
              "constraints": run.constraints,
              "build_seconds": round(run.translate_seconds + run.build_seconds, 3),
              "first_solution_seconds": round(wall, 3) if run.schedule.has_programme else None,
              "wall_seconds": round(wall, 3), "status": run.status, "events": run.events, "slots": run.slots,
              "dropped_optional": run.dropped_optional, "peak_mib": round(_peak_mib(), 1)}
    if run.schedule.has_programme:
        result.update(_measures(mission, run.schedule))
    return result


RUNNERS = {"planner": run_planner, "greedy": run_greedy, "pyjobshop": run_jobshop,
           "conference-scheduler": run_conference}


# --- isolation ----------------------------------------------------------------------------------------------


def _child(answers: multiprocessing.Queue, solver: str, case: Case, kwargs: dict[str, Any],
           memory_limit_gib: float | None) -> None:
    # A group of its own, so that a run stopped at its cap takes its helpers (PuLP's cbc) along.
    os.setpgrp()
    if memory_limit_gib is not None:
        limit = int(memory_limit_gib * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(BENCHMARKS))
    try:
        answers.put({"ok": True, **RUNNERS[solver](case, **kwargs)})
    except MemoryError:
        answers.put({"ok": False, "solver": solver,
                     "failure": f"out of memory (limit {memory_limit_gib} GiB)",
                     "peak_mib": round(_peak_mib(), 1)})
    except BaseException as error:  # the parent reports any failure of a peer as a row, never a crash
        answers.put({"ok": False, "solver": solver, "failure": f"{type(error).__name__}: {error}",
                     "trace": traceback.format_exc(limit=3), "peak_mib": round(_peak_mib(), 1)})


def run_isolated(solver: str, case: Case, cap_seconds: float, memory_limit_gib: float | None = None,
                 **kwargs: Any) -> dict[str, Any]:
    """Run one solver on one case in a child process, killed after `cap_seconds` of wall time; a run that
    dies by a signal (seen: OR-Tools aborting inside PyJobShop's model, now and then) is run once more,
    and the row says so."""
    answer = _run_once(solver, case, cap_seconds, memory_limit_gib, **kwargs)
    if not answer.get("ok") and "died" in str(answer.get("failure")):
        again = _run_once(solver, case, cap_seconds, memory_limit_gib, **kwargs)
        again["retried_after"] = answer["failure"]
        answer = again
    return answer


def _run_once(solver: str, case: Case, cap_seconds: float, memory_limit_gib: float | None = None,
              **kwargs: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    answers: multiprocessing.Queue = context.Queue()
    # Not daemonic: a daemonic process may have no children, and `planner solve` writes its outputs on two
    # cores with a forked child (planner.views.outputs); the cap and Ctrl-C end the run's whole group.
    child = context.Process(target=_child, args=(answers, solver, case, kwargs, memory_limit_gib),
                            daemon=False)
    began = time.monotonic()
    child.start()
    answer: dict[str, Any] | None = None
    try:
        while answer is None:
            try:
                answer = answers.get(timeout=0.5)
            except queue.Empty:
                if time.monotonic() - began > cap_seconds:
                    answer = {"ok": False, "solver": solver,
                              "failure": f"stopped at the cap of {cap_seconds:.0f} s"}
                elif not child.is_alive():
                    try:  # the answer may have arrived just as the child ended
                        answer = answers.get(timeout=1)
                    except queue.Empty:
                        answer = {"ok": False, "solver": solver,
                                  "failure": f"the run died (exit status {child.exitcode}; "
                                            "killed for memory?)"}
    except BaseException:  # Ctrl-C: the child has a process group of its own and would not hear it
        _kill_group(child.pid)
        raise
    if str(answer.get("failure", "")).startswith("stopped"):
        _kill_group(child.pid)
    child.join(timeout=10)
    if child.is_alive():
        _kill_group(child.pid)
        child.join()
    answer["case"] = case["name"]
    answer["elapsed_seconds"] = round(time.monotonic() - began, 3)
    return answer


def _kill_group(pid: int) -> None:
    """Stop this run's own child and the helpers it started (its process group, made in `_child`)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
