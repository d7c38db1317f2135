"""Calendars: every file written is read back by three independent parsers (icalendar, the strict `ical`,
and vobject, which Radicale uses) and compared in UTC with schedule.json."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from conftest import EXAMPLE_SMALL, FLAGSHIP, VALID_SMALL_SCHEDULE
from dateutil.tz import tzical
from ical.calendar_stream import IcsCalendarStream
from typer.testing import CliRunner

from planner.cli import app
from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule, write_schedule
from planner.views.calendar_files import write_calendar_folder, write_calendars
from planner.views.calendars import (
    calendar_plans,
    event_uid,
    vtimezone,
)

PRINCIPAL_ROLES = {"royal", "minister", "official"}


# --- an independent reading of what must be where ---------------------------------------------------


Expected = dict[str, tuple[datetime, datetime, str]]
"""activity id (or UID) → (start in UTC, end in UTC, title)"""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def expected_files(mission: Mission, schedule_json: dict) -> dict[str, Expected]:
    """relative path → what it must hold, read from the raw schedule.json."""
    activities = {a["id"]: (utc(a["start"]), utc(a["end"]), a["title"]) for a in schedule_json["activities"]}
    attendees = {a["id"]: set(a["attendees"]) for a in schedule_json["activities"]}
    files = {"mission.ics": dict(activities)}
    for delegate_id in mission.delegates:
        files[f"delegates/{delegate_id}.ics"] = {
            i: value for i, value in activities.items() if delegate_id in attendees[i]}
    for group in mission.groups.values():
        # A group's calendar holds what the group attends together: every member is there.
        files[f"groups/{group.id}.ics"] = {
            i: value for i, value in activities.items() if set(group.delegates) <= attendees[i]}
    return files


def shifted(schedule: Schedule, activity_id: str, minutes: int, title: str | None = None) -> Schedule:
    """The schedule with one activity moved by `minutes` (and retitled)."""
    moved = [
        replace(a, title=title or a.title, start=a.start + timedelta(minutes=minutes),
                end=a.end + timedelta(minutes=minutes)) if a.id == activity_id else a
        for a in schedule.activities
    ]
    return replace(schedule, activities=moved)


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, f"bare line break in {line!r}"
    return lines


def assert_wire_format(data: bytes) -> None:
    """CRLF everywhere; no physical line above 75 octets (RFC 5545 §3.1); folds never split a character."""
    for line in physical_lines(data):
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold inside a multi-byte character would not decode


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def events_by_icalendar(data: bytes) -> Expected:
    calendar = icalendar.Calendar.from_ical(data)
    found = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["uid"])
        assert uid not in found, f"duplicate UID {uid}"
        found[uid] = (event.decoded("dtstart").astimezone(UTC), event.decoded("dtend").astimezone(UTC),
                      str(event["summary"]))
    return found


def events_by_ical(data: bytes) -> Expected:
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    found = {}
    for event in calendar.events:
        assert event.uid not in found
        found[event.uid] = (event.dtstart.astimezone(UTC), event.dtend.astimezone(UTC), event.summary)
    return found


def events_by_vobject(data: bytes) -> Expected:
    calendar = vobject.readOne(data.decode("utf-8"))
    found = {}
    for event in getattr(calendar, "vevent_list", []):
        uid = event.uid.value
        assert uid not in found
        found[uid] = (event.dtstart.value.astimezone(UTC), event.dtend.value.astimezone(UTC),
                      event.summary.value)
    return found


def vtimezones(data: bytes) -> dict[str, str]:
    text = data.decode("utf-8")
    blocks = re.findall(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", text, re.S)
    return {re.search(r"TZID:([^\r\n]+)", block)[1]: block for block in blocks}


def assert_vtimezone_matches_iana(block: str, tzid: str, around: list[datetime]) -> None:
    """dateutil reads the VTIMEZONE on its own; it must give the IANA offset an hour either side of every
    instant, and at every transition of the years concerned."""
    described = tzical(StringIO(block.replace("\r\n ", ""))).get(tzid)
    zone = ZoneInfo(tzid)
    probes = []
    for instant in around:
        probes += [instant + timedelta(hours=h) for h in range(-36, 37, 3)]
    for year in sorted({i.year for i in around}):
        hour = datetime(year, 1, 1, tzinfo=UTC)
        while hour.year == year:
            probes.append(hour)
            hour += timedelta(hours=7)
    for probe in probes:
        wall = probe.astimezone(zone).replace(tzinfo=None)
        if wall.replace(tzinfo=zone).utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset():
            continue  # a wall time that exists twice or not at all: no calendar event uses one
        expected = wall.replace(tzinfo=zone).utcoffset()
        assert wall.replace(tzinfo=described).utcoffset() == expected, (tzid, wall)


def assert_outlook_form(block: str, tzid: str) -> None:
    """One STANDARD and one DAYLIGHT with yearly RRULEs (STANDARD alone without DST), never RDATE lists."""
    assert "RDATE" not in block
    standard, daylight = block.count("BEGIN:STANDARD"), block.count("BEGIN:DAYLIGHT")
    transitions = {ZoneInfo(tzid).utcoffset(datetime(2025, month, 1)) for month in range(1, 13)}
    if len(transitions) == 1:
        assert (standard, daylight) == (1, 0)
        assert "RRULE" not in block
    else:
        assert (standard, daylight) == (1, 1)
        assert block.count("RRULE:FREQ=YEARLY") == 2


def assert_calendar_folder(mission: Mission, schedule_path: Path, folder: Path) -> dict[str, bytes]:
    """Everything the issue asks of the written files; returns path → bytes."""
    schedule_json = json.loads(schedule_path.read_text(encoding="utf-8"))
    expected = expected_files(mission, schedule_json)
    written = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.ics"))}
    assert set(written) == set(expected)
    uid_of: dict[str, str] = {}
    for relative, data in written.items():
        assert_wire_format(data)
        want = {event_uid(mission, i): value for i, value in expected[relative].items()}
        for uid, activity_id in ((event_uid(mission, i), i) for i in expected[relative]):
            assert uid_of.setdefault(activity_id, uid) == uid, "UIDs differ between files"
        # B2B meetings (docs/b2b.md) are events of their own in a delegate's calendar, beside the activities.
        person = relative.removeprefix("delegates/").removesuffix(".ics") if relative.startswith("delegates/") else ""
        meetings = sorted((utc(m["start"]), utc(m["end"])) for m in schedule_json.get("meetings", [])
                          if person in m["with"])
        for parser in (events_by_icalendar, events_by_ical, events_by_vobject):
            found = parser(data)
            b2b = {uid: value for uid, value in found.items() if uid.startswith("b2b.")}
            assert {uid: value for uid, value in found.items() if uid not in b2b} == want, \
                f"{relative} read by {parser.__name__}"
            assert sorted(value[:2] for value in b2b.values()) == meetings, f"{relative}: meetings"
        lines = unfolded(data)
        for required in ("VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                         f"X-WR-TIMEZONE:{mission.timezone}"):
            assert required in lines, f"{relative}: no {required}"
        assert any(line.startswith("PRODID:") for line in lines)
        assert not any(line.startswith(("ATTENDEE", "ORGANIZER")) for line in lines)
        calendar = icalendar.Calendar.from_ical(data)
        calendar.validate()  # required properties and components (RFC 5545 §3.6)
        name = vobject.readOne(data.decode("utf-8")).contents["x-wr-calname"][0].value
        assert name.startswith(mission.name)
        zones = vtimezones(data)
        used = set()
        for event in calendar.walk("VEVENT"):
            for key in ("dtstart", "dtend"):
                assert "TZID" in event[key].params, f"{relative}: {key} without TZID"
                used.add(event[key].params["TZID"])
            assert event["dtstamp"].to_ical().endswith(b"Z")
            assert "sequence" in event
        assert set(zones) == used, f"{relative}: a VTIMEZONE for each TZID, and only those"
        assert all(data.decode().count(f"TZID:{z}\r\n") == 1 for z in zones), "one VTIMEZONE per TZID"
        instants = [value[0] for value in want.values()] + [value[1] for value in want.values()]
        for tzid, block in zones.items():
            assert_outlook_form(block, tzid)
            assert_vtimezone_matches_iana(block, tzid, instants)
    return written


# --- example-small -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Mission:
    return load_mission(EXAMPLE_SMALL)


def test_example_small_files_are_right_for_three_parsers(small: Mission, tmp_path: Path) -> None:
    written = write_calendar_folder(small, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)
    assert len(written) == 1 + len(small.delegates) + len(small.groups)
    assert_calendar_folder(small, VALID_SMALL_SCHEDULE, tmp_path)


def test_solve_writes_calendars_beside_schedule(small: Mission, tmp_path: Path) -> None:
    from planner.views.outputs import write_outputs

    written = write_outputs(small, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)
    assert (tmp_path / "calendars" / "mission.ics") in written
    assert_calendar_folder(small, tmp_path / "schedule.json", tmp_path / "calendars")


def test_example_small_solved_programme(small: Mission, tmp_path: Path) -> None:
    solve_module = pytest.importorskip("planner.pipeline")
    if not hasattr(solve_module, "solve"):
        pytest.skip("the solver has not landed")
    options = solve_module.SolveOptions(time_limit=20, workers=1, seed=0, progress=False)
    schedule = solve_module.solve(small, options)
    assert schedule.has_programme
    write_schedule(schedule, tmp_path / "schedule.json")
    write_calendars(small, schedule, tmp_path)
    assert_calendar_folder(small, tmp_path / "schedule.json", tmp_path / "calendars")


@pytest.mark.slow
def test_flagship_calendars(tmp_path: Path) -> None:
    if not FLAGSHIP.exists():
        pytest.skip("the flagship example has not landed")
    solve_module = pytest.importorskip("planner.pipeline")
    mission = load_mission(FLAGSHIP)
    options = solve_module.SolveOptions(time_limit=60, workers=2, seed=0, progress=False)
    schedule = solve_module.solve(mission, options)
    if not schedule.has_programme:
        pytest.skip(f"the flagship did not solve within the limit here ({schedule.status})")
    write_schedule(schedule, tmp_path / "schedule.json")
    write_calendars(mission, schedule, tmp_path)
    assert_calendar_folder(mission, tmp_path / "schedule.json", tmp_path / "calendars")


def test_uids_and_bytes_are_stable_across_runs(small: Mission, tmp_path: Path) -> None:
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    runs = [{path.relative_to(tmp_path / run): path.read_bytes()
             for path in write_calendar_folder(small, schedule, tmp_path / run)} for run in ("a", "b")]
    assert runs[0] == runs[1]
    uids = re.findall(rb"UID:([^\r\n]+)", runs[0][Path("mission.ics")])
    expected = [f"{a.id}@small-west-coast-mission.planner".encode() for a in schedule.activities]
    assert sorted(uids) == sorted(expected)


def test_uid_ignores_title_and_time(small: Mission, tmp_path: Path) -> None:
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    moved = shifted(schedule, "visit-stanford", 120, "Renamed visit")
    write_calendar_folder(small, schedule, tmp_path / "before")
    write_calendar_folder(small, moved, tmp_path / "after")
    before = events_by_icalendar((tmp_path / "before" / "mission.ics").read_bytes())
    after = events_by_icalendar((tmp_path / "after" / "mission.ics").read_bytes())
    assert set(before) == set(after)
    uid = event_uid(small, "visit-stanford")
    assert after[uid][2] == "Renamed visit" and after[uid][0] - before[uid][0] == timedelta(hours=2)


def test_sequence_rises_only_for_changed_events(small: Mission, tmp_path: Path) -> None:
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    write_calendar_folder(small, schedule, tmp_path)
    first = (tmp_path / "delegates" / "astrid.ics").read_bytes()
    write_calendar_folder(small, schedule, tmp_path)
    assert (tmp_path / "delegates" / "astrid.ics").read_bytes() == first, "rewrite altered the file"
    moved = shifted(schedule, "visit-nasa", 30)
    for _ in range(2):  # twice: the second run sees no change and must keep the raised SEQUENCE
        write_calendar_folder(small, moved, tmp_path)
        calendar = icalendar.Calendar.from_ical((tmp_path / "delegates" / "astrid.ics").read_bytes())
        sequences = {str(e["uid"]).split("@")[0]: (int(e["sequence"]), e.decoded("dtstamp"))
                     for e in calendar.walk("VEVENT")}
        assert sequences["visit-nasa"][0] == 1
        assert sequences["visit-stanford"][0] == 0
        assert all(stamp.utcoffset() == timedelta(0) for _, stamp in sequences.values())


def written_at(schedule: Schedule, when: str) -> Schedule:
    """`schedule` as `planner solve` stamps it: its programme first written at `when`."""
    return replace(schedule, extra={**schedule.extra, "programme_written": when})


def test_dtstamp_is_when_the_programme_was_written_and_alone_never_raises_sequence(small: Mission,
                                                                                  tmp_path: Path) -> None:
    # RFC 5545 §3.8.7.2: with METHOD, when the calendar object was created; a fixed 2020 said nothing.
    schedule = written_at(read_schedule(VALID_SMALL_SCHEDULE), "2026-03-02T09:15:07+00:00")
    write_calendar_folder(small, schedule, tmp_path)
    first = (tmp_path / "delegates" / "astrid.ics").read_bytes()
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert {event.decoded("dtstamp") for event in events} == {datetime(2026, 3, 2, 9, 15, 7, tzinfo=UTC)}
    assert b"DTSTAMP:20260302T091507Z\r\n" in first
    write_calendar_folder(small, schedule, tmp_path)
    assert (tmp_path / "delegates" / "astrid.ics").read_bytes() == first, "the same input, other bytes"
    # Written again later (a new stamp, the same programme): DTSTAMP follows, SEQUENCE stays.
    write_calendar_folder(small, written_at(schedule, "2026-03-05T10:00:00+01:00"), tmp_path)
    again = icalendar.Calendar.from_ical((tmp_path / "delegates" / "astrid.ics").read_bytes())
    assert {int(event["sequence"]) for event in again.walk("VEVENT")} == {0}
    assert {event.decoded("dtstamp") for event in again.walk("VEVENT")} == {datetime(2026, 3, 5, 9, tzinfo=UTC)}


def test_description_tells_who_and_how_to_get_there(small: Mission, tmp_path: Path) -> None:
    write_calendar_folder(small, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)
    calendar = icalendar.Calendar.from_ical((tmp_path / "delegates" / "astrid.ics").read_bytes())
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    opening = str(events["opening"]["description"])
    # Principals by name, the others as a count of delegations (5 delegations, 16 people).
    for principal in ("HRH Princess Astrid", "Eléonore Simonet", "Pierre-Yves Jeholet"):
        assert principal in opening
    assert "Odoo" not in opening and "5 delegations (16 people)" in opening
    # Astrid comes from Google (ends 12:30); fairmont–google is 75 min by the travel table: leave by 16:45.
    assert "from Google, Mountain View" in opening and "1 hr, 15 min" in opening and "leave by 16:45" in opening
    nasa = str(events["visit-nasa"]["description"])
    minutes = small.travel_minutes("stanford", "nasa-ames")
    latest = datetime(2025, 10, 7, 14, 0) - timedelta(minutes=minutes)
    leave = (latest - timedelta(minutes=latest.minute % 5)).strftime("%H:%M")  # rounded down to 5 minutes
    assert f"{minutes} min" in nasa and f"leave by {leave}" in nasa and "from Stanford University" in nasa
    assert events["opening"]["location"] == "Fairmont San Francisco, 950 Mason St, San Francisco"
    assert events["opening"].categories == ["reception"]
    assert (events["opening"]["geo"].latitude, events["opening"]["geo"].longitude) == (37.7924, -122.4102)


def test_group_calendar_holds_what_every_member_attends(small: Mission, tmp_path: Path) -> None:
    write_calendar_folder(small, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)
    wallonia = events_by_icalendar((tmp_path / "groups" / "wallonia.ics").read_bytes())
    tech = events_by_icalendar((tmp_path / "groups" / "tech.ics").read_bytes())
    assert {uid.split("@")[0] for uid in wallonia} == {"opening", "closing"}
    assert {uid.split("@")[0] for uid in tech} == {"visit-google", "opening", "closing"}


# --- daylight saving, two zones, hostile titles ------------------------------------------------------

DST_MISSION = """\
mission:
  name: "Autumn, DST; mission \\\\ été 🚀"
  timezone: America/Los_Angeles
  grain: 5m
legs:
  - {city: Los Angeles, from: 2025-10-31, to: 2025-11-03}
  - {city: Tokyo, from: 2025-11-05, to: 2025-11-06, timezone: Asia/Tokyo}
venues:
  - {id: hotel, name: "Hotel; Downtown, LA", city: Los Angeles, address: "1 Main St, Los Angeles",
     geo: [34.05, -118.25]}
  - {id: usc, name: USC, city: Los Angeles, geo: [34.0224, -118.2851]}
  - {id: tower, name: Tokyo Tower, city: Tokyo, geo: [35.6586, 139.7454]}
delegates:
  - {id: astrid, name: HRH Princess Astrid, role: royal}
  - {id: acme, name: "Acme, Inc.", role: company, size: 3}
groups:
  - {id: everyone, name: Everyone, members: [astrid, acme]}
activities:
  - id: before-dst
    title: "Breakfast, talk; \\\\ back\\\\slash\\nsecond line 🎉 Liège"
    description: "Bring: badge, passport; \\\\ and a smile\\nsecond line é"
    venue: hotel
    duration: 1h
    attendees: [everyone]
  - {id: across, title: Seminar at USC, venue: usc, duration: 1h, attendees: [astrid]}
  - {id: after-dst, title: "Signing — après", kind: signing, venue: usc, duration: 1h,
     attendees: [everyone]}
  - {id: tokyo, title: 東京 meeting, venue: tower, duration: 1h, attendees: [acme]}
"""

HOSTILE_TITLE = "Breakfast, talk; \\ back\\slash\nsecond line 🎉 Liège"


def dst_schedule(path: Path) -> Path:
    activities = [
        ("before-dst", HOSTILE_TITLE, "meeting", "hotel",
         "2025-11-01T09:00:00-07:00", "2025-11-01T10:00:00-07:00", ["acme", "astrid"]),
        ("across", "Seminar at USC", "meeting", "usc",
         "2025-11-01T11:00:00-07:00", "2025-11-01T12:00:00-07:00", ["astrid"]),
        ("after-dst", "Signing — après", "signing", "usc",
         "2025-11-03T09:00:00-08:00", "2025-11-03T10:00:00-08:00", ["acme", "astrid"]),
        ("tokyo", "東京 meeting", "meeting", "tower",
         "2025-11-05T09:00:00+09:00", "2025-11-05T10:00:00+09:00", ["acme"]),
    ]
    keys = ("id", "title", "kind", "venue", "start", "end", "attendees")
    document = {
        "format": "planner-schedule/1", "mission": "Autumn", "status": "feasible", "objective": 0, "bound": 0,
        "solve_seconds": 0, "unscheduled": [], "conflicts": [],
        "activities": [dict(zip(keys, a)) for a in activities],
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def dst(tmp_path: Path) -> tuple[Mission, Path]:
    return load_mission_text(DST_MISSION, "dst.yaml"), dst_schedule(tmp_path / "schedule.json")


def test_events_either_side_of_dst_change_and_in_tokyo(dst: tuple[Mission, Path], tmp_path: Path) -> None:
    mission, schedule_path = dst
    write_calendar_folder(mission, read_schedule(schedule_path), tmp_path / "calendars")
    written = assert_calendar_folder(mission, schedule_path, tmp_path / "calendars")
    events = events_by_vobject(written["mission.ics"])
    # 09:00 local on both days; PDT (UTC-7) before 2 Nov 2025, PST (UTC-8) after.
    assert events[event_uid(mission, "before-dst")][0] == datetime(2025, 11, 1, 16, 0, tzinfo=UTC)
    assert events[event_uid(mission, "after-dst")][0] == datetime(2025, 11, 3, 17, 0, tzinfo=UTC)
    assert events[event_uid(mission, "tokyo")][0] == datetime(2025, 11, 5, 0, 0, tzinfo=UTC)
    text = "\n".join(unfolded(written["mission.ics"]))
    assert "DTSTART;TZID=America/Los_Angeles:20251101T090000" in text
    assert "DTSTART;TZID=America/Los_Angeles:20251103T090000" in text
    assert "DTSTART;TZID=Asia/Tokyo:20251105T090000" in text
    zones = vtimezones(written["mission.ics"])
    assert set(zones) == {"America/Los_Angeles", "Asia/Tokyo"}
    la = zones["America/Los_Angeles"]
    # DST from the second Sunday of March, standard time from the first Sunday of November.
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in la and "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in la
    assert "BEGIN:DAYLIGHT" not in zones["Asia/Tokyo"]
    assert set(vtimezones(written["delegates/astrid.ics"])) == {"America/Los_Angeles"}


def test_hostile_text_round_trips_in_every_parser(dst: tuple[Mission, Path], tmp_path: Path) -> None:
    mission, schedule_path = dst
    write_calendar_folder(mission, read_schedule(schedule_path), tmp_path)
    data = (tmp_path / "delegates" / "acme.ics").read_bytes()
    uid = event_uid(mission, "before-dst")
    for parser in (events_by_icalendar, events_by_ical, events_by_vobject):
        assert parser(data)[uid][2] == HOSTILE_TITLE, parser.__name__
    vevent = next(e for e in vobject.readOne(data.decode("utf-8")).vevent_list if e.uid.value == uid)
    assert vevent.description.value.startswith("Bring: badge, passport; \\ and a smile\nsecond line é")
    assert vevent.location.value == "Hotel; Downtown, LA, 1 Main St, Los Angeles"
    strict = next(e for e in IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).events if e.uid == uid)
    assert strict.location == "Hotel; Downtown, LA, 1 Main St, Los Angeles"
    name = "Autumn, DST; mission \\ été 🚀 — Acme, Inc."
    assert vobject.readOne(data.decode("utf-8")).contents["x-wr-calname"][0].value == name
    assert IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).extras  # X-WR-* kept, not rejected


def test_travel_across_a_hostile_title(dst: tuple[Mission, Path], tmp_path: Path) -> None:
    mission, schedule_path = dst
    write_calendar_folder(mission, read_schedule(schedule_path), tmp_path)
    calendar = icalendar.Calendar.from_ical((tmp_path / "delegates" / "astrid.ics").read_bytes())
    across = next(e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("across@"))
    minutes = mission.travel_minutes("hotel", "usc")
    leave = (datetime(2025, 11, 1, 11, 0) - timedelta(minutes=minutes)).strftime("%H:%M")
    route = f"from Hotel; Downtown, LA, after {HOSTILE_TITLE} (ends 10:00): {minutes} min, leave by {leave}."
    assert route in str(across["description"])


@pytest.mark.parametrize("tzid", ["America/Los_Angeles", "Europe/Brussels", "Australia/Sydney", "Asia/Tokyo",
                                  "America/St_Johns", "Europe/Dublin", "Asia/Kolkata", "America/Sao_Paulo"])
def test_vtimezone_rules_match_the_iana_database(tzid: str) -> None:
    instants = [datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in range(0, 3 * 365, 11)]
    block = vtimezone(tzid, instants).to_ical().decode("utf-8")
    assert_outlook_form(block, tzid)
    assert_vtimezone_matches_iana(block, tzid, instants)


def test_zone_whose_rule_a_byday_cannot_say_falls_back_to_exact_transitions() -> None:
    # America/Nuuk changes on the Saturday before the last Sunday of March at 22:00 local (-1 in POSIX).
    instants = [datetime(2025, 3, 29, 12, tzinfo=UTC), datetime(2025, 10, 25, 12, tzinfo=UTC)]
    block = vtimezone("America/Nuuk", instants).to_ical().decode("utf-8")
    assert_vtimezone_matches_iana(block, "America/Nuuk", instants)


# --- the command ------------------------------------------------------------------------------------


def test_calendars_command_writes_into_out(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["calendars", str(EXAMPLE_SMALL), "--schedule", str(VALID_SMALL_SCHEDULE),
                                      "--out", str(tmp_path / "cal")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cal" / "mission.ics").exists()
    assert (tmp_path / "cal" / "delegates" / "astrid.ics").exists()
    assert_calendar_folder(load_mission(EXAMPLE_SMALL), VALID_SMALL_SCHEDULE, tmp_path / "cal")


def test_calendars_command_refuses_a_schedule_of_another_mission(tmp_path: Path) -> None:
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    document["activities"][0]["venue"] = "nowhere"
    bad = tmp_path / "schedule.json"
    bad.write_text(json.dumps(document, indent=2), encoding="utf-8")
    result = CliRunner().invoke(app, ["calendars", str(EXAMPLE_SMALL), "--schedule", str(bad),
                                      "--out", str(tmp_path / "cal")])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+: .*'nowhere'", result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "cal").exists()


def test_calendars_command_without_programme_exits_1(tmp_path: Path) -> None:
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    document.update(status="infeasible", activities=[])
    empty = tmp_path / "schedule.json"
    empty.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["calendars", str(EXAMPLE_SMALL), "--schedule", str(empty),
                                      "--out", str(tmp_path / "cal")])
    assert result.exit_code == 1 and not (tmp_path / "cal").exists()


def test_file_names_are_slugs_inside_the_folder(tmp_path: Path) -> None:
    text = (DST_MISSION.replace("id: acme", "id: acme_co").replace("[astrid, acme]", "[astrid, acme_co]")
            .replace("attendees: [acme]", "attendees: [acme_co]"))
    mission = load_mission_text(text, "slug.yaml")
    plans = {plan.id: plan.relative_path for plan in calendar_plans(mission)}
    assert plans["acme_co"] == "delegates/acme-co.ics"
    written = write_calendar_folder(mission, Schedule(mission.name, "feasible"), tmp_path)
    assert all(path.resolve().is_relative_to(tmp_path.resolve()) for path in written)
    empty = (tmp_path / "delegates" / "acme-co.ics").read_bytes()
    assert events_by_ical(empty) == events_by_vobject(empty) == {}
    icalendar.Calendar.from_ical(empty).validate()
    assert list(vtimezones(empty)) == ["America/Los_Angeles"], "a VCALENDAR holds at least one component"


def test_sequence_from_a_previous_file_without_planner_digest(small: Mission, tmp_path: Path) -> None:
    """A previous file re-saved by another tool (no X-PLANNER-FINGERPRINT) is parsed properly instead."""
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    write_calendar_folder(small, schedule, tmp_path)
    path = tmp_path / "delegates" / "astrid.ics"
    stripped = b"".join(line for line in path.read_bytes().splitlines(keepends=True)
                        if not line.startswith(b"X-PLANNER-FINGERPRINT"))
    path.write_bytes(stripped)
    moved = shifted(schedule, "visit-stanford", 15)
    write_calendar_folder(small, moved, tmp_path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    sequences = {str(e["uid"]).split("@")[0]: int(e["sequence"]) for e in calendar.walk("VEVENT")}
    # visit-nasa changes too: its "getting there" says when Stanford now ends.
    assert sequences == {"visit-google": 0, "opening": 0, "visit-stanford": 1, "visit-nasa": 1,
                         "sign-lasea-usc": 0, "closing": 0}


def test_a_rule_that_disagrees_with_iana_is_caught() -> None:
    """The runtime check reads the VTIMEZONE itself (not the TZID): a wrong rule is refused."""
    from planner.views.vtimezone import _agrees, _posix_rule, _rule_vtimezone, _Transition

    rule = _posix_rule("America/Los_Angeles")
    assert rule is not None
    third_sunday = replace(rule, daylight_start=_Transition(3, 3, 0, 120))
    between = [datetime(2025, 3, 12, 18, tzinfo=UTC)]  # after the 2nd Sunday of March, before the 3rd
    assert _agrees(_rule_vtimezone("America/Los_Angeles", rule), "America/Los_Angeles", between)
    assert not _agrees(_rule_vtimezone("America/Los_Angeles", third_sunday), "America/Los_Angeles", between)


def test_principals_attend_in_the_order_of_rank_as_in_the_itineraries():
    """By rank, then by name, as the itinerary names them, not by id (Jeholet's id sorts before Simonet's)."""
    from planner.domain.schedule import ScheduledActivity
    from planner.views.calendars import who_attends

    mission = load_mission(EXAMPLE_SMALL)
    start = datetime(2025, 10, 6, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    activity = ScheduledActivity("x", "X", "visit", "google", start, start + timedelta(hours=1),
                                 ("astrid", "jeholet", "simonet"))
    assert who_attends(mission, activity).startswith(
        "Attending: HRH Princess Astrid, Eléonore Simonet, Pierre-Yves Jeholet")


def test_solve_output_stamps_its_calendars_with_schedule_json_and_rewrites_them_identically(
        small: Mission, tmp_path: Path) -> None:
    from planner.views.outputs import write_outputs

    write_outputs(small, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)
    written = json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))["programme_written"]
    first = (tmp_path / "calendars" / "mission.ics").read_bytes()
    stamps = {event.decoded("dtstamp") for event in icalendar.Calendar.from_ical(first).walk("VEVENT")}
    assert stamps == {datetime.fromisoformat(written)}
    write_outputs(small, read_schedule(VALID_SMALL_SCHEDULE), tmp_path)  # the same programme, later
    assert (tmp_path / "calendars" / "mission.ics").read_bytes() == first
