"""Everything `planner solve` writes into its output folder, in one place.

Each writer takes (mission, schedule, out_dir) and returns the paths it wrote, each written atomically;
the whole folder is swapped in at the end (never half-written). schedule.json is always written (also
when there is no programme: it carries the conflicts); the other views are written only when there is a
programme to show.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.files import flush_batch, output_batch
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
                  staged: StagedFolder | None = None, also: Sequence[Writer] = ()) -> list[Path]:
    """Write schedule.json and, with a programme, every view into a staging folder beside `out_dir`, then
    swap it in whole (mission/output_folder.py): a failure or Ctrl-C on the way leaves the previous folder
    as it was. `staged`: a staging folder made (and so checked) earlier, e.g. before solving. `also`: more
    writers of a programme's folder (re-planning's change report), swapped in with the rest. Returns the
    paths written, as they are once swapped in."""
    out_dir = Path(os.path.abspath(out_dir))
    with staged if staged is not None else stage_folder(out_dir, SCHEDULE_FILE) as stage:
        # One batch (mission/files.py): flushes to disk together at the end, and a file holding the same
        # bytes as in the folder it replaces hard-linked from there.
        with output_batch(stage.path, previous=out_dir):
            write_schedule(schedule, stage.path / SCHEDULE_FILE)
            written = [stage.path / SCHEDULE_FILE]
            if schedule.has_programme:
                written.extend(_write_views(mission, schedule, stage.path, _programme_writers(out_dir)))
                written.extend(path for writer in also for path in writer(mission, schedule, stage.path))
        root = os.path.realpath(stage.path)  # calendar paths are resolved (calendars.inside)
        relative = [Path(os.path.realpath(path)).relative_to(root) for path in written]
        stage.commit()
    return [out_dir / path for path in relative]


def _write_views(mission: Mission, schedule: Schedule, folder: Path, writers: list[Writer]) -> list[Path]:
    """Run the writers, two groups side by side where the machine has two cores and can fork: the overview
    and its pictures (the slowest view) in a forked child (it inherits the mission and the schedule:
    nothing is copied), every other view here, the calendars before the itineraries that link them. The
    files are the same either way; a failure of the child fails the whole output."""
    there = [writer for writer in writers if _name(writer) == "write_overview"]
    here = [writer for writer in writers if writer not in there]
    # A daemonic process (a benchmark's or a pool's worker) may have no children: one after the other there.
    if ((os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods() or not there
            or multiprocessing.current_process().daemon):
        return [path for writer in writers for path in writer(mission, schedule, folder)]
    receiving, sending = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_write_in_child, args=(sending, mission, schedule, folder, there), daemon=True)
    child.start()
    sending.close()
    try:
        written = [path for writer in here for path in writer(mission, schedule, folder)]
        outcome = receiving.recv()
    except EOFError:
        raise RuntimeError(f"the writer of {', '.join(_name(w) for w in there)} stopped "
                           f"(exit status {child.exitcode})") from None
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.terminate()
        receiving.close()
    if isinstance(outcome, BaseException):
        raise outcome  # as if it had happened here (Ctrl-C, a full disk…): the caller says it
    return written + [Path(path) for path in outcome]


def _write_in_child(sending: Connection, mission: Mission, schedule: Schedule, folder: Path,
                    writers: list[Writer]) -> None:
    try:
        paths = [str(path) for writer in writers for path in writer(mission, schedule, folder)]
        flush_batch()
        sending.send(paths)
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which fails the output
        try:
            sending.send(error)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its words at least
            sending.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        sending.close()


def _name(writer: Writer) -> str:
    name = getattr(writer, "__name__", None) or getattr(getattr(writer, "func", None), "__name__", None)
    return str(name or "a view")
