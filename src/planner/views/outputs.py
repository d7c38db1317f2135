"""Everything `planner solve` writes into its output folder, in one place.

Each writer takes (mission, schedule, out_dir) and returns the paths it wrote, each written atomically.
schedule.json is always written (also when there is no programme: it carries the conflicts); the other
views are written only when there is a programme to show.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.files import output_batch
from planner.mission.schedule_file import write_schedule

Writer = Callable[[Mission, Schedule, Path], list[Path]]


def _programme_writers() -> list[Writer]:
    """Writers of the views of a programme (calendars, itineraries, overview, programme.xlsx, and the B2B
    counterparts' lists and session table plans)."""
    from planner.views.calendars import write_calendars
    from planner.views.itinerary import write_itineraries
    from planner.views.meetings import write_meeting_views
    from planner.views.overview import write_overview
    from planner.views.workbook import write_programme_workbook

    return [write_calendars, write_itineraries, write_overview, write_programme_workbook, write_meeting_views]


def write_outputs(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """Every output, written as one batch (mission/files.py, `output_batch`): files flushed to disk together
    at the end, and a file that already holds the same bytes (the previous run's) left as it is."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    schedule_path = out_dir / "schedule.json"
    with output_batch(out_dir):
        write_schedule(schedule, schedule_path)
        written = [schedule_path]
        if schedule.has_programme:
            for writer in _programme_writers():
                written.extend(writer(mission, schedule, out_dir))
    return written
