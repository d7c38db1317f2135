"""The files of an output folder made ahead (`planner.mission.files.reserve_files`): what `planner solve`
does while the solver works, so that writing after the solve renames files instead of creating them."""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from pathlib import Path

import pytest

from planner.mission.files import RESERVE, OutputBatch, output_batch, reserve_files, write_atomic


def _inodes(folder: Path) -> set[int]:
    return {entry.stat().st_ino for entry in folder.iterdir()}


def test_written_files_are_the_reserved_ones_and_the_reserve_is_gone_after(tmp_path: Path) -> None:
    assert reserve_files(tmp_path, 3) == 3
    reserved = _inodes(tmp_path / RESERVE)
    with output_batch(tmp_path, private=True) as batch:
        write_atomic(tmp_path / "a.html", "first")
        write_atomic(tmp_path / "calendars" / "b.ics", "second")
        assert sorted(batch.pending) == sorted(str(p) for p in (tmp_path / "a.html", tmp_path / "calendars" / "b.ics"))
    assert (tmp_path / "a.html").read_text() == "first"
    assert (tmp_path / "calendars" / "b.ics").read_text() == "second"
    assert {(tmp_path / "a.html").stat().st_ino, (tmp_path / "calendars" / "b.ics").stat().st_ino} <= reserved
    assert not (tmp_path / RESERVE).exists(), "the file left over is removed with its folder"


def test_reserved_files_have_the_mode_of_created_ones(tmp_path: Path) -> None:
    (tmp_path / "reserved").mkdir()
    (tmp_path / "created").mkdir()
    reserve_files(tmp_path / "reserved", 1)
    for folder in ("reserved", "created"):
        with output_batch(tmp_path / folder, private=True):
            write_atomic(tmp_path / folder / "page.html", "text")
    assert ((tmp_path / "reserved" / "page.html").stat().st_mode
            == (tmp_path / "created" / "page.html").stat().st_mode)


def test_a_spent_reserve_leaves_the_files_to_be_created(tmp_path: Path) -> None:
    reserve_files(tmp_path, 1)
    with output_batch(tmp_path, private=True):
        for number in range(4):
            write_atomic(tmp_path / f"{number}.txt", str(number))
    assert [(tmp_path / f"{number}.txt").read_text() for number in range(4)] == ["0", "1", "2", "3"]
    assert len({(tmp_path / f"{number}.txt").stat().st_ino for number in range(4)}) == 4


def test_two_writers_take_the_reserve_from_its_two_ends_and_never_share_a_file(tmp_path: Path) -> None:
    """The forked writer's copy of the batch takes from the end; whichever side finds a file gone is done
    with the reserve, and creates its files."""
    reserve_files(tmp_path, 5)
    here, forked = OutputBatch(tmp_path, private=True), OutputBatch(tmp_path, private=True)
    forked.take_reserved_from_the_end()
    for number in range(4):
        here.write(tmp_path / f"here-{number}.txt", f"here {number}".encode())
        forked.write(tmp_path / f"forked-{number}.txt", f"forked {number}".encode())
    names = [f"{side}-{number}.txt" for side in ("here", "forked") for number in range(4)]
    assert [(tmp_path / name).read_text() for name in names] == [name[:-4].replace("-", " ") for name in names]
    assert len({(tmp_path / name).stat().st_ino for name in names}) == len(names)
    assert os.listdir(tmp_path / RESERVE) == []


def test_a_reserve_stops_when_told(tmp_path: Path) -> None:
    stopping = threading.Event()
    stopping.set()
    assert reserve_files(tmp_path, 100, stopping) == 0
    assert reserve_files(tmp_path, 2) == 2
    assert reserve_files(tmp_path, 3) == 3, "a reserve goes on from what is there"


def test_a_batch_that_is_not_private_leaves_a_reserve_unused(tmp_path: Path) -> None:
    reserve_files(tmp_path, 2)
    reserved = _inodes(tmp_path / RESERVE)
    with output_batch(tmp_path):
        write_atomic(tmp_path / "a.txt", "a")
    assert (tmp_path / "a.txt").stat().st_ino not in reserved


def test_the_outputs_written_from_a_reserve_are_those_written_without(small_programme, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.mission.output_folder import stage_folder
    from planner.views import outputs

    mission, schedule = small_programme
    # One programme stamp for both runs (else each says the second it was written, in its DTSTAMPs).
    written = {"programme_written": "2026-01-05T08:00:00+00:00"}
    monkeypatch.setattr(outputs, "stamped", lambda schedule, _: dataclasses.replace(
        schedule, extra={**schedule.extra, **written}))
    plain = outputs.write_outputs(mission, schedule, tmp_path / "plain")
    with stage_folder(tmp_path / "reserved", outputs.SCHEDULE_FILE) as staged:
        reserve_files(staged.path, outputs.files_to_write(mission))
        reserved = _inodes(staged.path / RESERVE)
        ahead = outputs.write_outputs(mission, schedule, tmp_path / "reserved", staged)
    relative = sorted(path.relative_to(tmp_path / "plain") for path in plain)
    assert sorted(path.relative_to(tmp_path / "reserved") for path in ahead) == relative
    every = sorted(path.relative_to(tmp_path / "reserved") for path in (tmp_path / "reserved").rglob("*"))
    assert RESERVE not in {part for path in every for part in path.parts}
    for path in relative:
        if path.suffix in (".ics", ".png"):
            assert (tmp_path / "reserved" / path).read_bytes() == (tmp_path / "plain" / path).read_bytes(), path
    # schedule.json says when each was written (`programme_written`, the clock's); the rest is the same.
    documents = [json.loads((tmp_path / folder / "schedule.json").read_text(encoding="utf-8"))
                 for folder in ("reserved", "plain")]
    assert [{**document, "programme_written": None} for document in documents] == [
        {**documents[1], "programme_written": None}] * 2
    taken = sum(1 for path in ahead if path.stat().st_ino in reserved)
    assert taken == min(len(ahead), len(reserved)), "each file new to the folder took a reserved one"


def test_the_files_to_write_are_about_the_flagship_s_files(flagship_programme, tmp_path: Path) -> None:
    from planner.views import outputs

    mission, schedule = flagship_programme
    written = outputs.write_outputs(mission, schedule, tmp_path / "out")
    assert len(written) <= outputs.files_to_write(mission) <= len(written) + outputs.FOLDER_FILES


def test_a_reserve_that_cannot_be_made_is_no_error(small_programme, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.views import outputs

    mission, _ = small_programme
    monkeypatch.setattr(outputs, "prepare", lambda language: None)
    (tmp_path / RESERVE).write_text("a file where the reserve's folder would go")
    outputs.prepare_writing(mission, tmp_path, threading.Event())
    assert (tmp_path / RESERVE).read_text().startswith("a file")


def test_a_rename_that_will_not_replace_a_file_leaves_it_to_be_written_otherwise(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As on Windows, where a rename onto an existing file fails: the file is still written, whole."""
    from planner.mission import files

    reserve_files(tmp_path, 2)
    (tmp_path / "there.txt").write_text("before")

    def refusing(source: object, destination: object) -> None:
        if Path(str(destination)).exists():
            raise FileExistsError(destination)
        os.replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "rename", refusing)
    with output_batch(tmp_path, private=True):
        write_atomic(tmp_path / "there.txt", "after")
        write_atomic(tmp_path / "new.txt", "new")
    assert (tmp_path / "there.txt").read_text() == "after"
    assert (tmp_path / "new.txt").read_text() == "new"
    assert not (tmp_path / RESERVE).exists()


def test_planner_solve_reserves_its_files_in_its_staging_folder_while_the_solver_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's wiring: the reserve is made in the staging folder, as many as the views will write,
    told to stop when the solve ends; the output holds no trace of it."""
    from conftest import EXAMPLE_SMALL
    from typer.testing import CliRunner

    from planner.cli import app
    from planner.mission.load import load_mission
    from planner.mission.output_folder import STAGING_PREFIX
    from planner.views import outputs

    calls: list[tuple[Path, int, bool]] = []
    real = outputs.reserve_files

    def recorded(root: Path, count: int, stopping: threading.Event | None = None) -> int:
        calls.append((root, count, stopping is not None))
        return real(root, count, stopping)

    monkeypatch.setattr(outputs, "reserve_files", recorded)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(EXAMPLE_SMALL), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert calls == [(calls[0][0], outputs.files_to_write(load_mission(EXAMPLE_SMALL)), True)]
    assert calls[0][0].name.startswith(STAGING_PREFIX) and calls[0][0].parent == tmp_path
    assert not any(RESERVE in path.parts for path in out.rglob("*"))
    assert all(path.stat().st_size > 0 for path in out.rglob("*") if path.is_file())
