"""Bad input on the command line and in files: a clear message and exit status 2, never a traceback,
nothing written (issue 12, findings 3, 4, 6, 7 and 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, ROOT, VALID_SMALL_SCHEDULE
from test_text_limits import assert_usage_error, mission_file, run

# --- finding 3: tracebacks ----------------------------------------------------------------------------


def forbid_solving(monkeypatch) -> None:
    """Make building the CP-SAT model fail, wherever a module of planner holds a reference to it."""
    import planner.cli.solve  # noqa: F401 - imports whatever the command uses, before the patch
    import planner.solver.solve  # noqa: F401
    from planner.solver import model

    original = model.build_model

    def no_solving(*_: object, **__: object) -> None:
        raise AssertionError("the solver ran before the output folder was checked")

    for name, module in list(sys.modules.items()):
        if name.startswith("planner.") and getattr(module, "build_model", None) is original:
            monkeypatch.setattr(module, "build_model", no_solving)


def test_out_naming_an_existing_file_is_refused_before_solving(tmp_path: Path, monkeypatch) -> None:
    forbid_solving(monkeypatch)
    existing = tmp_path / "taken"
    existing.write_text("mine", encoding="utf-8")
    result = run("solve", EXAMPLE_SMALL, "--out", existing, "--quiet", "--time-limit", "5")
    assert_usage_error(result, "--out", str(existing))
    assert existing.read_text(encoding="utf-8") == "mine"


def _unwritable(tmp_path: Path) -> Path:
    """A folder that cannot be created: under /proc as root (root ignores modes), else in a read-only one."""
    if os.geteuid() == 0:
        return Path("/proc/planner-cannot-write-here/out")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    return locked / "out"


def test_unwritable_output_folder_is_refused_before_solving(tmp_path: Path, monkeypatch) -> None:
    forbid_solving(monkeypatch)
    target = _unwritable(tmp_path)
    result = run("solve", EXAMPLE_SMALL, "--out", target, "--quiet", "--time-limit", "5")
    assert_usage_error(result, "--out", f"the folder {target} cannot be created in ", "(the system says: ",
                       "name a folder in a place you may write to")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="a system without /proc")
def test_an_output_folder_in_proc_is_said_not_to_be_creatable_there(tmp_path: Path, monkeypatch) -> None:
    """Not `cannot write into /proc: No such file or directory`, which reads as if /proc were missing."""
    forbid_solving(monkeypatch)
    result = run("solve", EXAMPLE_SMALL, "--out", "/proc/nope", "--quiet")
    assert_usage_error(result, "error: --out: the folder /proc/nope cannot be created in /proc (the "
                                               "system says: ", "name a folder in a place you may write to")
    assert "cannot write into" not in result.output


def test_calendars_into_an_unwritable_folder(tmp_path: Path) -> None:
    result = run("calendars", EXAMPLE_SMALL, "--schedule", VALID_SMALL_SCHEDULE, "--out", _unwritable(tmp_path))
    assert_usage_error(result, "--out")


def test_itinerary_into_an_unwritable_file(tmp_path: Path) -> None:
    target = _unwritable(tmp_path) / "astrid.html"
    result = run("itinerary", EXAMPLE_SMALL, "--schedule", VALID_SMALL_SCHEDULE, "--delegate", "astrid",
                 "--format", "html", "--out", target)
    assert_usage_error(result, "--out", f"the file {target} cannot be written in ", "(the system says: ")


def test_validate_dev_zero_under_a_memory_limit() -> None:
    """The file is read up to the size limit, not whole: /dev/zero is refused in a 1 GB address space."""
    script = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
              "sys.argv = ['planner', 'validate', '/dev/zero']; from planner.launch import main; main()")
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                               env=environment)
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "/dev/zero" in completed.stderr and "MB" in completed.stderr, completed.stderr


# --- finding 4: options checked before anything runs ----------------------------------------------------


@pytest.mark.parametrize(("option", "value"), [
    ("--time-limit", "nan"), ("--time-limit", "-5"), ("--time-limit", "0"), ("--time-limit", "inf"),
    ("--workers", "0"), ("--workers", "100000"), ("--seed", "-1"), ("--seed", "99999999999999999999"),
])
def test_odd_option_values_are_usage_errors(option: str, value: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("solve", EXAMPLE_SMALL, "--out", out, "--quiet", option, value)
    assert_usage_error(result, option)
    assert not out.exists()


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--workers", "abc", '"abc" is not a whole number; write one such as 2'),
    ("--workers", "1.5", '"1.5" is not a whole number; write one such as 2'),
    ("--seed", "x", '"x" is not a whole number; write one such as 0'),
    ("--time-limit", "1.5x", '"1.5x" is not a number of seconds; write one such as 60'),
    ("--meetings-time-limit", "soon", '"soon" is not a number of seconds; write one such as 60'),
])
def test_a_number_option_that_is_no_number_says_so_in_its_own_words(option: str, value: str, says: str,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("solve", EXAMPLE_SMALL, "--out", out, "--quiet", option, value)
    assert_usage_error(result, option, says)
    assert "Input should be" not in result.output  # pydantic's words, which typer would print
    assert not out.exists()


# --- finding 7: positions and user text printed literally -------------------------------------------------


def test_a_position_at_line_100_is_not_an_emoji(tmp_path: Path) -> None:
    path = tmp_path / "mission.yaml"
    lines = (EXAMPLE_SMALL.read_text(encoding="utf-8") + "\n" * 120).splitlines()
    lines[99] = "bogus_key_at_line_100: 1"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", path)
    assert_usage_error(result, f"{path}:100:1")
    assert "💯" not in result.output


def test_user_text_is_printed_literally_by_validate(tmp_path: Path) -> None:
    name = "Mission :100: :smile: [bold]x[/bold]"
    path = mission_file(tmp_path, name=f'"{name}"', delegate='"[red]Ann[/red]"')
    path.write_text(path.read_text(encoding="utf-8").replace("delegates: [{id: ann,",
                                                             "groups: [{id: g, kind: ':thumbs_up: [i]k[/i]', "
                                                             "members: [ann]}]\ndelegates: [{id: ann,"),
                    encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert name in result.output
    assert ":thumbs_up: [i]k[/i]" in result.output
    assert "😄" not in result.output and "💯" not in result.output and "👍" not in result.output


def test_check_report_prints_positions_literally(tmp_path: Path) -> None:
    mission = tmp_path / "mission.yaml"
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    line = text.splitlines().index(next(row for row in text.splitlines() if "id: wallonia-briefing" in row)) + 1
    mission.write_text("# padding\n" * (100 - line) + text, encoding="utf-8")  # the activity on line 100
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    document["activities"][0]["venue"] = "stanford"  # a violation that names the activity's line
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps(document), encoding="utf-8")
    result = run("check", mission, schedule)
    assert result.exit_code == 1, result.output
    assert f"{mission}:100:5" in result.output
    assert "💯" not in result.output


def test_every_console_is_made_by_the_literal_factory() -> None:
    """rich turns `:100:` into an emoji and reads `[x]` as markup unless told not to: one factory makes
    every Console, with emoji and highlighting off."""
    offenders = []
    for path in (ROOT / "src" / "planner").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if "Console(" in line and path.name != "terminal.py":
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []




@pytest.mark.parametrize(("option", "value"), [("--time-limit", "nan"), ("--workers", "0"), ("--seed", "-1"),
                                               ("--time-limit", "a minute"), ("--workers", "two"),
                                               ("--seed", "0x1")])
def test_odd_option_values_of_replan_are_usage_errors(option: str, value: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("replan", EXAMPLE_SMALL, "--baseline", VALID_SMALL_SCHEDULE, "--now", "2025-10-07 12:00",
                 "--out", out, "--quiet", option, value)
    assert_usage_error(result, option)
    assert "Input should be" not in result.output
    assert not out.exists()


# --- usage errors in planner's style (planner.cli.usage) ----------------------------------------------------


@pytest.mark.parametrize(("arguments", "line"), [
    # click suggests nothing for a short option: the long one it begins is what was meant.
    (["solve", "-q", str(EXAMPLE_SMALL)], "error: -q: planner solve has no such option; did you mean --quiet?"),
    (["itinerary", "--sched", "x"], "error: --sched: planner itinerary has no such option; did you mean "
                                    "--schedule?"),
    (["solve"], "error: command line: planner solve needs its MISSION argument"),
    (["notify", "out"], "error: command line: planner notify needs its --smtp option"),
    (["solv"], "error: command line: no such command 'solv'; did you mean 'solve'?"),
    (["solve", str(EXAMPLE_SMALL), "--time-limit", "abc"],
     'error: --time-limit: "abc" is not a number of seconds; write one such as 60'),
    (["solve", str(EXAMPLE_SMALL), "--out"], "error: --out: requires an argument"),
])
def test_a_usage_error_is_said_as_every_other_bad_input(arguments: list[str], line: str) -> None:
    """Not click's box (`Usage: …`, `Try …`, `Error: No such option: -q`): planner's `error: WHERE: WHAT`,
    the command's --help to read, and exit 2."""
    result = run(*arguments)
    command = "planner" if arguments == ["solv"] else f"planner {arguments[0]}"
    assert_usage_error(result, line, f"{command} --help")
    assert result.output.splitlines()[0] == line, result.output
    assert "Usage:" not in result.output and "Error:" not in result.output, result.output


def test_help_and_no_arguments_still_show_the_help() -> None:
    result = run("solve", "--help")
    assert result.exit_code == 0 and result.output.startswith("Usage: planner solve [OPTIONS]"), result.output
    result = run()
    assert result.output.startswith("Usage: planner [OPTIONS] COMMAND"), result.output
    assert not result.output.startswith("error")
