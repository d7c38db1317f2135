import os
import stat
from pathlib import Path

import pytest

from planner.mission.files import inside, inside_of, slug, write_atomic


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "schedule.json"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["schedule.json"]


def test_written_files_are_readable_by_others_as_umask_allows(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "page.html", "<p>x</p>")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o644


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..", "", "a/b\\c", "HRH Princess Astrid"])
def test_names_from_ids_stay_inside_the_output_folder(tmp_path: Path, name: str) -> None:
    path = inside(tmp_path, name, ".ics")
    assert path.parent == tmp_path.resolve()
    assert "/" not in slug(name) and slug(name)


def test_a_file_that_links_out_of_the_output_folder_is_refused(tmp_path: Path) -> None:
    folder, outside = tmp_path / "out", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    (folder / "astrid.ics").symlink_to(outside / "astrid.ics")
    (folder / "inner.ics").symlink_to(folder / "other.ics")
    place = inside_of(folder)
    with pytest.raises(ValueError, match="refusing to write outside"):
        place("astrid", ".ics")
    with pytest.raises(ValueError, match="refusing to write outside"):
        inside(folder, "astrid", ".ics")
    assert place("inner", ".ics") == (folder / "other.ics").resolve()  # a link that stays inside
    assert place("Philippe", ".ics") == folder.resolve() / "philippe.ics"
