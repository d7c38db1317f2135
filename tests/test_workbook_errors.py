"""A mission workbook's errors in the workbook's terms: its sheets, its column headers as written, its rows
and cells, and cells written the way the workbook reads them; never the YAML's keys, `key: …` or `[a, b]`.

Each case edits example-small converted to a workbook (cells set, sheets renamed or deleted) and names the
cell the error must stand at and fragments of its message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.convert import convert
from planner.mission.load import load_mission

YAML_TERMS = ("lacks the required key", ": …`", "`- ", '["', "[start, end]", "{start", "under travel.times",
              "define it under", "[lat, lon]", "expected a mapping", "`mission`,", "rule 1", '"HH:MM"',
              '"08:30"', "in quotes")
"""What a message in the YAML's terms says, and a workbook's never does."""


@dataclass(frozen=True)
class Case:
    name: str
    cells: tuple[tuple[str, str, object], ...]
    """(sheet, cell, value) to set; a value `RENAME name` renames the sheet, `INSERT text` inserts a row
    above the cell's row and writes the text in the cell."""
    at: str
    says: tuple[str, ...]


def case(name: str, cells: list[tuple[str, str, object]], at: str, *says: str) -> Case:
    return Case(name, tuple(cells), at, says)


CASES = [
    case("a value under a header written in words",
         [("Activities", "E1", "Duration"), ("Activities", "E3", "ninety")],
         "Activities!E3", "activity `visit-google`, column `Duration`: `ninety` is not a duration"),
    case("an empty required cell",
         [("Activities", "B5", None)],
         "Activities!A5", "activity `visit-nasa` has no `title`: fill in its cell in the `title` column"),
    case("an unknown column",
         [("Delegates", "K1", "Colour"), ("Delegates", "K2", "red")],
         "Delegates!K1", "the Delegates sheet: unknown column `Colour`; the columns are `id`, `name`"),
    case("a setting of the Mission sheet",
         [("Mission", "B4", "5 minutes")],
         "Mission!B4", "the Mission sheet, `grain`: `5 minutes` is not a duration"),
    case("an unknown key of the Mission sheet",
         [("Mission", "A4", "Grian")],
         "Mission!A4", "the Mission sheet: unknown key `Grian`; did you mean `grain`?"),
    case("a missing setting",
         [("Mission", "A3", None), ("Mission", "B3", None)],
         "Mission!A1", "the Mission sheet has no `timezone`: add a row with `timezone` in column A and its value "
                       "in column B"),
    case("a setting whose key cell is there and its value cell empty (the template's)",
         [("Mission", "B3", None)],
         "Mission!A1", "the Mission sheet has no `timezone`: its value cell B3 is empty; write the value there"),
    case("a rule cell its kind does not take",
         [("Rules", "F2", 3)],
         "Rules!F2", "rule on row 2: the rule `accompany` takes no `count`; empty this cell (it takes `who`, "
                     "`with`, `kinds`)"),
    case("a misspelt sheet",
         [("Groups", "A1", "RENAME Gruops")],
         "Gruops!A1", "the sheet `Gruops` is no sheet of a mission workbook; did you mean Groups? Rename it"),
    case("a working day that is no range",
         [("Mission", "B5", "from eight")],
         "Mission!B5", "the Mission sheet, `day`: `from eight` is not in the form of this column; write e.g. "
                       "08:00–22:00"),
    case("a B2B setting that does not read",
         [("Activities", "N7", "slot 20")],
         "Activities!N7", "column `meetings`: `slot 20` is not in the form of this column; write e.g. slot 20m, "
                          "tables 10"),
    case("a window that does not read",
         [("Activities", "I6", "Monday morning")],
         "Activities!I6", "`Monday morning` is not a window; write e.g. 2025-10-06 09:00 – 2025-10-06 12:00"),
    case("a window that ends before it starts",
         [("Activities", "I6", "2025-10-06 10:00 – 2025-10-06 08:00")],
         "Activities!I6", "the window ends (2025-10-06 08:00) before or when it starts (2025-10-06 10:00); "
                          "write start – end with the end later"),
    case("opening hours that end before they start",
         [("Venues", "F3", "17:00–09:00")],
         "Venues!F3", "venue `google`, column `open`: the range ends (09:00) before or when it starts (17:00); "
                      "the end must be later on the same day, e.g. 09:00–17:00"),
    case("geo out of range",
         [("Venues", "E3", "137.4, -122.0")],
         "Venues!E3", "latitude 137.4 is out of range; it lies between -90 and 90 (write latitude, longitude)"),
    case("a travel time row with a cell left out",
         [("Travel", "C2", None)],
         "Travel!A2", "the Travel sheet, row 2: a travel time fills the three columns venue_a, venue_b, duration"),
    case("an id nothing defines",
         [("Activities", "F4", "astrid, nobody-at-all")],
         "Activities!F4", "unknown delegate or group `nobody-at-all`; add a row for it to the Delegates sheet or "
                          "the Groups sheet"),
    case("no travel time between two venues",
         [("Travel", "A2", None), ("Travel", "B2", None), ("Travel", "C2", None), ("Venues", "E3", None)],
         "Venues!A3", "add a row fairmont | google | 25m to the Travel sheet, or `geo` to both venues, or a "
                      "`default` in the settings of the Travel sheet"),
    case("a working day's hours typed the French way",
         [("Mission", "B5", "8h–22h")],
         "Mission!B5", "`8h` is not a time of day; write HH:MM on a 24-hour clock, from 00:00 to 24:00, e.g. 08:30"),
    case("a fixed time typed in words",
         [("Activities", "H2", "5 oct 10am")],
         "Activities!H2", "`5 oct 10am` is not a datetime; write YYYY-MM-DD HH:MM, e.g. 2025-10-06 09:30"),
    case("candidate venues written with a slash",
         [("Activities", "D3", "google / stanford")],
         "Activities!D3", "`google / stanford` is not an id; separate several with commas, e.g. google, stanford"),
    case("a venue of a travel time misspelt",
         [("Travel", "B2", "goggle")],
         "Travel!B2", "unknown venue `goggle`; did you mean `google`?"),
    case("a rule row without a rule",
         [("Rules", "B3", None)],
         "Rules!C3", "rule on row 3 names no rule; write one of `accompany`, `max_per_day`, `min_gap`, `lunch`, "
                     "`max_hours` in its `rule` cell"),
]


def _workbook(tmp_path: Path, bad: Case) -> Path:
    path = tmp_path / "mission.xlsx"
    convert(EXAMPLE_SMALL, path)
    book = load_workbook(path)
    for sheet, cell, value in bad.cells:
        if isinstance(value, str) and value.startswith("RENAME "):
            book[sheet].title = value.removeprefix("RENAME ")
        elif isinstance(value, str) and value.startswith("INSERT "):  # a row above the cell's, holding it
            book[sheet].insert_rows(int(cell[1:]))
            book[sheet][cell] = value.removeprefix("INSERT ")
        else:
            book[sheet][cell] = value
    book.save(path)
    return path


@pytest.mark.parametrize("bad", CASES, ids=[c.name for c in CASES])
def test_a_workbook_error_speaks_of_sheets_columns_and_cells(tmp_path, bad: Case):
    path = _workbook(tmp_path, bad)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    printed = [row for row in result.output.splitlines() if row.startswith("error: ")]
    at = [row for row in printed if row.startswith(f"error: {path}:{bad.at}: ")]
    assert any(all(fragment in row for fragment in bad.says) for row in at), "\n".join(printed)
    assert [row for row in printed if any(term in row for term in YAML_TERMS)] == []
    assert "nothing was written" in result.output


ONE_SLIP_ONE_ERROR = [
    # `Atendees` for `attendees`: its rows are read as that column's, so none is said to lack it
    case("a misspelt header", [("Activities", "F1", "Atendees")], "Activities!F1",
         "the Activities sheet: unknown column `Atendees`; did you mean `attendees`? Correct the header (its "
         "cells were checked as `attendees` meanwhile)"),
    # `Delegate` for `Delegates`: read as that sheet, so the activities naming its delegates find them
    case("a misspelt sheet", [("Delegates", "A1", "RENAME Delegate")], "Delegate!A1",
         "the sheet `Delegate` is no sheet of a mission workbook; did you mean Delegates? Rename it (its rows "
         "were read as the Delegates sheet's meanwhile)"),
    # `acompany`: not also 'names no rule'
    case("a misspelt rule", [("Rules", "B2", "acompany")], "Rules!B2",
         "rule on row 2: unknown rule `acompany`; did you mean `accompany`?"),
    # a title above the headers (a common habit): not one 'has no id' per delegate
    case("a title above the header row", [("Delegates", "A1", "INSERT Delegates of the mission")],
         "Delegates!A2", "the Delegates sheet's header row is row 2; planner reads the headers in row 1: "
         "delete the rows above it (a title can go in a cell's note, or on a sheet of its own)"),
]


@pytest.mark.parametrize("slip", ONE_SLIP_ONE_ERROR, ids=[c.name for c in ONE_SLIP_ONE_ERROR])
def test_one_slip_is_one_error(tmp_path, slip: Case):
    """A slip that makes every row below it look wrong is said once, where it is (before: 29, 67 or 116
    errors on the Japan example, the useful one among them)."""
    path = _workbook(tmp_path, slip)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    printed = [row for row in result.output.splitlines() if row.startswith("error: ")]
    assert len(printed) == 1 and printed[0].startswith(f"error: {path}:{slip.at}: {slip.says[0]}"), printed


@pytest.mark.parametrize("written", ["=60*2", "array"])
def test_a_formula_saved_without_its_result_is_said_at_its_cell(tmp_path, written):
    """`=60*2` written by a program that does not compute formulas (openpyxl here) has no result in the
    file: said at its cell, not read as an empty cell ('has no duration'); so is an array formula
    (`{=60*2}`, entered with Ctrl+Shift+Enter), which openpyxl reads into an object, not `=…` text (before:
    'expected a duration, found a mapping'). A title that merely starts with `=`, written as text, reads
    back as itself."""
    value = ArrayFormula("E3", "=60*2") if written == "array" else written
    path = _workbook(tmp_path, case("formula", [("Activities", "E3", value)], "Activities!E3"))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    printed = [row for row in result.output.splitlines() if row.startswith("error: ")]
    assert printed == [f"error: {path}:Activities!E3: this cell holds the formula `=60*2` without its result "
                       "(the program that wrote the file did not compute it); open and save the workbook in "
                       "Excel or LibreOffice, which compute it, or write the value itself"]
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace("title: Visit to Google,", 'title: "=Google",', 1)
    assert '"=Google"' in text
    mission = tmp_path / "titled.yaml"
    mission.write_text(text, encoding="utf-8")
    workbook = tmp_path / "titled.xlsx"
    convert(mission, workbook)
    assert load_mission(workbook).activities["visit-google"].title == "=Google"


def test_an_unknown_rule_kind_says_what_to_write_in_the_rule_cell(tmp_path):
    """In a workbook a rule's kind is its `rule` cell and its id a column of its own: the message says which
    kinds that cell takes, not the YAML's '(plus an optional `id`)'; a number there is a kind like any
    other text, not pydantic's 'Keys should be strings'."""
    path = _workbook(tmp_path, case("rule kinds", [("Rules", "B1", "Rule"), ("Rules", "B2", "acompany"),
                                                   ("Rules", "B3", 7)], "Rules!B2"))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    kinds = "`accompany`, `max_per_day`, `min_gap`, `lunch`, `max_hours`"
    assert [row for row in result.output.splitlines() if row.startswith("error: ")] == [
        f"error: {path}:Rules!B2: rule on row 2: unknown rule `acompany`; did you mean `accompany`? Write one "
        f"of {kinds} in its `Rule` cell",
        f"error: {path}:Rules!B3: rule on row 3: unknown rule `7`; write one of {kinds} in its `Rule` cell"]

    mission = tmp_path / "mission.yaml"
    mission.write_text(EXAMPLE_SMALL.read_text(encoding="utf-8").replace("  - max_per_day:", "  - max_per_dya:"),
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(mission)])
    assert [row for row in result.output.splitlines() if row.startswith("error: ")] == [
        f"error: {mission}:66:5: rule 2: unknown rule `max_per_dya`; did you mean `max_per_day`? A rule is one "
        f"of {kinds} (plus an optional `id`)"]


def test_a_meeting_request_written_with_a_word_between_its_ids_says_to_separate_them_with_commas(tmp_path):
    """`odoo et acme-ai` in a Meetings row's `with` cell: two ids as a French organiser lists them, not the
    id `odoo-et-acme-ai` that the message suggested."""
    from test_b2b_mission import MISSION

    mission = tmp_path / "mission.yaml"
    mission.write_text(MISSION, encoding="utf-8")
    path = tmp_path / "mission.xlsx"
    convert(mission, path)
    book = load_workbook(path)
    book["Meetings"]["A2"] = "odoo et acme-ai"
    book.save(path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert [row for row in result.output.splitlines() if row.startswith("error: ")] == [
        f"error: {path}:Meetings!A2: meeting request on row 2, column `with`: `odoo et acme-ai` is not an id; "
        "separate several with commas, e.g. odoo, acme-ai"]
