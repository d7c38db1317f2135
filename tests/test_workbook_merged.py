"""Merged cells in a mission workbook: the value a merged range shows is every covered row's value when
the range lies in one column of a table's entries; any other merged range is an error naming it."""

from __future__ import annotations

import pytest
from conftest import JAPAN
from openpyxl import load_workbook

from planner.domain.errors import InputErrors
from planner.mission.convert import convert
from planner.mission.load import load_mission
from planner.mission.workbook_layout import COLUMNS


def _letter(section: str, key: str) -> str:
    return chr(ord("A") + COLUMNS[section].index(key))


@pytest.fixture
def japan_workbook(tmp_path):
    path = tmp_path / "mission.xlsx"
    convert(JAPAN, path)
    return path


def test_a_merged_range_gives_its_value_to_every_row_it_covers(japan_workbook):
    book = load_workbook(japan_workbook)
    delegates, activities = book["Delegates"], book["Activities"]
    delegation, venue = _letter("delegates", "delegation"), _letter("activities", "venue")
    for row in range(2, 10):  # the same delegation on each row, then merged: the sheet looks the same
        delegates[f"{delegation}{row}"] = "wallonia-brussels"
    delegates.merge_cells(f"{delegation}2:{delegation}9")
    assert activities[f"{venue}21"].value == activities[f"{venue}22"].value
    activities.merge_cells(f"{venue}21:{venue}22")
    merged_activities = [activities[f"A{row}"].value for row in (21, 22)]
    merged_delegates = [delegates[f"A{row}"].value for row in range(2, 10)]
    # a merged range that runs past the last entry gives nothing to the blank rows below it
    last = delegates.max_row
    delegates.merge_cells(f"{_letter('delegates', 'role')}{last}:{_letter('delegates', 'role')}{last + 5}")
    book.save(japan_workbook)

    mission = load_mission(japan_workbook)
    assert [mission.delegates[id].delegation for id in merged_delegates] == ["wallonia-brussels"] * 8
    expected_venue = load_mission(JAPAN).activities[merged_activities[0]].venues
    assert [mission.activities[id].venues for id in merged_activities] == [expected_venue] * 2
    assert len(mission.delegates) == len(load_mission(JAPAN).delegates)


def test_a_merged_range_no_one_value_fills_is_an_error_naming_it(japan_workbook):
    book = load_workbook(japan_workbook)
    delegation, venue = _letter("delegates", "delegation"), _letter("activities", "venue")
    duration = _letter("activities", "duration")
    book["Delegates"].merge_cells(f"{delegation}1:{delegation}9")
    book["Activities"].merge_cells(f"{venue}21:{duration}22")
    book["Mission"].merge_cells("B2:B3")
    book["Rules"].merge_cells("K40:K45")  # blank: shows nothing, loses nothing
    book.save(japan_workbook)
    with pytest.raises(InputErrors) as failure:
        load_mission(japan_workbook)
    assert sorted(str(error).removeprefix(f"{japan_workbook}:") for error in failure.value.errors) == [
        f"Activities!{venue}21: the merged cells {venue}21:{duration}22 span several columns (venue, duration); "
        "unmerge them and write each column's value in its own cell",
        f"Delegates!{delegation}1: the merged cells {delegation}1:{delegation}9 take in the header row; unmerge "
        "them and write each column's header in row 1 and each entry's value in its own row",
        "Mission!B2: the merged cells B2:B3: a setting is one key cell and one value cell in its own row; "
        "unmerge them and write each value beside its key",
    ]
