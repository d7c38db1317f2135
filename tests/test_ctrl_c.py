"""Ctrl-C at any moment of `planner solve` (issue 16's review): exit 130, never a traceback, and either
nothing written (the previous folder as it was) or the best found by then written whole; after a Ctrl-C
the B2B matchmaking takes its short pass only (planner.pipeline)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, ROOT
from test_b2b_mission import MISSION, OPTIONS

import planner.pipeline as pipeline
from planner.mission.load import load_mission_text
from planner.mission.output_folder import STAGING_PREFIX


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def solve_interrupted(mission: Path, out: Path, after: float) -> subprocess.CompletedProcess[str]:
    """`planner solve` in a session of its own, its whole process group sent SIGINT `after` seconds once
    planner's own code runs, as a terminal's Ctrl-C reaches every process in the foreground group. Counted
    from there, not from the process's start: before it, the interpreter is still starting (its `site`
    imports), and a Ctrl-C then is Python's to report, whatever the program (on a loaded machine that
    start alone has taken more than 0.05 s)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started, starting = os.pipe()
    command = (f"from planner.launch import main; import os; os.write({starting}, b'.'); os.close({starting}); "
               "main()")
    process = subprocess.Popen([sys.executable, "-c", command, "solve",
                                str(mission), "--out", str(out), "--quiet", "--time-limit", "30"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
                               start_new_session=True, pass_fds=(starting,))
    os.close(starting)
    try:
        ready, _, _ = select.select([started], [], [], 120)
        assert ready and os.read(started, 1) == b".", "planner did not start"
    finally:
        os.close(started)
    time.sleep(after)
    with contextlib.suppress(ProcessLookupError):  # already ended
        os.killpg(process.pid, signal.SIGINT)
    output, errors = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, output, errors)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="signals as on Linux")
@pytest.mark.parametrize("after", [0.05, 0.3, 0.6, 1.0, 1.6])
def test_ctrl_c_at_any_moment_is_130_without_a_traceback(tmp_path: Path, after: float) -> None:
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, "-c", "from planner.launch import main; main()", "solve",
                            str(EXAMPLE_SMALL), "--out", str(out), "--quiet"],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert first.returncode == 0, first.stderr
    before = contents(out)
    finished = solve_interrupted(EXAMPLE_SMALL, out, after)
    if finished.returncode == 0:  # the whole command ended before the signal: nothing to say
        return
    assert finished.returncode == 130, finished.stderr
    assert "Traceback" not in finished.stderr + finished.stdout, finished.stderr
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.startswith(STAGING_PREFIX)] == []
    if "nothing" in finished.stderr:  # "nothing was written" / "nothing more was written"
        assert contents(out) == before, "the previous output folder changed"
    else:  # the search stopped: its best is written whole, and the command says so
        assert "interrupted: what was found by then is written" in finished.stdout, finished.stdout
        document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
        assert document["status"] in ("feasible", "optimal")


class _Sent:
    """The receiving end of the solver child's pipe, holding what the child sent."""

    def __init__(self, *messages: tuple[str, object]) -> None:
        self.messages = list(messages)

    def recv(self) -> tuple[str, object]:
        return self.messages.pop(0)


@pytest.mark.parametrize("status", ["unknown", "feasible"])
def test_a_search_stopped_before_a_programme_writes_nothing(status: str) -> None:
    """A Ctrl-C that stops the search before its first programme (status `unknown`) keeps the previous
    folder: a plain KeyboardInterrupt ("nothing more was written"), not a schedule to write over it."""
    from planner.domain.errors import Interrupted
    from planner.domain.schedule import Schedule
    from planner.isolated import _receive

    stopped = Schedule(mission="m", status=status)
    state = {"ready": True, "interrupts": 1}
    with pytest.raises(KeyboardInterrupt) as raised:
        _receive(_Sent(("ready", None), ("schedule", stopped)), None, state, None, None)
    assert isinstance(raised.value, Interrupted) == (status == "feasible")


def test_after_ctrl_c_in_the_search_the_meetings_take_the_short_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    mission = load_mission_text(MISSION)
    limits: list[float] = []
    solve = pipeline.with_meetings

    def watched(mission, schedule, options, replan=None):  # type: ignore[no-untyped-def]
        limits.append(options.meetings_time_limit)
        return solve(mission, schedule, options, replan)

    import planner.solver.solve as solver

    real = solver.solve

    def stopped(*arguments, **keywords):  # type: ignore[no-untyped-def]
        schedule = real(*arguments, **keywords)
        schedule.solver = dataclasses.replace(schedule.solver, interrupted=True)
        return schedule

    monkeypatch.setattr(pipeline, "with_meetings", watched)
    monkeypatch.setattr(solver, "solve", stopped)
    schedule = pipeline.plan(mission, OPTIONS)
    assert limits == [pipeline.MEETINGS_SECONDS_AFTER_CTRL_C]
    assert schedule.meetings, "the short pass schedules the meetings all the same"


def test_ctrl_c_in_the_matchmaking_keeps_the_programme_and_takes_the_short_pass(
        monkeypatch: pytest.MonkeyPatch) -> None:
    mission = load_mission_text(MISSION)
    limits: list[float] = []
    solve = pipeline.with_meetings

    def interrupted_once(mission, schedule, options, replan=None):  # type: ignore[no-untyped-def]
        limits.append(options.meetings_time_limit)
        if len(limits) == 1:
            raise KeyboardInterrupt
        return solve(mission, schedule, options, replan)

    monkeypatch.setattr(pipeline, "with_meetings", interrupted_once)
    schedule = pipeline.plan(mission, OPTIONS)
    assert limits == [OPTIONS.meetings_time_limit, pipeline.MEETINGS_SECONDS_AFTER_CTRL_C]
    assert schedule.has_programme and schedule.meetings


@pytest.mark.parametrize(("arguments", "expected"), [
    ([], 60.0),
    (["--time-limit", "1"], 1.0),
    (["--time-limit", "300"], 60.0),
    (["--time-limit", "1", "--meetings-time-limit", "20"], 20.0),
])
def test_a_short_time_limit_bounds_the_matchmaking_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       arguments: list[str], expected: float) -> None:
    # `--time-limit 1` on the flagship took 6.7 s: 0.7 s of programme, then up to a minute of matchmaking
    from typer.testing import CliRunner

    import planner.cli.solve_summary as summary
    from planner.cli import app

    heard: list[float] = []

    def run_solve(mission, options, out, console, staged=None):  # type: ignore[no-untyped-def]
        heard.append(options.meetings_time_limit)
        return 0

    monkeypatch.setattr(summary, "run_solve", run_solve)
    result = CliRunner().invoke(app, ["solve", str(EXAMPLE_SMALL), "--out", str(tmp_path / "out"), "--quiet",
                                      *arguments])
    assert result.exit_code == 0, result.output
    assert heard == [expected]
