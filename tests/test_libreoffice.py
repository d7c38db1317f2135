"""A real spreadsheet client reads planner's workbooks: headless LibreOffice converts programme.xlsx and a
mission workbook filled in from the template to CSV, sheet by sheet, and the CSV has the rows expected; a
workbook LibreOffice saves again still loads as the same mission.

Skipped when LibreOffice is not installed, except under CI (env var CI set), where it must run.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from openpyxl import load_workbook

from planner.mission.convert import plain
from planner.mission.load import load_mission
from planner.mission.schedule_file import read_schedule
from planner.mission.workbook import read_workbook, write_template
from planner.mission.workbook_layout import COLUMNS, cell_of
from planner.mission.yaml_reader import parse as parse_positioned
from planner.views.workbook import write_programme_workbook

pytestmark = pytest.mark.libreoffice

ALL_SHEETS_AS_UTF8_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
"""Comma, double quotes, UTF-8, from row 1, …, cells as shown, and (LibreOffice 7.2+) every sheet to its own file."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def soffice() -> str:
    found = soffice_path()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs Debian's libreoffice-calc")
        pytest.skip("LibreOffice is not installed")
    return found


def _convert(soffice: str, workbook: Path, target: str, out: Path) -> None:
    """soffice --headless --convert-to; a profile of its own, so that parallel tests do not share one."""
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", target,
         "--outdir", str(out), str(workbook)],
        capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_programme_workbook_converts_to_csv_with_every_activity(soffice, tmp_path):
    mission, schedule = load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL_SCHEDULE)
    (workbook,) = write_programme_workbook(mission, schedule, tmp_path)
    _convert(soffice, workbook, ALL_SHEETS_AS_UTF8_CSV, tmp_path / "csv")
    header, *rows = _rows(tmp_path / "csv" / "programme-Programme.csv")
    assert header[:3] == ["date", "start", "end"]
    by_id = {row[header.index("activity")]: row for row in rows}
    assert sorted(by_id) == sorted(a.id for a in schedule.activities)
    opening = by_id["opening"]
    assert (opening[0], opening[1], opening[2]) == ("2025-10-06", "18:00", "20:00")  # real dates and times
    assert opening[header.index("headcount")] == "19"
    header, *rows = _rows(tmp_path / "csv" / "programme-Delegates.csv")
    assert len(rows) == sum(len(a.attendees) for a in schedule.activities)
    assert (tmp_path / "csv" / "programme-Mon 06 Oct 2025.csv").exists()


def test_a_mission_filled_in_from_the_template_reads_in_libreoffice_and_back(soffice, tmp_path):
    template = tmp_path / "mission.xlsx"
    write_template(template)
    document = plain(parse_positioned(EXAMPLE_SMALL.read_text(encoding="utf-8"), str(EXAMPLE_SMALL)))
    book = load_workbook(template)
    # what an organiser types into the template: one row per delegate, the mission's name and time zone
    book["Mission"]["B2"] = document["mission"]["name"]
    book["Mission"]["B3"] = document["mission"]["timezone"]
    delegates = book["Delegates"]
    for row, entry in enumerate(document["delegates"], start=2):
        for column, key in enumerate(COLUMNS["delegates"], start=1):
            delegates.cell(row=row, column=column, value=cell_of("delegates", key, entry.get(key)))
    book.save(template)

    _convert(soffice, template, ALL_SHEETS_AS_UTF8_CSV, tmp_path / "csv")
    header, *rows = _rows(tmp_path / "csv" / "mission-Delegates.csv")
    assert header == list(COLUMNS["delegates"])
    assert [row[0] for row in rows] == [entry["id"] for entry in document["delegates"]]
    odoo = rows[[entry["id"] for entry in document["delegates"]].index("odoo")]
    assert odoo[header.index("sectors")] == "digital" and odoo[header.index("size")] == "3"
    mission_rows = _rows(tmp_path / "csv" / "mission-Mission.csv")
    assert mission_rows[1] == ["name", document["mission"]["name"]]

    # LibreOffice saves the workbook again (its own writer): planner still reads the same delegates
    _convert(soffice, template, "xlsx", tmp_path / "saved")
    saved, _ = read_workbook(tmp_path / "saved" / "mission.xlsx")
    assert plain(saved)["delegates"] == document["delegates"]
    assert plain(saved)["mission"] == {"name": document["mission"]["name"],
                                       "timezone": document["mission"]["timezone"]}


def test_a_converted_mission_saved_by_libreoffice_loads_as_the_same_mission(soffice, tmp_path):
    from planner.mission.convert import convert

    convert(EXAMPLE_SMALL, tmp_path / "mission.xlsx")
    _convert(soffice, tmp_path / "mission.xlsx", "xlsx", tmp_path / "saved")
    again = load_mission(tmp_path / "saved" / "mission.xlsx")
    original = load_mission(EXAMPLE_SMALL)
    assert {key: (d.name, d.size, d.sectors, d.unavailable and [(w.start, w.end) for w in d.unavailable])
            for key, d in again.delegates.items()} == {
        key: (d.name, d.size, d.sectors, d.unavailable and [(w.start, w.end) for w in d.unavailable])
        for key, d in original.delegates.items()}
    assert [(a.id, a.duration, a.venues, a.attendees, a.fixed, a.windows and [(w.start, w.end) for w in a.windows])
            for a in again.activities.values()] == [
        (a.id, a.duration, a.venues, a.attendees, a.fixed, a.windows and [(w.start, w.end) for w in a.windows])
        for a in original.activities.values()]


def test_a_formula_computed_by_libreoffice_reads_as_its_result(soffice, tmp_path):
    """A duration written as a formula (`=60*3`, 180 minutes): openpyxl saves it without a result, which
    planner refuses at its cell; LibreOffice computes and saves it, and planner then reads 180."""
    from openpyxl import load_workbook

    from planner.mission.convert import convert

    convert(EXAMPLE_SMALL, tmp_path / "mission.xlsx")
    book = load_workbook(tmp_path / "mission.xlsx")
    sheet = book["Activities"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "visit-google")
    column = next(cell.column for cell in sheet[1] if cell.value == "duration")
    sheet.cell(row=row, column=column, value="=60*3")
    book.save(tmp_path / "mission.xlsx")
    _convert(soffice, tmp_path / "mission.xlsx", "xlsx", tmp_path / "saved")
    assert load_mission(tmp_path / "saved" / "mission.xlsx").activities["visit-google"].duration == 180


def test_an_array_formula_computed_by_libreoffice_reads_as_its_result(soffice, tmp_path):
    """The same duration as an array formula (`{=60*3}`), which openpyxl reads into an object, not text."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    from planner.mission.convert import convert

    convert(EXAMPLE_SMALL, tmp_path / "mission.xlsx")
    book = load_workbook(tmp_path / "mission.xlsx")
    sheet = book["Activities"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "visit-google")
    column = next(cell.column for cell in sheet[1] if cell.value == "duration")
    reference = sheet.cell(row=row, column=column).coordinate
    sheet[reference] = ArrayFormula(reference, "=60*3")
    book.save(tmp_path / "mission.xlsx")
    _convert(soffice, tmp_path / "mission.xlsx", "xlsx", tmp_path / "saved")
    assert load_mission(tmp_path / "saved" / "mission.xlsx").activities["visit-google"].duration == 180


def test_a_registrations_formula_computed_by_libreoffice_imports_as_its_result(soffice, tmp_path):
    """`planner import` reads a formula as the result LibreOffice saved with it (`=2*2` participants: 4), and
    a text that merely starts with `=` as written."""
    from openpyxl import Workbook
    from typer.testing import CliRunner

    from planner.cli import app

    mission_file = tmp_path / "mission.yaml"
    shutil.copyfile(EXAMPLE_SMALL, mission_file)
    book = Workbook()
    sheet = book.active
    sheet.title = "Inscriptions"
    sheet.append(["Société", "Courriel", "Participants", "Secteur"])
    sheet.append(["Acme", "info@acme.be", "=2*2", None])
    sheet["D2"] = "=IA"
    sheet["D2"].data_type = "s"  # text, not a formula
    book.save(tmp_path / "inscriptions.xlsx")
    _convert(soffice, tmp_path / "inscriptions.xlsx", "xlsx", tmp_path / "saved")
    result = CliRunner().invoke(app, ["import", str(tmp_path / "saved" / "inscriptions.xlsx"),
                                      "--into", str(mission_file)])
    assert result.exit_code == 0, result.output
    acme = load_mission(mission_file).delegates["acme"]
    assert (acme.size, acme.sectors) == (4, ("=IA",))


def test_a_formula_whose_result_is_an_error_value_is_an_error_at_its_cell(soffice, tmp_path):
    """A formula LibreOffice computed to an error value (#NAME?, #DIV/0!) is an error at its cell, in a
    registrations sheet and in a mission workbook alike: it was read as the text `#NAME?` (a delegation
    `name`, an organisation `#NAME?`), or said to be no number without a word of the formula."""
    from openpyxl import Workbook
    from typer.testing import CliRunner

    from planner.cli import app
    from planner.domain.errors import InputErrors
    from planner.mission.convert import convert

    mission_file = tmp_path / "mission.yaml"
    shutil.copyfile(EXAMPLE_SMALL, mission_file)
    before = mission_file.read_text(encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "Inscriptions"
    sheet.append(["Société", "Courriel", "Participants", "Région"])
    sheet.append(["Acme", "info@acme.be", 2, "=NOSUCHFUNCTION(1)"])
    sheet.append(["Beta", "info@beta.be", "=1/0", "Wallonie"])
    book.save(tmp_path / "inscriptions.xlsx")
    convert(EXAMPLE_SMALL, tmp_path / "mission.xlsx")
    mission_book = load_workbook(tmp_path / "mission.xlsx")
    delegates = mission_book["Delegates"]
    row = next(cell.row for cell in delegates["A"] if cell.value == "odoo")
    column = next(cell.column for cell in delegates[1] if cell.value == "organisation")
    delegates.cell(row=row, column=column, value="=NOSUCHFUNCTION(1)")
    organisation = delegates.cell(row=row, column=column).coordinate
    mission_book.save(tmp_path / "mission.xlsx")
    for workbook in ("inscriptions.xlsx", "mission.xlsx"):
        _convert(soffice, tmp_path / workbook, "xlsx", tmp_path / "saved")

    result = CliRunner().invoke(app, ["import", str(tmp_path / "saved" / "inscriptions.xlsx"),
                                      "--into", str(mission_file)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "inscriptions.xlsx:Inscriptions!D2: this cell's formula `=nosuchfunction(1)` gives the error #NAME?" \
        in output.replace("NOSUCHFUNCTION", "nosuchfunction")
    assert "inscriptions.xlsx:Inscriptions!C3: this cell's formula `=1/0` gives the error #DIV/0!" in output
    assert mission_file.read_text(encoding="utf-8") == before
    with pytest.raises(InputErrors) as raised:
        load_mission(tmp_path / "saved" / "mission.xlsx")
    messages = [str(error) for error in raised.value.errors]
    assert any(f"mission.xlsx:Delegates!{organisation}: this cell's formula" in message
               and "gives the error #NAME?" in message for message in messages), messages
