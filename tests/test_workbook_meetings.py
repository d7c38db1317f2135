"""programme.xlsx's B2B sheets: what `planner solve` writes beside schedule.json, read back with openpyxl and
held against schedule.json's `meetings` and `unscheduled_meetings`; none for a mission without requests."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
from openpyxl import load_workbook
from test_b2b_mission import MISSION
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.load import load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.views.workbook import programme_workbook, write_programme_workbook
from planner.views.workbook_meetings import MEETING_HEADERS, NOT_SCHEDULED_HEADERS

USC = "=USC+1"
AWAY = '=HYPERLINK("http://example.org","x")'
# Names a spreadsheet would take for formulas; and a counterpart away all day, whose request no slot can take.
TEXT = MISSION.replace(
    "{id: usc, name: USC}", f"{{id: usc, name: '{USC}', organisation: University of Southern California}}"
).replace(
    "  - {id: larta, name: Larta Institute}\n",
    "  - {id: larta, name: Larta Institute}\n"
    f"  - {{id: away, name: '{AWAY}', unavailable: [['2025-10-07 00:00', '2025-10-08 00:00']]}}\n",
) + "  - {with: [kikk, away], priority: 3}\n"


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("b2b-workbook")
    (folder / "mission.yaml").write_text(TEXT, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(app, ["solve", str(folder / "mission.yaml"), "--out", str(out), "--quiet",
                                      "--time-limit", "10", "--workers", "1"])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    return document, load_workbook(out / "programme.xlsx"), load_mission_text(TEXT), out


def _rows(sheet) -> list[dict[str, object]]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


def test_the_b2b_sheets_come_last_laid_out_as_the_others(solved):
    _, book, _, _ = solved
    assert book.sheetnames[-3:] == ["Left out", "B2B meetings", "B2B not scheduled"]
    meetings, left = book["B2B meetings"], book["B2B not scheduled"]
    assert [cell.value for cell in meetings[1]] == MEETING_HEADERS
    assert [cell.value for cell in left[1]] == NOT_SCHEDULED_HEADERS
    for sheet in (meetings, left):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet["A1"].font.bold
    # Real date and time cells, formatted as on the Programme sheet.
    assert isinstance(meetings["C2"].value, datetime) and meetings["C2"].number_format == "yyyy-mm-dd"
    assert meetings["D2"].number_format == meetings["E2"].number_format == "hh:mm"


def _side(mission, people: list[str]) -> tuple[str | None, str | None]:
    """What a side's ids and names columns should say."""
    if not people:
        return None, None
    names = [(mission.delegates.get(p) or mission.counterparts[p]).name for p in people]
    return ", ".join(people), ", ".join(names)


def test_each_meeting_of_schedule_json_has_its_row(solved):
    document, book, mission, _ = solved
    rows = _rows(book["B2B meetings"])
    scheduled = document["meetings"]
    assert scheduled and len(scheduled) + len(document["unscheduled_meetings"]) == 7
    assert sorted(row["meeting"] for row in rows) == sorted(meeting["request"] for meeting in scheduled)
    by_request = {row["meeting"]: row for row in rows}
    for meeting in scheduled:
        start, end = datetime.fromisoformat(meeting["start"]), datetime.fromisoformat(meeting["end"])
        row = by_request[meeting["request"]]
        # The wall time of the session's leg (schedule.json's offset is Pacific), not UTC.
        assert (row["date"], row["start"], row["end"]) == (
            datetime.combine(start.date(), datetime.min.time()), start.time(), end.time())
        assert (row["session"], row["table"], row["time zone"]) == (meeting["session"], meeting["table"], "PDT")
        assert row["session title"] == "B2B digital"
        delegates = [p for p in meeting["with"] if p in mission.delegates]
        counterparts = [p for p in meeting["with"] if p in mission.counterparts]
        assert sorted(delegates + counterparts) == meeting["with"]
        assert (row["delegates"], row["delegate names"]) == _side(mission, delegates)
        assert (row["counterparts"], row["counterpart names"]) == _side(mission, counterparts)
    usc = next(row for row in rows if row["counterparts"] and "usc" in row["counterparts"])
    assert "University of Southern California" in usc["counterpart organisations"]
    # Sorted by session, start and table.
    order = [(row["session"], row["date"], row["start"], row["table"]) for row in rows]
    assert order == sorted(order)


def test_each_request_not_scheduled_has_its_reason_as_schedule_json_says_it(solved):
    document, book, mission, _ = solved
    rows = _rows(book["B2B not scheduled"])
    left = document["unscheduled_meetings"]
    assert [row["meeting"] for row in rows] == [entry["request"] for entry in left]
    assert [(row["reason"], row["code"]) for row in rows] == [(entry["reason"], entry["code"]) for entry in left]
    for row, entry in zip(rows, left):
        delegates = [p for p in entry["with"] if p in mission.delegates]
        counterparts = [p for p in entry["with"] if p not in mission.delegates]
        assert (row["delegates"], row["delegate names"]) == _side(mission, delegates)
        assert (row["counterparts"], row["counterpart names"]) == _side(mission, counterparts)
    away = next(row for row in rows if row["counterparts"] == "away")
    assert (away["delegates"], away["counterpart names"]) == ("kikk", AWAY)
    assert away["priority"] == 3 and away["code"] == "participant_unavailable"
    assert "is unavailable in every slot of" in away["reason"]


def test_a_name_that_looks_like_a_formula_stays_text(solved):
    _, book, _, out = solved
    cells = [cell for name in ("B2B meetings", "B2B not scheduled") for row in book[name].iter_rows()
             for cell in row if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert {cell.value for cell in cells} >= {USC, AWAY}
    assert {cell.data_type for cell in cells} == {"s"}
    # And no formula anywhere in the file: a spreadsheet would run it on opening.
    assert all(cell.data_type != "f" for sheet in load_workbook(out / "programme.xlsx")
               for row in sheet.iter_rows() for cell in row)


def test_no_b2b_sheets_without_requests(solved, small_programme):
    _, _, mission, out = solved
    schedule = read_schedule(out / "schedule.json")
    assert "B2B meetings" in programme_workbook(mission, schedule).sheetnames
    # Sessions but no request (meetings come back empty, not absent): nothing to show.
    no_requests = replace(mission, meeting_requests=())
    empty = replace(schedule, meetings=[], unscheduled_meetings=[])
    assert not [name for name in programme_workbook(no_requests, empty).sheetnames if name.startswith("B2B")]
    small, small_schedule = small_programme
    assert not [name for name in programme_workbook(small, small_schedule).sheetnames if name.startswith("B2B")]


def test_a_schedule_read_back_from_schedule_json_gives_the_same_reasons(solved, tmp_path):
    """The sentences come from schedule.json's `reason` once read back, not only from the solve's memory."""
    document, _, mission, out = solved
    (path,) = write_programme_workbook(mission, read_schedule(out / "schedule.json"), tmp_path)
    assert [row["reason"] for row in _rows(load_workbook(path)["B2B not scheduled"])] == [
        entry["reason"] for entry in document["unscheduled_meetings"]]
