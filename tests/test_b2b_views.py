"""What the organiser gets from B2B meetings: delegates' itineraries and calendars show their meetings, each
counterpart a page and a calendar, each session a table plan, the overview each session's load."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from test_b2b_mission import MISSION, OPTIONS

from planner.mission.load import load_mission_text
from planner.pipeline import plan
from planner.views.itinerary import itinerary_text
from planner.views.outputs import write_outputs

# A counterpart whose name holds markup: every page must show it as text.
TEXT = MISSION.replace("{id: usc, name: USC}", "{id: usc, name: <b>USC</b> & co}")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    mission = load_mission_text(TEXT)
    schedule = plan(mission, OPTIONS)
    out = tmp_path_factory.mktemp("out")
    write_outputs(mission, schedule, out)
    return mission, schedule, out


def test_each_counterpart_gets_a_page_and_a_calendar_of_their_meetings(written):
    mission, schedule, out = written
    acme = [meeting for meeting in schedule.meetings if "acme-ai" in meeting.participants]
    page = (out / "counterparts" / "acme-ai.html").read_text()
    for meeting in acme:
        assert f'data-request="{meeting.request}"' in page
        assert f"table {meeting.table}" in page
    calendar = Calendar.from_ical((out / "counterparts" / "acme-ai.ics").read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert [event.decoded("dtstart") for event in events] == sorted(meeting.start for meeting in acme)
    for event, meeting in zip(events, sorted(acme, key=lambda meeting: meeting.start), strict=True):
        assert str(event["summary"]).endswith(f"(table {meeting.table})")
    assert all(str(event["location"]) == "Hall" for event in events)  # the table is no place to look up
    assert "acme-ai.html" in (out / "counterparts" / "index.html").read_text()


def test_names_are_escaped_in_pages(written):
    _, _, out = written
    page = (out / "counterparts" / "usc.html").read_text()
    assert "<b>USC</b>" not in page and "&lt;b&gt;USC&lt;/b&gt; &amp; co" in page
    assert "<b>USC</b>" not in (out / "sessions" / "b2b.html").read_text()


def test_the_table_plan_puts_each_meeting_at_its_table_and_slot(written):
    mission, schedule, out = written
    page = (out / "sessions" / "b2b.html").read_text()
    rows = page.split("<tbody>")[1].split("<tr><th>")[1:]
    assert len(rows) == mission.activities["b2b"].meetings.tables
    names = {"odoo": "Odoo", "lasea": "LASEA", "kikk": "KIKK", "acme-ai": "Acme AI Inc.", "larta": "Larta Institute",
             "usc": "&lt;b&gt;USC&lt;/b&gt; &amp; co"}
    taken = 0
    for meeting in schedule.meetings:
        cell = rows[meeting.table - 1].split("<td")[1:][meeting.slot]
        assert all(names[person] in cell for person in meeting.participants), cell
        taken += 1
    assert page.count('class="free"') == 2 * 6 - taken


def test_a_table_plans_cell_names_the_delegates_before_the_counterparts(written):
    # The delegate sits at the table for the session and the counterparts move: acme-ai sorts before odoo,
    # but the cell reads "Odoo · Acme AI Inc.", as every other cell of Odoo's row.
    mission, schedule, out = written
    rows = (out / "sessions" / "b2b.html").read_text().split("<tbody>")[1].split("<tr><th>")[1:]
    for meeting in schedule.meetings:
        cell = rows[meeting.table - 1].split("<td")[1:][meeting.slot]
        names = cell.split(">", 1)[1].split("</td>")[0].split(" · ")
        kinds = ["delegate" if any(mission.delegates[d].name == name for d in meeting.participants
                                   if d in mission.delegates) else "counterpart" for name in names]
        assert kinds == sorted(kinds, key=lambda kind: kind != "delegate"), cell
        assert kinds[0] == "delegate", cell


def test_a_delegate_sees_their_meetings_in_itinerary_and_calendar(written):
    mission, schedule, out = written
    text = itinerary_text(mission, schedule, ["lasea"], width=120)
    lasea = [meeting for meeting in schedule.meetings if "lasea" in meeting.participants]
    for meeting in lasea:
        assert f"table {meeting.table}" in text
    assert "Acme AI Inc." in text
    assert 'class="meetings"' in (out / "itineraries" / "lasea.html").read_text()
    calendar = Calendar.from_ical((out / "calendars" / "delegates" / "lasea.ics").read_bytes())
    meetings = [event for event in calendar.walk("VEVENT") if "b2b-meeting" in str(event.get("categories").cats)]
    assert len(meetings) == len(lasea)


def test_the_overview_shows_each_session_load(written):
    _, schedule, out = written
    page = (out / "overview.html").read_text()
    assert "B2B sessions" in page and 'data-activity="b2b"' in page
    load = len(schedule.meetings) / (2 * 6)
    assert f"{load * 100:.0f}%" in page
    # Two sentences, a space between them (they were glued: "…schedule.json);table plans in …").
    assert "in schedule.json); table plans in" in " ".join(page.split())
    # The sessions' index says each session's count once (it said "73 meetings, 58% … (73 meetings)").
    sessions = " ".join((out / "sessions" / "index.html").read_text().split())
    assert sessions.count(" meetings") == sessions.count("meetings)") and "% of " in sessions


def test_counterparts_calendars_share_their_zones_without_changing_a_byte(written):
    from planner.views.meetings import counterpart_calendar

    mission, schedule, out = written
    zones: dict = {}
    for counterpart in mission.counterparts:
        alone = counterpart_calendar(mission, schedule, counterpart).to_ical()
        assert counterpart_calendar(mission, schedule, counterpart, zones).to_ical() == alone
    # Each zone built once, for all the calendars that use it.
    assert zones and all(component.name == "VTIMEZONE" and str(component["tzid"]) == zone
                         for zone, component in zones.items())


def test_every_calendar_planner_writes_is_read_back_without_a_parse(written):
    """Each event carries its fingerprint (meetings too): the next run reads a previous calendar's SEQUENCEs
    line by line; one event without it cost the whole file a parse by icalendar (a second on the flagship)."""
    from planner.views.calendar_state import _scan_own_states

    _, _, out = written
    calendars = sorted(out.rglob("*.ics"))
    assert any("counterparts" in path.parts for path in calendars)
    assert [path for path in calendars if _scan_own_states(path.read_bytes()) is None] == []


def test_a_moved_meeting_gets_the_next_sequence_in_the_counterparts_calendar(written, tmp_path):
    from dataclasses import replace
    from datetime import timedelta

    mission, schedule, _ = written
    out = tmp_path / "out"
    write_outputs(mission, schedule, out)
    moved = schedule.meetings[0]
    person = next(p for p in moved.participants if p in mission.counterparts)
    later = replace(moved, start=moved.start + timedelta(hours=2), end=moved.end + timedelta(hours=2))
    write_outputs(mission, replace(schedule, meetings=[later, *schedule.meetings[1:]]), out)

    def sequences(path):
        return {str(event["uid"]).split("@")[0]: int(event["sequence"])
                for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}

    from planner.views.meetings import meeting_uid

    key = meeting_uid(mission, moved.request).split("@")[0]
    counterpart = sequences(out / "counterparts" / f"{person}.ics")
    assert counterpart[key] == 1
    assert set(counterpart.values()) <= {0, 1} and list(counterpart.values()).count(1) == 1
    delegate = next(p for p in moved.participants if p in mission.delegates)
    assert sequences(out / "calendars" / "delegates" / f"{delegate}.ics")[key] == 1


def test_a_meeting_keeps_its_calendar_uid_when_a_request_above_it_is_removed():
    """A meeting's event is named by whom the request names, not by its place in the file: removing the
    first request must not give the JLABS meeting the UID the next one had (Outlook would overwrite one
    meeting with another). The same people twice: the second gets `.2`."""
    from planner.views.meetings import meeting_uid

    mission = load_mission_text(MISSION)
    fewer = load_mission_text(MISSION.replace("  - {with: [odoo, acme-ai]}\n", "", 1))
    twice = load_mission_text(MISSION.replace("  - {with: [kikk, larta]}\n",
                                              "  - {with: [kikk, larta]}\n  - {with: [larta, kikk]}\n", 1))

    def uids(of):
        return {tuple(sorted(request.refs)): meeting_uid(of, request.id) for request in of.meeting_requests}

    assert len(fewer.meeting_requests) == len(mission.meeting_requests) - 1
    assert {key: uid for key, uid in uids(mission).items() if key != ("acme-ai", "odoo")} == uids(fewer)
    assert uids(mission)[("kikk", "larta")].startswith("b2b.kikk.larta@")
    assert [meeting_uid(twice, r.id).split("@")[0] for r in twice.meeting_requests][-3:] == [
        "b2b.kikk.larta", "b2b.kikk.larta.2", "b2b.odoo.usc"]


def test_a_meeting_in_a_german_delegates_calendar_is_in_german(written):
    """A delegate who reads German sees `Tisch`, as in their itinerary, not `table` (the rest of their
    calendar was German already); the same meeting in an English reader's calendar stays English."""
    from dataclasses import replace

    from planner.views.meetings import meeting_events

    mission, schedule, _ = written
    meeting = schedule.meetings[0]
    delegate = next(p for p in meeting.participants if p in mission.delegates)
    german = replace(mission, delegates={**mission.delegates,
                                         delegate: replace(mission.delegates[delegate], language="de")})
    (event, *_) = [e for e in meeting_events(german, schedule, delegate)
                   if str(e["uid"]).startswith("b2b.")]
    assert "(Tisch " in str(event["summary"]) and "Gespräch mit" in str(event["description"])
    # The label a calendar app shows on the event: the reader's word, not planner's code.
    assert event.categories == ["B2B-Gespräch"]
    (english, *_) = meeting_events(mission, schedule, delegate)
    assert "(table " in str(english["summary"]) and "meeting with" in str(english["description"])
    assert english.categories == ["b2b-meeting"]


def test_a_counterparts_page_lists_its_requests_left_out_with_their_reasons(written, tmp_path):
    """Not only "No meeting scheduled": each request of theirs that no slot took, with whom, and why, naming
    people and sessions as the counterpart knows them (not by the ids of the mission file); a reason planner
    does not know (another tool's schedule.json) as the file words it."""
    from dataclasses import replace

    from planner.domain.meetings import Reason, UnscheduledMeeting
    from planner.views.meetings import write_meeting_views

    mission, schedule, _ = written
    counterpart, other = list(mission.counterparts)[:2]
    name = mission.counterparts[counterpart].name
    left = [UnscheduledMeeting("meeting-99", ("odoo", counterpart),
                               Reason("participant_unavailable", (("participant", counterpart), ("sessions", "b2b"))),
                               f"'{name}' ({counterpart}) is unavailable in every slot of 'B2B digital' (b2b)"),
            UnscheduledMeeting("meeting-98", ("kikk", counterpart), Reason("slots_taken", (("slots", "1"),))),
            UnscheduledMeeting("meeting-97", ("lasea", counterpart), Reason("some_new_code", ()),
                               "a reason another tool gave")]
    write_meeting_views(mission, replace(schedule, unscheduled_meetings=left), tmp_path)
    page = _text_of(tmp_path / "counterparts" / f"{counterpart}.html")
    assert "Requests not scheduled" in page
    assert "Meeting with Odoo: you are unavailable in every slot of ‘B2B digital’" in page
    assert "(b2b)" not in page
    assert "Meeting with KIKK: in the only slot it could take, one of its participants meets someone else" in page
    assert "Meeting with LASEA: a reason another tool gave" in page
    assert "Requests not scheduled" not in _text_of(tmp_path / "counterparts" / f"{other}.html")


@pytest.mark.parametrize(("language", "heading", "you_unavailable", "you_full", "no_session_in_common", "odoo_full"), [
    ("en", "Your B2B meetings", "you are unavailable in every slot of", "you are fully booked in every slot",
     "you and Odoo attend no B2B session in common", "delegate Odoo is fully booked"),
    ("fr", "Vos rendez-vous B2B", "vous n’êtes disponible à aucun créneau de",
     "vous avez déjà un rendez-vous dans chacun des créneaux possibles",
     "vous et Odoo n’avez aucune session B2B en commun", "le membre de la délégation Odoo a déjà un rendez-vous"),
    ("nl", "Uw B2B-afspraken", "u bent in geen enkel tijdvak van", "u heeft in elk mogelijk tijdvak al een afspraak",
     "er is geen B2B-sessie waaraan u en Odoo samen deelnemen", "delegatielid Odoo heeft in elk mogelijk tijdvak"),
    ("de", "Ihre B2B-Gespräche", "Sie sind in keinem Zeitfenster von", "Sie sind in jedem möglichen Zeitfenster",
     "es gibt keine B2B-Sitzung, an der Sie und Odoo gemeinsam teilnehmen",
     "Delegationsmitglied Odoo ist in jedem möglichen Zeitfenster"),
])
def test_a_counterparts_own_page_addresses_them(written, tmp_path, language, heading, you_unavailable, you_full,
                                                no_session_in_common, odoo_full):
    """Their page speaks to them, in their language: a heading of its own rather than their name, and each
    reason that names them says "you"; the others a reason names are still named."""
    from dataclasses import replace

    from planner.domain.meetings import Reason, UnscheduledMeeting
    from planner.views.meetings import write_meeting_views

    mission, schedule, _ = written
    reader = _reading(mission, {"acme-ai": language})
    name = mission.counterparts["acme-ai"].name
    left = [UnscheduledMeeting("meeting-99", ("acme-ai", "odoo"), Reason(
                "participant_unavailable", (("participant", "acme-ai"), ("sessions", "b2b")))),
            UnscheduledMeeting("meeting-98", ("acme-ai", "kikk"), Reason(
                "counterpart_full", (("participant", "acme-ai"),))),
            UnscheduledMeeting("meeting-97", ("acme-ai", "odoo"), Reason(
                "no_common_session", (("participants", "acme-ai odoo"),))),
            UnscheduledMeeting("meeting-96", ("acme-ai", "odoo"), Reason(
                "delegate_full", (("participant", "odoo"),)))]
    write_meeting_views(reader, replace(schedule, unscheduled_meetings=left), tmp_path)
    markup = _markup_of(tmp_path / "counterparts" / "acme-ai.html")
    assert f"<h1>{heading}</h1>" in markup
    page = _text_of(tmp_path / "counterparts" / "acme-ai.html")
    for words in (you_unavailable, you_full, no_session_in_common, odoo_full):
        assert words in page, words
    # Their name is in the browser's tab and once in the page, under the heading, never in a reason.
    body = markup.split("<body>")[1]
    assert body.count(name) == 1 and f"<title>{name} — " in markup


def _text_of(page: Path) -> str:
    """What a reader reads of the page: its text without markup, whitespace collapsed, entities read."""
    import html
    import re

    # Not str.split(): it would take the no-break spaces inside French quotes for spaces.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]*>", "", _markup_of(page))))


def _markup_of(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _reading(mission, counterparts: dict[str, str], language: str | None = None, address: str | None = None):
    """`mission` with these counterparts reading these languages, the mission in `language`, its hall at
    `address`."""
    from dataclasses import replace

    people = {person: replace(mission.counterparts[person], language=reads) for person, reads in counterparts.items()}
    hall = replace(mission.venues["hall"], address=address)
    return replace(mission, counterparts={**mission.counterparts, **people}, venues={**mission.venues, "hall": hall},
                   language=language or mission.language)


ENGLISH_OF_A_COUNTERPARTS_PAGE = ("All counterparts of", "Your B2B meetings", "add to your calendar",
                                  "No meeting scheduled", "Requests not scheduled", "Meeting with",
                                  "unavailable in every slot", "Tuesday", "October")


def test_a_french_counterpart_reads_their_page_in_french(written, tmp_path):
    """Page, date, labels and the reasons of their requests left out in French, `lang="fr"`; a counterpart of
    no language of their own reads the mission's English, and so does the staff's index."""
    from dataclasses import replace

    from planner.domain.meetings import Reason, UnscheduledMeeting
    from planner.views.meetings import write_meeting_views

    mission, schedule, _ = written
    french = _reading(mission, {"acme-ai": "fr", "usc": "fr"})
    # USC without a meeting: their page says so, in French.
    kept = [meeting for meeting in schedule.meetings if "usc" not in meeting.participants]
    left = UnscheduledMeeting("meeting-99", ("odoo", "acme-ai"),
                              Reason("participant_unavailable", (("participant", "acme-ai"), ("sessions", "b2b"))),
                              "Acme AI Inc. (acme-ai) is unavailable in every slot of 'B2B digital' (b2b)")
    write_meeting_views(french, replace(schedule, meetings=kept, unscheduled_meetings=[left]), tmp_path)
    assert '<html lang="fr">' in _markup_of(tmp_path / "counterparts" / "acme-ai.html")
    acme = _text_of(tmp_path / "counterparts" / "acme-ai.html")
    for words in ("← Tous les interlocuteurs de B2B test", "Vos rendez-vous B2B",
                  "B2B test · ajouter à votre agenda (.ics)", "mardi 7 octobre 2025",
                  "Demandes de rendez-vous non planifiées",
                  "Rendez-vous avec Odoo\u00a0: vous n’êtes disponible à aucun créneau de "
                  "«\u00a0B2B digital\u00a0»"):
        assert words in acme, words
    assert '<html lang="fr">' in _markup_of(tmp_path / "counterparts" / "usc.html")
    usc = _text_of(tmp_path / "counterparts" / "usc.html")
    assert "Aucun rendez-vous prévu." in usc
    for english in ENGLISH_OF_A_COUNTERPARTS_PAGE:
        assert english not in acme and english not in usc, english
    assert '<html lang="en">' in _markup_of(tmp_path / "counterparts" / "larta.html")
    larta = _text_of(tmp_path / "counterparts" / "larta.html")
    assert "All counterparts of B2B test" in larta and "Tuesday" in larta
    assert '<html lang="en">' in _markup_of(tmp_path / "counterparts" / "index.html")
    index = _text_of(tmp_path / "counterparts" / "index.html")
    assert "Counterparts — B2B test" in index and "(3 meetings)" in index


def test_the_table_plans_and_indexes_of_a_dutch_mission_are_dutch(written, tmp_path):
    """The staff's pages speak the mission's language; so does a counterpart of no language of their own."""
    from planner.views.meetings import write_meeting_views

    mission, schedule, _ = written
    write_meeting_views(_reading(mission, {}, language="nl"), schedule, tmp_path)
    count = len(schedule.meetings)
    markup = _markup_of(tmp_path / "sessions" / "b2b.html")
    assert '<html lang="nl">' in markup
    assert "<title>Tafelplan — B2B digital</title>" in markup and "<th>tafel</th>" in markup
    plan = _text_of(tmp_path / "sessions" / "b2b.html")
    for words in ("← Alle B2B-sessies van B2B test", "dinsdag 7 oktober 2025, 14:00–16:00",
                  f"{count} afspraken aan 2 tafels × 6 tijdvakken (", "van de tafeltijdvakken bezet)"):
        assert words in plan, words
    sessions = _text_of(tmp_path / "sessions" / "index.html")
    assert "B2B-sessies — B2B test" in sessions and f"van 2 tafels × 6 tijdvakken ({count} afspraken)" in sessions
    counterparts = _text_of(tmp_path / "counterparts" / "index.html")
    assert "Gesprekspartners — B2B test" in counterparts and "afspraken)" in counterparts
    for english in ("Table plan", "All B2B sessions", "meetings on", "of the table slots", "Tuesday",
                    "B2B sessions —", "tables × 6 slots", "Counterparts —", "meetings)"):
        assert english not in markup + sessions + counterparts, english
    assert "<th>table</th>" not in markup
    assert '<html lang="nl">' in (tmp_path / "counterparts" / "acme-ai.html").read_text(encoding="utf-8")


def test_a_counterparts_page_says_where_the_session_is(written, tmp_path):
    """The venue's address and a link to it on a map, as an itinerary gives them: a counterpart comes from
    outside the mission and has no itinerary to tell them."""
    import html

    from planner.views.common import map_link
    from planner.views.meetings import write_meeting_views

    mission, schedule, _ = written
    address = "600 Montgomery St, San Francisco"
    write_meeting_views(_reading(mission, {}, address=address), schedule, tmp_path)
    page = (tmp_path / "counterparts" / "acme-ai.html").read_text(encoding="utf-8")
    assert f'Hall, <span class="address">{address}</span>' in page
    assert f'<a class="map" href="{html.escape(map_link("Hall", address, None) or "")}"' in page
    # Their calendar too: its LOCATION is what a phone hands to its maps.
    events = Calendar.from_ical((tmp_path / "counterparts" / "acme-ai.ics").read_bytes()).walk("VEVENT")
    assert events and all(str(event["location"]) == f"Hall, {address}" for event in events)


def test_a_counterparts_sessions_come_in_time_order_each_under_its_own_heading():
    from datetime import datetime, timedelta

    from planner.views.meetings import MeetingLine, by_session

    def line(session: str, title: str, day: int, hour: int) -> MeetingLine:
        start = datetime(2025, 10, day, hour)
        return MeetingLine(f"{session}-{hour}", session, title, start, start + timedelta(minutes=20), 1, ("Odoo",),
                           "Hall")
    # San Francisco's session on the 6th, Los Angeles's on the 9th: by title, Los Angeles would come first;
    # two sessions named alike stay apart.
    lines = [line("sf", "San Francisco B2B", 6, 9), line("sf", "San Francisco B2B", 6, 10),
             line("la", "Los Angeles B2B", 9, 11), line("la2", "Los Angeles B2B", 9, 12)]
    assert [(title, [item.request for item in items]) for title, items in by_session(lines)] == [
        ("San Francisco B2B", ["sf-9", "sf-10"]), ("Los Angeles B2B", ["la-11"]), ("Los Angeles B2B", ["la2-12"])]


def test_a_reason_planner_does_not_know_reads_as_schedule_json_says_it(written):
    """A schedule.json of another tool may carry a reason code planner has no words for: the page says the
    file's words, or its code (as schedule.json and the workbook do), never the request's id."""
    from planner.domain.meetings import Reason, UnscheduledMeeting
    from planner.text.i18n import words_for
    from planner.views.meetings import left_out_line

    mission, _, _ = written
    entry = UnscheduledMeeting("request-7", ("acme-ai", "odoo"), Reason("room_flooded"))
    assert left_out_line(mission, entry, "acme-ai", words_for("en")) == ("Odoo", "room_flooded")
    worded = UnscheduledMeeting("request-7", ("acme-ai", "odoo"), Reason("room_flooded"), "the room was flooded")
    assert left_out_line(mission, worded, "acme-ai", words_for("en"))[1] == "the room was flooded"


def test_a_long_name_in_a_text_itinerary_wraps_under_the_names_column(written):
    """The meetings of a session are columns (time, table, whom): a name too long for the line continues
    under itself, not back at the stop's margin where it reads as another line of the stop."""
    from dataclasses import replace

    mission, schedule, _ = written
    long_name = "Acme Artificial Intelligence Incorporated of the San Francisco Bay Area"
    mission = replace(mission, counterparts={**mission.counterparts,
                                             "acme-ai": replace(mission.counterparts["acme-ai"], name=long_name)})
    delegate = next(person for meeting in schedule.meetings if "acme-ai" in meeting.participants
                    for person in meeting.participants if person in mission.delegates)
    lines = itinerary_text(mission, schedule, [delegate], width=60).split("\n")
    first = next(number for number, line in enumerate(lines) if "Acme Artificial" in line)
    column = lines[first].index("Acme Artificial")
    following = lines[first + 1]
    assert following.strip() and len(following) - len(following.lstrip()) == column, lines[first:first + 2]


def test_a_counterparts_header_shows_their_organisation_only_when_their_name_does_not_say_it(
        flagship_programme, tmp_path):
    """"Google — AI partnerships (Google)" repeated the organisation the name already holds (case and accents
    aside); "Stanford Institute for Human-Centered AI" does not say "Stanford University", so it stays."""
    from planner.views.meetings import display_name, write_meeting_views

    mission, schedule = flagship_programme
    write_meeting_views(mission, schedule, tmp_path)
    google = _text_of(tmp_path / "counterparts" / "google-ai.html")
    assert "Google — AI partnerships — " in google and "(Google)" not in google
    stanford = _text_of(tmp_path / "counterparts" / "stanford-hai.html")
    assert "Stanford Institute for Human-Centered AI (Stanford University) — " in stanford
    assert display_name(mission, "google-ai") == "Google — AI partnerships"
    assert display_name(mission, "stanford-hai") == "Stanford Institute for Human-Centered AI (Stanford University)"


@pytest.mark.parametrize(("name", "organisation", "shown"), [
    ("Université de Liège — spin-offs", "Universite de LIEGE", ""),
    ("Googleplex tours", "Google", "Google"),
    ("Odoo", None, ""),
])
def test_the_organisation_is_compared_with_the_name_as_whole_words_accents_and_case_aside(
        name, organisation, shown):
    from planner.views.meetings import organisation_shown

    assert organisation_shown(name, organisation) == shown
