"""Property tests: generated missions against the solver, the checker and the loader.

(a) every schedule `solve` returns with a programme passes `check_schedule`;
(b) a mission built around a planted valid schedule is never reported infeasible, and the planted schedule
    itself passes the checker (which validates the generator);
(c) `mission_to_yaml` then `load_mission_text` gives back an equal mission.
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import EXAMPLE_SMALL, FLAGSHIP, JAPAN
from hypothesis import given
from strategies import (
    PROPERTIES,
    SOLVE_SECONDS,
    perturbed_missions,
    planted_missions,
    shifted,
    without_sources,
)

from planner.check import check_schedule
from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.pipeline import SolveOptions, solve
from planner.testing.generate import generate_mission, mission_to_yaml

OPTIONS = SolveOptions(time_limit=SOLVE_SECONDS, workers=1, seed=0, progress=False)


def _optional_headcount(mission: Mission, schedule: Schedule) -> int:
    """Objective 2 of the spec, read off a schedule: optional attendees who attend, counted by size."""
    return sum(mission.delegates[d].size for a in schedule.activities
               for d in a.attendees if d in mission.activities[a.id].optional_attendees)


def _violations(mission: Mission, schedule: Schedule) -> list[str]:
    return [str(violation) for violation in check_schedule(mission, schedule)]


# --- (b) planted missions --------------------------------------------------------------------------------


@PROPERTIES
@given(planted_missions())
def test_the_planted_schedule_passes_the_checker(planted: tuple[Mission, Schedule]) -> None:
    mission, schedule = planted
    assert _violations(mission, schedule) == []
    assert sorted(a.id for a in schedule.activities) == sorted(mission.activities)


@PROPERTIES
@given(planted_missions())
def test_a_planted_feasible_mission_is_never_reported_infeasible(planted: tuple[Mission, Schedule]) -> None:
    mission, planted_schedule = planted
    schedule = solve(mission, OPTIONS)
    assert schedule.status in ("optimal", "feasible"), (schedule.status,
                                                       [c.message for c in schedule.conflicts])
    assert _violations(mission, schedule) == []
    if schedule.status == "optimal":
        # The planted schedule places everything: a proved optimum leaves nothing out and brings at least
        # as many optional attendees.
        assert schedule.unscheduled == []
        assert _optional_headcount(mission, schedule) >= _optional_headcount(mission, planted_schedule)


# --- (a) whatever the solver returns holds ---------------------------------------------------------------


@PROPERTIES
@given(perturbed_missions())
def test_every_schedule_the_solver_returns_passes_the_checker(mission: Mission) -> None:
    schedule = solve(mission, OPTIONS)
    assert schedule.status in ("optimal", "feasible", "infeasible", "unknown")
    if schedule.has_programme:
        assert _violations(mission, schedule) == []
        required = {a.id for a in mission.activities.values() if a.required}
        assert required <= {a.id for a in schedule.activities}
    else:
        assert schedule.activities == []


# --- (c) round trip through the mission format --------------------------------------------------------


@PROPERTIES
@given(planted_missions())
def test_mission_to_yaml_round_trips_a_generated_mission(planted: tuple[Mission, Schedule]) -> None:
    mission, _ = planted
    loaded = load_mission_text(mission_to_yaml(mission), "generated.yaml")
    assert without_sources(loaded) == without_sources(mission)


@PROPERTIES
@given(perturbed_missions())
def test_mission_to_yaml_round_trips_a_perturbed_mission(mission: Mission) -> None:
    loaded = load_mission_text(mission_to_yaml(mission), "perturbed.yaml")
    assert without_sources(loaded) == without_sources(mission)


@pytest.mark.parametrize("path", [EXAMPLE_SMALL, FLAGSHIP, JAPAN], ids=lambda p: p.parent.name)
def test_mission_to_yaml_round_trips_the_hand_written_missions(path) -> None:
    mission = load_mission(path)
    loaded = load_mission_text(mission_to_yaml(mission), "again.yaml")
    assert without_sources(loaded) == without_sources(mission)


# --- the generator itself --------------------------------------------------------------------------------


def test_the_generator_is_deterministic_for_a_seed() -> None:
    first_mission, first_schedule = generate_mission(40, 60, seed=7)
    second_mission, second_schedule = generate_mission(40, 60, seed=7)
    assert mission_to_yaml(first_mission) == mission_to_yaml(second_mission)
    assert first_schedule.dumps() == second_schedule.dumps()
    assert mission_to_yaml(generate_mission(40, 60, seed=8)[0]) != mission_to_yaml(first_mission)


@pytest.mark.parametrize("activities, delegates", [(100, 500), (300, 1500)])
def test_generated_missions_have_the_requested_size_and_a_valid_planted_schedule(activities: int,
                                                                                  delegates: int) -> None:
    mission, schedule = generate_mission(activities, delegates, seed=1)
    assert (len(mission.activities), len(mission.delegates)) == (activities, delegates)
    assert {leg.city for leg in mission.legs} == {v.city for v in mission.venues.values()}
    assert {rule.kind for rule in mission.rules} == {"accompany", "max_per_day", "min_gap", "lunch"}
    assert any(d.size > 1 for d in mission.delegates.values())
    assert any(a.optional_attendees for a in mission.activities.values())
    assert any(not a.required for a in mission.activities.values())
    assert any(len(a.venues) > 1 for a in mission.activities.values())
    assert mission.travel, "venues carry geo, so travel times are computed"
    assert _violations(mission, schedule) == []


def test_the_checker_sees_a_spoilt_planted_schedule() -> None:
    """The planted schedules are valid because they are, not because the checker is lenient."""
    mission, schedule = generate_mission(30, 20, seed=3)
    fixed = next(a for a in mission.activities.values() if a.fixed is not None)
    assert any(v.startswith("[") for v in _violations(mission, shifted(schedule, fixed.id, 5)))
    without_one = dataclasses.replace(schedule, activities=[a for a in schedule.activities
                                                            if mission.activities[a.id].required][1:])
    assert _violations(mission, without_one)


def test_the_generator_command_writes_a_loadable_mission_and_its_planted_schedule(tmp_path) -> None:
    from planner.mission.schedule_file import read_schedule
    from planner.testing.generate import main

    assert main(["12", "9", "--seed", "4", "--out", str(tmp_path / "m.yaml"),
                 "--schedule", str(tmp_path / "planted.json")]) == 0
    mission = load_mission(tmp_path / "m.yaml")
    assert len(mission.activities) == 12 and len(mission.delegates) == 9
    assert _violations(mission, read_schedule(tmp_path / "planted.json")) == []


def test_legs_across_time_zones_never_share_an_instant() -> None:
    """Eight legs from San Francisco to Singapore: a delegate never attends two legs' activities at once."""
    mission, schedule = generate_mission(60, 40, seed=1, legs=8, days_per_leg=3)
    assert len({leg.timezone for leg in mission.legs}) >= 5
    for earlier, later in zip(mission.legs, mission.legs[1:]):
        assert earlier.local_instant(earlier.last_day, 1440) <= later.local_instant(later.first_day, 0)
    assert _violations(mission, schedule) == []
    loaded = load_mission_text(mission_to_yaml(mission), "legs.yaml")
    assert without_sources(loaded) == without_sources(mission)
