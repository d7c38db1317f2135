"""schedule.json is checked against its published JSON Schema before any rule: a malformed, binary, too deep or
out-of-range file is an input error naming file:line:column, exit 2 (issue 12, findings 3 and 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from test_text_limits import assert_usage_error, run

SCHEDULE_COMMANDS = (
    ["check", str(EXAMPLE_SMALL), "{schedule}"],
    ["calendars", str(EXAMPLE_SMALL), "--schedule", "{schedule}", "--out", "{out}"],
    ["itinerary", str(EXAMPLE_SMALL), "--schedule", "{schedule}", "--delegate", "astrid"],
)
"""Every command that reads a schedule.json."""


def _schedule_commands(schedule: Path, out: Path) -> list[list[str]]:
    return [[part.format(schedule=schedule, out=out) for part in command] for command in SCHEDULE_COMMANDS]


def _broken_schedules(tmp_path: Path) -> dict[str, Path]:
    valid = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    year_9999 = json.loads(json.dumps(valid))
    year_9999["activities"][0]["start"] = "9999-12-31T23:30:00-07:00"
    year_9999["activities"][0]["end"] = "9999-12-31T23:59:00-07:00"
    files = {
        "year-9999": json.dumps(year_9999).encode(),
        "binary": bytes(range(256)) * 8,
        "nested": b"[" * 10_000 + b"]" * 10_000,
        "nested-activity": (b'{"format": "planner-schedule/1", "status": "optimal", "activities": ['
                            + b"[" * 10_000 + b"]" * 10_000 + b"]}"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("broken", ["year-9999", "binary", "nested", "nested-activity"])
def test_broken_schedule_files_are_input_errors_for_every_command(broken: str, tmp_path: Path) -> None:
    schedule = _broken_schedules(tmp_path)[broken]
    for command in _schedule_commands(schedule, tmp_path / "out"):
        result = run(*command)
        assert_usage_error(result, str(schedule))
        assert not (tmp_path / "out").exists(), command


# --- finding 8: schedule.json's shape -------------------------------------------------------------------


@pytest.mark.parametrize("mutation", ["missing", "misspelt", "attendees-text", "activities-object",
                                      "start-number", "unscheduled-text"])
def test_malformed_schedule_is_an_input_error(mutation: str, tmp_path: Path) -> None:
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    if mutation == "missing":
        del document["activities"]
    elif mutation == "misspelt":
        document["activites"] = document.pop("activities")
    elif mutation == "attendees-text":
        document["activities"][0]["attendees"] = "astrid"
    elif mutation == "activities-object":
        document["activities"] = {"a": 1}
    elif mutation == "start-number":
        document["activities"][0]["start"] = 20251006
    else:
        document["unscheduled"] = "none"
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps(document, indent=2), encoding="utf-8")
    result = run("check", EXAMPLE_SMALL, schedule)
    assert_usage_error(result, f"{schedule}:")


@pytest.mark.parametrize(("value", "shown"), [(["visit-google"], '["visit-google"]'), (True, "true"),
                                              (None, "null")])
def test_a_value_of_the_wrong_type_is_quoted_as_json_writes_it(value: object, shown: str, tmp_path: Path) -> None:
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    document["activities"][0]["id"] = value
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps(document, indent=2), encoding="utf-8")
    result = run("check", EXAMPLE_SMALL, schedule)
    assert_usage_error(result, f"{schedule}:")
    assert f"{shown} is not an id of the mission" in " ".join(result.output.split())


def test_the_schedule_schema_is_published_and_accepts_what_solve_writes() -> None:
    import jsonschema

    result = run("schema", "--schedule")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.validate(json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "planner-schedule/1", "status": "optimal"}, schema)

def test_control_characters_in_a_schedule_are_refused(tmp_path: Path) -> None:
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    document["activities"][0]["title"] = "Escape \x1b[2J the screen"
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps(document), encoding="utf-8")
    result = run("check", EXAMPLE_SMALL, schedule)
    assert_usage_error(result, str(schedule), "control character")
    assert "\x1b" not in result.output


