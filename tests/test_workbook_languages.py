"""programme.xlsx in the mission's language: sheet names, headings, day tabs and the workbook's own words
translated, read back with openpyxl; what the organiser wrote, and dates, times and numbers, left as data."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from test_workbook_meetings import TEXT
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.load import load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.text.i18n import words_for
from planner.views.workbook import PROGRAMME_HEADERS, day_sheet_name, write_programme_workbook
from planner.views.workbook_meetings import MEETING_HEADERS, NOT_SCHEDULED_HEADERS


def _rows(sheet) -> list[dict[str, object]]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


def _book(small_programme, language: str, tmp_path):
    mission, schedule = small_programme
    (path,) = write_programme_workbook(replace(mission, language=language), schedule, tmp_path)
    return load_workbook(path), mission, schedule


def test_a_french_mission_reads_its_workbook_in_french(small_programme, tmp_path):
    book, mission, schedule = _book(small_programme, "fr", tmp_path)
    assert book.sheetnames == ["Programme", "lun. 06 oct. 2025", "mar. 07 oct. 2025", "jeu. 09 oct. 2025",
                               "Lieux", "Délégués", "Activités non retenues"]
    programme = book["Programme"]
    assert [cell.value for cell in programme[1]] == [
        "date", "début", "fin", "fuseau horaire", "activité", "titre", "type", "lieu", "adresse",
        "nombre de personnes", "délégués", "participants"]
    rows = _rows(programme)
    briefing = next(row for row in rows if row["activité"] == "wallonia-briefing")
    # The organiser's words as written, a conventional kind in French, real date and time cells.
    assert briefing["titre"] == mission.activities["wallonia-briefing"].title
    assert briefing["type"] == "séminaire"
    assert (briefing["date"], briefing["début"], briefing["fin"]) == (datetime(2025, 10, 6), time(8), time(9))
    assert programme["A2"].number_format == "yyyy-mm-dd" and programme["B2"].number_format == "hh:mm"
    assert sorted(row["activité"] for row in rows) == sorted(a.id for a in schedule.activities)
    grid = book["lun. 06 oct. 2025"]
    assert grid["A1"].value == "heure"
    assert "08:00–09:00 Walloon delegation briefing (6 personnes)" in {
        cell.value for row in grid.iter_rows() for cell in row}
    assert [cell.value for cell in book["Lieux"][1]][-2:] == ["affluence maximale", "titres"]
    delegates = _rows(book["Délégués"])
    assert {row["participe en tant que"] for row in delegates} <= {
        "participant", "participant facultatif", "accompagnant"}
    assert next(row for row in delegates if row["délégué"] == "astrid")["nom"] == "HRH Princess Astrid"
    assert [cell.value for cell in book["Activités non retenues"][1]] == [
        "activité", "titre", "type", "priorité", "motif"]


def test_a_dutch_mission_reads_its_workbook_in_dutch(small_programme, tmp_path):
    book, _, _ = _book(small_programme, "nl", tmp_path)
    assert book.sheetnames == ["Programma", "ma 06 okt 2025", "di 07 okt 2025", "do 09 okt 2025", "Locaties",
                               "Delegatieleden", "Niet ingepland"]
    assert [cell.value for cell in book["Programma"][1]][:6] == [
        "datum", "begin", "einde", "tijdzone", "activiteit", "titel"]
    assert [cell.value for cell in book["Delegatieleden"][1]][-1] == "neemt deel als"
    assert book["ma 06 okt 2025"]["A1"].value == "tijd"


def test_an_english_mission_keeps_its_workbook_as_it_was(small_programme, tmp_path):
    book, _, _ = _book(small_programme, "en", tmp_path)
    assert book.sheetnames == ["Programme", "Mon 06 Oct 2025", "Tue 07 Oct 2025", "Thu 09 Oct 2025", "Venues",
                               "Delegates", "Left out"]
    assert [cell.value for cell in book["Programme"][1]] == PROGRAMME_HEADERS == [
        "date", "start", "end", "time zone", "activity", "title", "kind", "venue", "address", "headcount",
        "delegates", "attendees"]
    assert day_sheet_name(date(2025, 9, 7)) == "Sun 07 Sep 2025"  # not CLDR's British `Sept`


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_every_day_of_a_year_names_a_sheet_excel_accepts(language):
    words = words_for(language)
    names = [day_sheet_name(date(2028, 1, 1) + timedelta(days=n), words) for n in range(366)]
    assert len(set(names)) == 366
    assert all(0 < len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert all(not name.startswith("'") and not name.endswith("'") for name in names)


@pytest.fixture(scope="module")
def french_b2b(tmp_path_factory):
    """The B2B mission of test_workbook_meetings in French, solved by `planner solve`."""
    folder = tmp_path_factory.mktemp("b2b-fr")
    text = TEXT.replace("timezone: America/Los_Angeles}", "timezone: America/Los_Angeles, language: fr}", 1)
    (folder / "mission.yaml").write_text(text, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(app, ["solve", str(folder / "mission.yaml"), "--out", str(out), "--quiet",
                                      "--time-limit", "10", "--workers", "1"])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    return document, load_workbook(out / "programme.xlsx"), load_mission_text(text), out


def test_the_b2b_sheets_and_their_reasons_speak_french(french_b2b, tmp_path):
    document, book, mission, out = french_b2b
    assert mission.language == "fr"
    assert book.sheetnames[-3:] == ["Activités non retenues", "Rendez-vous B2B", "B2B non programmés"]
    meetings, left = book["Rendez-vous B2B"], book["B2B non programmés"]
    assert [cell.value for cell in meetings[1]][:8] == [
        "session", "titre de la session", "date", "début", "fin", "fuseau horaire", "table", "rendez-vous"]
    assert len(MEETING_HEADERS) == meetings.max_column and len(NOT_SCHEDULED_HEADERS) == left.max_column
    assert isinstance(meetings["C2"].value, datetime) and meetings["D2"].number_format == "hh:mm"
    rows = _rows(left)
    assert [row["rendez-vous"] for row in rows] == [entry["request"] for entry in document["unscheduled_meetings"]]
    away = next(row for row in rows if row["interlocuteurs"] == "away")
    # schedule.json keeps its English sentence; the sheet words the reason afresh, naming by name and id.
    assert away["code"] == "participant_unavailable"
    assert "n’est disponible à aucun créneau de" in away["motif"] and "(away)" in away["motif"]
    assert "unavailable" not in away["motif"]
    # Read back from schedule.json, the same French sentences.
    (path,) = write_programme_workbook(mission, read_schedule(out / "schedule.json"), tmp_path)
    assert [row["motif"] for row in _rows(load_workbook(path)["B2B non programmés"])] == [
        row["motif"] for row in rows]


def test_a_required_request_left_out_says_so_in_french(french_b2b, tmp_path):
    document, _, mission, out = french_b2b
    schedule = read_schedule(out / "schedule.json")
    required = next(request for request in mission.meeting_requests if request.required)
    # Leave the required request out by hand, with a code planner does not know: its sentence as written.
    entry = replace(schedule.unscheduled_meetings[0], request=required.id, participants=required.participants,
                    reason=replace(schedule.unscheduled_meetings[0].reason, code="another_tools_code"),
                    message="as another tool words it")
    (path,) = write_programme_workbook(mission, replace(schedule, unscheduled_meetings=[entry]), tmp_path)
    (row,) = _rows(load_workbook(path)["B2B non programmés"])
    assert (row["priorité"], row["motif"]) == ("obligatoire", "as another tool words it")
