"""Languages: the `language` key of the mission and of delegates, read, written back and refused when wrong."""

from __future__ import annotations

import html
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import EXAMPLE_SMALL, ROOT, VALID_SMALL_SCHEDULE

from planner.domain import LANGUAGES
from planner.domain.errors import InputErrors
from planner.mission.load import json_schema, load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.mission.write import mission_to_yaml
from planner.text.i18n import TRANSLATED_LANGUAGES, catalogue_path, translations
from planner.views.itinerary import itinerary_html, itinerary_text


def _small_with(header: str = "", astrid: str = "") -> str:
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    text = text.replace("  grain: 5m\n", f"  grain: 5m\n{header}")
    return text.replace("role: royal}", f"role: royal{astrid}}}")


def test_the_default_language_is_english_for_mission_and_delegates():
    mission = load_mission(EXAMPLE_SMALL)
    assert mission.language == "en"
    assert {mission.language_of(d) for d in mission.delegates} == {"en"}
    assert all(delegate.language is None for delegate in mission.delegates.values())


def test_a_delegate_reads_their_own_language_and_the_others_the_missions():
    mission = load_mission_text(_small_with("  language: fr\n", ", language: NL"), "m.yaml")
    assert mission.language == "fr"
    assert mission.language_of("astrid") == "nl"
    assert mission.language_of("jeholet") == "fr"
    assert mission.delegates["astrid"].language == "nl"
    assert mission.delegates["jeholet"].language is None


@pytest.mark.parametrize(("written", "hint"), [
    ("French", "did you mean `fr`?"),
    ("Nederlands", "did you mean `nl`?"),
    ("es", "write one of `en`, `fr`, `nl`, `de`"),
])
def test_an_unknown_language_is_refused_with_where_and_what_to_write(written, hint):
    with pytest.raises(InputErrors) as raised:
        load_mission_text(_small_with(astrid=f", language: {written}"), "m.yaml")
    (error,) = raised.value.errors
    line = next(n for n, text in enumerate(_small_with().splitlines(), 1) if "HRH Princess Astrid" in text)
    assert (error.source.file, error.source.line) == ("m.yaml", line)
    assert f"`{written}` is not a language planner speaks" in error.message and hint in error.message


def test_languages_are_written_back_and_read_equal():
    mission = load_mission_text(_small_with("  language: de\n", ", language: fr"), "m.yaml")
    again = load_mission_text(mission_to_yaml(mission), "again.yaml")
    assert again.language == "de"
    assert {d.id: d.language for d in again.delegates.values()} == {
        d.id: d.language for d in mission.delegates.values()}


def test_the_json_schema_lists_the_languages():
    definitions = json_schema()["$defs"]
    assert definitions["MissionHeader"]["properties"]["language"]["enum"] == list(LANGUAGES)
    delegate = definitions["DelegateEntry"]["properties"]["language"]
    assert {"enum": list(LANGUAGES)}.items() <= delegate["anyOf"][0].items()


# --- the catalogues -------------------------------------------------------------------------------------------


def _extracted_messages() -> dict[tuple[str | None, str], object]:
    """Every message of the code and templates, extracted now by Babel as babel.cfg says."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    method_map, options_map = parse_mapping_cfg(io.StringIO((ROOT / "babel.cfg").read_text(encoding="utf-8")))
    messages = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / "src" / "planner", method_map, options_map):
        key = message if isinstance(message, str) else message[0]
        messages[(context, key)] = message
    return messages


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str | None, str], object]:
    return _extracted_messages()


def test_the_extraction_finds_the_labels_of_code_and_templates(extracted):
    """The test below can fail: it sees messages of Python code, of templates, plurals and contexts."""
    assert (None, "free time, %(duration)s") in extracted  # views/itinerary.py
    assert (None, "Nothing scheduled.") in extracted  # templates/itinerary_section.html
    assert ("activity kind", "visit") in extracted
    assert extracted[(None, "%(count)d delegation")] == ("%(count)d delegation", "%(count)d delegations")
    assert len(extracted) >= 50


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated_none_empty_none_fuzzy(language, extracted):
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as po:  # type: ignore[attr-defined]
        catalogue = read_po(po, locale=language)
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy"
    problems = []
    for context, message_id in extracted:
        entry = catalogue.get(message_id, context=context)
        if entry is None:
            problems.append(f"missing: {context or ''} {message_id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message_id!r}")
        elif not (all(entry.string) if isinstance(entry.string, tuple) else entry.string):
            problems.append(f"empty: {message_id!r}")
    # Placeholders kept as written (%(name)s in both), checked by Babel's own checkers.
    for message, errors in catalogue.check():
        problems += [f"{message.id!r}: {error}" for error in errors]
    assert not problems, f"{language}: " + "; ".join(problems) + " — see docs/languages.md"


def test_an_untranslated_message_would_be_caught(extracted):
    """A message in the code that no catalogue holds is reported (the check above is not vacuous)."""
    from babel.messages.pofile import read_po

    with catalogue_path("fr").open("rb") as po:  # type: ignore[attr-defined]
        catalogue = read_po(po, locale="fr")
    assert catalogue.get("a label nobody translated") is None
    assert catalogue.get("free time, %(duration)s").string == "temps libre, %(duration)s"


def test_the_catalogues_ship_with_the_package():
    """pyproject's package-data lists the .po files, so `pip install` carries them."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"]["planner.text"]
    assert "locale/*/LC_MESSAGES/*.po" in shipped
    for language in TRANSLATED_LANGUAGES:
        assert translations(language).gettext("lunch break") != "lunch break"


# --- what a delegate reads ------------------------------------------------------------------------------------

WEEKDAYS_AND_MONTHS = {
    "en": ("Monday 6 October 2025", "Tuesday 7 October 2025", "Thursday 9 October 2025"),
    "fr": ("lundi 6 octobre 2025", "mardi 7 octobre 2025", "jeudi 9 octobre 2025"),
    "nl": ("maandag 6 oktober 2025", "dinsdag 7 oktober 2025", "donderdag 9 oktober 2025"),
    "de": ("Montag, 6. Oktober 2025", "Dienstag, 7. Oktober 2025", "Donnerstag, 9. Oktober 2025"),
}
LABELS = {"en": ("lunch break", "with "), "fr": ("pause déjeuner", "avec "),
          "nl": ("lunchpauze", "met "), "de": ("Mittagspause", "mit ")}


def _princess_titles(mission, schedule) -> list[str]:
    return [mission.activities[a.id].title for a in schedule.activities if "astrid" in a.attendees]


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_princess_reads_her_text_itinerary_in_her_language(small_programme, language):
    mission, schedule = small_programme
    text = " ".join(itinerary_text(mission, schedule, ["astrid"], language=language).split())
    for day in WEEKDAYS_AND_MONTHS[language]:
        assert day in text
    for english in ("Monday", "October", "lunch break", "free time"):
        assert english not in text
    for label in LABELS[language]:
        assert label in text
    titles = _princess_titles(mission, schedule)
    assert len(titles) == 6
    for title in titles:
        assert title in text, title  # as the organiser wrote it


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_princess_reads_her_html_itinerary_in_her_language(small_programme, language):
    mission, schedule = small_programme
    page = html.unescape(itinerary_html(mission, schedule, ["astrid"], language=language))
    assert f'<html lang="{language}">' in page
    for day in WEEKDAYS_AND_MONTHS[language]:
        assert day in page
    for english in ("Monday", "October", "Lunch break", "Free time", "Nothing scheduled"):
        assert english not in page
    for title in _princess_titles(mission, schedule):
        assert f">{title}<" in page, title


def test_the_language_written_in_the_mission_file_is_the_default(small_programme):
    mission, schedule = small_programme
    dutch = load_mission_text(_small_with(astrid=", language: nl"), "m.yaml")
    text = itinerary_text(dutch, schedule, ["astrid", "odoo"])
    odoo_starts = text.index("Odoo · company")
    astrid, odoo = text[:odoo_starts], text[odoo_starts:]
    assert "maandag 6 oktober 2025" in astrid and "Monday" not in astrid
    assert "Monday 6 October 2025" in odoo and "maandag" not in odoo  # odoo reads the mission's English
    assert itinerary_text(dutch, schedule, ["astrid"], language="de").count("Oktober") == 3


def test_the_lang_option_overrides_and_refuses_an_unknown_language(tmp_path):
    from typer.testing import CliRunner

    from planner.cli import app

    runner = CliRunner()
    arguments = ["itinerary", str(EXAMPLE_SMALL), "--schedule", str(VALID_SMALL_SCHEDULE), "--delegate", "astrid"]
    french = runner.invoke(app, [*arguments, "--lang", "fr"], env={"COLUMNS": "100"})
    assert french.exit_code == 0, french.output
    assert "lundi 6 octobre 2025" in french.output and "Visit to Google" in french.output
    wrong = runner.invoke(app, [*arguments, "--lang", "french"])
    assert wrong.exit_code == 2
    assert "--lang 'french' is not one of en, fr, nl, de" in " ".join(wrong.output.split())
    out = tmp_path / "astrid.html"
    written = runner.invoke(app, [*arguments, "--lang", "nl", "--format", "html", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert "donderdag 9 oktober 2025" in out.read_text(encoding="utf-8")


def test_calendars_speak_the_delegates_language_and_groups_the_missions(tmp_path):
    import icalendar

    from planner.views.calendar_files import write_calendar_folder

    mission = load_mission_text(_small_with(astrid=", language: fr"), "m.yaml")
    write_calendar_folder(mission, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)

    def description(path: str, activity: str) -> str:
        calendar = icalendar.Calendar.from_ical((tmp_path / path).read_bytes())
        event = next(e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith(activity + "@"))
        return str(event["description"])

    french = description("delegates/astrid.ics", "opening")
    assert french.startswith("Participants : HRH Princess Astrid")
    assert "5 délégations (16 personnes)" in french and "départ au plus tard à 16:45" in french
    assert description("groups/royal-track.ics", "opening").startswith("Attending: ")
    assert description("delegates/simonet.ics", "opening").startswith("Attending: ")


def test_calendar_categories_are_the_kinds_in_the_readers_language(tmp_path):
    """Outlook and Apple Calendar show CATEGORIES as the event's label: a French reader's `visite`, not the
    mission file's `visit`; the group's calendar, in the mission's English, keeps `visit`. A kind of the
    organiser's own stays as written, in every language."""
    import icalendar

    from planner.text.i18n import words_for
    from planner.text.vocabulary import kind_label
    from planner.views.calendar_files import write_calendar_folder

    mission = load_mission_text(_small_with(astrid=", language: fr"), "m.yaml")
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    schedule = replace(schedule, activities=[replace(activity, kind="Gala dinner") if activity.id == "opening"
                                             else activity for activity in schedule.activities])
    write_calendar_folder(mission, schedule, tmp_path)

    def categories(path: str) -> dict[str, list[str]]:
        calendar = icalendar.Calendar.from_ical((tmp_path / path).read_bytes())
        return {str(e["uid"]).split("@")[0]: e.categories for e in calendar.walk("VEVENT")}

    french, english = categories("delegates/astrid.ics"), categories("groups/royal-track.ics")
    assert french["visit-google"] == ["visite"] and english["visit-google"] == ["visit"]
    assert french["opening"] == english["opening"] == ["Gala dinner"]
    # Every event of the French file carries the French word of its kind (or the organiser's own kind).
    kinds = {activity.id: activity.kind for activity in schedule.activities}
    for uid, labels in french.items():
        assert labels == [kind_label(words_for("fr"), kinds[uid])], uid
    # Written again into the same folder, the French words read back as they were written: no event of the
    # file looks changed to its next version (calendar_state), so none takes a new SEQUENCE.
    write_calendar_folder(mission, schedule, tmp_path)
    again = icalendar.Calendar.from_ical((tmp_path / "delegates" / "astrid.ics").read_bytes())
    assert {int(event["sequence"]) for event in again.walk("VEVENT")} == {0}


def test_mails_and_change_sections_speak_the_delegates_language():
    from planner.views.changes import compare_report, report_html
    from planner.views.mail import html_body, plain_body, subject

    mission = load_mission_text(_small_with("  language: de\n", ", language: fr"), "m.yaml")
    baseline = read_schedule(VALID_SMALL_SCHEDULE)
    moved = [replace(a, start=a.start + timedelta(hours=1), end=a.end + timedelta(hours=1))
             if a.id == "visit-stanford" else a for a in baseline.activities]
    report = compare_report(baseline, replace(baseline, activities=moved), mission)
    astrid = next(d for d in report.delegates if d.id == "astrid")
    jeholet = next(d for d in report.delegates if d.id == "jeholet")
    assert subject(report, astrid) == "Small West Coast mission : 1 changement dans votre programme"
    assert "Visit to Stanford — déplacé : mar. 7 oct. 09:00–10:30" in plain_body(report, astrid)
    assert "Sehr" not in plain_body(report, jeholet) and "Guten Tag Pierre-Yves Jeholet," in plain_body(
        report, jeholet)
    assert "verschoben" in html_body(report, jeholet) and 'lang="de"' in html_body(report, jeholet)
    page = report_html(report)
    assert '<html lang="de">' in page and "Was sich geändert hat" in page
    assert '<section class="delegate" lang="fr"' in page and "Activité" in page


def test_a_mission_workbook_carries_the_languages(tmp_path):
    from planner.mission.convert import convert

    source = tmp_path / "mission.yaml"
    source.write_text(_small_with("  language: nl\n", ", language: fr"), encoding="utf-8")
    convert(source, tmp_path / "mission.xlsx")
    mission = load_mission(tmp_path / "mission.xlsx")
    assert mission.language == "nl" and mission.language_of("astrid") == "fr"
    assert mission.language_of("odoo") == "nl"


def test_the_views_are_prepared_in_every_language_the_mission_s_people_read(monkeypatch: pytest.MonkeyPatch):
    """`planner solve` compiles, while the solver works, the templates of each language its pages will be
    written in, not only the mission's."""
    import threading

    from planner.views import outputs
    from planner.views.common import template_environment

    mission = load_mission_text(_small_with("  language: de\n", ", language: fr"), "m.yaml")
    assert outputs.languages_read(mission) == ["de", "fr"]
    compiled: list[str] = []
    monkeypatch.setattr(outputs, "prepare", lambda *languages: compiled.extend(languages))
    outputs.prepare_writing(mission, None, threading.Event())
    assert compiled == ["de", "fr"]
    monkeypatch.undo()
    template_environment.cache_clear()
    outputs.prepare("de", "fr", "de")
    for language in ("de", "fr"):
        assert set(outputs.VIEW_TEMPLATES) <= {name for _, name in template_environment(language).cache}


def _conventional(key_row: str) -> list[str]:
    """The conventional values the contract lists on a row of mission-format.md (`| kind | … conventional:
    `visit`, `b2b`, … |`)."""
    import re

    spec = (ROOT.parent / "shared" / "spec" / "mission-format.md").read_text(encoding="utf-8")
    rows = [row for row in spec.splitlines() if row.startswith(f"| {key_row} |") and "conventional:" in row]
    assert rows, f"no row `{key_row}` with conventional values in mission-format.md"
    return [value for row in rows for value in re.findall(r"`([a-z0-9_]+)`", row.split("conventional:")[1])]


def test_every_conventional_activity_kind_has_a_word_in_every_language():
    """An itinerary in French shows `[visite]`, so it must not show `[meal]`: every kind the contract calls
    conventional is in the vocabulary, whose every word the catalogues translate (the test above)."""
    from planner.text.i18n import words_for
    from planner.text.vocabulary import _kinds

    kinds = [kind for kind in _conventional("kind") if kind not in ("track", "delegation", "sector")]
    assert "meal" in kinds and "visit" in kinds
    assert [kind for kind in kinds if kind not in _kinds(words_for("en"))] == []
    assert _kinds(words_for("fr"))["meal"] == "repas"


def test_a_conventional_kind_typed_in_capitals_is_that_kind():
    """`Visit` in a cell Excel capitalised is a visit (and a `Meal` a working lunch); a kind of the
    organiser's own keeps its capitals."""
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    assert "kind: visit" in text and "kind: reception" in text
    mission = load_mission_text(text.replace("kind: visit", "kind: Visit", 1).replace(
        "kind: reception", "kind: Gala dinner", 1))
    kinds = {activity.kind for activity in mission.activities.values()}
    assert "Visit" not in kinds and "visit" in kinds and "Gala dinner" in kinds
