"""Re-planning keeps the B2B meetings delegates hold: a session under way, or one the change leaves as it
was, keeps the baseline's meetings (`planner.b2b.kept`); only a session the new programme moved or whose
attendees changed is matched again."""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from strategies import PROPERTIES

from planner.check import check_schedule
from planner.check.frozen import check_replan
from planner.domain.meetings import Meeting
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission_text
from planner.pipeline import PlanOptions, plan
from planner.solver.solve import SolveOptions
from tests.replanning import replan, run, write

MISSION = """\
mission: {name: B2B re-plan, timezone: America/Los_Angeles}
legs: [{city: SF, from: 2025-10-07, to: 2025-10-08}]
venues: [{id: hall, name: Hall, city: SF}]
delegates:
  - {id: odoo, name: Odoo}
  - {id: lasea, name: LASEA}
  - {id: kikk, name: KIKK}
  - {id: tonomia, name: Tonomia}
groups: [{id: all, members: [odoo, lasea, kikk, tonomia]}]
counterparts:
  - {id: acme, name: Acme AI}
  - {id: usc, name: USC}
  - {id: larta, name: Larta Institute}
activities:
  - {id: b2b-morning, title: B2B morning, venue: hall, duration: 1h, fixed: "2025-10-07 09:00", attendees: [all],
     meetings: {slot: 20m, tables: 2}}
  - {id: b2b-friday, title: B2B second day, venue: hall, duration: 1h, fixed: "2025-10-08 09:00", attendees: [all],
     meetings: {slot: 20m, tables: 2}}
  - {id: b2b-late, title: B2B late, venue: hall, duration: 1h, dates: [2025-10-08], attendees: [all],
     meetings: {slot: 20m, tables: 2}}
meetings:
  - {with: [odoo, acme], sessions: [b2b-morning]}
  - {with: [lasea, usc], sessions: [b2b-morning]}
  - {with: [kikk, larta], sessions: [b2b-morning]}
  - {with: [tonomia, acme], sessions: [b2b-morning]}
  - {with: [odoo, usc], sessions: [b2b-friday]}
  - {with: [kikk, acme], sessions: [b2b-friday]}
  - {with: [lasea, larta], sessions: [b2b-friday]}
  - {with: [tonomia, usc], sessions: [b2b-late]}
  - {with: [odoo, larta], sessions: [b2b-late]}
  - {with: [kikk, usc], sessions: [b2b-late]}
"""
OPTIONS = PlanOptions(SolveOptions(time_limit=10, progress=False), meetings_time_limit=5)


def reversed_slots(schedule: Schedule, sessions: set[str]) -> Schedule:
    """The schedule with the meetings of `sessions` in the opposite slot order: as valid, but not what the
    matchmaking would choose again, as a programme announced earlier (or edited by hand) may be."""
    meetings: list[Meeting] = []
    for meeting in schedule.meetings or ():
        if meeting.session in sessions:
            slot = 2 - meeting.slot
            shift = timedelta(minutes=20 * (slot - meeting.slot))
            meeting = replace(meeting, slot=slot, start=meeting.start + shift, end=meeting.end + shift)
        meetings.append(meeting)
    return replace(schedule, meetings=meetings)


def placed(schedule: Schedule, session: str) -> set[tuple[str, int, int]]:
    return {(m.request, m.slot, m.table) for m in schedule.meetings or () if m.session == session}


def test_sessions_under_way_or_unchanged_keep_their_meetings_and_only_the_moved_one_is_matched_again():
    mission = load_mission_text(MISSION, "m.yaml")
    solved = plan(mission, OPTIONS)
    assert solved.has_programme and len(solved.meetings or ()) == 10
    baseline = reversed_slots(solved, {"b2b-morning", "b2b-friday"})
    assert check_schedule(mission, baseline) == []
    moved_text = MISSION.replace("duration: 1h, dates: [2025-10-08]",
                                 'duration: 1h, windows: [["2025-10-08 14:00", "2025-10-08 17:00"]]')
    updated = load_mission_text(moved_text, "m.yaml")

    # 09:30 on the first day: the morning session is under way, the second day's is not yet, the late one moves.
    _, result = replan(updated, baseline, "2025-10-07T09:30:00-07:00")

    assert result.has_programme
    assert placed(result, "b2b-morning") == placed(baseline, "b2b-morning")
    assert placed(result, "b2b-friday") == placed(baseline, "b2b-friday")
    assert {m.request for m in result.meetings or () if m.session == "b2b-late"} == {
        m.request for m in baseline.meetings or () if m.session == "b2b-late"}
    assert check_schedule(updated, result) == []



def _baseline() -> tuple[object, Schedule]:
    mission = load_mission_text(MISSION, "m.yaml")
    solved = plan(mission, OPTIONS)
    assert solved.has_programme and len(solved.meetings or ()) == 10
    return mission, solved


def held(schedule: Schedule, session: str) -> set[tuple[tuple[str, ...], int, int]]:
    """Who meets when and where in `session`, whatever the requests' ids (their positions in the file)."""
    return {(tuple(sorted(m.participants)), m.slot, m.table) for m in schedule.meetings or () if m.session == session}


def test_a_meeting_that_took_place_stays_when_its_request_is_removed_and_the_ids_below_it_shift():
    """Removing the first request renumbers every other (`meeting-2` becomes `meeting-1`): the meetings are
    kept by who meets, and the one removed, which took place at 09:00, is kept from the baseline."""
    mission, baseline = _baseline()
    updated = load_mission_text(MISSION.replace("  - {with: [odoo, acme], sessions: [b2b-morning]}\n", ""), "m.yaml")
    plan_, result = replan(updated, baseline, "2025-10-07T09:30:00-07:00")
    assert result.has_programme
    assert held(result, "b2b-morning") == held(baseline, "b2b-morning")
    assert held(result, "b2b-friday") == held(baseline, "b2b-friday")
    assert any("odoo, acme" in str(warning) or "acme, odoo" in str(warning) for warning in plan_.warnings)
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []


def test_a_meeting_that_took_place_stays_when_its_counterpart_is_now_unavailable_then():
    mission, baseline = _baseline()
    first = min((m for m in baseline.meetings or () if "acme" in m.participants), key=lambda m: m.start)
    updated = load_mission_text(MISSION.replace(
        "{id: acme, name: Acme AI}",
        '{id: acme, name: Acme AI, unavailable: [["2025-10-07 08:00", "2025-10-07 12:00"]]}'), "m.yaml")
    now = (first.end + timedelta(minutes=5)).isoformat()
    plan_, result = replan(updated, baseline, now)
    assert result.has_programme
    kept = {(m.session, m.slot, m.table, tuple(sorted(m.participants))) for m in result.meetings or ()}
    assert (first.session, first.slot, first.table, tuple(sorted(first.participants))) in kept
    assert any("Acme AI (acme) is now unavailable" in str(warning) for warning in plan_.warnings)
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []


def test_a_meeting_that_took_place_stays_when_its_request_now_names_another_session():
    """The file now sends odoo and acme to the second day's session, but they met at 09:00 on the first:
    the meeting stays, its session added to the request's, and a warning says so (before: the re-plan kept
    it and then broke the request's `sessions`, which the checker of the effective mission refused)."""
    mission, baseline = _baseline()
    updated = load_mission_text(MISSION.replace("  - {with: [odoo, acme], sessions: [b2b-morning]}",
                                                "  - {with: [odoo, acme], sessions: [b2b-friday]}"), "m.yaml")
    plan_, result = replan(updated, baseline, "2025-10-07T09:30:00-07:00")
    assert result.has_programme
    assert held(result, "b2b-morning") == held(baseline, "b2b-morning")
    assert any("now sends the B2B meeting of acme, odoo to b2b-friday" in str(w) for w in plan_.warnings)
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []


def test_of_two_meetings_of_the_same_people_the_one_that_took_place_keeps_the_request_left():
    """Odoo and Acme asked to meet twice, on the second day (request 1) and in the first morning (request 2);
    the file now holds one request for them. The meeting that took place keeps it (re-planning's effective
    mission and its matchmaking pair the frozen meeting first, both alike), the second day's is left out."""
    twice = MISSION.replace("meetings:\n", "meetings:\n  - {with: [odoo, acme], sessions: [b2b-friday]}\n", 1)
    mission = load_mission_text(twice, "m.yaml")
    baseline = plan(mission, OPTIONS)
    together = [m for m in baseline.meetings or () if sorted(m.participants) == ["acme", "odoo"]]
    assert sorted(m.session for m in together) == ["b2b-friday", "b2b-morning"]
    updated = load_mission_text(twice.replace("  - {with: [odoo, acme], sessions: [b2b-morning]}\n", ""), "m.yaml")
    plan_, result = replan(updated, baseline, "2025-10-07T09:30:00-07:00")
    assert result.has_programme
    assert [m.session for m in result.meetings or () if sorted(m.participants) == ["acme", "odoo"]] == ["b2b-morning"]
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []


def test_the_checker_finds_a_meeting_of_the_frozen_past_moved_or_gone():
    """The same rule, checked from the two schedules alone (planner.check.frozen shares no code with
    planner.b2b.kept): a frozen meeting at another table, and one left out."""
    mission, baseline = _baseline()
    cutoff = datetime.fromisoformat("2025-10-07T09:30:00-07:00")
    frozen = sorted((m for m in baseline.meetings or () if m.start < cutoff), key=lambda m: (m.start, m.table))
    assert len(frozen) >= 2
    moved, gone = frozen[0], frozen[1]
    tampered = [replace(m, table=3 - m.table) if m == moved else m for m in baseline.meetings or () if m != gone]
    violations = check_replan(mission, baseline, replace(baseline, meetings=tampered), cutoff)
    assert sorted((v.code, tuple(v.params["people"])) for v in violations) == sorted([
        ("frozen-meeting-changed", tuple(sorted(moved.participants))),
        ("frozen-meeting-missing", tuple(sorted(gone.participants)))])
    assert check_replan(mission, baseline, baseline, cutoff) == []


CHANGES = ("none", "remove-first-request", "acme-unavailable-morning", "late-session-moved", "usc-leaves",
           "first-request-to-friday")


@PROPERTIES
@given(now_minutes=st.integers(0, 2 * 24 * 60 - 1).map(lambda m: m - m % 10), change=st.sampled_from(CHANGES))
def test_every_replan_of_a_b2b_mission_keeps_its_frozen_meetings_and_passes_the_checker(now_minutes, change):
    """Property: whatever changes and whenever, the re-plan keeps every meeting of the frozen past (the
    checker's rule) and is valid for the effective mission."""
    _, baseline = _baseline_once()
    text = {
        "none": MISSION,
        "remove-first-request": MISSION.replace("  - {with: [odoo, acme], sessions: [b2b-morning]}\n", ""),
        "acme-unavailable-morning": MISSION.replace(
            "{id: acme, name: Acme AI}", '{id: acme, name: Acme AI, unavailable: [["2025-10-07 09:00", "2025-10-07 10:00"]]}'),
        "late-session-moved": MISSION.replace("duration: 1h, dates: [2025-10-08]",
                                              'duration: 1h, windows: [["2025-10-08 14:00", "2025-10-08 17:00"]]'),
        "usc-leaves": MISSION.replace("{id: usc, name: USC}",
                                      '{id: usc, name: USC, unavailable: [["2025-10-07 00:00", "2025-10-09 00:00"]]}'),
        "first-request-to-friday": MISSION.replace("  - {with: [odoo, acme], sessions: [b2b-morning]}",
                                                   "  - {with: [odoo, acme], sessions: [b2b-friday]}"),
    }[change]
    updated = load_mission_text(text, "m.yaml")
    now = datetime.fromisoformat("2025-10-07T00:00:00-07:00") + timedelta(minutes=now_minutes)
    plan_, result = replan(updated, baseline, now.isoformat())
    if not result.has_programme:
        return
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []


@functools.lru_cache(maxsize=1)
def _baseline_once() -> tuple[object, Schedule]:
    return _baseline()


NEW_PAIR = "  - {with: [tonomia, larta], sessions: [b2b-friday]}\n"
"""A request added mid-mission, for a session that takes place as before: Larta and Tonomia are free in some
slot of it, beside its three kept meetings (two tables, three slots)."""


def test_a_request_added_mid_mission_takes_a_free_table_of_a_session_that_takes_place_as_before():
    """The second day's session is unchanged, so it keeps its meetings; the new request goes into one of its
    free tables around them (before: only sessions matched again took new requests, so it was left out)."""
    _, baseline = _baseline_once()
    updated = load_mission_text(MISSION + NEW_PAIR, "m.yaml")
    plan_, result = replan(updated, baseline, "2025-10-07T09:30:00-07:00")
    assert result.has_programme
    new = [m for m in result.meetings or () if sorted(m.participants) == ["larta", "tonomia"]]
    assert [m.session for m in new] == ["b2b-friday"]
    for session in ("b2b-morning", "b2b-friday", "b2b-late"):
        assert held(baseline, session) <= held(result, session), session
    assert held(result, "b2b-friday") - held(baseline, "b2b-friday") == {
        (("larta", "tonomia"), new[0].slot, new[0].table)}
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []


def test_a_request_only_possible_before_now_plus_notice_says_so():
    """The first morning is over at 10:00: a request for it cannot go back there, and its reason says that
    rather than that its people were never free."""
    _, baseline = _baseline_once()
    updated = load_mission_text(MISSION + NEW_PAIR.replace("b2b-friday", "b2b-morning"), "m.yaml")
    plan_, result = replan(updated, baseline, "2025-10-07T10:00:00-07:00")
    assert result.has_programme
    left = {entry.request: entry for entry in result.unscheduled_meetings or ()}
    assert left["meeting-11"].reason.code == "before_cutoff"
    assert "starts before now + notice" in left["meeting-11"].reason_text
    assert check_replan(updated, baseline, result, plan_.cutoff) == []


def test_the_checker_finds_a_new_meeting_in_the_frozen_period():
    """A meeting the baseline did not hold, in a slot before now + notice: `frozen-meeting-period`."""
    mission, baseline = _baseline_once()
    cutoff = datetime.fromisoformat("2025-10-08T09:30:00-07:00")
    early = next(m for m in baseline.meetings or () if m.session == "b2b-friday" and m.start < cutoff)
    added = replace(early, request="meeting-11", participants=("larta", "tonomia"), table=early.table)
    violations = check_replan(mission, baseline, replace(baseline, meetings=[*baseline.meetings, added]), cutoff)
    assert [(v.code, v.params["people"]) for v in violations] == [("frozen-meeting-period", ["larta", "tonomia"])]


DELEGATES = ("odoo", "lasea", "kikk", "tonomia")
COUNTERPARTS = ("acme", "usc", "larta")
SESSIONS = {"b2b-morning": (2, 3), "b2b-friday": (2, 3), "b2b-late": (2, 3)}
"""Each session's tables and slots, as MISSION writes them."""


@PROPERTIES
@given(now_minutes=st.integers(0, 2 * 24 * 60 - 1).map(lambda m: m - m % 10),
       delegate=st.sampled_from(DELEGATES), counterpart=st.sampled_from(COUNTERPARTS),
       session=st.sampled_from(sorted(SESSIONS)))
def test_a_request_added_mid_mission_is_placed_exactly_when_a_free_table_remains(now_minutes, delegate,
                                                                               counterpart, session):
    """Property: the checker and the matchmaking agree on a request added mid-mission. The re-plan passes
    the checker (frozen meetings kept, nothing new before now + notice, the mission's rules); every meeting
    of a session that takes place as before stays exactly; and the new request is left out only when, in
    the schedule written, no slot of its session after now + notice has a free table with both of its
    people free (worked out here from the schedule alone), with the cut-off as reason when every slot is
    before it."""
    _, baseline = _baseline_once()
    updated = load_mission_text(MISSION + f"  - {{with: [{delegate}, {counterpart}], sessions: [{session}]}}\n",
                                "m.yaml")
    now = datetime.fromisoformat("2025-10-07T00:00:00-07:00") + timedelta(minutes=now_minutes)
    plan_, result = replan(updated, baseline, now.isoformat())
    assert result.has_programme
    assert check_replan(updated, baseline, result, plan_.cutoff) == []
    assert check_schedule(plan_.mission, result) == []
    before, after = baseline.by_id(), result.by_id()
    for name in SESSIONS:
        if (before[name].start, before[name].end) == (after[name].start, after[name].end):
            assert held(baseline, name) <= held(result, name), name
    if any(m.request == "meeting-11" for m in result.meetings or ()):
        return
    tables, slots = SESSIONS[session]
    start = after[session].start
    free_cells = []
    for slot in range(slots):
        begins, ends = start + timedelta(minutes=20 * slot), start + timedelta(minutes=20 * (slot + 1))
        if begins < plan_.cutoff:
            continue
        there = [m for m in result.meetings or () if m.session == session and m.slot == slot]
        busy = any(set(m.participants) & {delegate, counterpart} and m.start < ends and begins < m.end
                   for m in result.meetings or ())
        if len(there) < tables and not busy:
            free_cells.append(slot)
    assert free_cells == []
    reason = next(entry.reason for entry in result.unscheduled_meetings or () if entry.request == "meeting-11")
    assert (reason.code == "before_cutoff") == (start + timedelta(minutes=20 * (slots - 1)) < plan_.cutoff)


def test_planner_replan_places_a_request_added_mid_mission_and_planner_check_agrees(tmp_path: Path):
    """End to end: `planner solve`, a request added to the file, `planner replan` at 09:30 on the first day,
    then `planner check --baseline` of what it wrote."""
    first = write(tmp_path / "mission.yaml", MISSION)
    solved = run("solve", first, "--out", tmp_path / "baseline", "--quiet", "--time-limit", "10",
                 "--meetings-time-limit", "5")
    assert solved.exit_code == 0, solved.output
    updated = write(tmp_path / "updated.yaml", MISSION + NEW_PAIR)
    baseline, out = tmp_path / "baseline" / "schedule.json", tmp_path / "replan"
    result = run("replan", updated, "--baseline", baseline, "--now", "2025-10-07 09:30", "--out", out,
                 "--quiet", "--time-limit", "10")
    assert result.exit_code == 0, result.output

    def held_in_file(path: Path) -> set[tuple[str, int, int, tuple[str, ...]]]:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {(m["session"], m["slot"], m["table"], tuple(m["with"])) for m in document["meetings"]}

    before, after = held_in_file(baseline), held_in_file(out / "schedule.json")
    assert before <= after
    assert [(session, people) for session, _, _, people in after - before] == [
        ("b2b-friday", ("larta", "tonomia"))]
    checked = run("check", updated, out / "schedule.json", "--baseline", baseline)
    assert checked.exit_code == 0, checked.output
