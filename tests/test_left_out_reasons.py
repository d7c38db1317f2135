"""The reason given for an optional activity left out names the real cause (issue 12, finding 9): a daily
limit counts the activities of the activity's own date in each leg's zone; opening hours do not chain;
starts lie on the grain of local time also on a date whose clocks change; an accompany chain brings its
whole chain into a venue's capacity."""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.diagnosis.reasons import unscheduled_reasons
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.load import load_mission_text


def schedule_of(mission, placed: dict[str, tuple[str, str]], status: str = "optimal") -> Schedule:
    """A schedule of the given activities at their (start, end) written with offsets."""
    activities = []
    for activity_id, (start, end) in placed.items():
        activity = mission.activities[activity_id]
        activities.append(ScheduledActivity(activity_id, activity.title, activity.kind, activity.venues[0],
                                            datetime.fromisoformat(start), datetime.fromisoformat(end),
                                            tuple(sorted(activity.attendees))))
    return Schedule(mission=mission.name, status=status, activities=activities)


def test_max_per_day_counts_each_legs_own_date() -> None:
    """Honolulu's evening is Tokyo's next afternoon: it must not count against Tokyo's date."""
    mission = load_mission_text("""
mission: {name: Pacific, timezone: Pacific/Honolulu}
legs:
  - {city: Honolulu, from: 2025-10-05, to: 2025-10-06, timezone: Pacific/Honolulu}
  - {city: Tokyo, from: 2025-10-07, to: 2025-10-08, timezone: Asia/Tokyo}
venues:
  - {id: hotel, name: Hotel, city: Honolulu}
  - {id: tower, name: Tower, city: Tokyo}
delegates: [{id: x, name: X}]
activities:
  - {id: dinner, title: Dinner, venue: hotel, duration: 1h, fixed: "2025-10-06 20:00", attendees: [x]}
  - {id: visit, title: Visit, venue: tower, duration: 2h, dates: [2025-10-07], attendees: [x], priority: 5}
  - {id: tea, title: Tea, venue: tower, duration: 1h, fixed: "2025-10-07 08:00", attendees: [x]}
rules:
  - max_per_day: {who: x, count: 2}
""", "pacific.yaml")
    schedule = schedule_of(mission, {"dinner": ("2025-10-06T20:00:00-10:00", "2025-10-06T21:00:00-10:00"),
                                     "tea": ("2025-10-07T08:00:00+09:00", "2025-10-07T09:00:00+09:00")})
    reason = unscheduled_reasons(mission, schedule)["visit"]
    # Tokyo's 7 October holds one activity ('Tea'); the limit is 2: the rule is not what keeps it out.
    assert "rule max_per_day" not in reason and "already having" not in reason, reason


def test_opening_hours_do_not_chain() -> None:
    """Open 09–11 and 11–13: a 3-hour visit fits in neither range, whatever their union says."""
    mission = load_mission_text("""
mission: {name: Hours, timezone: Europe/Brussels}
legs: [{city: Brussels, from: 2025-10-06, to: 2025-10-06}]
venues: [{id: lab, name: Lab, city: Brussels, open: [["09:00", "11:00"], ["11:00", "13:00"]]}]
delegates: [{id: x, name: X}]
activities:
  - {id: visit, title: Visit, venue: lab, duration: 3h, attendees: [x], priority: 5}
""", "hours.yaml")
    reason = unscheduled_reasons(mission, schedule_of(mission, {}))["visit"]
    assert "looks free" not in reason, reason
    assert "never" in reason or "no possible slot" in reason, reason


def test_starts_on_the_local_grain_on_a_clock_change_date() -> None:
    """Lord Howe springs forward 30 minutes at 02:00 on 5 October 2025: with a 60-minute grain, 60 minutes
    after 01:00 is 02:30, off the grain. The starts on the grain in 01:00–03:30 are 01:00 and 03:00, both
    too close to another activity for the 30-minute gap; 02:30 is not a start at all."""
    mission = load_mission_text("""
mission: {name: Lord Howe, timezone: Australia/Lord_Howe, grain: 60m}
legs: [{city: Lord Howe, from: 2025-10-05, to: 2025-10-05}]
venues: [{id: hall, name: Hall, city: Lord Howe}]
delegates: [{id: x, name: X}]
activities:
  - {id: early, title: Early, venue: hall, duration: 1h, fixed: "2025-10-05 00:00", attendees: [x]}
  - {id: late, title: Late, venue: hall, duration: 1h, fixed: "2025-10-05 04:00", attendees: [x]}
  - {id: extra, title: Extra, venue: hall, duration: 1h, attendees: [x], priority: 5,
     windows: [["2025-10-05 01:00", "2025-10-05 04:30"]]}
rules:
  - min_gap: {who: x, gap: 30m}
""", "lord-howe.yaml")
    placed = {}
    for activity_id in ("early", "late"):
        activity = mission.activities[activity_id]
        placed[activity_id] = (activity.fixed.isoformat(),
                               (activity.fixed + timedelta(minutes=activity.duration)).isoformat())
    reason = unscheduled_reasons(mission, schedule_of(mission, placed))["extra"]
    assert "looks free" not in reason, reason
    assert "Early" in reason and "Late" in reason, reason


def test_capacity_counts_the_whole_accompany_chain() -> None:
    """a brings b, b brings c (5 people): 7 people cannot enter a room for 3."""
    mission = load_mission_text("""
mission: {name: Chain, timezone: Europe/Brussels}
legs: [{city: Brussels, from: 2025-10-06, to: 2025-10-06}]
venues: [{id: room, name: Small room, city: Brussels, capacity: 3}]
delegates:
  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C, size: 5}
activities:
  - {id: meeting, title: Meeting, venue: room, duration: 1h, attendees: [a], priority: 5}
rules:
  - accompany: {who: b, with: a}
  - accompany: {who: c, with: b}
""", "chain.yaml")
    reason = unscheduled_reasons(mission, schedule_of(mission, {}))["meeting"]
    assert "looks free" not in reason, reason
    assert "capacity" in reason or "people" in reason, reason
