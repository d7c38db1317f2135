"""Re-planning the flagship (examples/west-coast-2025): what issue 13 says it must show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import FLAGSHIP
from replanning import load, replan, without_activity

from planner.check import check_schedule
from planner.check.frozen import check_replan
from planner.domain import Window
from planner.domain.change import compare, disruption
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission
from planner.pipeline import SolveOptions, solve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def flagship() -> tuple:
    mission = load_mission(FLAGSHIP)
    baseline = solve(mission, SolveOptions(time_limit=30, workers=2, seed=0, progress=False))
    assert baseline.status == "optimal"
    return mission, baseline


def sizes(mission) -> dict[str, int]:
    return {d.id: d.size for d in mission.delegates.values()}


def as_kept(schedule: Schedule, before: datetime) -> list[tuple]:
    """What a delegate holds of everything starting before `before`: instants (UTC), venue, attendees."""
    return sorted((a.id, a.start.astimezone(UTC), a.end.astimezone(UTC), a.venue, a.attendees)
                  for a in schedule.activities if a.start < before)


@pytest.mark.parametrize("now", ["2025-10-05T00:00:00-07:00", "2025-10-07T12:00:00-07:00",
                                 "2025-10-10T17:45:00-07:00"])
def test_an_unchanged_mission_replanned_at_any_now_changes_nothing(flagship, now: str) -> None:
    mission, baseline = flagship
    _, schedule = replan(mission, baseline, now)
    assert schedule.status == "optimal"
    assert schedule.extra["changes"] == [] and schedule.extra["disruption"] == 0
    assert not compare(baseline, schedule)


def test_a_cancelled_activity_disrupts_its_attendees_only(flagship, tmp_path: Path) -> None:
    """visit-jpl (10 October, nothing comes after it) is dropped from the file: its attendees' headcount
    is the disruption, and nothing else moves."""
    mission, baseline = flagship
    updated = load(tmp_path / "m.yaml", without_activity(FLAGSHIP.read_text(encoding="utf-8"), "visit-jpl"))
    _, schedule = replan(updated, baseline, "2025-10-07T12:00:00-07:00")
    jpl = baseline.by_id()["visit-jpl"]
    assert schedule.extra["changes"] == [compare(baseline, schedule).changes[0].to_json()]
    assert [(c["activity"], c["change"]) for c in schedule.extra["changes"]] == [("visit-jpl", "removed")]
    assert schedule.extra["disruption"] == sum(sizes(mission)[d] for d in jpl.attendees) > 0
    assert schedule.extra["disruption"] == disruption(baseline, schedule, sizes(updated))


def test_a_delegate_unavailable_for_a_day_keeps_everything_before_now_and_notice(flagship) -> None:
    """The press pool cannot come on 9 October; re-planned on 7 October at noon with two hours' notice."""
    mission, baseline = flagship
    pool = mission.delegates["press-pool"]
    leg = mission.legs[1]
    day = Window(leg.local_instant(date(2025, 10, 9), 0), leg.local_instant(date(2025, 10, 9), 24 * 60))
    updated = replace(mission, delegates={**mission.delegates,
                                          "press-pool": replace(pool, unavailable=pool.unavailable + (day,))})
    plan, schedule = replan(updated, baseline, "2025-10-07T12:00:00-07:00", notice=120)
    assert schedule.has_programme and plan.warnings == []
    assert check_schedule(updated, schedule) == []
    assert check_replan(updated, baseline, schedule, plan.cutoff) == []
    assert as_kept(schedule, plan.cutoff) == as_kept(baseline, plan.cutoff)
    assert all("press-pool" not in a.attendees for a in schedule.activities if day.overlaps(a.start, a.end))
    assert 0 < schedule.extra["disruption"] == disruption(baseline, schedule, sizes(updated))
