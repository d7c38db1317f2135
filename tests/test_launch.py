"""The `planner` command's entry point (planner.launch): a solving command starts the solver's process
first; every command ends with its own exit status and all it printed, although the process skips
Python's teardown (os._exit after the exit handlers)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, ROOT, VALID_SMALL_SCHEDULE

from planner.launch import OUTPUT_CLOSED, exit_status, solves


@pytest.mark.parametrize(("arguments", "expected"), [
    (["solve", "mission.yaml"], True),
    (["replan", "mission.yaml", "--schedule", "s.json"], True),
    (["solve", "--help"], False),
    (["solve", "mission.yaml", "-h"], False),
    (["validate", "mission.yaml"], False),
    (["--help"], False),
    (["--version"], False),
    ([], False),
])
def test_only_a_solving_command_starts_the_solver_process(arguments: list[str], expected: bool) -> None:
    assert solves(arguments) is expected


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), (130, 130), ("a message", 1)])
def test_exit_status_is_what_python_gives_system_exit(code: object, status: int) -> None:
    assert exit_status(code) == status


def planner(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`planner ARGUMENTS` through the installed command's entry point, output piped (so that whatever is
    not flushed before the process ends is lost, and the test sees it)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", "from planner.launch import main; main()", *arguments],
                          capture_output=True, text=True, timeout=300, env=environment, check=False)


def test_a_solve_exits_0_with_its_whole_summary_printed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    completed = planner("solve", str(EXAMPLE_SMALL), "--out", str(out), "--quiet")
    assert completed.returncode == 0, completed.stderr
    files = [path for path in out.rglob("*") if path.is_file()]
    assert (out / "schedule.json") in files
    # The last line printed (rich may wrap it): nothing was lost when the process skipped its teardown.
    printed = "".join(completed.stdout.split())
    assert printed.endswith(f"wrote{len(files)}filesto{out}"), completed.stdout


def test_bad_input_exits_2_with_its_message(tmp_path: Path) -> None:
    mission = tmp_path / "mission.yaml"
    mission.write_text("name: [unclosed\n", encoding="utf-8")
    completed = planner("solve", str(mission), "--out", str(tmp_path / "out"), "--quiet")
    assert completed.returncode == 2, completed.stderr
    assert f"{mission}:" in completed.stderr and "nothing was written" in completed.stderr, completed.stderr
    assert not (tmp_path / "out").exists()


def test_a_usage_error_exits_2_and_help_exits_0() -> None:
    assert planner("solve", "--no-such-option").returncode == 2
    completed = planner("solve", "--help")
    assert completed.returncode == 0 and "--time-limit" in completed.stdout


def test_version_prints_the_packages_version_without_starting_the_solver() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # Which modules the command imported, seen after it ran and before the process ends.
    script = ("import sys; from planner.launch import main; sys.argv = ['planner', '--version']\n"
              "try: main()\nfinally: print(sorted(name for name in ('planner.isolated', 'ortools') "
              "if name in sys.modules), file=sys.stderr)")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                               env=environment, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == f"planner {version}\n"
    assert completed.stderr.strip() == "[]"


def into_a_closed_pipe(*arguments: str, stream: str = "stdout") -> subprocess.CompletedProcess[str]:
    """`planner ARGUMENTS` with `stream` (stdout or stderr) a pipe whose reader is gone, as `| head` once it
    has its lines: its first write there fails with EPIPE. The other stream is captured."""
    reading, writing = os.pipe()
    os.close(reading)
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: writing}
    try:
        return subprocess.run([sys.executable, "-c", "from planner.launch import main; main()", *arguments],
                              text=True, timeout=300, env=environment, check=False, **streams)
    finally:
        os.close(writing)


@pytest.mark.parametrize("arguments", [
    ["--version"],  # rich, in typer's own options
    ["--help"],  # click's echo
    ["schema"],  # sys.stdout.write
    ["validate", str(EXAMPLE_SMALL)],
    ["check", str(EXAMPLE_SMALL), str(VALID_SMALL_SCHEDULE)],
    ["itinerary", str(EXAMPLE_SMALL), "--schedule", str(VALID_SMALL_SCHEDULE), "--group", "wallonia"],
])
def test_a_reader_that_stops_reading_ends_the_command_quietly_with_141(arguments: list[str]) -> None:
    completed = into_a_closed_pipe(*arguments)
    assert completed.stderr == ""  # neither a message nor "Exception ignored ... BrokenPipeError"
    assert completed.returncode == OUTPUT_CLOSED == 141


def test_a_solve_whose_reader_stopped_reading_has_written_its_outputs(tmp_path: Path) -> None:
    completed = into_a_closed_pipe("solve", str(EXAMPLE_SMALL), "--out", str(tmp_path / "out"), "--quiet")
    assert (completed.returncode, completed.stderr) == (OUTPUT_CLOSED, "")
    # The summary comes after the output folder is swapped in: cutting it short loses no file.
    assert (tmp_path / "out" / "schedule.json").is_file()


def test_a_diff_whose_reader_stopped_reading_has_written_its_page(tmp_path: Path) -> None:
    page = tmp_path / "changes.html"
    schedule = str(VALID_SMALL_SCHEDULE)
    completed = into_a_closed_pipe("diff", schedule, schedule, "--html", str(page))
    assert (completed.returncode, completed.stderr) == (OUTPUT_CLOSED, "")
    assert page.is_file()


def test_errors_into_a_closed_pipe_end_quietly_with_141(tmp_path: Path) -> None:
    mission = tmp_path / "mission.yaml"
    mission.write_text("name: [unclosed\n", encoding="utf-8")
    completed = into_a_closed_pipe("validate", str(mission), stream="stderr")
    assert (completed.returncode, completed.stdout) == (OUTPUT_CLOSED, "")


def _torn_down(tmp_path: Path, script: str) -> bool:
    """Run `script` in a fresh interpreter after registering an exit handler that leaves a file: whether
    that handler ran (Python's teardown ran, not an `os._exit` before it)."""
    marker = tmp_path / "torn-down"
    handler = f"import atexit; atexit.register(lambda: open({str(marker)!r}, 'w').close())"
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", f"{script}; {handler}; import planner.solver_server"],
                   env=environment, check=True, timeout=60)
    return marker.exists()


def test_the_solver_server_ends_without_python_teardown(tmp_path: Path) -> None:
    # Started as multiprocessing starts a fork server: its exit handlers end it before the one above runs.
    assert not _torn_down(tmp_path, "from multiprocessing.forkserver import main")


def test_importing_the_solver_server_module_elsewhere_changes_nothing(tmp_path: Path) -> None:
    assert _torn_down(tmp_path, "import multiprocessing.forkserver")


def _library_threads(preset: str | None) -> str:
    """What OPENBLAS_NUM_THREADS the command leaves in its environment (which the fork server and every
    process it starts inherit), given the caller's."""
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    environment["PYTHONPATH"] = str(ROOT / "src")
    if preset is not None:
        environment["OPENBLAS_NUM_THREADS"] = preset
    script = ("import os, sys; from planner.launch import main; sys.argv = ['planner', '--help']\n"
              "try: main()\nfinally: print('threads=' + os.environ.get('OPENBLAS_NUM_THREADS', 'unset'))")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                               env=environment, check=False)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip().splitlines()[-1]


def test_the_command_asks_numpy_for_one_thread_unless_told_otherwise() -> None:
    assert _library_threads(None) == "threads=1"
    assert _library_threads("4") == "threads=4"


def test_python_m_planner_is_the_planner_command(tmp_path: Path) -> None:
    """`python -m planner` where the `planner` script is not on the PATH: the same command, including a
    solve, whose solver processes import `__main__` again without running the command twice."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = tmp_path / "out"
    completed = subprocess.run([sys.executable, "-m", "planner", "solve", str(EXAMPLE_SMALL), "--out", str(out),
                                "--quiet", "--time-limit", "30"],
                               capture_output=True, text=True, timeout=300, env=environment, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.count("wrote ") == 1, completed.stdout
    assert (out / "schedule.json").is_file()


def test_ctrl_c_has_one_exit_status_that_launch_reads_without_importing_the_command_line() -> None:
    """130 is written once, in the package itself: planner.launch (Ctrl-C before the command's own handler)
    and planner.cli (Ctrl-C during a command) give the same status, and launch, the layer above cli, still
    imports nothing of the command line before it starts the solver's process."""
    import planner
    from planner.cli.app import INTERRUPTED as during_a_command
    from planner.launch import INTERRUPTED as before_the_command_line

    def assigns_interrupted(node: ast.stmt) -> bool:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        return any(isinstance(target, ast.Name) and target.id == "INTERRUPTED" for target in targets)

    package = ROOT / "src" / "planner"
    defining = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                      if any(map(assigns_interrupted, ast.parse(path.read_text(encoding="utf-8")).body)))
    assert defining == ["__init__.py"]
    assert during_a_command == before_the_command_line == planner.INTERRUPTED == 130
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    script = "import sys, planner.launch; print(sorted(m for m in sys.modules if m.startswith('planner.cli')))"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                               env=environment, check=False)
    assert completed.stdout.strip() == "[]", completed.stderr
