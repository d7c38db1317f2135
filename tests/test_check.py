"""`planner check` on hand-written schedules of ../shared/spec/example-small.yaml.

One valid schedule (tests/schedules/example-small-valid.json); each invalid schedule is a small mutation
of it, made here in code so that the one change that breaks one rule is visible beside its assertion.
Travel times used below (spec formula, speed 40 km/h, detour 1.3, buffer 10m): fairmont–google 75
(explicit), google–nasa-ames 16, google–stanford 25, stanford–nasa-ames 31, fairmont–stanford 100,
fairmont–nasa-ames 113, usc–lapd 27, usc–la-hotel 18, lapd–la-hotel 19.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from planner.check import Violation, check_schedule
from planner.cli import app
from planner.cli.check_report import print_report
from planner.domain import Mission
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled
from planner.mission.load import load_mission
from planner.mission.schedule_file import read_schedule, write_schedule

VALID = Path(__file__).parent / "schedules" / "example-small-valid.json"
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def mission(example_small_path: Path) -> Mission:
    return load_mission(example_small_path)


@pytest.fixture()
def valid() -> Schedule:
    return read_schedule(VALID)


def local(text: str) -> datetime:
    """'2025-10-06 10:30' in Pacific time, as the schedule writes it."""
    return datetime.fromisoformat(text).replace(tzinfo=PACIFIC)


def change(schedule: Schedule, activity_id: str, **fields: object) -> Schedule:
    """The schedule with some fields of one scheduled activity replaced."""
    assert activity_id in schedule.by_id(), f"{activity_id} is not in the schedule"
    activities = [
        dataclasses.replace(a, **fields) if a.id == activity_id else a  # type: ignore[arg-type]
        for a in schedule.activities
    ]
    return dataclasses.replace(schedule, activities=activities)


def move(schedule: Schedule, activity_id: str, start: str, end: str, **fields: object) -> Schedule:
    return change(schedule, activity_id, start=local(start), end=local(end), **fields)


def attendees(schedule: Schedule, activity_id: str) -> tuple[str, ...]:
    return schedule.by_id()[activity_id].attendees


def without(schedule: Schedule, activity_id: str) -> Schedule:
    return dataclasses.replace(schedule, activities=[a for a in schedule.activities if a.id != activity_id])


def mutated_mission(example_small_path: Path, tmp_path: Path, old: str, new: str) -> Mission:
    """example-small with one piece of text replaced, loaded by the real loader."""
    text = example_small_path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "mission.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_mission(path)


def only(violations: list[Violation], rule: str) -> list[Violation]:
    """The violations, after asserting that every one of them is of `rule`."""
    assert violations, f"expected a {rule} violation, the checker found none"
    assert {v.rule for v in violations} == {rule}, [str(v) for v in violations]
    return violations


def messages(violations: list[Violation], rule: str) -> str:
    return "\n".join(v.message for v in violations if v.rule == rule)


# --- the valid schedule ----------------------------------------------------------------------------------


def test_the_hand_written_schedule_is_valid(mission: Mission, valid: Schedule) -> None:
    assert check_schedule(mission, valid) == []


def test_an_optional_activity_left_out_and_listed_is_valid(mission: Mission, valid: Schedule) -> None:
    schedule = without(valid, "visit-nasa")
    schedule.unscheduled.append(Unscheduled("visit-nasa", "priority 50"))
    assert check_schedule(mission, schedule) == []


def test_an_optional_attendee_may_attend(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "visit-google", attendees=(*attendees(valid, "visit-google"), "press-pool"))
    assert check_schedule(mission, schedule) == []


def test_an_optional_principal_absent_brings_no_companion(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "visit-nasa", attendees=("csl",))
    assert check_schedule(mission, schedule) == []


def test_three_activities_of_astrid_on_one_day_are_allowed(mission: Mission, valid: Schedule) -> None:
    # google ends 12:30 → nasa-ames (16 travel + 15 gap) → 14:00–15:30 → fairmont (113 + 15) by 18:00.
    schedule = move(valid, "visit-nasa", "2025-10-06 14:00", "2025-10-06 15:30")
    assert check_schedule(mission, schedule) == []


def test_a_venue_is_free_again_at_the_instant_an_activity_ends(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "b2b-odoo", "2025-10-07 10:30", "2025-10-07 12:30", venue="stanford")
    assert check_schedule(mission, schedule) == []


def test_the_same_instants_written_with_another_offset_break_only_the_offset(mission: Mission,
                                                                             valid: Schedule) -> None:
    utc = ZoneInfo("UTC")
    google = valid.by_id()["visit-google"]
    schedule = change(valid, "visit-google", start=google.start.astimezone(utc),
                      end=google.end.astimezone(utc))
    found = only(check_schedule(mission, schedule), "offset")
    assert len(found) == 2
    assert "2025-10-06T17:30:00+00:00" in found[0].message and "2025-10-06T10:30:00-07:00" in found[0].message


# --- 1. scheduled or listed ------------------------------------------------------------------------------


def test_a_required_activity_left_out(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, without(valid, "opening")), "required")
    assert "'Mission opening reception' (opening) is required but not scheduled" in found[0].message
    assert found[0].activities == ("opening",)


def test_a_required_activity_listed_as_unscheduled(mission: Mission, valid: Schedule) -> None:
    schedule = without(valid, "closing")
    schedule.unscheduled.append(Unscheduled("closing", "no room"))
    found = only(check_schedule(mission, schedule), "required")
    assert ("'Closing dinner' (closing) is required but not scheduled (it is listed as unscheduled)"
            in found[0].message)


def test_an_optional_activity_neither_scheduled_nor_listed(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, without(valid, "visit-nasa")), "unlisted")
    assert ("'Visit to NASA Ames' (visit-nasa) is neither scheduled nor listed as unscheduled"
            in found[0].message)


def test_an_activity_both_scheduled_and_unscheduled(mission: Mission, valid: Schedule) -> None:
    valid.unscheduled.append(Unscheduled("visit-nasa", "priority 50"))
    found = only(check_schedule(mission, valid), "duplicate")
    assert "'Visit to NASA Ames' (visit-nasa) is both scheduled and listed as unscheduled" in found[0].message


def test_an_activity_scheduled_twice(mission: Mission, valid: Schedule) -> None:
    stanford = valid.by_id()["visit-stanford"]
    valid.activities.append(stanford)
    found = [v for v in check_schedule(mission, valid) if v.rule == "duplicate"]
    assert len(found) == 1 and "'Visit to Stanford' (visit-stanford) is scheduled 2 times" in found[0].message


def test_an_activity_listed_as_unscheduled_twice(mission: Mission, valid: Schedule) -> None:
    schedule = without(valid, "visit-nasa")
    schedule.unscheduled.extend([Unscheduled("visit-nasa", "a"), Unscheduled("visit-nasa", "b")])
    found = only(check_schedule(mission, schedule), "duplicate")
    assert "'Visit to NASA Ames' (visit-nasa) is listed as unscheduled 2 times" in found[0].message


def test_an_unscheduled_id_the_mission_does_not_have(mission: Mission, valid: Schedule) -> None:
    valid.unscheduled.append(Unscheduled("visit-nasa-ames", "typo"))
    found = only(check_schedule(mission, valid), "unknown-activity")
    assert ("'visit-nasa-ames' is listed as unscheduled but the mission has no activity of that id"
            in found[0].message)


def test_an_activity_the_mission_does_not_have(mission: Mission, valid: Schedule) -> None:
    valid.activities.append(ScheduledActivity("visit-tesla", "Visit to Tesla", "visit", "google",
                                              local("2025-10-07 09:00"), local("2025-10-07 10:00"),
                                              ("astrid",)))
    found = only(check_schedule(mission, valid), "unknown-activity")
    assert "'visit-tesla' is scheduled but the mission has no activity of that id" in found[0].message


# --- 2. each activity ------------------------------------------------------------------------------------


def test_duration(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "closing", "2025-10-09 18:30", "2025-10-09 20:30")
    found = only(check_schedule(mission, schedule), "duration")
    assert ("'Closing dinner' (closing) lasts 120 min (18:30–20:30 on 2025-10-09), not its duration of "
            "150 min" in found[0].message)


def test_grain_seconds(mission: Mission, valid: Schedule) -> None:
    entry = valid.by_id()["closing"]
    second = timedelta(seconds=1)
    schedule = change(valid, "closing", start=entry.start + second, end=entry.end + second)
    found = only(check_schedule(mission, schedule), "grain")
    assert "'Closing dinner' (closing) starts 18:30:01 on 2025-10-09" in found[0].message


def test_grain(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "visit-google", "2025-10-06 10:32", "2025-10-06 12:32")
    found = only(check_schedule(mission, schedule), "grain")
    assert ("'Visit to Google' (visit-google) starts 10:32 on 2025-10-06, off the mission's grain of 5 min"
            in found[0].message)
    assert "ends 12:32 on 2025-10-06" in found[1].message


def test_venue(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, change(valid, "b2b-odoo", venue="google")), "venue")
    assert ("'Odoo B2B meetings' (b2b-odoo) is at 'google', not at one of its venues: fairmont, stanford"
            in found[0].message)


def test_unknown_venue_is_named(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, change(valid, "b2b-odoo", venue="moscone")), "venue")
    assert "is at 'moscone' (the mission has no venue of that id)" in found[0].message


def test_placement_fixed(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "opening", "2025-10-06 18:30", "2025-10-06 20:30")
    found = only(check_schedule(mission, schedule), "placement")
    assert ("'Mission opening reception' (opening) starts 18:30 on 2025-10-06, not at its fixed start "
            "18:00 on 2025-10-06" in found[0].message)
    assert "example-small.yaml:" in found[0].message


def test_placement_windows(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "wallonia-briefing", "2025-10-06 07:30", "2025-10-06 08:30")
    found = only(check_schedule(mission, schedule), "placement")
    assert ("'Walloon delegation briefing' (wallonia-briefing) is scheduled 07:30–08:30 on 2025-10-06, "
            "outside its windows: 08:00–10:00 on 2025-10-06" in found[0].message)


def test_placement_dates(mission: Mission, valid: Schedule) -> None:
    # Free for astrid, jeholet and simonet on 6 October, with travel and min_gap kept.
    schedule = move(valid, "visit-stanford", "2025-10-06 14:00", "2025-10-06 15:30")
    found = only(check_schedule(mission, schedule), "placement")
    assert ("'Visit to Stanford' (visit-stanford) is scheduled 14:00–15:30 on 2025-10-06, not inside the "
            "working day (08:00–21:00) of one of its dates: 2025-10-07" in found[0].message)


def test_placement_working_day_of_the_leg(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "b2b-odoo", "2025-10-06 20:00", "2025-10-06 22:00")
    found = only(check_schedule(mission, schedule), "placement")
    assert ("'Odoo B2B meetings' (b2b-odoo) is scheduled 20:00–22:00 on 2025-10-06, not inside the working "
            "day (08:00–21:00) of a date of its leg (San Francisco, 2025-10-06–2025-10-07)"
            in found[0].message)


def test_leg_dates(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "b2b-odoo", "2025-10-08 10:00", "2025-10-08 12:00")
    violations = check_schedule(mission, schedule)
    assert {v.rule for v in violations} == {"leg", "placement"}
    assert ("'Odoo B2B meetings' (b2b-odoo) is scheduled 10:00–12:00 on 2025-10-08, on 2025-10-08, outside "
            "the San Francisco leg (2025-10-06–2025-10-07)" in messages(violations, "leg"))


def test_open_hours_before_opening(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "visit-stanford", "2025-10-07 08:00", "2025-10-07 09:30")
    found = only(check_schedule(mission, schedule), "open-hours")
    assert ("'Visit to Stanford' (visit-stanford) starts 08:00 on 2025-10-07, before Stanford University "
            "opens at 08:30 (" in found[0].message)


def test_open_hours_after_closing(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "visit-nasa", "2025-10-07 15:00", "2025-10-07 16:30")
    found = only(check_schedule(mission, schedule), "open-hours")
    assert ("'Visit to NASA Ames' (visit-nasa) ends 16:30 on 2025-10-07, after NASA Ames Research Center "
            "closes at 16:00" in found[0].message)


# --- 3. after --------------------------------------------------------------------------------------------


def test_after_with_gap(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "demo-fn-lapd", "2025-10-09 10:00", "2025-10-09 11:00")
    violations = check_schedule(mission, schedule)
    # jeholet also lacks the 27 min from usc to lapd: the gap of 30 min is longer than the travel.
    assert {v.rule for v in violations} == {"after", "travel"}
    assert ("'FN Herstal demonstration to the LAPD' (demo-fn-lapd) starts 10:00 on 2025-10-09, before "
            "'Signing LASEA & USC' (sign-lasea-usc) ends (09:45 on 2025-10-09) plus 30 min: it may start at "
            "10:15 on 2025-10-09 at the earliest" in messages(violations, "after"))


def test_after_without_gap(mission: Mission, valid: Schedule) -> None:
    # odoo attends both, so starting before the briefing ends is also an overlap.
    schedule = move(valid, "b2b-odoo", "2025-10-06 08:00", "2025-10-06 10:00")
    schedule = move(schedule, "visit-google", "2025-10-06 11:15", "2025-10-06 13:15")
    violations = check_schedule(mission, schedule)
    assert {v.rule for v in violations} == {"after", "overlap"}
    assert ("'Odoo B2B meetings' (b2b-odoo) starts 08:00 on 2025-10-06, before 'Walloon delegation briefing' "
            "(wallonia-briefing) ends (09:00 on 2025-10-06): it may start at 09:00 on 2025-10-06 at the "
            "earliest" in messages(violations, "after"))


# --- attendees --------------------------------------------------------------------------------------------


def test_a_required_attendee_missing(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, change(valid, "wallonia-briefing", attendees=("jeholet", "odoo"))),
                 "attendees")
    assert ("LASEA (lasea) must attend 'Walloon delegation briefing' (wallonia-briefing) but is not among "
            "its attendees" in found[0].message)
    assert found[0].delegates == ("lasea",)


def test_an_attendee_who_is_not_invited(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "visit-stanford", attendees=(*attendees(valid, "visit-stanford"), "fn-herstal"))
    found = only(check_schedule(mission, schedule), "attendees")
    assert ("FN Herstal (fn-herstal) attends 'Visit to Stanford' (visit-stanford) but is neither a required "
            "nor an optional attendee, nor brought by an accompany rule" in found[0].message)


def test_a_companion_without_the_principal_is_not_invited(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "visit-nasa", attendees=("csl", "simonet"))
    found = only(check_schedule(mission, schedule), "attendees")
    assert ("Eléonore Simonet (simonet) attends 'Visit to NASA Ames' (visit-nasa) but is neither"
            in found[0].message)


def test_an_attendee_the_mission_does_not_have(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "visit-google", attendees=(*attendees(valid, "visit-google"), "elon"))
    found = only(check_schedule(mission, schedule), "attendees")
    assert "'Visit to Google' (visit-google) lists 'elon' among its attendees" in found[0].message


# --- 4. each delegate ------------------------------------------------------------------------------------


def test_overlap(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "b2b-odoo", "2025-10-06 11:00", "2025-10-06 13:00")
    found = only(check_schedule(mission, schedule), "overlap")
    assert ("Odoo (odoo) attends 'Visit to Google' (visit-google) 10:30–12:30 on 2025-10-06 and 'Odoo B2B "
            "meetings' (b2b-odoo) 11:00–13:00 on 2025-10-06 at the same time" in found[0].message)
    assert found[0].delegates == ("odoo",)


def test_unavailable(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    mission = mutated_mission(example_small_path, tmp_path, '[["2025-10-06 08:00", "2025-10-06 12:00"]]',
                              '[["2025-10-09 11:00", "2025-10-09 12:00"]]')
    found = only(check_schedule(mission, valid), "unavailable")
    assert ("FN Herstal (fn-herstal) attends 'FN Herstal demonstration to the LAPD' (demo-fn-lapd) "
            "10:30–11:30 on 2025-10-09, inside their unavailable window 11:00–12:00 on 2025-10-09"
            in found[0].message)
    assert "mission.yaml:" in found[0].message


def test_travel_explicit(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "b2b-odoo", "2025-10-06 13:30", "2025-10-06 15:30")
    found = only(check_schedule(mission, schedule), "travel")
    assert ("Odoo (odoo) has 60 min between 'Visit to Google' (visit-google) at Google, Mountain View "
            "(google) (ends 12:30 on 2025-10-06) and 'Odoo B2B meetings' (b2b-odoo) at Fairmont San "
            "Francisco (fairmont) (starts 13:30 on 2025-10-06); the travel time is 75 min"
            in found[0].message)


def test_travel_computed(mission: Mission, valid: Schedule) -> None:
    # stanford → nasa-ames: 10 + ceil(60 * 10.558 km * 1.3 / 40) = 31 min; 30 are left.
    schedule = move(valid, "visit-nasa", "2025-10-07 11:00", "2025-10-07 12:30")
    violations = check_schedule(mission, schedule)
    travel = [v for v in violations if v.rule == "travel"]
    assert sorted(v.delegates for v in travel) == [("astrid",), ("simonet",)]
    assert "has 30 min between 'Visit to Stanford' (visit-stanford)" in travel[0].message
    assert "the travel time is 31 min" in travel[0].message
    assert {v.rule for v in violations} == {"travel", "min_gap"}


def test_no_travel_time_between_cities(mission: Mission, valid: Schedule) -> None:
    # 7 Oct in San Francisco ends 15:30; 9 Oct starts at usc: different cities need no travel time.
    assert mission.travel_minutes("nasa-ames", "usc") is None
    assert check_schedule(mission, valid) == []


def test_an_unknown_travel_time_is_a_violation(mission: Mission, valid: Schedule) -> None:
    travel = {pair: minutes for pair, minutes in mission.travel.items()
              if set(pair) != {"google", "fairmont"}}
    found = only(check_schedule(dataclasses.replace(mission, travel=travel), valid), "travel")
    assert "no travel time between these venues is known" in found[0].message


# --- 5. each venue ---------------------------------------------------------------------------------------


def test_parallel(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "b2b-odoo", "2025-10-07 09:30", "2025-10-07 11:30", venue="stanford")
    found = only(check_schedule(mission, schedule), "parallel")
    assert ("Stanford University (stanford) hosts 2 activities at 09:30 on 2025-10-07, more than its "
            "parallel 1: 'Visit to Stanford' (visit-stanford) 09:00–10:30 on 2025-10-07, 'Odoo B2B meetings' "
            "(b2b-odoo) 09:30–11:30 on 2025-10-07" in found[0].message)
    assert found[0].activities == ("visit-stanford", "b2b-odoo")


def test_capacity(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    mission = mutated_mission(example_small_path, tmp_path, "capacity: 40", "capacity: 6")
    found = only(check_schedule(mission, valid), "capacity")
    # astrid 1 + csl 2 + odoo 3 + simonet 1.
    assert ("'Visit to Google' (visit-google) brings 7 people to Google, Mountain View (google), above its "
            "capacity of 6" in found[0].message)


# --- 6. rules --------------------------------------------------------------------------------------------


def test_accompany(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "visit-nasa", attendees=("astrid", "csl"))
    found = only(check_schedule(mission, schedule), "accompany")
    assert ("Eléonore Simonet (simonet) must accompany HRH Princess Astrid (astrid) to 'Visit to NASA Ames' "
            "(visit-nasa) (visit) but does not attend it" in found[0].message)
    assert found[0].delegates == ("simonet", "astrid")


def test_accompany_on_a_required_principal(mission: Mission, valid: Schedule) -> None:
    schedule = change(valid, "sign-lasea-usc", attendees=("astrid", "jeholet", "lasea", "press-pool"))
    found = only(check_schedule(mission, schedule), "accompany")
    assert "to 'Signing LASEA & USC' (sign-lasea-usc) (signing)" in found[0].message


def test_max_per_day(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    mission = mutated_mission(example_small_path, tmp_path, "{who: astrid, count: 3}",
                              "{who: astrid, count: 2}")
    schedule = move(valid, "visit-nasa", "2025-10-06 14:00", "2025-10-06 15:30")
    found = only(check_schedule(mission, schedule), "max_per_day")
    assert ("HRH Princess Astrid (astrid) attends 3 activities on 2025-10-06, more than the 2 that "
            "max_per_day allows: 'Visit to Google' (visit-google) 10:30–12:30 on 2025-10-06"
            in found[0].message)


def test_max_per_day_counts_only_its_kinds(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    mission = mutated_mission(example_small_path, tmp_path, "{who: astrid, count: 3}",
                              "{who: astrid, count: 1, kinds: [visit]}")
    found = only(check_schedule(mission, valid), "max_per_day")
    assert len(found) == 1
    assert "attends 2 activities of kind visit on 2025-10-07, more than the 1" in found[0].message


def test_min_gap(mission: Mission, valid: Schedule) -> None:
    # 35 min covers the 31 min of travel from stanford but not the 15 min gap on top.
    schedule = move(valid, "visit-nasa", "2025-10-07 11:05", "2025-10-07 12:35")
    found = only(check_schedule(mission, schedule), "min_gap")
    assert sorted(v.delegates for v in found) == [("astrid",), ("simonet",)]
    assert ("has 35 min between 'Visit to Stanford' (visit-stanford) (ends 10:30 on 2025-10-07) and "
            "'Visit to NASA Ames' (visit-nasa) (starts 11:05 on 2025-10-07); min_gap needs 46 min "
            "(31 min travel + 15 min gap)" in found[0].message)


def test_min_gap_at_the_same_venue(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    mission = mutated_mission(example_small_path, tmp_path, "  - min_gap: {who: royal-track, gap: 15m}",
                              "  - min_gap: {who: royal-track, gap: 15m}\n  - min_gap: {who: odoo, gap: 10m}")
    schedule = move(valid, "b2b-odoo", "2025-10-06 16:00", "2025-10-06 18:00")
    found = only(check_schedule(mission, schedule), "min_gap")
    assert ("Odoo (odoo) has 0 min between 'Odoo B2B meetings' (b2b-odoo) (ends 18:00 on 2025-10-06) and "
            "'Mission opening reception' (opening) (starts 18:00 on 2025-10-06); min_gap needs 10 min "
            "(a gap of 10 min)" in found[0].message)


def test_lunch(mission: Mission, valid: Schedule) -> None:
    schedule = move(valid, "visit-google", "2025-10-06 11:45", "2025-10-06 13:45")
    schedule = move(schedule, "b2b-odoo", "2025-10-06 15:00", "2025-10-06 17:00")
    found = only(check_schedule(mission, schedule), "lunch")
    assert sorted(v.delegates for v in found) == [("astrid",), ("simonet",)]
    assert ("HRH Princess Astrid (astrid) has no free 45 min off the road between 11:30 and 14:00 on 2025-10-06 "
            "(longest free stretch off the road: 15 min; busy with 'Visit to Google' (visit-google) 11:45–13:45 on "
            "2025-10-06)" in found[0].message)


def test_lunch_is_not_taken_on_the_road(mission: Mission, valid: Schedule) -> None:
    # 11:30–12:20 is free, but 46 min of it are the 31 min drive from Stanford to NASA Ames and the 15 min gap.
    schedule = move(valid, "visit-stanford", "2025-10-07 10:00", "2025-10-07 11:30")
    schedule = move(schedule, "visit-nasa", "2025-10-07 12:20", "2025-10-07 13:50")
    found = only(check_schedule(mission, schedule), "lunch")
    assert sorted(v.delegates for v in found) == [("astrid",), ("simonet",)]
    # 4 min off the road between the visits; the longest is the 10 min after NASA Ames, up to 14:00.
    assert "on 2025-10-07 (longest free stretch off the road: 10 min" in found[0].message


def test_lunch_and_the_road_fit_in_one_gap(mission: Mission, valid: Schedule) -> None:
    # 105 min between the visits: 31 min drive + 15 min gap + 45 min lunch, in either order.
    schedule = move(valid, "visit-stanford", "2025-10-07 10:00", "2025-10-07 11:30")
    schedule = move(schedule, "visit-nasa", "2025-10-07 13:15", "2025-10-07 14:45")
    assert check_schedule(mission, schedule) == []
    tighter = move(schedule, "visit-nasa", "2025-10-07 13:00", "2025-10-07 14:30")
    assert "longest free stretch off the road: 44 min" in messages(check_schedule(mission, tighter), "lunch")


def test_a_working_lunch_counts_as_the_lunch(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    lunch_at_google = move(valid, "visit-google", "2025-10-06 11:45", "2025-10-06 13:45")
    lunch_at_google = move(lunch_at_google, "b2b-odoo", "2025-10-06 15:00", "2025-10-06 17:00")
    meal = mutated_mission(example_small_path, tmp_path, "title: Visit to Google, kind: visit,",
                           "title: Lunch at Google, kind: meal,")
    assert [v for v in check_schedule(meal, lunch_at_google) if v.rule == "lunch"] == []


def test_a_meal_with_less_than_the_lunch_inside_between_is_no_lunch(example_small_path: Path, tmp_path: Path,
                                                                    valid: Schedule) -> None:
    text = example_small_path.read_text(encoding="utf-8")
    text = text.replace("title: Visit to Google, kind: visit,", "title: Lunch at Google, kind: meal,")
    text = text.replace('between: ["11:30", "14:00"]', 'between: ["11:30", "12:30"]')
    (tmp_path / "mission.yaml").write_text(text, encoding="utf-8")
    meal = load_mission(tmp_path / "mission.yaml")
    exactly = move(valid, "visit-google", "2025-10-06 11:45", "2025-10-06 13:45")
    exactly = move(exactly, "b2b-odoo", "2025-10-06 15:00", "2025-10-06 17:00")
    assert [v for v in check_schedule(meal, exactly) if v.rule == "lunch"] == []
    # 12:00–14:00: 30 min of the meal inside 11:30–12:30, and 30 min free before it.
    late = move(exactly, "visit-google", "2025-10-06 12:00", "2025-10-06 14:00")
    late = move(late, "b2b-odoo", "2025-10-06 15:15", "2025-10-06 17:15")
    assert "longest free stretch off the road: 30 min" in messages(check_schedule(meal, late), "lunch")


# --- the schedule as a whole -----------------------------------------------------------------------------


def test_an_infeasible_status_with_activities_is_not_a_programme(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, dataclasses.replace(valid, status="infeasible")), "status")
    assert "the schedule's status is 'infeasible' yet lists 9 scheduled activities" in found[0].message


def test_an_unknown_status_without_activities(mission: Mission, valid: Schedule) -> None:
    schedule = dataclasses.replace(valid, status="unknown", activities=[])
    violations = check_schedule(mission, schedule)
    assert "'unknown' and holds no programme" in messages(violations, "status")
    assert len([v for v in violations if v.rule == "required"]) == 8


def test_a_schedule_of_another_mission(mission: Mission, valid: Schedule) -> None:
    found = only(check_schedule(mission, dataclasses.replace(valid, mission="Japan 2026")), "mission")
    assert "the schedule is for the mission 'Japan 2026', not 'Small West Coast mission'" in found[0].message


# --- report and command line -----------------------------------------------------------------------------


def test_report(mission: Mission, valid: Schedule) -> None:
    console = Console(record=True, width=300)
    print_report(mission, [], console)
    text = console.export_text()
    assert "valid: the schedule satisfies every hard rule of 'Small West Coast mission'" in text
    console = Console(record=True, width=300)
    print_report(mission, check_schedule(mission, without(valid, "opening")), console)
    text = console.export_text()
    assert "invalid: 1 violation of the hard rules" in text
    assert "required: 'Mission opening reception'" in text


runner = CliRunner()


def test_cli_valid(example_small_path: Path) -> None:
    result = runner.invoke(app, ["check", str(example_small_path), str(VALID)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "invalid" not in result.output


def test_cli_invalid(example_small_path: Path, tmp_path: Path, valid: Schedule) -> None:
    path = tmp_path / "schedule.json"
    write_schedule(move(valid, "b2b-odoo", "2025-10-06 13:30", "2025-10-06 15:30"), path)
    result = runner.invoke(app, ["check", str(example_small_path), str(path)])
    assert result.exit_code == 1, result.output
    assert "travel" in result.output and "Odoo (odoo) has 60 min between" in result.output


def test_cli_malformed_schedule(example_small_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text('{"format": "planner-schedule/1",\n "status": "optimal",\n "activities": [\n',
                    encoding="utf-8")
    result = runner.invoke(app, ["check", str(example_small_path), str(path)])
    assert result.exit_code == 2
    assert f"{path}:4:1" in result.output and "not valid JSON" in result.output


def test_cli_invalid_mission(tmp_path: Path) -> None:
    path = tmp_path / "mission.yaml"
    path.write_text("mission: {name: Broken}\nlegs: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), str(VALID)])
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "Traceback" not in result.output


def test_the_valid_schedule_survives_the_writer(mission: Mission, valid: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    write_schedule(valid, path)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "planner-schedule/1"
    assert check_schedule(mission, read_schedule(path)) == []


def test_times_are_read_and_told_in_the_zone_of_each_leg(example_small_path: Path, tmp_path: Path,
                                                         valid: Schedule) -> None:
    leg = "{city: Los Angeles, from: 2025-10-09, to: 2025-10-09"
    mission = mutated_mission(example_small_path, tmp_path, leg + "}", leg + ", timezone: America/Chicago}")
    central = ZoneInfo("America/Chicago")
    los_angeles_ids = ("sign-lasea-usc", "demo-fn-lapd", "closing")
    same_wall_times = valid
    for activity_id in los_angeles_ids:
        entry = valid.by_id()[activity_id]
        same_wall_times = change(same_wall_times, activity_id, start=entry.start.replace(tzinfo=central),
                                 end=entry.end.replace(tzinfo=central))
    assert check_schedule(mission, same_wall_times) == []
    # The unchanged file holds instants two hours later in Chicago: still valid places, wrong offsets.
    found = only(check_schedule(mission, valid), "offset")
    assert len(found) == 2 * len(los_angeles_ids)
    assert "the start 2025-10-09T09:00:00-07:00 is not written with the UTC offset of Los Angeles; write " \
           "2025-10-09T11:00:00-05:00" in messages(found, "offset")


def test_a_naive_time_built_in_code_is_flagged(mission: Mission, valid: Schedule) -> None:
    entry = valid.by_id()["closing"]
    schedule = change(valid, "closing", start=entry.start.replace(tzinfo=None),
                      end=entry.end.replace(tzinfo=None))
    found = only(check_schedule(mission, schedule), "offset")
    assert "the start 2025-10-09T18:30:00 is not written with the UTC offset" in found[0].message


# --- robustness ------------------------------------------------------------------------------------------

RULE_CODES = {
    "status", "mission", "required", "unlisted", "duplicate", "unknown-activity", "duration", "grain",
    "offset", "venue", "placement", "leg", "open-hours", "after", "attendees", "overlap", "unavailable",
    "travel", "parallel", "capacity", "accompany", "max_per_day", "min_gap", "lunch",
}


@st.composite
def mutated_schedules(draw: st.DrawFn, valid: Schedule, mission: Mission) -> Schedule:
    """The valid schedule with a few activities moved, re-seated, re-peopled, dropped or doubled."""
    delegate_ids = sorted(mission.delegates) + ["ghost"]
    venue_ids = sorted(mission.venues) + ["nowhere"]
    activities = []
    for entry in valid.activities:
        action = draw(st.sampled_from(["keep", "keep", "move", "venue", "people", "drop", "double"]))
        if action == "move":
            shift = timedelta(minutes=draw(st.integers(-3000, 3000)))
            stretch = timedelta(minutes=draw(st.sampled_from([0, 0, -60, 7, 30])))
            entry = dataclasses.replace(entry, start=entry.start + shift, end=entry.end + shift + stretch)
        elif action == "venue":
            entry = dataclasses.replace(entry, venue=draw(st.sampled_from(venue_ids)))
        elif action == "people":
            entry = dataclasses.replace(entry, attendees=tuple(sorted(draw(
                st.lists(st.sampled_from(delegate_ids), max_size=6)))))
        elif action == "drop":
            continue
        elif action == "double":
            activities.append(entry)
        activities.append(entry)
    return dataclasses.replace(valid, activities=activities,
                               status=draw(st.sampled_from(["optimal", "feasible", "infeasible"])))


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_checker_never_crashes_and_ignores_the_order_of_entries(mission: Mission, valid: Schedule,
                                                                     data: st.DataObject) -> None:
    schedule = data.draw(mutated_schedules(valid, mission))
    violations = check_schedule(mission, schedule)
    assert {v.rule for v in violations} <= RULE_CODES
    assert all(v.message and "None" not in v.message for v in violations)
    reordered = dataclasses.replace(schedule, activities=list(reversed(schedule.activities)))
    if len({a.id for a in schedule.activities}) == len(schedule.activities):
        assert sorted(map(str, check_schedule(mission, reordered))) == sorted(map(str, violations))
