"""Text in a mission: control characters refused and lengths limited at load, with an error naming the
field and its place (issue 12, findings 5 and 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app


def run(*arguments: str):
    return CliRunner().invoke(app, [str(argument) for argument in arguments])


def assert_usage_error(result, *needles: str) -> None:
    """Exit 2 with a message, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


# --- finding 6: control characters ---------------------------------------------------------------------


MISSION_WITH_TEXT = """mission: {{name: {name}, timezone: Europe/Brussels}}
legs: [{{city: Brussels, from: 2025-10-06, to: 2025-10-06}}]
venues: [{{id: hall, name: Hall, city: Brussels}}]
delegates: [{{id: ann, name: {delegate}}}]
activities:
  - {{id: talk, title: {title}, venue: hall, duration: 1h, attendees: [ann], description: {description}}}
"""


def mission_file(tmp_path: Path, name: str = "Plain", delegate: str = "Ann", title: str = "Talk",
                 description: str = "Plain") -> Path:
    path = tmp_path / "mission.yaml"
    path.write_text(MISSION_WITH_TEXT.format(name=name, delegate=delegate, title=title, description=description),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("field", "written", "line"), [
    ("name", '"Red \\e[31m alert"', 1),  # ESC: a terminal escape sequence
    ("title", '"Ring \\a bell"', 6),  # BEL
    ("name", '"Back\\bspace"', 4),  # the delegate's name
    ("description", '"Null \\0 byte"', 6),
    ("title", '"Carriage\\rreturn"', 6),
    ("title", '"Delete \\x7f"', 6),
    ("title", '"C1 \\x9b control"', 6),
])
def test_control_characters_are_refused_at_load(field: str, written: str, line: int, tmp_path: Path) -> None:
    fields = {"name": "Plain", "delegate": "Ann", "title": "Talk", "description": "Plain"}
    key = "delegate" if line == 4 else field
    fields[key] = written
    path = mission_file(tmp_path, **fields)
    result = run("validate", path)
    assert_usage_error(result, f"{path}:{line}:", "control character", field)
    assert "\x1b" not in result.output and "\a" not in result.output and "\x00" not in result.output


def test_tab_and_newline_are_allowed_in_a_description(tmp_path: Path) -> None:
    path = mission_file(tmp_path, description='"First line\\n\\tindented second line"')
    assert run("validate", path).exit_code == 0




# --- finding 5: limits on text and on the file ----------------------------------------------------------


@pytest.mark.parametrize(("key", "length", "line"), [("name", 10 * 1024 * 1024, 1), ("delegate", 201, 4),
                                                     ("title", 201, 6), ("description", 5_001, 6)])
def test_text_longer_than_its_limit_is_refused(key: str, length: int, line: int, tmp_path: Path) -> None:
    path = mission_file(tmp_path, **{key: "x" * length})
    result = run("validate", path)
    field = "name" if key == "delegate" else key
    assert_usage_error(result, f"{path}:{line}:", f"`{field}`", "at most")
    assert len(result.output) < 2_000, "the message quotes the whole text"


def test_text_at_its_limit_is_accepted(tmp_path: Path) -> None:
    path = mission_file(tmp_path, name="n" * 200, delegate="d" * 200, title="t" * 200, description="x" * 5_000)
    assert run("validate", path).exit_code == 0


def test_an_id_longer_than_64_characters_is_refused(tmp_path: Path) -> None:
    path = mission_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("id: talk", "id: " + "t" * 65), encoding="utf-8")
    assert_usage_error(run("validate", path), f"{path}:6:", "at most 64")


def test_a_mission_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = mission_file(tmp_path)
    with path.open("a", encoding="utf-8") as stream:
        stream.write("# " + "padding " * (17 * 1024 * 1024 // 8) + "\n")
    assert_usage_error(run("validate", path), f"{path}:1:1", "larger than 16 MB")


def test_a_ten_megabyte_name_fails_fast(tmp_path: Path) -> None:
    """The issue's 10 MB name: refused at load, in well under the seconds solve used to spend."""
    import time

    path = mission_file(tmp_path, name="y" * 10 * 1024 * 1024)
    started = time.monotonic()
    result = run("solve", path, "--out", tmp_path / "out", "--quiet", "--time-limit", "5")
    assert_usage_error(result, "`name`")
    assert not (tmp_path / "out").exists()
    assert time.monotonic() - started < 30
