"""A mission as a workbook: the same document as its YAML, the same checks and messages placed in cells,
conversion both ways without loss, and the template."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, FLAGSHIP, JAPAN
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.errors import InputErrors
from planner.mission.convert import convert, plain, read_mission_document
from planner.mission.load import load_mission, load_mission_text
from planner.mission.workbook import (
    mission_workbook,
    read_workbook,
    template_workbook,
    workbook_bytes,
)
from planner.mission.workbook_layout import COLUMNS, cell_of, cell_value
from planner.mission.yaml_reader import parse as parse_positioned


def _document(path: Path) -> dict:
    return plain(parse_positioned(path.read_text(encoding="utf-8"), str(path)))


def _save(document: dict, path: Path) -> Path:
    path.write_bytes(workbook_bytes(mission_workbook(document)))
    return path


@pytest.mark.parametrize("example", [EXAMPLE_SMALL, FLAGSHIP, JAPAN], ids=["small", "flagship", "japan"])
def test_a_workbook_holds_the_same_document_as_the_yaml(example, tmp_path):
    document = _document(example)
    back, _ = read_workbook(_save(document, tmp_path / "mission.xlsx"))
    assert plain(back) == document


def test_cells_are_written_as_a_person_writes_them():
    assert cell_of("groups", "members", ["astrid", "simonet"]) == "astrid, simonet"
    assert cell_value("groups", "members", "astrid, simonet") == ["astrid", "simonet"]
    assert cell_value("delegates", "sectors", "Numérique; IA, robots") == ["Numérique", "IA, robots"]
    assert cell_of("delegates", "sectors", ["food, drinks", "wine"]) == "food, drinks\nwine"
    assert cell_value("venues", "open", "09:00-12:00, 14:00–18:00") == [["09:00", "12:00"], ["14:00", "18:00"]]
    assert cell_value("delegates", "unavailable", "2025-10-06 08:00 - 2025-10-06 12:00") == [
        ["2025-10-06 08:00", "2025-10-06 12:00"]]
    assert cell_value("activities", "after", "welcome, briefing +30m") == ["welcome", {"id": "briefing", "gap": "30m"}]
    assert cell_value("venues", "geo", "37.7924, -122.4102") == [37.7924, -122.4102]
    assert cell_value("mission", "day", "08:00–22:00") == {"start": "08:00", "end": "22:00"}


def _mistaken(text: str) -> str:
    """example-small with one mistake of each kind the loader finds in one entry or across entries."""
    replacements = [
        ("{id: odoo, name: Odoo, role: company,", "{id: odoo, name: Odoo, role: company, email: odoo-at-odoo,"),
        ("sectors: [life-sciences], size: 2}", "sectors: [life-sciences], size: two}"),
        ("attendees: [astrid, jeholet]}", "attendees: [astrdi, jeholet]}"),
        ("venue: nasa-ames, duration: 90m,", "venue: nasa-ames, duration: 90 minutes,"),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_errors_name_the_cell_in_the_workbooks_terms(tmp_path):
    """The YAML's mistakes, found by the same checks, each at its cell and worded by column, not by key."""
    text = _mistaken(EXAMPLE_SMALL.read_text(encoding="utf-8"))
    with pytest.raises(InputErrors) as from_yaml:
        load_mission_text(text, "mission.yaml")
    workbook = _save(plain(parse_positioned(text, "mission.yaml")), tmp_path / "mission.xlsx")
    with pytest.raises(InputErrors) as from_workbook:
        load_mission(workbook)
    assert len(from_yaml.value.errors) == 4
    column = {key: chr(ord("A") + index) for index, key in enumerate(COLUMNS["delegates"])}
    delegates = [entry["id"] for entry in _document(EXAMPLE_SMALL)["delegates"]]
    activities = [entry["id"] for entry in _document(EXAMPLE_SMALL)["activities"]]
    duration = chr(ord("A") + COLUMNS["activities"].index("duration"))
    attendees = chr(ord("A") + COLUMNS["activities"].index("attendees"))
    assert sorted(str(error).removeprefix(f"{workbook}:") for error in from_workbook.value.errors) == sorted([
        f"Activities!{attendees}{activities.index('visit-stanford') + 2}: unknown delegate or group `astrdi`; did "
        "you mean `astrid`?",
        f"Activities!{duration}{activities.index('visit-nasa') + 2}: activity `visit-nasa`, column `duration`: "
        "`90 minutes` is not a duration; write 90m, 1h30m or 90 (minutes)",
        f"Delegates!{column['email']}{delegates.index('odoo') + 2}: delegate `odoo`, column `email`: "
        "`odoo-at-odoo` is not an e-mail address; write e.g. name@example.org",
        f"Delegates!{column['size']}{delegates.index('lasea') + 2}: delegate `lasea`, column `size`: `two` is not "
        "a whole number; write e.g. 1",
    ])


def test_an_unknown_column_and_a_missing_sheet(tmp_path):
    document = _document(EXAMPLE_SMALL)
    document["delegates"][0]["emial"] = "astrid@example.org"
    del document["venues"]
    path = _save(document, tmp_path / "mission.xlsx")
    book = load_workbook(path)
    book["Delegates"].cell(row=1, column=len(COLUMNS["delegates"]) + 1, value="E-mial")
    for row in (2, 3):
        book["Delegates"].cell(row=row, column=len(COLUMNS["delegates"]) + 1, value="astrid@example.org")
    del book["Venues"]
    book.save(path)
    with pytest.raises(InputErrors) as failure:
        load_mission(path)
    messages = [str(error) for error in failure.value.errors]
    column = chr(ord("A") + len(COLUMNS["delegates"]))  # the first column after the known ones
    unknown = f"{path}:Delegates!{column}1: the Delegates sheet: unknown column `E-mial`; did you mean `email`?"
    assert messages.count(unknown) == 1  # once for the column, not once per row that fills it
    assert (f"{path}:Mission!A1: the workbook has no Venues sheet: add one, with a header row (id, name, city, …) "
            "and a row per entry") in messages


def _programme(mission) -> list[tuple]:
    from planner.solver.solve import SolveOptions, solve

    schedule = solve(mission, SolveOptions(time_limit=60, workers=2, seed=0, progress=False))
    assert schedule.status == "optimal"
    return sorted((a.id, a.venue, a.start, a.end, a.attendees) for a in schedule.activities)


@pytest.mark.parametrize("example", [EXAMPLE_SMALL, pytest.param(FLAGSHIP, marks=pytest.mark.slow)],
                         ids=["small", "flagship"])
def test_yaml_to_workbook_to_yaml_solves_to_the_same_schedule(example, tmp_path):
    workbook = tmp_path / "mission.xlsx"
    convert(example, workbook)
    convert(workbook, tmp_path / "mission.yaml")
    assert _document(tmp_path / "mission.yaml") == _document(example)
    document, from_workbook = read_mission_document(workbook)
    assert document == _document(example)
    expected = _programme(load_mission(example))
    assert _programme(load_mission(tmp_path / "mission.yaml")) == expected
    assert _programme(from_workbook) == expected


def test_cli_validate_convert_template(tmp_path):
    runner = CliRunner()
    workbook = tmp_path / "mission.xlsx"
    result = runner.invoke(app, ["convert", str(EXAMPLE_SMALL), str(workbook)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", str(workbook)]).exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(workbook), "--out", str(out), "--quiet", "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check", str(workbook), str(out / "schedule.json")]).exit_code == 0
    result = runner.invoke(app, ["itinerary", str(workbook), "--schedule", str(out / "schedule.json"),
                                 "--delegate", "astrid"])
    assert result.exit_code == 0 and "Visit to Google" in result.output
    assert (out / "programme.xlsx").exists()
    book = load_workbook(workbook)
    book["Delegates"]["G3"] = "three"
    book.save(workbook)
    result = runner.invoke(app, ["validate", str(workbook)])
    assert result.exit_code == 2
    assert f"{workbook}:Delegates!G3: delegate " in result.output and "is not a whole number" in result.output
    result = runner.invoke(app, ["convert", str(workbook), str(tmp_path / "mission.txt")])
    assert result.exit_code == 2 and not (tmp_path / "mission.txt").exists()

    result = runner.invoke(app, ["template", "--out", str(tmp_path / "template.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "template.xlsx").sheetnames[-1] == "How to"


def test_template_headers_drop_downs_and_how_to():
    book = template_workbook()
    assert book.sheetnames[:8] == ["Mission", "Legs", "Venues", "Travel", "Delegates", "Groups", "Activities",
                                   "Rules"]
    assert [cell.value for cell in book["Activities"][1]] == list(COLUMNS["activities"])
    assert book.active.title == "How to"
    validations = {(sheet, str(rule.sqref)): rule.formula1 for sheet in book.sheetnames
                   for rule in book[sheet].data_validations.dataValidation}
    from planner.domain.mission import CONVENTIONAL_KINDS

    # kinds: every conventional one, under the list's header
    assert validations[("Activities", "C2:C2000")] == f"=Lists!$A$2:$A${len(CONVENTIONAL_KINDS) + 1}"
    assert validations[("Activities", "D2:D2000")] == "=Venues!$A$2:$A$2000"  # venue ids
    assert validations[("Delegates", "C2:C2000")] == "=Lists!$B$2:$B$8"  # roles
    assert validations[("Rules", "B2:B2000")] == "=Lists!$D$2:$D$6"
    lists = book["Lists"]
    assert [lists.cell(row=row, column=4).value for row in range(2, 7)] == ["accompany", "max_per_day", "min_gap",
                                                                           "lunch", "max_hours"]
    assert book["Lists"].sheet_state == "hidden"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    document = _document(EXAMPLE_SMALL)
    document["activities"][0]["title"] = '=HYPERLINK("http://example.org","x")'
    path = _save(document, tmp_path / "mission.xlsx")
    cell = load_workbook(path)["Activities"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.org","x")', "s")
    assert plain(read_workbook(path)[0]) == document


def test_convert_and_template_never_write_over_a_file_without_force(tmp_path):
    """A workbook or mission file already there may be a person's work: refused (exit 2, the file as it was,
    naming --force), replaced with --force."""
    runner = CliRunner()
    workbook = tmp_path / "mission.xlsx"
    workbook.write_bytes(b"a person's workbook")
    for arguments in (["convert", str(EXAMPLE_SMALL), str(workbook)], ["template", "--out", str(workbook)]):
        result = runner.invoke(app, arguments)
        assert result.exit_code == 2, result.output
        assert "already there" in result.output and "--force" in result.output and "Traceback" not in result.output
        assert workbook.read_bytes() == b"a person's workbook"
    assert runner.invoke(app, ["convert", str(EXAMPLE_SMALL), str(workbook), "--force"]).exit_code == 0
    assert load_mission(workbook).name == load_mission(EXAMPLE_SMALL).name
    assert runner.invoke(app, ["template", "--out", str(workbook), "--force"]).exit_code == 0
    # A folder is never replaced, --force or not, and --force is not offered for it.
    folder = tmp_path / "folder"
    folder.mkdir()
    result = runner.invoke(app, ["template", "--out", str(folder), "--force"])
    assert result.exit_code == 2 and "a folder of that name" in result.output and "--force" not in result.output
    assert folder.is_dir() and list(tmp_path.glob(".folder*")) == []


def test_a_target_that_is_no_workbook_or_yaml_is_said_before_that_it_is_there(tmp_path):
    """`template --out t.yaml` wrote a workbook named .yaml; `convert m.yaml schedule.json` said to add
    --force, which only led to the suffix error next."""
    runner = CliRunner()
    result = runner.invoke(app, ["template", "--out", str(tmp_path / "t.yaml")])
    assert result.exit_code == 2 and not (tmp_path / "t.yaml").exists()
    assert "the template is a workbook; name it .xlsx, e.g. t.xlsx" in result.output
    there = tmp_path / "schedule.json"
    there.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["convert", str(EXAMPLE_SMALL), str(there)])
    assert result.exit_code == 2 and "--force" not in result.output, result.output
    assert "planner writes a mission as .xlsx (a workbook) or .yaml" in result.output
    assert there.read_text(encoding="utf-8") == "{}"


def test_a_message_longer_than_80_columns_is_one_line_in_a_pipe(tmp_path):
    """Into a pipe rich assumes 80 columns; a message is not cut mid-phrase there (`29 \\nactivities`)."""
    target = tmp_path / ("a-long-folder-name-for-a-mission-workbook-" * 2) / "mission.xlsx"
    target.parent.mkdir()
    result = CliRunner().invoke(app, ["convert", str(EXAMPLE_SMALL), str(target)])
    assert result.exit_code == 0, result.output
    assert len(result.output.rstrip("\n")) > 80
    assert result.output.rstrip("\n").splitlines() == [
        f"wrote {target}: Small West Coast mission (8 delegates, 9 activities)"]
