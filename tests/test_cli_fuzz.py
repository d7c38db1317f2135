"""Fuzzing the whole command line: every command × mutated missions, mutated schedule.json files and odd
option values. Whatever the input: exit status 0, 1 or 2, never a traceback, nothing written outside
--out, and no output folder left half-written (issue 12).

Runs derandomized with a modest number of examples and one-second solves, so that CI stays short;
`PLANNER_FUZZ_EXAMPLES=500` explores further.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.output_folder import STAGING_PREFIX

MISSION_TEXT = EXAMPLE_SMALL.read_text(encoding="utf-8")
SCHEDULE_DOCUMENT = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
EXAMPLES = int(os.environ.get("PLANNER_FUZZ_EXAMPLES", "60"))

ODD_TEXT = st.sampled_from(["", " ", "0", "-1", "nan", "inf", "1e309", "99999999999999999999", "\x1b[31m", "\x07",
                            ":100:", "[bold]x[/bold]", "{", "[", "- -", "~", "!!python/object:os.system", "*a",
                            "&a", "<<: *a", "é" * 300, "x" * 5_001, "2025-02-30", "9999-12-31 23:59", "24:01",
                            "\ufeff", "\u202e", "a: b: c", "\t", "'", '"'])


@st.composite
def mutated_mission(draw) -> str:
    """example-small with a few lines deleted, duplicated, swapped, cut or edited with odd text."""
    lines = MISSION_TEXT.splitlines()
    for _ in range(draw(st.integers(0, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "cut", "replace-value", "insert"]))
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "cut":
            lines[index] = lines[index][:draw(st.integers(0, len(lines[index])))]
        elif operation == "replace-value":
            line = lines[index]
            colon = line.find(": ")
            if colon >= 0:
                end = draw(st.integers(colon + 2, len(line)))
                lines[index] = line[:colon + 2] + draw(ODD_TEXT) + line[end:]
        else:
            lines.insert(index, draw(ODD_TEXT))
    return "\n".join(lines) + "\n"


def _mutate_value(draw, value):
    choice = draw(st.sampled_from(["text", "number", "list", "object", "null", "nested", "keep"]))
    if choice == "text":
        return draw(ODD_TEXT)
    if choice == "number":
        return draw(st.one_of(st.integers(-2**70, 2**70), st.floats(allow_nan=False)))
    if choice == "list":
        return [value]
    if choice == "object":
        return {"value": value}
    if choice == "null":
        return None
    if choice == "nested":
        return json.loads("[" * 40 + "1" + "]" * 40)
    return value


@st.composite
def mutated_schedule(draw) -> bytes:
    """The valid schedule of example-small with keys removed or renamed, values of another type, odd text,
    or its bytes cut."""
    document = json.loads(json.dumps(SCHEDULE_DOCUMENT))
    for _ in range(draw(st.integers(0, 3))):
        target = document
        if draw(st.booleans()) and document.get("activities"):
            activities = document["activities"]
            if isinstance(activities, list) and activities and isinstance(activities[0], dict):
                target = activities[draw(st.integers(0, len(activities) - 1))]
        if not isinstance(target, dict) or not target:
            break
        key = draw(st.sampled_from(sorted(target)))
        operation = draw(st.sampled_from(["delete", "rename", "mutate"]))
        if operation == "delete":
            del target[key]
        elif operation == "rename":
            target[key + "x"] = target.pop(key)
        else:
            target[key] = _mutate_value(draw, target[key])
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data


TIME_LIMITS = st.sampled_from(["1", "0.5", "nan", "-5", "0", "inf", "1e308", "abc"])
WORKERS = st.sampled_from(["1", "2", "0", "-1", "100000"])
SEEDS = st.sampled_from(["0", "7", "-1", "99999999999999999999", "2147483647"])


@st.composite
def command_lines(draw) -> tuple[list[str], str, bytes]:
    """A command line with {mission}, {schedule} and {out} placeholders, the mission's text, the schedule's bytes."""
    mission = draw(st.one_of(st.just(MISSION_TEXT), mutated_mission()))
    schedule = draw(st.one_of(st.just(VALID_SMALL_SCHEDULE.read_bytes()), mutated_schedule()))
    command = draw(st.sampled_from(["validate", "check", "schema", "solve", "calendars", "itinerary", "diff",
                                    "convert", "template", "publish"]))
    if command == "validate":
        arguments = ["validate", "{mission}"]
    elif command == "check":
        arguments = ["check", "{mission}", "{schedule}"]
    elif command == "schema":
        arguments = ["schema"] + draw(st.sampled_from([[], ["--schedule"]]))
    elif command == "solve":
        arguments = ["solve", "{mission}", "--out", "{out}", "--quiet", "--time-limit", draw(TIME_LIMITS),
                     "--workers", draw(WORKERS), "--seed", draw(SEEDS)]
    elif command == "calendars":
        arguments = ["calendars", "{mission}", "--schedule", "{schedule}", "--out", "{out}"]
    elif command == "itinerary":
        arguments = ["itinerary", "{mission}", "--schedule", "{schedule}",
                     "--delegate", draw(st.sampled_from(["astrid", "nobody", "", "odoo"])),
                     "--format", draw(st.sampled_from(["text", "html", "bogus"])), "--out", "{out}/itinerary"]
    elif command == "diff":
        arguments = ["diff", str(VALID_SMALL_SCHEDULE), "{schedule}", "--mission", "{mission}"]
    elif command == "convert":
        arguments = ["convert", "{mission}", "{out}/mission.xlsx"]
    elif command == "template":
        arguments = ["template", "--out", "{out}/" + draw(st.sampled_from(["mission.xlsx", "x.txt", ""]))]
    else:  # nothing listens on port 1: refused at once, after the input is read
        arguments = ["publish", "{mission}", "--schedule", "{schedule}", "--caldav", "http://127.0.0.1:1/"]
    return arguments, mission, schedule


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(command_lines())
def test_any_command_line_ends_in_0_1_or_2_without_traceback(drawn) -> None:
    arguments, mission_text, schedule_bytes = drawn
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "mission.yaml").write_text(mission_text, encoding="utf-8")
        (work / "schedule.json").write_bytes(schedule_bytes)
        out = work / "out"
        before = files_under(work)
        filled = [part.format(mission=work / "mission.yaml", schedule=work / "schedule.json", out=out)
                  for part in arguments]
        previous = os.getcwd()
        os.chdir(work)  # whatever a command writes by default would land here, and be seen
        try:
            result = CliRunner().invoke(app, filled)
        finally:
            os.chdir(previous)
        shown = f"planner {' '.join(filled)}\n{result.output}"
        assert result.exit_code in (0, 1, 2), shown
        assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
        assert "Traceback" not in result.output, shown
        written = {name for name in files_under(work) - before if not name.startswith("out")}
        assert written == set(), f"written outside --out: {written}\n{shown}"
        assert not [name for name in os.listdir(work) if name.startswith(STAGING_PREFIX)], shown
        if result.exit_code == 2:
            assert not out.exists(), f"an input error, yet {files_under(out)} written\n{shown}"
        if arguments[0] == "solve" and out.exists():
            assert (out / "schedule.json").is_file(), shown
            if result.exit_code == 0:
                assert (out / "overview.html").is_file() and (out / "calendars" / "mission.ics").is_file(), shown
