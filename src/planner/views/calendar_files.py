"""Writing a programme's calendar files: mission.ics, one per delegate and one per group.

Most files are written from their components' bytes, serialised once (`calendar_bytes`); a re-plan's
cancelled events take the general path of `calendars.build_calendar`. Apart from `calendars` so that the
byte-level writer can build on it without the two importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.files import inside_of, write_atomic
from planner.mission.schedule_file import check_fits
from planner.views.calendar_bytes import CalendarBytes
from planner.views.calendar_changes import baseline_calendars, baseline_schedule
from planner.views.calendar_state import event_states, previous_states, restamp
from planner.views.calendars import FOLDER, Programme, build_calendar, calendar_plans


def write_calendar_folder(mission: Mission, schedule: Schedule, folder: Path,
                          replaced_folder: Path | None = None) -> list[Path]:
    """Write every calendar of the programme into `folder` (mission.ics, delegates/, groups/).

    SEQUENCE follows the files of `replaced_folder` (default: `folder` itself), so that a run written into
    a staging folder still compares with the calendars it replaces.
    """
    check_fits(mission, schedule)
    folder = Path(folder)
    before = Path(replaced_folder) if replaced_folder is not None else folder
    programme = Programme(mission, schedule)
    written: list[Path] = []
    # A re-plan written into a new folder continues the SEQUENCE of the baseline's calendars: the files
    # beside the baseline, else the baseline's events built again (at SEQUENCE 0, as solve wrote them).
    previous_folder = baseline_calendars(schedule)
    baseline = baseline_schedule(mission, schedule) if previous_folder is None else None
    baseline_programme = Programme(mission, baseline) if baseline is not None else None
    # Most files are their components' bytes, serialised once (calendar_bytes); a re-plan's cancelled
    # events take the general path below.
    shaped = None
    if previous_folder is None and baseline is None:
        shaped = CalendarBytes(programme)
    places: dict[Path, Callable[..., Path]] = {}  # a folder → its files' places, the folder resolved once
    for plan in calendar_plans(mission):
        subfolder, _, file_name = plan.relative_path.rpartition("/")
        stem = file_name.removesuffix(".ics")
        here, there = (folder / subfolder, before / subfolder) if subfolder else (folder, before)
        path = (places.get(here) or places.setdefault(here, inside_of(here)))(stem, ".ics")
        replaced = (places.get(there) or places.setdefault(there, inside_of(there)))(stem, ".ics")
        if shaped is not None:
            write_atomic(path, shaped.calendar(plan.delegate_ids, plan.name, previous_states(replaced)))
            written.append(path)
            continue
        calendar = build_calendar(mission, schedule, plan.delegate_ids, plan.name, programme=programme)
        previous = previous_states(replaced)
        if not previous and previous_folder is not None:
            previous = previous_states(previous_folder / plan.relative_path)
        if not previous and baseline is not None:
            previous = event_states(build_calendar(mission, baseline, plan.delegate_ids, plan.name,
                                                   programme=baseline_programme).walk("VEVENT"))
        restamp(calendar, previous)
        write_atomic(path, calendar.to_ical())
        written.append(path)
    return written


def write_calendars(mission: Mission, schedule: Schedule, out_dir: Path,
                    previous_dir: Path | None = None) -> list[Path]:
    """The writer `planner solve` runs: the calendars into `out_dir/calendars/` (SEQUENCE against
    `previous_dir/calendars/` when given)."""
    previous = Path(previous_dir) / FOLDER if previous_dir is not None else None
    return write_calendar_folder(mission, schedule, Path(out_dir) / FOLDER, previous)
