"""Shared fixtures: paths to the contract's example and the project's own examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE_SMALL = SHARED / "spec" / "example-small.yaml"
FLAGSHIP = ROOT / "examples" / "west-coast-2025" / "mission.yaml"
JAPAN = ROOT / "examples" / "wallonia-japan" / "mission.yaml"
VALID_SMALL_SCHEDULE = ROOT / "tests" / "schedules" / "example-small-valid.json"
"""A hand-written valid schedule of example-small (the checker's reference), for tests of the views."""


@pytest.fixture(scope="session")
def example_small_path() -> Path:
    assert EXAMPLE_SMALL.exists(), f"{EXAMPLE_SMALL} is missing: CI runs with ../shared beside the clone"
    return EXAMPLE_SMALL


@pytest.fixture(scope="module")
def small_programme():
    """example-small and its hand-written valid schedule."""
    from planner.mission.load import load_mission
    from planner.mission.schedule_file import read_schedule

    return load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL_SCHEDULE)


VALID_FLAGSHIP_SCHEDULE = ROOT / "tests" / "schedules" / "flagship-valid.json"
"""An optimal schedule of the flagship written by `planner solve` (seed 0), for tests of the views: solving
takes seconds, reading it none."""


@pytest.fixture(scope="session")
def flagship_programme():
    """The flagship and a valid schedule of it: the stored one while it still fits the mission and passes
    the checker, else a fresh solve (so an edited example never leaves the views tested on a stale one)."""
    from planner.check import check_schedule
    from planner.domain.errors import InputErrors
    from planner.mission.load import load_mission
    from planner.mission.schedule_file import check_fits, read_schedule

    mission = load_mission(FLAGSHIP)
    schedule = read_schedule(VALID_FLAGSHIP_SCHEDULE)
    try:
        check_fits(mission, schedule)
        if not check_schedule(mission, schedule):
            return mission, schedule
    except InputErrors:  # it names activities, venues or delegates the mission no longer has
        pass
    from planner.pipeline import SolveOptions, solve

    schedule = solve(mission, SolveOptions(time_limit=30, workers=2, seed=0, progress=False))
    assert schedule.has_programme, schedule.status
    return mission, schedule


def strings_in(value: Any) -> list[str]:
    """Every text in a structured explanation's parameters (names, titles, venues, positions the organiser
    wrote), which a translated sentence keeps as written."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in strings_in(item)]
    return []
