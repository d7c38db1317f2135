"""planner publish of the flagship to a local Radicale: seconds and HTTP requests (by method), first run,
a second run of the same programme, and a run after one activity moved. Figures for people to read.

    python benchmarks/publish.py [--mission MISSION] [--schedule out/schedule.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console

USER, PASSWORD = "organiser", "benchmark-only"
WAITING = "ms waiting"


@contextmanager
def counted_requests() -> Iterator[Counter[str]]:
    """Every HTTP request the caldav client sends, by method (auth retries included: they are round trips),
    and under "seconds in requests" the wall time spent waiting for them, in milliseconds."""
    from caldav.lib.http_sync import requests

    counts: Counter[str] = Counter()
    session_class = requests.Session
    original = session_class.request

    def request(self, method, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts[str(method).upper()] += 1
        started = time.perf_counter()
        try:
            return original(self, method, *args, **kwargs)
        finally:
            counts[WAITING] += round((time.perf_counter() - started) * 1000)

    session_class.request = request
    try:
        yield counts
    finally:
        session_class.request = original


def moved_schedule(schedule: Path, target: Path) -> Path:
    """The schedule with its first activity an hour later: a small re-plan."""
    document = json.loads(schedule.read_text(encoding="utf-8"))
    activity = document["activities"][0]
    for key in ("start", "end"):
        activity[key] = (datetime.fromisoformat(activity[key]) + timedelta(hours=1)).isoformat()
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def main() -> int:
    from planner.mission.load import load_mission
    from planner.mission.schedule_file import read_programme, write_schedule
    from planner.pipeline import SolveOptions, plan
    from planner.testing.servers import local_radicale
    from planner.views.publish import publish_calendars

    parser = argparse.ArgumentParser()
    parser.add_argument("--mission", type=Path, default=Path("examples/west-coast-2025/mission.yaml"))
    parser.add_argument("--schedule", type=Path, default=None,
                        help="a schedule.json of the mission (default: the mission solved first, seed 0)")
    arguments = parser.parse_args()
    mission = load_mission(arguments.mission)
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    with tempfile.TemporaryDirectory() as folder, local_radicale(Path(folder), USER, PASSWORD) as url:
        solved = arguments.schedule
        if solved is None:
            solved = Path(folder) / "schedule.json"
            write_schedule(plan(mission, SolveOptions(time_limit=60, seed=0, progress=False)), solved)
        moved = moved_schedule(solved, Path(folder) / "moved.json")
        for label, path in (("first", solved), ("again, unchanged", solved), ("one activity moved", moved)):
            schedule = read_programme(mission, path)
            with counted_requests() as counts:
                started = time.perf_counter()
                status = publish_calendars(mission, schedule, url, USER, quiet, password=PASSWORD)
                seconds = time.perf_counter() - started
            waiting = counts.pop(WAITING, 0) / 1000
            total = sum(counts.values())
            by_method = ", ".join(f"{method} {n}" for method, n in counts.most_common())
            print(f"{label:20} exit {status}  {seconds:6.1f} s ({waiting:5.1f} s waiting for the server)  "
                  f"{total:6} requests ({by_method})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
