"""Everything `planner solve` writes into its output folder, in one place.

Each writer takes (mission, schedule, out_dir) and returns the paths it wrote, each written atomically;
the whole folder is swapped in at the end (never half-written). schedule.json is always written (also
when there is no programme: it carries the conflicts); the other views are written only when there is a
programme to show.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.files import output_batch
from planner.mission.output_folder import StagedFolder, stage_folder
from planner.mission.schedule_file import write_schedule

Writer = Callable[[Mission, Schedule, Path], list[Path]]
SCHEDULE_FILE = "schedule.json"


def _programme_writers(replaced: Path) -> list[Writer]:
    """Writers of the views of a programme (calendars, itineraries, overview, programme.xlsx, and the B2B
    counterparts' lists and session table plans). `replaced`: the folder the output will replace, whose
    calendars give the next SEQUENCE."""
    from planner.views.calendar_files import write_calendars
    from planner.views.itinerary import write_itineraries
    from planner.views.meetings import write_meeting_views
    from planner.views.overview import write_overview
    from planner.views.workbook import write_programme_workbook

    return [partial(write_calendars, previous_dir=replaced), write_itineraries, write_overview,
            write_programme_workbook, write_meeting_views]


def write_outputs(mission: Mission, schedule: Schedule, out_dir: Path,
                  staged: StagedFolder | None = None) -> list[Path]:
    """Write schedule.json and, with a programme, every view into a staging folder beside `out_dir`, then
    swap it in whole (mission/output_folder.py): a failure or Ctrl-C on the way leaves the previous folder
    as it was. `staged`: a staging folder made (and so checked) earlier, e.g. before solving. Returns the
    paths written, as they are once swapped in."""
    out_dir = Path(os.path.abspath(out_dir))
    with staged if staged is not None else stage_folder(out_dir, SCHEDULE_FILE) as stage:
        # One batch (mission/files.py): flushes to disk together at the end, and a file holding the same
        # bytes as in the folder it replaces hard-linked from there.
        with output_batch(stage.path, previous=out_dir):
            write_schedule(schedule, stage.path / SCHEDULE_FILE)
            written = [stage.path / SCHEDULE_FILE]
            if schedule.has_programme:
                for writer in _programme_writers(out_dir):
                    written.extend(writer(mission, schedule, stage.path))
        root = os.path.realpath(stage.path)  # calendar paths are resolved (calendars.inside)
        relative = [Path(os.path.realpath(path)).relative_to(root) for path in written]
        stage.commit()
    return [out_dir / path for path in relative]
