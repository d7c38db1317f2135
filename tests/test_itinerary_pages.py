"""Itinerary pages as delegates read them: stamp, calendar and map links, guests behind "with …", the index
grouped and searchable, descriptions in the text form."""

from __future__ import annotations

import html
import os
import re
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.load import load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule, write_schedule
from planner.views.calendar_files import write_calendars
from planner.views.common import ProgrammeStamp, map_link, programme_stamp
from planner.views.itinerary import itinerary_html, itinerary_text, page_names, write_itineraries
from planner.views.itinerary_pages import index_html


@pytest.fixture(scope="module")
def site(tmp_path_factory, small_programme) -> Path:
    """What planner solve writes: schedule.json, calendars, then itineraries."""
    mission, schedule = small_programme
    folder = tmp_path_factory.mktemp("out")
    write_schedule(schedule, folder / "schedule.json")
    written = 1_760_000_000  # 2025-10-09 08:53:20 UTC
    os.utime(folder / "schedule.json", (written, written))
    write_calendars(mission, schedule, folder)
    write_itineraries(mission, schedule, folder)
    return folder


def test_each_page_is_stamped_with_the_programme_it_shows(site, small_programme):
    mission, _ = small_programme
    for name in [*page_names(mission).values(), "booklet.html", "index.html"]:
        page = (site / "itineraries" / name).read_text(encoding="utf-8")
        assert "programme of Thursday 9 October 2025 01:53 (Los Angeles), version 1" in page, name


def test_a_replan_raises_the_version_and_a_missing_file_drops_the_time(small_programme, tmp_path):
    mission, schedule = small_programme
    schedule.extra["version"] = 3
    try:
        assert programme_stamp(mission, schedule, tmp_path / "absent.json") == ProgrammeStamp(3, None)
        assert "programme, version 3" in itinerary_html(mission, schedule, ["astrid"], language="fr")
    finally:
        del schedule.extra["version"]


def test_pages_link_to_the_delegates_calendar_and_to_a_map_per_address(site, small_programme):
    mission, _ = small_programme
    page = (site / "itineraries" / "astrid.html").read_text(encoding="utf-8")
    (link,) = re.findall(r'<a class="calendar" href="([^"]+)"', page)
    assert link == "../calendars/delegates/astrid.ics"
    assert (site / "itineraries" / link).resolve().is_file()
    maps = set(re.findall(r'<a class="map" href="([^"]+)"', page))
    fairmont = html.escape(map_link("Fairmont", None, mission.venues["fairmont"].geo) or "")
    assert fairmont == "https://www.openstreetmap.org/?mlat=37.7924&amp;mlon=-122.4102#map=17/37.7924/-122.4102"
    assert fairmont in maps and len(maps) == 6  # one per venue of her six activities (all have geo)
    assert map_link("Office", "1 Main St, Palo Alto", None) == (
        "https://www.openstreetmap.org/search?query=Office%2C%201%20Main%20St%2C%20Palo%20Alto")
    assert map_link("Nowhere", None, None) is None


def test_a_page_without_calendars_beside_it_has_no_dead_link(small_programme, tmp_path):
    mission, schedule = small_programme
    write_itineraries(mission, schedule, tmp_path)
    assert 'class="calendar"' not in (tmp_path / "itineraries" / "astrid.html").read_text(encoding="utf-8")


def test_long_guest_lists_fold_behind_with_on_screens_and_print_whole(small_programme):
    mission, schedule = small_programme
    page = itinerary_html(mission, schedule, ["astrid"])
    summaries = re.findall(r"<summary>([^<]*)</summary>", page)
    assert "with Eléonore Simonet and 6 others" in summaries  # the opening reception
    assert "with Eléonore Simonet (minister) and 2 delegations (5 people)" in html.unescape(page)  # short: whole
    from planner.views.itinerary_pages import PageOptions

    printed = itinerary_html(mission, schedule, ["astrid"], options=PageOptions(printed=True))
    assert "<details" not in printed and "<summary" not in printed
    assert "Pierre-Yves Jeholet (minister) and 5 delegations (16 people)" in html.unescape(printed)


def test_the_index_groups_delegates_by_delegation_and_carries_what_search_reads(site):
    page = (site / "itineraries" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>([^<]+) <small>\((\d+)\)</small></h2>", page)
    # The principals first, whatever delegation they lead (Simonet's `federal`, Jeholet's Wallonia).
    assert headings == [("Official party", "3"), ("wallonia", "4"), ("Other delegates", "1")]
    searched = dict(re.findall(r'data-delegate="([^"]+)" data-search="([^"]+)"', page))
    assert "eleonore simonet" in searched["simonet"]  # accents folded, as the page's script folds the query
    assert "wallonia" in searched["odoo"] and "company" in searched["odoo"]
    assert '<input id="search" type="search"' in page


def test_a_delegation_reads_as_its_groups_name_where_the_mission_names_it(small_programme):
    # planner import --groups names the region's group (`Wallonie`) while the delegates keep its id.
    _, schedule = small_programme
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "{id: wallonia, kind: delegation,", "{id: wallonia, name: Wallonie, kind: delegation,")
    mission = load_mission_text(text, "named.yaml")
    assert "Odoo · entreprise, Wallonie, 3 personnes" in itinerary_text(mission, schedule, ["odoo"], language="fr")
    page = html.unescape(itinerary_html(mission, schedule, ["odoo"], language="fr"))
    assert "entreprise, Wallonie" in page and "wallonia" not in page.replace('"wallonia', "")
    index = html.unescape(index_html(mission, schedule, page_names(mission), ProgrammeStamp(1, None)))
    assert "company, Wallonie, 3 people" in index and "<h2>Wallonie <small>" in index


def test_text_itineraries_show_descriptions_and_end_no_line_with_a_space(small_programme):
    _, schedule = small_programme
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "title: Visit to Google, kind: visit,",
        "title: Visit to Google, kind: visit, description: Badges at the north lobby; bring passports,")
    mission = load_mission_text(text, "described.yaml")
    printed = itinerary_text(mission, schedule, ["astrid", "odoo"])
    assert "Badges at the north lobby; bring passports" in " ".join(printed.split())
    assert not [line for line in printed.splitlines() if line != line.rstrip()]


def test_departures_are_rounded_down_to_five_minutes_everywhere(small_programme):
    mission, schedule = small_programme
    # Stanford → NASA Ames is 31 minutes: arriving at 14:00 means leaving at 13:29, read as 13:25.
    assert mission.travel_minutes("stanford", "nasa-ames") == 31
    assert "13:25 → leave Stanford University for NASA Ames Research Center (31 min)" in " ".join(
        itinerary_text(mission, schedule, ["astrid"]).split())


def test_the_command_stamps_with_the_schedule_files_time(tmp_path):
    schedule_file = tmp_path / "schedule.json"
    write_schedule(read_schedule(VALID_SMALL_SCHEDULE), schedule_file)
    moment = time.mktime((2025, 10, 1, 12, 0, 0, 0, 0, -1))
    os.utime(schedule_file, (moment, moment))
    out = tmp_path / "astrid.html"
    result = CliRunner().invoke(app, ["itinerary", str(EXAMPLE_SMALL), "--schedule", str(schedule_file),
                                      "--delegate", "astrid", "--format", "html", "--out", str(out),
                                      "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Programm vom \w+, \d+\. \w+ 2025, \d\d:\d\d \(Los Angeles\), Version 1", out.read_text(encoding="utf-8"))
    assert load_mission(EXAMPLE_SMALL).language == "en"


def test_an_activity_rendered_once_reads_the_same_in_every_itinerary(flagship_programme):
    """Each stop is rendered once per way it reads (itinerary_pages._stop_html): pages made with the
    renderings of other delegates' pages at hand are the pages made from nothing, byte for byte, and
    attendees who read an activity the same share one rendering."""
    from planner.views import itinerary_pages

    mission, schedule = flagship_programme
    delegates = sorted(mission.delegates)[:40]
    itinerary_pages._stop_html.cache_clear()
    alone = {}
    for delegate_id in delegates:
        itinerary_pages._stop_html.cache_clear()
        alone[delegate_id] = itinerary_html(mission, schedule, [delegate_id])
    itinerary_pages._stop_html.cache_clear()
    shared = {delegate_id: itinerary_html(mission, schedule, [delegate_id]) for delegate_id in delegates}
    assert shared == alone
    assert itinerary_pages._stop_html.cache_info().hits > 0


TOKYO_MISSION = """mission: {name: Japan, timezone: Asia/Tokyo, language: de}
legs: [{city: Osaka, from: 2025-10-06, to: 2025-10-07}, {city: Tokyo, from: 2025-10-08, to: 2025-10-09}]
venues: [{id: hall, name: Hall, city: Tokyo}]
delegates: [{id: ann, name: Ann}]
activities:
  - {id: talk, title: Talk, venue: hall, duration: 1h, attendees: [ann]}
"""


def test_the_stamps_zone_is_named_by_the_missions_own_leg_as_written() -> None:
    """CLDR's German exemplar city of Asia/Tokyo is `Tokio`; the reader's programme says `Tokyo`
    everywhere else: the stamp says it as the leg does (of two legs in the zone, the one it is named by)."""
    from planner.domain.schedule import Schedule
    from planner.text.i18n import words_for
    from planner.views.common import zone_city

    mission = load_mission_text(TOKYO_MISSION, "japan.yaml")
    assert zone_city(mission) == "Tokyo"
    schedule = Schedule(mission="Japan", status="optimal", activities=[], extra={"programme_written": "2025-10-01T03:00:00+00:00"})
    stamp = programme_stamp(mission, schedule)
    assert stamp.text(words_for("de")) == "Programm vom Mittwoch, 1. Oktober 2025, 12:00 (Tokyo), Version 1"
    # Without a leg in the mission's zone, CLDR's city in the reader's language, as before.
    assert ProgrammeStamp(1, stamp.written).text(words_for("de")).count("(Tokio)") == 1
    only_osaka = load_mission_text(TOKYO_MISSION.replace("city: Tokyo, from", "city: Kyoto, from")
                                   .replace("city: Tokyo}", "city: Kyoto}"), "kansai.yaml")
    assert zone_city(only_osaka) == "Osaka"
