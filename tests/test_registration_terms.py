"""Registrations imported into an existing mission use the mission's own ids for the regions and sectors
they name (`planner.mission.registration_terms`): by id, by a group's name, or by an alias of the region or
sector; what matches nothing is created as before, a near miss only said, never merged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import JAPAN
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.import_registrations import import_registrations
from planner.mission.load import load_mission
from planner.mission.registration_terms import delegation_of, mission_terms

EXPORT = (
    "Société;E-mail;Secteur;Région;Participants\n"
    "Brûlerie Café Liégeois;anne@brulerie.be;Agroalimentaire;Wallonie-Bruxelles;2\n"
    "CMI;info@cmi.be;Numérique;Wallonie;3\n"
    "Bozar;info@bozar.be;Culture;Bruxelles;1\n"
    "Alpha;info@alpha.be;Audiovisuel;Wallonie-Brux;1\n"
    "Beta;info@beta.be;Digital companies;Wallonien;1\n"
    "Gamma;info@gamma.be;Agri food;Waals Gewest;1\n"
    "Delta;info@delta.be;Aérospatial;wallonia-brussels;1\n"
)


@pytest.fixture
def japan(tmp_path) -> Path:
    path = tmp_path / "mission.yaml"
    shutil.copyfile(JAPAN, path)
    return path


def test_regions_and_sectors_become_the_missions_own_ids(tmp_path, japan):
    export = tmp_path / "inscriptions.csv"
    export.write_text(EXPORT, encoding="utf-8")
    report = import_registrations(export, japan, groups=True)

    mission = load_mission(japan)
    delegation = {delegate: mission.delegates[delegate].delegation for delegate in report.added}
    assert delegation == {"brulerie-cafe-liegeois": "wallonia-brussels", "cmi": "wallonia-brussels",
                          "bozar": "brussels", "alpha": "wallonie-brux", "beta": "wallonia-brussels",
                          "gamma": "wallonia-brussels", "delta": "wallonia-brussels"}
    sectors = {delegate: mission.delegates[delegate].sectors for delegate in report.added}
    assert sectors == {"brulerie-cafe-liegeois": ("agri-food",), "cmi": ("digital",), "bozar": ("culture",),
                       "alpha": ("audiovisual",), "beta": ("digital",), "gamma": ("agri-food",),
                       "delta": ("Aérospatial",)}  # the mission has no aerospace: as written, as before
    # no second Walloon delegation, no second agri-food sector
    assert "wallonia" not in mission.groups and "agroalimentaire" not in mission.groups
    assert mission.groups["wallonia-brussels"].delegates == ("beta", "brulerie-cafe-liegeois", "cmi", "delta",
                                                             "gamma")
    assert mission.groups["agri-food"].delegates == ("brulerie-cafe-liegeois", "gamma")
    assert "cmi" in mission.groups["digital"].delegates and "beta" in mission.groups["digital"].delegates
    assert "alpha" in mission.groups["audiovisual"].delegates

    mapped = {(each.kind, each.written): (each.id, each.how) for each in report.mapped}
    assert mapped == {
        ("delegation", "Wallonie-Bruxelles"): ("wallonia-brussels", "a name of the same region"),
        ("delegation", "Wallonie"): ("wallonia-brussels", "a name of the same region"),
        ("delegation", "Wallonien"): ("wallonia-brussels", "a name of the same region"),
        ("delegation", "Waals Gewest"): ("wallonia-brussels", "a name of the same region"),
        ("sector", "Agroalimentaire"): ("agri-food", "a name of the same sector"),
        ("sector", "Numérique"): ("digital", "a name of the same sector"),
        ("sector", "Culture"): ("culture", "the same id, case and accents aside"),
        ("sector", "Audiovisuel"): ("audiovisual", "a name of the same sector"),
        ("sector", "Digital companies"): ("digital", "the name of that group"),
        ("sector", "Agri food"): ("agri-food", "the same id, case and accents aside"),
    }
    # a near miss is said, with the id it may mean, and created as written: never merged
    (note,) = report.notes
    assert (note.source.line, note.source.column) == (5, 4)
    assert "`Wallonie-Brux` is no region of the mission" in note.message
    assert "did you mean `wallonia-brussels`?" in note.message


def test_the_summary_says_which_written_values_became_which_ids(tmp_path, japan):
    export = tmp_path / "inscriptions.csv"
    export.write_text(EXPORT, encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(export), "--into", str(japan), "--groups"])
    assert result.exit_code == 0, result.output
    assert "region 'Wallonie' is the mission's `wallonia-brussels` (a name of the same region)" in result.stdout
    assert "sector 'Agroalimentaire' is the mission's `agri-food` (a name of the same sector)" in result.stdout
    assert "did you mean `wallonia-brussels`?" in result.stderr


def test_a_region_the_mission_has_under_two_ids_is_not_guessed(tmp_path, japan):
    text = japan.read_text(encoding="utf-8").replace(
        "- {id: depthen, name: Depthen, role: company, delegation: wallonia-brussels",
        "- {id: depthen, name: Depthen, role: company, delegation: region-wallonne")
    japan.write_text(text, encoding="utf-8")
    export = tmp_path / "inscriptions.csv"
    export.write_text("Société;Région\nCMI;Wallonien\nBeta;Région wallonne\n", encoding="utf-8")
    report = import_registrations(export, japan)

    mission = load_mission(japan)
    assert mission.delegates["cmi"].delegation == "wallonia"  # as before: no merge with either
    assert mission.delegates["beta"].delegation == "region-wallonne"  # its exact id
    (note,) = report.notes
    assert "`Wallonien` could be `region-wallonne` or `wallonia-brussels`" in note.message


def test_terms_of_a_mission_and_regions_without_a_mission():
    terms = mission_terms(load_mission(JAPAN))
    assert terms["delegation"].resolve("WALLONIE") == ("wallonia-brussels", "a name of the same region")
    assert terms["delegation"].resolve("Vlaanderen") == (None, "")
    assert terms["sector"].resolve("Automotive companies") == ("automotive", "the name of that group")
    assert terms["sector"].resolve("Sciences du vivant") == ("life-sciences", "a name of the same sector")
    assert terms["sector"].resolve("Robotique") == (None, "")
    assert terms["sector"].near("Automotiv") == "automotive"
    assert (delegation_of("Wallonië"), delegation_of("Région de Bruxelles-Capitale"),
            delegation_of("Vlaams Gewest"), delegation_of("Hauts-de-France")) == (
        "wallonia", "brussels", "flanders", "hauts-de-france")
