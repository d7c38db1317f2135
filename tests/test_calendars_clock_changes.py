"""Calendars across changes of clocks: every event of every .ics, read by three independent parsers, gives
exactly the instants of schedule.json — also in the repeated hour of a fall-back, in the southern
hemisphere and in zones that shift by 30 minutes (Lord Howe) or keep a 45-minute offset (Chatham)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.load import load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.views.calendar_files import write_calendar_folder

ZONES = ("America/Los_Angeles", "Europe/Brussels", "Australia/Lord_Howe", "Pacific/Chatham")


def transitions(zone_name: str, first: date, last: date) -> list[datetime]:
    """The instants (UTC) at which the zone's offset changes between two dates, found by stepping 15 min."""
    zone = ZoneInfo(zone_name)
    found = []
    instant = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    previous = instant.astimezone(zone).utcoffset()
    while instant < end:
        instant += timedelta(minutes=15)
        offset = instant.astimezone(zone).utcoffset()
        if offset != previous:
            found.append(instant)
            previous = offset
    return found


CHANGES = [(zone, change) for zone in ZONES
           for change in transitions(zone, date(2025, 9, 1), date(2026, 6, 1))]
"""Two per zone: the fall-back and the spring-forward of 2025–26 (northern and southern)."""


def mission_around(zone_name: str, change: datetime) -> tuple[str, dict]:
    """A mission of three days around the change and a schedule.json of activities every 15 minutes from
    90 minutes before it to 90 minutes after (some start or end in the repeated or skipped hour)."""
    zone = ZoneInfo(zone_name)
    local = change.astimezone(zone).date()
    text = f"""
mission: {{name: Clocks {zone_name}, timezone: {zone_name}}}
legs: [{{city: Here, from: {local - timedelta(days=1)}, to: {local + timedelta(days=1)}}}]
venues: [{{id: hall, name: Hall, city: Here}}]
delegates: [{{id: ann, name: Ann, role: minister}}, {{id: bob, name: Bob, role: company}}]
groups: [{{id: both, name: Both, members: [ann, bob]}}]
activities:
"""
    activities = []
    for step in range(-6, 7):
        activity_id = f"step{step + 6:02d}"
        start = (change + timedelta(minutes=15 * step)).astimezone(zone)
        end = (change + timedelta(minutes=15 * step + 25)).astimezone(zone)
        text += f"  - {{id: {activity_id}, title: Step {step}, venue: hall, duration: 25m, attendees: [ann]}}\n"
        activities.append({"id": activity_id, "title": f"Step {step}", "kind": "meeting", "venue": "hall",
                           "start": start.isoformat(), "end": end.isoformat(),
                           "attendees": ["ann", "bob"] if step % 2 else ["ann"]})
    schedule = {"format": "planner-schedule/1", "mission": f"Clocks {zone_name}", "status": "feasible",
                "objective": 0, "bound": 0, "solve_seconds": 0, "activities": activities,
                "unscheduled": [], "conflicts": []}
    return text, schedule


def by_icalendar(data: bytes) -> dict[str, tuple[datetime, datetime]]:
    return {str(event["summary"]): (event.decoded("dtstart").astimezone(UTC), event.decoded("dtend").astimezone(UTC))
            for event in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def by_ical(data: bytes) -> dict[str, tuple[datetime, datetime]]:
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {event.summary: (event.dtstart.astimezone(UTC), event.dtend.astimezone(UTC)) for event in calendar.events}


def by_vobject(data: bytes) -> dict[str, tuple[datetime, datetime]]:
    calendar = vobject.readOne(data.decode("utf-8"))
    return {event.summary.value: (event.dtstart.value.astimezone(UTC), event.dtend.value.astimezone(UTC))
            for event in getattr(calendar, "vevent_list", [])}


def expected(schedule: dict, attendee: str | None) -> dict[str, tuple[datetime, datetime]]:
    return {a["title"]: (datetime.fromisoformat(a["start"]).astimezone(UTC),
                         datetime.fromisoformat(a["end"]).astimezone(UTC))
            for a in schedule["activities"] if attendee is None or attendee in a["attendees"]}


@pytest.mark.parametrize(("zone_name", "change"), CHANGES,
                         ids=[f"{zone}-{change:%Y-%m-%d}" for zone, change in CHANGES])
def test_every_event_gives_the_instants_of_schedule_json(zone_name: str, change: datetime, tmp_path: Path) -> None:
    text, document = mission_around(zone_name, change)
    mission = load_mission_text(text, "clocks.yaml")
    schedule_path = tmp_path / "schedule.json"
    schedule_path.write_text(json.dumps(document), encoding="utf-8")
    folder = tmp_path / "calendars"
    write_calendar_folder(mission, read_schedule(schedule_path), folder)
    files = {"mission.ics": None, "delegates/ann.ics": "ann", "delegates/bob.ics": "bob", "groups/both.ics": "bob"}
    for relative, attendee in files.items():
        data = (folder / relative).read_bytes()
        wanted = expected(document, attendee)
        assert wanted, relative
        for parser in (by_icalendar, by_ical, by_vobject):
            assert parser(data) == wanted, f"{relative} read by {parser.__name__}"


def test_unambiguous_times_keep_the_zone(tmp_path: Path) -> None:
    """Only a wall time that RFC 5545 would read as another instant leaves its TZID for UTC."""
    change = next(c for zone, c in CHANGES if zone == "America/Los_Angeles" and c.month == 11)
    text, document = mission_around("America/Los_Angeles", change)
    schedule_path = tmp_path / "schedule.json"
    schedule_path.write_text(json.dumps(document), encoding="utf-8")
    write_calendar_folder(load_mission_text(text, "clocks.yaml"), read_schedule(schedule_path), tmp_path / "c")
    lines = (tmp_path / "c" / "mission.ics").read_text(encoding="utf-8").replace("\r\n ", "").splitlines()
    # step -6: 00:30 PDT, unambiguous; step +2: the second 01:30 (PST), which TZID would read as 01:30 PDT.
    assert "DTSTART;TZID=America/Los_Angeles:20251102T003000" in lines
    assert "DTSTART:20251102T093000Z" in lines
    assert "DTSTART;TZID=America/Los_Angeles:20251102T013000" not in lines or \
        "DTSTART:20251102T083000Z" in lines  # the first 01:30 may keep its TZID: RFC 5545 reads it as first


def test_calendars_command_across_the_brussels_fall_back(tmp_path: Path) -> None:
    change = next(c for zone, c in CHANGES if zone == "Europe/Brussels" and c.month == 10)
    text, document = mission_around("Europe/Brussels", change)
    (tmp_path / "mission.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "schedule.json").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["calendars", str(tmp_path / "mission.yaml"),
                                      "--schedule", str(tmp_path / "schedule.json"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "out" / "delegates" / "ann.ics").read_bytes()
    assert by_icalendar(data) == by_vobject(data) == expected(document, "ann")
