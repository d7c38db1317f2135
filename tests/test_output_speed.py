"""Writing outputs fast without changing a byte: calendars serialised once per shape, the batch of files
flushed together and left alone when unchanged (docs/performance.md, "Writing the outputs")."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from planner.mission.files import output_batch, write_atomic
from planner.views.calendar_bytes import CalendarBytes
from planner.views.calendar_state import EventState, event_states, restamp
from planner.views.calendars import Programme, build_calendar, calendar_plans


@pytest.mark.parametrize("changed", [False, True])
def test_shaped_calendars_are_the_bytes_icalendar_writes_for_the_whole_calendar(small_programme,
                                                                                 changed: bool) -> None:
    mission, schedule = small_programme
    if changed:  # a previous version whose events had other content: every SEQUENCE rises
        moved = replace(schedule, activities=[replace(a, start=a.start + timedelta(hours=1),
                                                      end=a.end + timedelta(hours=1)) for a in schedule.activities])
        previous_programme = Programme(mission, moved)
    shaped = CalendarBytes(Programme(mission, schedule))
    sequences = set()
    for plan in calendar_plans(mission):
        previous: dict[str, EventState] = {}
        if changed:
            previous = event_states(build_calendar(mission, moved, plan.delegate_ids, plan.name,
                                                   programme=previous_programme).walk("VEVENT"))
        whole = restamp(build_calendar(mission, schedule, plan.delegate_ids, plan.name), previous).to_ical()
        assert shaped.calendar(plan.delegate_ids, plan.name, previous) == whole, plan.relative_path
        sequences |= {line for line in whole.split(b"\r\n") if line.startswith(b"SEQUENCE:")}
    assert sequences == ({b"SEQUENCE:1"} if changed else {b"SEQUENCE:0"})


def test_a_batch_leaves_an_unchanged_file_alone_and_replaces_a_changed_one(tmp_path: Path) -> None:
    same, other = tmp_path / "same.txt", tmp_path / "sub" / "other.txt"
    with output_batch(tmp_path):
        write_atomic(same, "kept")
        write_atomic(other, "first")
        assert same.read_text() == "kept"  # in place at once: a later view may read it
    before = same.stat()
    with output_batch(tmp_path) as batch:
        write_atomic(same, "kept")
        write_atomic(other, "second")
    assert batch.unchanged == 1
    assert (same.stat().st_ino, same.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert other.read_text() == "second"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["other.txt", "same.txt"]


def test_a_failing_batch_leaves_whole_files_and_no_temporary_one(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), output_batch(tmp_path):
        write_atomic(tmp_path / "fresh.txt", "fresh")
        raise RuntimeError("interrupted")
    assert (tmp_path / "old.txt").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["fresh.txt", "old.txt"]


def test_a_batch_links_an_unchanged_file_from_the_previous_folder(tmp_path: Path) -> None:
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    previous.mkdir()
    (previous / "same.txt").write_text("kept")
    with output_batch(staging, previous=previous):
        write_atomic(staging / "same.txt", "kept")
        write_atomic(staging / "new.txt", "new")
    assert (staging / "same.txt").stat().st_ino == (previous / "same.txt").stat().st_ino
    assert (staging / "new.txt").read_text() == "new"


def test_views_written_side_by_side_are_the_views_written_one_after_the_other(small_programme, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.views import outputs

    mission, schedule = small_programme
    # One programme stamp for both runs (else each says the second it was written, in its DTSTAMPs).
    written = {"programme_written": "2026-01-05T08:00:00+00:00"}
    monkeypatch.setattr(outputs, "stamped", lambda schedule, _: replace(schedule, extra={**schedule.extra,
                                                                                          **written}))
    together = outputs.write_outputs(mission, schedule, tmp_path / "together")
    monkeypatch.setattr(outputs.os, "cpu_count", lambda: 1)
    alone = outputs.write_outputs(mission, schedule, tmp_path / "alone")
    assert sorted(p.relative_to(tmp_path / "together") for p in together) == sorted(
        p.relative_to(tmp_path / "alone") for p in alone)
    for path in alone:
        relative = path.relative_to(tmp_path / "alone")
        if relative.suffix in (".ics", ".png") or relative.name == "overview.html":
            assert (tmp_path / "together" / relative).read_bytes() == path.read_bytes(), relative


def _write_in_a_daemon(folder: str, answers) -> None:  # noqa: ANN001 - a multiprocessing queue
    from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE

    from planner.mission.load import load_mission
    from planner.mission.schedule_file import read_schedule
    from planner.views.outputs import write_outputs

    try:
        written = write_outputs(load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL_SCHEDULE), Path(folder))
        answers.put(len(written))
    except BaseException as error:  # noqa: BLE001 - reported to the test
        answers.put(repr(error))


def test_a_daemonic_process_writes_the_views_one_after_the_other(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    worker = context.Process(target=_write_in_a_daemon, args=(str(tmp_path / "out"), answers), daemon=True)
    worker.start()
    answer = answers.get(timeout=120)
    worker.join(timeout=30)
    assert isinstance(answer, int) and answer > 10, answer


def test_itineraries_written_beside_the_calendars_link_them(small_programme, tmp_path: Path) -> None:
    """Side by side, the itineraries may be written before the calendars they link: they link them all."""
    from planner.views.outputs import write_outputs

    mission, schedule = small_programme
    write_outputs(mission, schedule, tmp_path / "out")
    for delegate_id in mission.delegates:
        page = (tmp_path / "out" / "itineraries" / f"{delegate_id}.html").read_text(encoding="utf-8")
        assert f'href="../calendars/delegates/{delegate_id}.ics"' in page, delegate_id
        assert (tmp_path / "out" / "calendars" / "delegates" / f"{delegate_id}.ics").is_file()


def test_pictures_drawn_ahead_are_taken_by_the_writers(small_programme, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.views import overview

    mission, schedule = small_programme
    expected = overview.overview_png(mission, schedule)
    ahead = overview.DrawAhead(mission)
    ahead.start(schedule)
    assert ahead.thread is not None
    ahead.thread.join()
    ahead.stop()

    def drawn_again(*_: object) -> bytes:
        raise AssertionError("drawn again")

    monkeypatch.setattr(overview, "overview_png", drawn_again)
    # The same programme, another object (as the solver's process sends it back, meetings added): taken.
    overview.write_overview(mission, replace(schedule, meetings=[]), tmp_path)
    assert (tmp_path / "overview.png").read_bytes() == expected
    # Another programme: drawn anew.
    with pytest.raises(AssertionError, match="drawn again"):
        overview.write_overview(mission, replace(schedule, activities=schedule.activities[1:]), tmp_path)


def test_a_private_batch_writes_new_files_in_place_and_never_through_a_link(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    staging, elsewhere = tmp_path / "staging", tmp_path / "elsewhere.txt"
    staging.mkdir()
    elsewhere.write_text("theirs")
    (staging / "linked.txt").symlink_to(elsewhere)
    made = []
    real_mkstemp = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: made.append(k) or real_mkstemp(*a, **k))
    with output_batch(staging, private=True) as batch:
        write_atomic(staging / "new.txt", "new")
        write_atomic(staging / "linked.txt", "ours")
        # Both flushed to disk at the end of the batch.
        assert sorted(batch.pending) == sorted(str(staging / name) for name in ("linked.txt", "new.txt"))
    assert len(made) == 1, "only the file already there takes a temporary file"
    assert (staging / "new.txt").read_text() == "new"
    assert not (staging / "linked.txt").is_symlink() and (staging / "linked.txt").read_text() == "ours"
    assert elsewhere.read_text() == "theirs"
