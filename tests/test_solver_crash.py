"""A crash of the solver's native code cannot take planner down: `planner solve` plans in a child process;
killed mid-solve (SIGKILL, as an abort in OR-Tools would end it), planner says so in one message, exits
with status 1 and writes nothing; Ctrl-C and --time-limit keep working through the child (issue 12,
finding 10)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import EXAMPLE_SMALL, ROOT

from planner.mission.output_folder import STAGING_PREFIX
from planner.mission.write import mission_to_yaml
from planner.testing.generate import generate_mission

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="signals as on Linux")]


def planner(*arguments: str) -> subprocess.Popen:
    """`planner ARGUMENTS` as its own process (the source of this checkout, through the entry point the
    installed command calls)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", "from planner.launch import main; main()", *arguments],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)


def long_mission(folder: Path) -> Path:
    """A mission whose solve runs for many seconds (150 activities, 600 delegates)."""
    mission, _ = generate_mission(150, 600, seed=1)
    path = folder / "mission.yaml"
    path.write_text(mission_to_yaml(mission), encoding="utf-8")
    return path


def solver_child(parent: subprocess.Popen, busy_seconds: float = 3.0, wait: float = 120.0) -> psutil.Process:
    """The solver's child process, once it has used `busy_seconds` of CPU (well into the solve)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        assert parent.poll() is None, parent.communicate()
        for child in psutil.Process(parent.pid).children(recursive=True):
            try:
                command = " ".join(child.cmdline())
                solver = "multiprocessing" in command and "resource_tracker" not in command
                # The fork server (started once, busy importing planner) is not the solver: its child is.
                solver = solver and not ("forkserver" in command and child.ppid() == parent.pid)
                if solver and child.cpu_times().user >= busy_seconds:
                    return child
            except psutil.NoSuchProcess:
                continue
        time.sleep(0.2)
    raise AssertionError("no solver child process appeared")


def killed_mid_solve(process: subprocess.Popen, busy_seconds: float = 3.0) -> str:
    """Kill planner's solver child with SIGKILL once it has worked `busy_seconds`; planner's error output,
    once it has ended with status 1 and no traceback."""
    try:
        solver_child(process, busy_seconds).send_signal(signal.SIGKILL)
        _, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1, errors
    assert "Traceback" not in errors, errors
    return errors


def leftovers(folder: Path) -> list[str]:
    return [entry.name for entry in folder.iterdir() if entry.name.startswith(STAGING_PREFIX)]


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_killed_solver_is_one_message_exit_1_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    quick = planner("solve", str(EXAMPLE_SMALL), "--out", str(out), "--quiet", "--time-limit", "20")
    assert quick.wait(timeout=300) == 0, quick.communicate()
    before = contents(out)
    process = planner("solve", str(long_mission(tmp_path)), "--out", str(out), "--quiet", "--time-limit", "120")
    errors = killed_mid_solve(process)
    assert "solver process was killed by SIGKILL" in errors and "nothing was written" in errors, errors
    assert contents(out) == before, "the previous output folder changed"
    assert leftovers(tmp_path) == []


def test_ctrl_c_stops_the_search_in_the_child_and_keeps_the_best(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = planner("solve", str(long_mission(tmp_path)), "--out", str(out), "--quiet", "--time-limit", "120")
    try:
        solver_child(process, busy_seconds=6.0)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in errors, errors
    assert process.returncode == 130, errors  # interrupted, though the best found is written
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert document["solver"]["interrupted"] is True
    assert document["status"] in ("feasible", "unknown", "optimal")
    assert leftovers(tmp_path) == []


def test_the_time_limit_holds_through_the_child(tmp_path: Path) -> None:
    out = tmp_path / "out"
    started = time.monotonic()
    process = planner("solve", str(long_mission(tmp_path)), "--out", str(out), "--quiet", "--time-limit", "3")
    _, errors = process.communicate(timeout=300)
    assert process.returncode in (0, 1), errors
    assert "Traceback" not in errors, errors
    assert json.loads((out / "schedule.json").read_text(encoding="utf-8"))["solver"]["time_limit"] == 3.0
    assert time.monotonic() - started < 120


def test_a_killed_replan_solver_is_one_message_exit_1_and_nothing_written(tmp_path: Path) -> None:
    """`planner replan` solves in a child process too: killed mid-solve, one message, the folder untouched.
    (Hinted with its baseline, the re-plan takes about a second: the child is killed as soon as it works.)"""
    mission = long_mission(tmp_path)
    baseline = tmp_path / "baseline"
    quick = planner("solve", str(mission), "--out", str(baseline), "--quiet", "--time-limit", "10")
    assert quick.wait(timeout=300) in (0, 1), quick.communicate()
    document = json.loads((baseline / "schedule.json").read_text(encoding="utf-8"))
    assert document["activities"], "the baseline has no programme"
    now = min(activity["start"] for activity in document["activities"])
    out = tmp_path / "out"
    shutil.copytree(baseline, out)
    before = contents(out)
    process = planner("replan", str(mission), "--baseline", str(baseline / "schedule.json"), "--now", now,
                      "--out", str(out), "--quiet", "--time-limit", "120")
    errors = killed_mid_solve(process, busy_seconds=0.05)
    # Killed mid-solve it is "killed by SIGKILL"; killed while still being handed the mission (a loaded
    # machine), the parent knows only that it ended: the same failure, said in one message either way.
    said = " ".join(errors.split())  # the terminal's line breaks aside
    assert "the solver process" in said and "before it returned a schedule" in said, errors
    assert "nothing was written" in said, errors
    assert contents(out) == before, "the previous output folder changed"
    assert leftovers(tmp_path) == []


def test_a_child_that_dies_while_handed_its_problem_is_a_solver_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed while the fork server writes it the mission, the child leaves the parent a broken pipe: that
    is the same failure as a death mid-solve (one message), never an input/output error of planner's."""
    from planner import isolated
    from planner.domain.errors import SolverFailure
    from planner.mission.load import load_mission
    from planner.solver.options import SolveOptions

    def dies_at_start(process) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(isolated._CONTEXT.Process, "start", dies_at_start)
    with pytest.raises(SolverFailure, match="before it returned a schedule.*nothing was written"):
        isolated.plan_isolated(load_mission(EXAMPLE_SMALL), SolveOptions(time_limit=5))
