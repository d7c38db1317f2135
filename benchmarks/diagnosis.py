"""How long the diagnosis of an infeasible mission takes, next to the solve that proved it infeasible.

The flagship (examples/west-coast-2025/mission.yaml) gets one injected conflict that the pre-checks cannot
see: a fixed three-hour royal audience on Wednesday 8 October that leaves no way to fit Princess Astrid's
visit to Microsoft (dated that day, 96 min from the Fairmont) and the Bay Area signing ceremony (window
14:00–19:00). `planner.pipeline.solve` runs as `planner solve` does; the clock is read when CP-SAT has proved
infeasibility and hands over to `planner.diagnosis.diagnose`, and again when the diagnosis returns.

    .venv/bin/python benchmarks/diagnosis.py [--runs 3] [--time-limit 60] [--workers 2] [--generated 1000]

Prints each run, then the medians and their ratio. Also times the pre-checks on the flagship and on the
flagship's activities copied twelve times (1,020 activities).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FLAGSHIP = ROOT / "examples" / "west-coast-2025" / "mission.yaml"

INJECTED = """\
  - {id: royal-audience, title: Royal audience with the Governor of California, kind: meeting,
     venue: fairmont-sf, duration: 3h, fixed: "2025-10-08 11:15", attendees: [astrid]}
"""


def injected_mission(directory: Path) -> Path:
    """The flagship with the royal audience appended to its activities."""
    text = FLAGSHIP.read_text(encoding="utf-8")
    position = text.index("\nrules:\n") + 1
    path = directory / "mission.yaml"
    path.write_text(text[:position] + INJECTED + text[position:], encoding="utf-8")
    return path


def scaled_flagship(copies: int, clashing: bool):
    """The flagship's activities `copies` times. With `clashing`, every copy keeps the same attendees (so
    fixed activities overlap: the pre-checks' worst case, hundreds of conflicts); without, each copy has
    its own delegates (a large mission with nothing to report)."""
    import dataclasses

    from planner.mission.load import load_mission

    mission = load_mission(FLAGSHIP)
    activities = {}
    delegates = dict(mission.delegates)
    for copy in range(copies):
        def rename(delegate_id: str, copy: int = copy) -> str:
            return delegate_id if clashing or copy == 0 else f"{delegate_id}~{copy}"

        for activity in mission.activities.values():
            new_id = f"{activity.id}~{copy}"
            activities[new_id] = dataclasses.replace(
                activity, id=new_id,
                after=tuple(dataclasses.replace(link, activity=f"{link.activity}~{copy}")
                            for link in activity.after),
                attendees=tuple(rename(d) for d in activity.attendees),
                optional_attendees=tuple(rename(d) for d in activity.optional_attendees))
        if not clashing and copy:
            for delegate in mission.delegates.values():
                delegates[rename(delegate.id)] = dataclasses.replace(delegate, id=rename(delegate.id))
    return dataclasses.replace(mission, activities=activities, delegates=delegates)


def time_prechecks() -> None:
    from planner.diagnosis import precheck
    from planner.testing.generate import generate_mission

    generated, _ = generate_mission(activities=1000, delegates=500, seed=1)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        found = precheck(generated)
        best = min(best, time.perf_counter() - started)
    print(f"pre-checks on a generated mission ({len(generated.activities)} activities, "
          f"{len(generated.delegates)} delegates, planted valid schedule): {best * 1000:.0f} ms, "
          f"{len(found)} conflicts reported")
    for clashing in (False, True):
        mission = scaled_flagship(12, clashing)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            found = precheck(mission)
            best = min(best, time.perf_counter() - started)
        print(f"pre-checks on the flagship ×12 ({len(mission.activities)} activities, "
              f"{len(mission.delegates)} delegates{', copies sharing delegates' if clashing else ''}): "
              f"{best * 1000:.0f} ms, {len(found)} conflicts reported")


def generated_with_triple_booking(activities: int):
    """A generated mission (planted valid schedule) whose busiest delegate gets three more required meetings
    (2 h, 2 h, 1 h) that can only take place 09:00–11:00 on the first two days: one too many, and no
    pre-check sees it (no date is certain)."""
    import dataclasses
    from collections import Counter

    from planner.domain import Activity, Window
    from planner.testing.generate import generate_mission

    mission, _ = generate_mission(activities=activities, delegates=activities // 2, seed=1)
    attendances = Counter(d for a in mission.activities.values() if a.required for d in a.attendees)
    busiest = attendances.most_common(1)[0][0]
    leg = mission.legs[0]
    venue = next(v for v in mission.venues.values() if v.city == leg.city and not v.open_hours)
    windows = tuple(Window(leg.local_instant(day, 9 * 60), leg.local_instant(day, 11 * 60))
                    for day in leg.days()[:2])
    injected = {f"injected-{n}": Activity(f"injected-{n}", f"Injected meeting {n}", (venue.id,), length,
                                          (busiest,), windows=windows)
                for n, length in ((1, 120), (2, 120), (3, 60))}
    return dataclasses.replace(mission, activities={**mission.activities, **injected})


def one_run(path: Path | None, time_limit: float, workers: int, seed: int, mission=None) -> dict[str, object]:
    import planner.diagnosis as explain
    from planner.mission.load import load_mission
    from planner.pipeline import SolveOptions, solve

    mission = mission if mission is not None else load_mission(path)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=False)
    clock: dict[str, float] = {}
    real_diagnose = explain.diagnose
    details: dict[str, object] = {}

    def timed_diagnose(mission_, options_):  # type: ignore[no-untyped-def]
        clock["proved"] = time.perf_counter()
        result = explain.run_diagnosis(mission_, options_)
        clock["diagnosed"] = time.perf_counter()
        details.update(tests=result.tests, parts=result.parts_tried)
        return result.conflicts

    explain.diagnose = timed_diagnose
    try:
        clock["start"] = time.perf_counter()
        schedule = solve(mission, options)
        clock["end"] = time.perf_counter()
    finally:
        explain.diagnose = real_diagnose
    if "proved" not in clock:
        raise SystemExit(f"the injected mission was not proved infeasible by CP-SAT "
                         f"(status {schedule.status}; {len(schedule.conflicts)} pre-check conflicts)")
    return {
        "status": schedule.status,
        "solve_seconds": clock["proved"] - clock["start"],
        "diagnosis_seconds": clock["diagnosed"] - clock["proved"],
        "conflicts": schedule.conflicts,
        **details,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--generated", type=int, default=0, metavar="N",
                        help="also a generated mission of N activities with an injected triple booking")
    arguments = parser.parse_args()

    from planner.diagnosis import precheck
    from planner.mission.load import load_mission

    time_prechecks()
    with tempfile.TemporaryDirectory() as directory:
        path = injected_mission(Path(directory))
        mission = load_mission(path)
        started = time.perf_counter()
        found = precheck(mission)
        precheck_seconds = time.perf_counter() - started
        print(f"flagship + injected conflict: {len(mission.activities)} activities, {len(mission.delegates)} "
              f"delegates; pre-checks {precheck_seconds * 1000:.0f} ms, {len(found)} found "
              "(CP-SAT must prove it)")
        runs = []
        for number in range(arguments.runs):
            run = one_run(path, arguments.time_limit, arguments.workers, arguments.seed)
            runs.append(run)
            print(f"run {number + 1}: solve to infeasibility {run['solve_seconds']:.2f} s, diagnosis "
                  f"{run['diagnosis_seconds']:.2f} s ({run['tests']} CP-SAT tests; "
                  f"parts {', '.join(run['parts'])})")
        solve_median = statistics.median(r["solve_seconds"] for r in runs)  # type: ignore[misc]
        diagnosis_median = statistics.median(r["diagnosis_seconds"] for r in runs)  # type: ignore[misc]
        print(f"median: solve to infeasibility {solve_median:.2f} s, diagnosis {diagnosis_median:.2f} s, "
              f"ratio {diagnosis_median / solve_median:.1f}")
        for conflict in runs[-1]["conflicts"]:  # type: ignore[union-attr]
            print(f"conflict: {conflict.message}")
            print(f"  activities {list(conflict.activities)}, delegates {list(conflict.delegates)}, "
                  f"rules {list(conflict.rules)}")
    if arguments.generated:
        mission = generated_with_triple_booking(arguments.generated)
        run = one_run(None, arguments.time_limit, arguments.workers, arguments.seed, mission=mission)
        print(f"generated mission ({len(mission.activities)} activities) + triple booking: "
              f"solve to infeasibility {run['solve_seconds']:.2f} s, "
              f"diagnosis {run['diagnosis_seconds']:.2f} s, "
              f"ratio {run['diagnosis_seconds'] / run['solve_seconds']:.1f} "
              f"({run['tests']} CP-SAT tests; parts {', '.join(run['parts'])})")
        for conflict in run["conflicts"]:  # type: ignore[union-attr]
            print(f"  activities {list(conflict.activities)}, delegates {list(conflict.delegates)}")


if __name__ == "__main__":
    main()
