"""Shared fixtures: paths to the contract's example and the project's own examples."""

from __future__ import annotations

from pathlib import Path

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
