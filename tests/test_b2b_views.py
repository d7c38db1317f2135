"""What the organiser gets from B2B meetings: delegates' itineraries and calendars show their meetings, each
counterpart a page and a calendar, each session a table plan, the overview each session's load."""

from __future__ import annotations

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
    assert all("table" in str(event["location"]) for event in events)
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
    assert "(Tisch " in str(event["summary"]) and "Treffen mit" in str(event["description"])
    (english, *_) = meeting_events(mission, schedule, delegate)
    assert "(table " in str(english["summary"]) and "meeting with" in str(english["description"])


def test_a_counterparts_page_lists_its_requests_left_out_with_their_reasons(written, tmp_path):
    """Not only "No meeting scheduled": each request of theirs that no slot took, and why."""
    import html
    from dataclasses import replace

    from planner.domain.meetings import Reason, UnscheduledMeeting
    from planner.views.meetings import write_meeting_views

    mission, schedule, _ = written
    counterpart, other = list(mission.counterparts)[:2]
    because = f"{counterpart} is unavailable for the whole session"
    left = UnscheduledMeeting("meeting-99", ("odoo", counterpart),
                              Reason("participant_unavailable", (("participant", counterpart),)), because)
    write_meeting_views(mission, replace(schedule, unscheduled_meetings=[left]), tmp_path)
    page = html.unescape((tmp_path / "counterparts" / f"{counterpart}.html").read_text(encoding="utf-8"))
    assert "Requests not scheduled" in page and because in page
    assert "Requests not scheduled" not in (tmp_path / "counterparts" / f"{other}.html").read_text()
