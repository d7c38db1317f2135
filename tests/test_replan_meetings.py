"""Re-planning keeps the B2B meetings delegates hold: a session under way, or one the change leaves as it
was, keeps the baseline's meetings (`planner.b2b.kept`); only a session the new programme moved or whose
attendees changed is matched again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.check import check_schedule
from planner.domain.meetings import Meeting
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission_text
from planner.pipeline import PlanOptions, plan
from planner.solver.solve import SolveOptions
from tests.replanning import replan

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

