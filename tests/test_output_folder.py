"""No half-written output folder: a solve's output is written into a staging folder beside the target and
swapped in whole (issue 12, finding 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.errors import InputErrors
from planner.mission.output_folder import STAGING_PREFIX, stage_folder


def contents(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(parent: Path) -> list[str]:
    return [entry.name for entry in parent.iterdir() if entry.name.startswith(STAGING_PREFIX)]


def solve(mission: Path, out: Path):
    return CliRunner().invoke(app, ["solve", str(mission), "--out", str(out), "--quiet", "--time-limit", "20"])


def interrupt_overview(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the overview is drawn: schedule.json, calendars and itineraries are written by then."""
    import planner.views.overview as overview

    def interrupted(*_: object, **__: object) -> list[Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(overview, "write_overview", interrupted)
    monkeypatch.setattr(overview, "write_overview_page", interrupted)


def test_interrupted_first_solve_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    interrupt_overview(monkeypatch)
    out = tmp_path / "out"
    result = solve(EXAMPLE_SMALL, out)
    assert result.exit_code == 130, result.output
    assert not out.exists(), contents(out)
    assert leftovers(tmp_path) == []


def test_interrupted_solve_keeps_the_previous_folder_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert solve(EXAMPLE_SMALL, out).exit_code == 0
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    before = contents(out)
    changed = tmp_path / "mission.yaml"
    changed.write_text(EXAMPLE_SMALL.read_text(encoding="utf-8").replace("Visit to Google", "Visit to Alphabet"),
                       encoding="utf-8")
    interrupt_overview(monkeypatch)
    result = solve(changed, out)
    assert result.exit_code == 130, result.output
    assert contents(out) == before
    assert leftovers(tmp_path) == []


def test_a_second_solve_replaces_the_folder_and_keeps_sequence(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert solve(EXAMPLE_SMALL, out).exit_code == 0
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    (out / "calendars" / "delegates" / "gone.ics").write_text("stale", encoding="utf-8")
    changed = tmp_path / "mission.yaml"
    changed.write_text(EXAMPLE_SMALL.read_text(encoding="utf-8").replace("Visit to Google", "Visit to Alphabet"),
                       encoding="utf-8")
    assert solve(changed, out).exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "kept"  # a file planner did not write stays
    assert not (out / "calendars" / "delegates" / "gone.ics").exists()  # planner's own folders are replaced
    astrid = (out / "calendars" / "delegates" / "astrid.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    google = astrid[astrid.index("UID:visit-google@"):].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in google, "the changed event's SEQUENCE did not rise against the previous folder"
    assert json.loads((out / "schedule.json").read_text(encoding="utf-8"))["status"] == "optimal"
    assert leftovers(tmp_path) == []


def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputErrors, match="did not write"):
        stage_folder(tmp_path, "schedule.json")
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_a_staged_folder_not_committed_is_removed(tmp_path: Path) -> None:
    with stage_folder(tmp_path / "out", "schedule.json") as staged:
        (staged.path / "schedule.json").write_text("{}", encoding="utf-8")
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


def test_commit_swaps_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "schedule.json").write_text("old", encoding="utf-8")
    with stage_folder(target, "schedule.json") as staged:
        (staged.path / "schedule.json").write_text("new", encoding="utf-8")
        staged.commit()
    assert (target / "schedule.json").read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path) == []
