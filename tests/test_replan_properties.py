"""Property: for generated missions and random changes, every re-plan passes the checker of the updated
mission, keeps the frozen part, and reports the disruption a plain recomputation from the two schedules
gives; for tiny missions, that disruption is the least possible (a brute force over every programme)."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from replanning import replan
from strategies import PROPERTIES, planted_missions

from planner.check import check_schedule
from planner.check.frozen import check_replan
from planner.domain import Mission, Window
from planner.domain.change import disruption
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled
from planner.mission.load import load_mission_text


def sizes(mission: Mission) -> dict[str, int]:
    return {d.id: d.size for d in mission.delegates.values()}


@st.composite
def changed_missions(draw) -> tuple[Mission, Schedule, Mission, str, int]:
    """(mission, its planted schedule as baseline, the mission changed at random, now, notice)."""
    mission, planted = draw(planted_missions(max_activities=10, max_delegates=8))
    baseline = dataclasses.replace(planted, status="feasible")
    updated = mission
    for _ in range(draw(st.integers(1, 3))):
        change = draw(st.sampled_from(("remove", "unavailable", "shorter-window")))
        ids = sorted(updated.activities)
        if change == "remove" and len(ids) > 1:
            gone = draw(st.sampled_from(ids))
            if any(after.activity == gone for a in updated.activities.values() for after in a.after):
                continue  # the loader would refuse a reference to it
            updated = dataclasses.replace(updated, activities={i: a for i, a in updated.activities.items()
                                                               if i != gone})
        elif change == "unavailable":
            delegate = updated.delegates[draw(st.sampled_from(sorted(updated.delegates)))]
            leg = draw(st.sampled_from(updated.legs))
            day = draw(st.sampled_from(leg.days()))
            start = draw(st.integers(8, 18)) * 60
            window = Window(leg.local_instant(day, start), leg.local_instant(day, start + draw(st.sampled_from((60, 180, 600)))))
            updated = dataclasses.replace(updated, delegates={**updated.delegates, delegate.id: dataclasses.replace(
                delegate, unavailable=delegate.unavailable + (window,))})
        else:
            activity = updated.activities[draw(st.sampled_from(ids))]
            if not activity.required:
                updated = dataclasses.replace(updated, activities={
                    **updated.activities, activity.id: dataclasses.replace(activity, priority=1)})
    # Now: around a baseline activity's start (before, at, during), so that a part is usually frozen.
    around = draw(st.sampled_from(sorted(baseline.activities, key=lambda a: (a.start, a.id))))
    now = around.start + timedelta(minutes=draw(st.sampled_from((-30, 0, 15, 45))))
    first, last = mission.legs[0], mission.legs[-1]
    now = min(max(now, first.local_instant(first.first_day, 0)), last.local_instant(last.last_day, 24 * 60))
    return mission, baseline, updated, now.isoformat(), draw(st.sampled_from((0, 60, 120)))


@PROPERTIES
@given(changed_missions())
def test_every_replan_is_valid_keeps_the_frozen_part_and_reports_its_disruption(case) -> None:
    _, baseline, updated, now, notice = case
    plan, schedule = replan(updated, baseline, now, notice)
    if not schedule.has_programme:
        assert schedule.status in ("infeasible", "unknown")
        return
    assert check_schedule(plan.mission, schedule) == []
    if not plan.warnings:
        # Nothing in the updated file contradicts the past: its own checker accepts the re-plan.
        assert check_schedule(updated, schedule) == []
    assert check_replan(updated, baseline, schedule, plan.cutoff) == []
    assert schedule.extra["disruption"] == disruption(baseline, schedule, sizes(updated))


# --- brute force on tiny missions -------------------------------------------------------------------

TINY = """
mission: {{name: Tiny, timezone: Europe/Brussels, grain: 60m, day: {{start: "09:00", end: "13:00"}}}}
legs: [{{city: Brussels, from: 2025-10-06, to: 2025-10-06}}]
venues:
  - {{id: hall, name: Hall, city: Brussels, parallel: 2}}
  - {{id: room, name: Room, city: Brussels}}
travel: {{default: 0m}}
delegates:
  - {{id: anna, name: Anna{anna}}}
  - {{id: bert, name: Bert, size: 2}}
  - {{id: carl, name: Carl, size: 3}}
activities:
  - {{id: talk, title: Talk, venues: [hall, room], duration: 1h, attendees: [anna], optional_attendees: [carl]}}
  - {{id: visit, title: Visit, venue: hall, duration: 2h, attendees: [bert]{visit}}}
  - {{id: meet, title: Meeting, venue: room, duration: 1h, attendees: [anna, bert], priority: 5}}
"""


def every_programme(mission: Mission) -> list[Schedule]:
    """Every schedule of the tiny mission: each activity out (if optional) or at any start and venue, with
    any set of its optional attendees."""
    leg = mission.legs[0]
    choices = []
    for activity in mission.activities.values():
        options: list[ScheduledActivity | None] = [] if activity.required else [None]
        for hour, venue in itertools.product(range(9, 13), activity.venues):
            start = leg.local_instant(date(2025, 10, 6), hour * 60)
            for extra in itertools.chain.from_iterable(itertools.combinations(activity.optional_attendees, n)
                                                       for n in range(len(activity.optional_attendees) + 1)):
                options.append(ScheduledActivity(activity.id, activity.title, activity.kind, venue, start,
                                                 start + timedelta(minutes=activity.duration),
                                                 tuple(sorted(activity.attendees + extra))))
        choices.append(options)
    ids = list(mission.activities)
    return [Schedule(mission=mission.name, status="feasible", activities=[a for a in pick if a is not None],
                     unscheduled=[Unscheduled(i, "left out") for i, a in zip(ids, pick) if a is None])
            for pick in itertools.product(*choices)]


@functools.cache
def valid_programmes(text: str) -> list[Schedule]:
    mission = load_mission_text(text, "tiny.yaml")
    return [s for s in every_programme(mission) if not check_schedule(mission, s)]


@settings(max_examples=10, deadline=None, derandomize=True)
@given(anna_busy=st.sampled_from(("", ", unavailable: [[\"2025-10-06 09:00\", \"2025-10-06 10:00\"]]",
                                  ", unavailable: [[\"2025-10-06 11:00\", \"2025-10-06 13:00\"]]")),
       visit=st.sampled_from(("", ", optional_attendees: [anna]", ", fixed: \"2025-10-06 11:00\"")),
       baseline_index=st.integers(0, 10_000), now_hour=st.sampled_from((9, 10, 11)))
def test_the_disruption_is_the_least_possible(anna_busy: str, visit: str, baseline_index: int,
                                             now_hour: int) -> None:
    valid = valid_programmes(TINY.format(anna="", visit=""))
    baseline = valid[baseline_index % len(valid)]
    updated = load_mission_text(TINY.format(anna=anna_busy, visit=visit), "tiny.yaml")
    now = datetime.fromisoformat(f"2025-10-06T{now_hour:02d}:00:00+02:00")
    plan, schedule = replan(updated, baseline, now.isoformat())
    # Where the file contradicts the past (warnings), the past wins: the rules are the effective mission's.
    rules = plan.mission if plan.warnings else updated
    candidates = [s for s in every_programme(updated)
                  if not check_replan(updated, baseline, s, plan.cutoff) and not check_schedule(rules, s)]
    if not candidates:
        assert schedule.status == "infeasible"
        return
    assert schedule.status == "optimal"

    def left_out(s: Schedule) -> int:
        placed = {a.id for a in s.activities}
        return sum(a.priority or 0 for a in updated.activities.values() if a.id not in placed)

    best = min((left_out(s), disruption(baseline, s, sizes(updated))) for s in candidates)
    assert (left_out(schedule), schedule.extra["disruption"]) == best
