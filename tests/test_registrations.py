"""Registrations import: agencies' exports (French, Dutch and German Excel CSV, xlsx) into a mission file, all or
nothing, keeping the file's comments and layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL
from openpyxl import Workbook
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.errors import InputErrors
from planner.mission.import_registrations import import_registrations
from planner.mission.load import load_mission
from planner.mission.registrations import delegation_of, map_columns, normalise_header, read_table

FRENCH_EXPORT = (
    "Société;Contact;E-mail;Secteur;Région;Participants;Téléphone\r\n"
    'Odoo;Fabien Pinckaers;fp@odoo.com;"Numérique; IA";Wallonie;4;+32 81 81 37 00\r\n'
    "Brûlerie Café Liégeois;Anne Lejeune;anne@brulerie.be;Agroalimentaire;Wallonie;2;\r\n"
    ";;;;;;\r\n"
    'Électro Bruxelles;Jan Peeters;jan@electro.brussels;"Numérique; IA";Région de Bruxelles-Capitale;3;\r\n'
    "ODOO;Fabien Pinckaers;fp@odoo.com;Logiciels;Wallonie;5;\r\n"
)


@pytest.fixture
def mission_file(tmp_path) -> Path:
    path = tmp_path / "mission.yaml"
    shutil.copyfile(EXAMPLE_SMALL, path)
    return path


def _write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_french_export_imports_to_the_right_delegates(tmp_path, mission_file):
    before = mission_file.read_text(encoding="utf-8")
    export = _write(tmp_path / "inscriptions.csv", FRENCH_EXPORT)
    report = import_registrations(export, mission_file, groups=True)

    assert report.added == ["brulerie-cafe-liegeois", "electro-bruxelles"]
    assert report.updated == ["odoo"]  # already in the mission (its id is the company's name, slugged)
    assert report.blank_rows == 1
    assert report.ignored_columns == ["Contact", "Téléphone"]
    # the company twice (ODOO on row 6) is one delegate, and said so
    (note,) = report.notes
    assert (note.source.line, note.source.column) == (6, 1) and "first on row 2" in note.message

    mission = load_mission(mission_file)
    odoo = mission.delegates["odoo"]
    assert (odoo.name, odoo.size, odoo.email) == ("Odoo", 5, "fp@odoo.com")
    assert odoo.sectors == ("digital", "IA", "Logiciels")  # Numérique is the mission's own `digital`
    brulerie = mission.delegates["brulerie-cafe-liegeois"]
    assert (brulerie.name, brulerie.delegation, brulerie.size, brulerie.sectors) == (
        "Brûlerie Café Liégeois", "wallonia", 2, ("Agroalimentaire",))
    electro = mission.delegates["electro-bruxelles"]
    assert (electro.delegation, electro.size, electro.email) == ("brussels", 3, "jan@electro.brussels")
    assert len(mission.delegates) == len(load_mission(EXAMPLE_SMALL).delegates) + 2
    # --groups: the existing delegation group gains the new Walloon company; new groups per region and sector
    assert "brulerie-cafe-liegeois" in mission.groups["wallonia"].delegates
    assert mission.groups["brussels"].delegates == ("electro-bruxelles",)
    assert mission.groups["brussels"].kind == "delegation"
    assert mission.groups["digital"].delegates == ("electro-bruxelles", "odoo")
    assert mission.groups["ia"].kind == "sector"

    # every other line stays as written: comments, flow mappings written over several lines, the rest
    after = mission_file.read_text(encoding="utf-8")
    kept = [line for line in before.splitlines() if "id: odoo" not in line and "id: wallonia," not in line]
    assert [line for line in after.splitlines() if line in kept] == kept
    assert "  - {id: brulerie-cafe-liegeois, name: Brûlerie Café Liégeois, delegation: wallonia, " \
           "sectors: [Agroalimentaire], size: 2, email: anne@brulerie.be}" in after.splitlines()


def test_bad_cells_are_all_reported_with_row_and_column_and_nothing_changes(tmp_path, mission_file):
    before = mission_file.read_bytes()
    export = _write(tmp_path / "export.csv",
                    "Name,Email,Participants,Region\n"
                    "Acme,acme@,2,Flanders\n"
                    "Beta,beta@beta.be,three,Vlaanderen\n"
                    "Gamma,gamma@gamma.be,1,Vlaanderen\n")
    with pytest.raises(InputErrors) as failure:
        import_registrations(export, mission_file)
    messages = [str(error) for error in failure.value.errors]
    assert messages == [
        f"{export}:2:2: Email: `acme@` is not an e-mail address; write e.g. name@example.org",
        f"{export}:3:3: Participants: `three` is not a whole number of participants; write it in digits, e.g. 3",
    ]
    assert mission_file.read_bytes() == before


@pytest.mark.parametrize("name", ["inscriptions.cvs", "inscriptions.xlsx"])
def test_a_missing_registrations_file_is_said_to_be_missing_with_its_neighbours(tmp_path, mission_file, name):
    """Not advice to save it in another format: the file is not there, and the folder's closest names are."""
    _write(tmp_path / "inscriptions.csv", FRENCH_EXPORT)
    before = mission_file.read_bytes()
    result = CliRunner().invoke(app, ["import", str(tmp_path / name), "--into", str(mission_file)])
    assert result.exit_code == 2, result.output
    assert (f"error: {tmp_path / name}:1:1: the file does not exist: {tmp_path} holds no `{name}`; did you "
            "mean `inscriptions.csv`?") in result.output
    assert "save it" not in result.output and "Traceback" not in result.output
    assert mission_file.read_bytes() == before


def test_a_missing_mission_file_is_said_with_the_registrations_errors(tmp_path):
    """Both files' errors at once: a bad cell does not hide that --into names no file, to be found only
    once the cells are corrected."""
    export = _write(tmp_path / "export.csv", "Name,Email\nAcme,acme@\n")
    _write(tmp_path / "mission.yaml", EXAMPLE_SMALL.read_text(encoding="utf-8"))
    result = CliRunner().invoke(app, ["import", str(export), "--into", str(tmp_path / "misison.yaml")])
    assert result.exit_code == 2, result.output
    assert f"error: {export}:2:2: Email: `acme@` is not an e-mail address" in result.output
    assert (f"error: {tmp_path / 'misison.yaml'}:1:1: the file does not exist: {tmp_path} holds no "
            "`misison.yaml`; did you mean `mission.yaml`?") in result.output
    assert "2 errors; nothing was written." in result.output
    missing = tmp_path / "absent.csv"
    result = CliRunner().invoke(app, ["import", str(missing), "--into", str(tmp_path / "misison.yaml")])
    assert result.exit_code == 2 and result.output.count("the file does not exist") == 2, result.output


def test_windows_1252_export(tmp_path, mission_file):
    export = _write(tmp_path / "export.csv", "Nom;Courriel;Nombre de participants;Région\n"
                                             "Société Générale de Belgique;sg@sg.be;2;Wallonie\n", "cp1252")
    report = import_registrations(export, mission_file)
    assert report.added == ["societe-generale-de-belgique"]
    delegate = load_mission(mission_file).delegates["societe-generale-de-belgique"]
    assert (delegate.name, delegate.size, delegate.delegation) == ("Société Générale de Belgique", 2, "wallonia")


def test_dutch_xlsx_sheet_with_a_mapped_column_and_errors_by_cell(tmp_path, mission_file):
    book = Workbook()
    sheet = book.active
    sheet.title = "Inschrijvingen"
    sheet.append(["Bedrijf", "Contactpersoon", "E-mailadres", "Sector", "Regio", "Deelnemers"])
    sheet.append(["Vlaamse Chips NV", "Els", "els@chips.be", "Halfgeleiders, AI", "Vlaanderen", 3])
    sheet.append(["LASEA", "Axel", "axel@lasea.com", "Laser", "Wallonië", 2.0])
    book.save(tmp_path / "inschrijvingen.xlsx")
    report = import_registrations(tmp_path / "inschrijvingen.xlsx", mission_file,
                                  maps=["Contactpersoon=-"])
    assert report.added == ["vlaamse-chips-nv"] and report.updated == ["lasea"]
    assert report.ignored_columns == ["Contactpersoon"]
    mission = load_mission(mission_file)
    assert mission.delegates["vlaamse-chips-nv"].sectors == ("Halfgeleiders", "AI")
    assert mission.delegates["lasea"].size == 2 and mission.delegates["lasea"].delegation == "wallonia"

    sheet.append(["Kapot BV", "Piet", "piet(at)kapot.be", "", "Vlaanderen", "twee"])
    book.save(tmp_path / "inschrijvingen.xlsx")
    with pytest.raises(InputErrors) as failure:
        import_registrations(tmp_path / "inschrijvingen.xlsx", mission_file)
    assert [str(error.source) for error in failure.value.errors] == [
        f"{tmp_path / 'inschrijvingen.xlsx'}:Inschrijvingen!C4", f"{tmp_path / 'inschrijvingen.xlsx'}:Inschrijvingen!F4"]


def test_an_existing_delegate_is_found_by_email_and_updated_not_duplicated(tmp_path, mission_file):
    import_registrations(_write(tmp_path / "a.csv", "Name,E-mail\nFN Herstal SA,info@fnherstal.com\n"),
                         mission_file)
    report = import_registrations(_write(tmp_path / "b.csv", "Name,E-mail,Size\nFN Herstal,info@fnherstal.com,4\n"),
                                  mission_file)
    # the first import added a delegate (no e-mail known yet); the second finds it by its e-mail
    assert report.updated == ["fn-herstal-sa"] and report.added == []
    assert load_mission(mission_file).delegates["fn-herstal-sa"].size == 4


def test_headers_and_regions():
    assert normalise_header("  Région ") == "region"
    assert normalise_header("E-mail") == "e-mail"
    assert normalise_header("Nombre de participants") == "nombre de participants"
    assert [delegation_of(name) for name in ("Wallonie", "Vlaanderen", "Bruxelles", "Brussel", "Provence")] == [
        "wallonia", "flanders", "brussels", "brussels", "provence"]


def test_a_german_export_imports_with_its_own_headers_and_regions(tmp_path, mission_file):
    """Belgium's third language: `E-Mail-Adresse` and `Rolle` were taken for misspelt Dutch and English
    headers (an error), `Unternehmen` and `Anzahl Teilnehmer` ignored, `Wallonien` made a delegation of its
    own."""
    export = _write(tmp_path / "anmeldungen.csv",
                    "Vollständiger Name;Unternehmen;E-Mail-Adresse;Branche;Region;Anzahl Teilnehmer;Rolle\r\n"
                    "Jürgen Müller;Müller GmbH;jm@mueller.de;Automobil;Wallonien;2;company\r\n"
                    "Anna Schmidt;Schmidt AG;anna@schmidt.de;Luftfahrt;Flandern;1;company\r\n")
    report = import_registrations(export, mission_file)
    assert report.added == ["jurgen-muller", "anna-schmidt"] and report.ignored_columns == []
    mission = load_mission(mission_file)
    jurgen, anna = mission.delegates["jurgen-muller"], mission.delegates["anna-schmidt"]
    assert (jurgen.name, jurgen.organisation, jurgen.email, jurgen.size, jurgen.role, jurgen.delegation) == (
        "Jürgen Müller", "Müller GmbH", "jm@mueller.de", 2, "company", "wallonia")
    assert (anna.delegation, anna.sectors) == ("flanders", ("Luftfahrt",))
    assert [delegation_of(name) for name in ("Brüssel", "Region Brüssel-Hauptstadt", "Wallonische Region")] == [
        "brussels", "brussels", "wallonia"]


def test_two_columns_for_one_key_and_no_name_are_errors(tmp_path):
    table = read_table(_write(tmp_path / "two.csv", "Nom,Naam,E-mail\nA,B,a@b.be\n"))
    with pytest.raises(InputErrors, match="both give `name`"):
        map_columns(table)
    table = read_table(_write(tmp_path / "none.csv", "E-mail;Secteur\na@b.be;IA\n"))
    with pytest.raises(InputErrors, match="no column gives the delegate's name"):
        map_columns(table)


def test_import_into_a_mission_workbook(tmp_path):
    from planner.mission.convert import convert

    workbook = tmp_path / "mission.xlsx"
    convert(EXAMPLE_SMALL, workbook)
    export = _write(tmp_path / "inscriptions.csv", FRENCH_EXPORT)
    report = import_registrations(export, workbook, groups=True)
    assert report.added == ["brulerie-cafe-liegeois", "electro-bruxelles"] and report.updated == ["odoo"]
    mission = load_mission(workbook)
    assert mission.delegates["electro-bruxelles"].sectors == ("digital", "IA")  # the mission's `digital`
    assert mission.groups["brussels"].delegates == ("electro-bruxelles",)
    assert mission.delegates["odoo"].size == 5


def test_two_people_of_one_company_are_two_delegates(tmp_path, mission_file):
    """With a name column, rows are one registration only when they name the same person of the same company:
    a colleague is not a repeat of the first row (which would lose Bob and send Alice's mail to him)."""
    export = _write(tmp_path / "dup.csv", "Société;Nom;Courriel;Nombre de participants\n"
                                          "Acme;Alice;alice@acme.be;2\n"
                                          "Acme;Bob;bob@acme.be;1\n"
                                          "Beta;Alice;alice@beta.be;1\n"
                                          "ACME;alice;;3\n", "cp1252")
    report = import_registrations(export, mission_file)
    assert report.added == ["alice", "bob", "alice-2"]
    # the same person of the same company again is one delegate, and said so
    (note,) = report.notes
    assert (note.source.line, note.source.column) == (5, 2)
    assert note.message.startswith("alice (ACME) is registered again (first on row 2)")
    delegates = load_mission(mission_file).delegates
    assert [(d.name, d.organisation, d.email, d.size) for d in (delegates["alice"], delegates["bob"],
                                                               delegates["alice-2"])] == [
        ("Alice", "Acme", "alice@acme.be", 3), ("Bob", "Acme", "bob@acme.be", 1),
        ("Alice", "Beta", "alice@beta.be", 1)]

    # imported again without e-mails, each Alice is found by her name and company, not taken for the other
    again = _write(tmp_path / "again.csv", "Société;Nom;Nombre de participants\n"
                                           "Beta;Alice;2\nAcme;Alice;3\n")
    report = import_registrations(again, mission_file)
    assert (report.updated, report.unchanged, report.added, report.notes) == (["alice-2"], ["alice"], [], [])
    assert load_mission(mission_file).delegates["alice-2"].size == 2


def test_without_a_name_column_rows_of_one_company_are_one_delegation(tmp_path, mission_file):
    export = _write(tmp_path / "companies.csv", "Company,Email,Size\nAcme,a@acme.be,2\nacme,b@acme.be,3\n")
    report = import_registrations(export, mission_file)
    assert report.added == ["acme"]
    (note,) = report.notes
    assert note.message.startswith("acme is registered again (first on row 2)")
    acme = load_mission(mission_file).delegates["acme"]
    assert (acme.name, acme.email, acme.size) == ("Acme", "b@acme.be", 3)


def test_a_misspelt_column_stops_the_import_with_the_header_it_means(tmp_path, mission_file):
    """Not "columns ignored: E-mial" and delegates without e-mails: a header close to a known one is a typo."""
    before = mission_file.read_bytes()
    export = _write(tmp_path / "typo.csv", "Company,E-mial,Size,Nmae\nFoo,foo@x.be,2,Ann\n")
    result = CliRunner().invoke(app, ["import", str(export), "--into", str(mission_file)])
    assert result.exit_code == 2, result.output
    assert (f"error: {export}:1:2: no known column is called `E-mial`; did you mean `E-mail` (the delegate's "
            '`email`)? Correct the header, or write --map "E-mial=email" (--map "E-mial=-" ignores the column)'
            ) in result.output
    assert f"error: {export}:1:4: no known column is called `Nmae`; did you mean `Name`" in result.output
    assert mission_file.read_bytes() == before

    report = import_registrations(export, mission_file, maps=["E-mial=email", "Nmae=name"])
    assert report.added == ["ann"] and load_mission(mission_file).delegates["ann"].email == "foo@x.be"


def test_columns_far_from_any_header_or_beside_their_key_stay_ignored(tmp_path):
    table = read_table(_write(tmp_path / "far.csv", "Prénom;Nom;Société;Adresse;Secteur;Secteur 2;Company size\n"
                                                    "Ann;Lee;Acme;Rue 1;IA;Robotique;12\n"))
    assert map_columns(table).ignored == ["Prénom", "Adresse", "Secteur 2", "Company size"]


def test_a_value_merged_down_a_column_belongs_to_every_row_it_covers(tmp_path, mission_file):
    book = Workbook()
    sheet = book.active
    sheet.title = "Inscriptions"
    sheet.append(["Société", "Courriel", "Région"])
    for company in ("Acme", "Beta", "Gamma"):
        sheet.append([company, f"info@{company.lower()}.be", None])
    sheet["C2"] = "Wallonie"
    sheet.merge_cells("C2:C6")  # past the last registration: rows 5 and 6 stay blank
    book.save(tmp_path / "merged.xlsx")
    report = import_registrations(tmp_path / "merged.xlsx", mission_file)
    assert report.added == ["acme", "beta", "gamma"] and report.blank_rows == 2
    delegates = load_mission(mission_file).delegates
    assert [delegates[name].delegation for name in ("acme", "beta", "gamma")] == ["wallonia"] * 3

    before = mission_file.read_bytes()
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("A3:B3")
    book.save(tmp_path / "merged.xlsx")
    with pytest.raises(InputErrors) as failure:
        import_registrations(tmp_path / "merged.xlsx", mission_file)
    assert [str(error) for error in failure.value.errors] == [
        f"{tmp_path / 'merged.xlsx'}:Inscriptions!A1: the merged cells A1:A2 take in the header row; unmerge "
        "them and write each column's header in row 1 and each entry's value in its own row",
        f"{tmp_path / 'merged.xlsx'}:Inscriptions!A3: the merged cells A3:B3 span several columns (Société, "
        "Courriel); unmerge them and write each column's value in its own cell"]
    assert mission_file.read_bytes() == before


def test_merged_cells_under_a_header_row_below_blank_rows(tmp_path, mission_file):
    """The header row of an export that starts with blank rows is the first filled one: a range merged over
    it, or across its columns, names it and its headers; a blank merged range shows nothing and loses
    nothing."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Inscriptions"
    sheet.append([])
    sheet.append([])
    sheet.append(["Société", "Courriel", "Région", "Remarque", "Note"])
    for company in ("Acme", "Beta"):
        sheet.append([company, f"info@{company.lower()}.be", None])
    sheet["C4"] = "Wallonie"
    sheet.merge_cells("C4:C5")
    sheet.merge_cells("D4:E5")  # blank: read as the empty cells it shows
    book.save(tmp_path / "merged.xlsx")
    report = import_registrations(tmp_path / "merged.xlsx", mission_file)
    assert report.added == ["acme", "beta"]
    assert [load_mission(mission_file).delegates[name].delegation for name in ("acme", "beta")] == ["wallonia"] * 2

    before = mission_file.read_bytes()
    sheet.unmerge_cells("C4:C5")
    sheet["C5"] = "Wallonie"
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B5:C5")
    book.save(tmp_path / "merged.xlsx")
    with pytest.raises(InputErrors) as failure:
        import_registrations(tmp_path / "merged.xlsx", mission_file)
    assert [str(error) for error in failure.value.errors] == [
        f"{tmp_path / 'merged.xlsx'}:Inscriptions!A3: the merged cells A3:A4 take in the header row; unmerge "
        "them and write each column's header in row 3 and each entry's value in its own row",
        f"{tmp_path / 'merged.xlsx'}:Inscriptions!B5: the merged cells B5:C5 span several columns (Courriel, "
        "Région); unmerge them and write each column's value in its own cell"]
    assert mission_file.read_bytes() == before


def test_a_formula_saved_without_its_result_stops_the_import_at_its_cell(tmp_path, mission_file):
    """`=1+2` written by a program that does not compute formulas (openpyxl here) has no result in the file:
    said at its cell, as the mission workbook says it, not read as an empty cell (a size silently dropped)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Inscriptions"
    sheet.append(["Société", "Courriel", "Participants"])
    sheet.append(["Acme", "info@acme.be", "=1+2"])
    sheet.append(["Beta", "info@beta.be", 2])
    export = tmp_path / "formula.xlsx"
    book.save(export)
    before = mission_file.read_bytes()
    result = CliRunner().invoke(app, ["import", str(export), "--into", str(mission_file)])
    assert result.exit_code == 2, result.output
    printed = [row for row in result.output.splitlines() if row.startswith("error: ")]
    assert printed == [f"error: {export}:Inscriptions!C2: this cell holds the formula `=1+2` without its result "
                       "(the program that wrote the file did not compute it); open and save the workbook in "
                       "Excel or LibreOffice, which compute it, or write the value itself"]
    assert "Traceback" not in result.output
    assert mission_file.read_bytes() == before


def test_a_workbook_whose_first_sheet_is_not_the_registrations_says_to_name_it(tmp_path, mission_file):
    """No --sheet and no "Delegates" sheet: the first is read; when it is a cover note or empty, the error
    names the sheet read and the others, to pick with --sheet."""
    before = mission_file.read_text(encoding="utf-8")
    book = Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Export du 3 décembre"
    sheet = book.create_sheet("Inscriptions")
    sheet.append(["Société", "Courriel"])
    sheet.append(["Odoo", "fp@odoo.com"])
    book.save(tmp_path / "export.xlsx")
    result = CliRunner().invoke(app, ["import", str(tmp_path / "export.xlsx"), "--into", str(mission_file)])
    assert result.exit_code == 2
    assert "export.xlsx:Notes!A1: no column gives the delegate's name" in result.output
    assert "this is the sheet `Notes`, read as the workbook's first" in result.output
    assert '(`Inscriptions`), name it with --sheet, e.g. --sheet "Inscriptions"' in result.output
    book["Notes"]["A1"] = None
    book.save(tmp_path / "export.xlsx")
    result = CliRunner().invoke(app, ["import", str(tmp_path / "export.xlsx"), "--into", str(mission_file)])
    assert result.exit_code == 2
    assert ("export.xlsx:Notes!A1: the sheet `Notes`, read as the workbook's first, holds no rows; name the sheet "
            'of the registrations with --sheet, e.g. --sheet "Inscriptions"') in " ".join(result.output.split())
    assert mission_file.read_text(encoding="utf-8") == before
    result = CliRunner().invoke(app, ["import", str(tmp_path / "export.xlsx"), "--sheet", "Inscriptions",
                                      "--into", str(mission_file)])
    assert result.exit_code == 0, result.output
