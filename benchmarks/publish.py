"""planner publish of the flagship to a local Radicale: seconds and HTTP requests (by method), first run,
a second run of the same programme, and a run after one activity moved. Figures for people to read.

    PYTHONPATH=src python benchmarks/publish.py [--mission examples/west-coast-2025/mission.yaml]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
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
def radicale(storage: Path) -> Iterator[str]:
    """Radicale as the tests start it: htpasswd (plain), filesystem storage, a free localhost port."""
    users = storage.parent / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "", f"--server-hosts=127.0.0.1:{port}",
         "--auth-type=htpasswd", f"--auth-htpasswd-filename={users}", "--auth-htpasswd-encryption=plain",
         f"--storage-filesystem-folder={storage}", "--logging-level=warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Radicale did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


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
    from planner.mission.schedule_file import read_programme
    from planner.views.publish import publish_calendars

    parser = argparse.ArgumentParser()
    parser.add_argument("--mission", type=Path, default=Path("examples/west-coast-2025/mission.yaml"))
    parser.add_argument("--schedule", type=Path, default=Path("/tmp/h6/out/schedule.json"))
    arguments = parser.parse_args()
    mission = load_mission(arguments.mission)
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    with tempfile.TemporaryDirectory() as folder, radicale(Path(folder) / "storage") as url:
        moved = moved_schedule(arguments.schedule, Path(folder) / "moved.json")
        for label, path in (("first", arguments.schedule), ("again, unchanged", arguments.schedule),
                            ("one activity moved", moved)):
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
