"""programme.xlsx: every scheduled activity with its local date, times and headcount; the day grids, the
venues' peaks, one row per delegate and activity, and what was left out, with why."""

from __future__ import annotations

import io
import time as real_time
import zipfile
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from openpyxl import load_workbook

from planner.domain import Mission
from planner.domain.schedule import Schedule, Unscheduled
from planner.mission.cells import ZIP_EPOCH
from planner.views.workbook import (
    PROGRAMME_HEADERS,
    day_sheet_name,
    programme_workbook,
    workbook_bytes,
    write_programme_workbook,
)


@pytest.fixture(scope="module")
def small(small_programme) -> tuple[Mission, Schedule]:
    return small_programme


def _rows(sheet) -> list[dict[str, object]]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


@pytest.fixture(scope="module")
def book(small, tmp_path_factory):
    mission, schedule = small
    # visit-nasa (priority 50) left out, to see the "Left out" sheet filled
    left_out = replace(schedule, activities=[a for a in schedule.activities if a.id != "visit-nasa"],
                       unscheduled=[Unscheduled("visit-nasa", "csl cannot be at NASA Ames that afternoon")])
    out = tmp_path_factory.mktemp("programme")
    (path,) = write_programme_workbook(mission, left_out, out)
    assert path == out / "programme.xlsx"
    return load_workbook(path), left_out


def test_programme_names_every_scheduled_activity_with_its_headcount(small, book):
    mission, _ = small
    workbook, schedule = book
    rows = _rows(workbook["Programme"])
    assert list(rows[0]) == PROGRAMME_HEADERS
    assert sorted(row["activity"] for row in rows) == sorted(a.id for a in schedule.activities)
    for row, activity in zip(rows, sorted(schedule.activities, key=lambda a: a.start)):
        assert row["activity"] == activity.id
        assert row["headcount"] == sum(mission.delegates[d].size for d in activity.attendees)
        assert row["title"] == mission.activities[activity.id].title
    opening = next(row for row in rows if row["activity"] == "opening")
    # 18:00–20:00 Pacific time on 6 October: real date and time cells, in the leg's wall time
    assert opening["date"] == datetime(2025, 10, 6)
    assert (opening["start"], opening["end"]) == (time(18, 0), time(20, 0))
    assert opening["time zone"] == "PDT"
    assert opening["headcount"] == 19
    assert opening["venue"] == "Fairmont San Francisco"
    assert "HRH Princess Astrid" in opening["attendees"]


def test_sheets_and_their_layout(book):
    workbook, schedule = book
    days = sorted({a.start.date() for a in schedule.activities})
    assert workbook.sheetnames == ["Programme", *map(day_sheet_name, days), "Venues", "Delegates", "Left out"]
    assert day_sheet_name(date(2025, 10, 6)) == "Mon 06 Oct 2025"
    for name in ("Programme", "Venues", "Delegates", "Left out"):
        assert workbook[name].freeze_panes == "A2"
    assert workbook["Programme"]["A2"].number_format == "yyyy-mm-dd"
    assert workbook["Programme"].column_dimensions["F"].width > 10


def test_day_grid_places_activities_by_venue_and_time(book):
    workbook, _ = book
    grid = workbook[day_sheet_name(date(2025, 10, 6))]
    venues = [cell.value for cell in grid[1][1:] if cell.value]
    assert venues == ["Fairmont San Francisco", "Google, Mountain View"]
    times = [row[0].value for row in grid.iter_rows(min_row=2)]
    # 30-minute rows from 08:00 to 20:00 (every start and end that day is on the half hour)
    assert times[0] == time(8, 0) and times[1] == time(8, 30) and times[-1] == time(19, 30)
    texts = {cell.value: (cell.row, cell.column) for row in grid.iter_rows(min_row=2) for cell in row[1:]
             if cell.value}
    google = next(value for value in texts if "Visit to Google" in value)
    assert google.startswith("10:30–12:30")
    assert texts[google] == (2 + times.index(time(10, 30)), 3)
    merged = {str(span) for span in grid.merged_cells.ranges}
    row = texts[google][0]
    assert f"C{row}:C{row + 3}" in merged  # two hours: four half-hour rows


def test_venues_peak_headcount_delegates_rows_and_left_out(book):
    workbook, schedule = book
    venues = {(row["venue"], row["date"]): row for row in _rows(workbook["Venues"])}
    monday = venues[("fairmont", datetime(2025, 10, 6))]
    assert monday["activities"] == 3 and monday["peak headcount"] == 19
    delegates = _rows(workbook["Delegates"])
    assert len(delegates) == sum(len(a.attendees) for a in schedule.activities)
    odoo = [row["activity"] for row in delegates if row["delegate"] == "odoo"]
    assert odoo == [a.id for a in sorted(schedule.activities, key=lambda a: a.start) if "odoo" in a.attendees]
    left_out = _rows(workbook["Left out"])
    assert left_out == [{"activity": "visit-nasa", "title": "Visit to NASA Ames", "kind": "visit",
                         "priority": 50, "reason": "csl cannot be at NASA Ames that afternoon"}]


def test_a_title_that_looks_like_a_formula_stays_text(small, tmp_path):
    """A title typed as `=…` is written as text on every sheet (no spreadsheet would evaluate it)."""
    mission, schedule = small
    formula = '=HYPERLINK("http://example.org","x")'
    activity_id = schedule.activities[0].id
    titled = replace(mission, activities={**mission.activities,
                                          activity_id: replace(mission.activities[activity_id], title=formula)})
    (path,) = write_programme_workbook(titled, schedule, tmp_path)
    cells = [cell for sheet in load_workbook(path) for row in sheet.iter_rows() for cell in row
             if cell.value == formula]
    assert len(cells) >= 2, "the title is on the programme and on the delegates' sheet"
    assert {cell.data_type for cell in cells} == {"s"}


def test_the_same_programme_gives_the_same_workbook_bytes_whatever_the_clock(small, monkeypatch) -> None:
    """No time from the clock in programme.xlsx: not in its zip entries' dates, not in its created and
    modified times (so a run into the previous run's folder keeps the file as it was)."""
    mission, schedule = small
    first = workbook_bytes(programme_workbook(mission, schedule))
    a_year_later, localtime = real_time.time() + 86_400 * 365, real_time.localtime
    monkeypatch.setattr(zipfile.time, "time", lambda: a_year_later)
    monkeypatch.setattr(zipfile.time, "localtime", lambda seconds=None: localtime(a_year_later))
    assert workbook_bytes(programme_workbook(mission, schedule)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {ZIP_EPOCH}
        assert all(entry.compress_type == zipfile.ZIP_DEFLATED for entry in archive.infolist())
    book = load_workbook(io.BytesIO(first))
    assert book.sheetnames[0] == "Programme"
    assert book.properties.created == book.properties.modified == datetime(*ZIP_EPOCH)
