"""Everything `planner solve` writes into its output folder, in one place.

Each writer takes (mission, schedule, out_dir) and returns the paths it wrote, each written atomically;
the whole folder is swapped in at the end (never half-written). schedule.json is always written (also
when there is no programme: it carries the conflicts); without a programme, overview.html says why, in the
mission's language (planner.views.no_programme); the other views are written only when there is a
programme to show.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from planner.domain import Mission
from planner.domain.brokerage import has_b2b
from planner.domain.schedule import Schedule
from planner.mission.files import flush_batch, output_batch, reserve_files, take_reserved_from_the_end
from planner.mission.output_folder import StagedFolder, stage_folder
from planner.mission.schedule_file import write_schedule
from planner.views.common import PROGRAMME_WRITTEN

Writer = Callable[[Mission, Schedule, Path], list[Path]]
SCHEDULE_FILE = "schedule.json"


def _programme_writers(replaced: Path, mission: Mission | None = None,
                       schedule: Schedule | None = None) -> list[Writer]:
    """Writers of the views of a programme (calendars, itineraries, overview, its pictures of each day,
    programme.xlsx, and the B2B counterparts' lists and session table plans), each a piece of work that
    can run beside the others; the slowest first, so that two cores finish together. `replaced`: the
    folder the output will replace, whose calendars give the next SEQUENCE. Without `mission` and
    `schedule`, the overview's pictures go with its page, as one writer."""
    from planner.views.calendar_files import write_calendars
    from planner.views.itinerary import write_itineraries
    from planner.views.meetings import write_meeting_views
    from planner.views.overview import day_pictures, write_day_picture, write_overview, write_overview_page
    from planner.views.workbook import write_programme_workbook

    # The itineraries link the calendars written beside them (not yet there when both run at once).
    writers: list[Writer] = [partial(write_itineraries, calendars=True),
                             partial(write_calendars, previous_dir=replaced), write_programme_workbook]
    meeting_views = partial(write_meeting_views, previous_dir=replaced)
    if mission is None or schedule is None:
        return [*writers, write_overview, meeting_views]
    pictures = [partial(write_day_picture, day=day) for day in day_pictures(mission, schedule)]
    # The pictures last: the short pieces of work (a fifth of a second each, none when drawn ahead) even
    # out the two cores' ends; the B2B counterparts' pages and calendars (0.4 s on the flagship) after them
    # left one core idle that long.
    return [*writers, meeting_views, write_overview_page, *pictures]


VIEW_TEMPLATES = ("itinerary.html", "itinerary_section.html", "itinerary_stop.html", "index.html",
                  "overview.html", "no_programme.html", "meetings.html", "meetings_index.html",
                  "table_plan.html")


def prepare(language: str, *others: str) -> None:
    """Import what the writers need (matplotlib, Pillow, openpyxl, icalendar: about a second) and compile
    their templates in `language` and each of `others`, ahead of writing: `planner solve` does it while
    the solver works in its own process, and the writers forked afterwards inherit it all."""
    from planner.views.common import template_environment
    from planner.views.picture import prepare as prepare_pictures

    _programme_writers(Path(os.curdir))
    prepare_pictures()
    for each in dict.fromkeys((language, *others)):
        environment = template_environment(each)
        for name in VIEW_TEMPLATES:
            environment.get_template(name)


def languages_read(mission: Mission) -> list[str]:
    """The languages the mission's pages are written in: the mission's, then each its people read (a
    delegate's or a counterpart's own), in the order first met."""
    people = (*mission.delegates, *mission.counterparts)
    return list(dict.fromkeys((mission.language, *(mission.language_of(person) for person in people))))


def prepare_writing(mission: Mission, folder: Path | None, stopping: threading.Event) -> None:
    """What `planner solve` does while the solver works: `prepare`, then the files of the staging folder
    `folder` reserved (`reserve_files`) until `stopping` is set. A reserve that cannot be made is no
    error: the writers create their files, and say what goes wrong."""
    prepare(*languages_read(mission))  # each language's templates compile in 0.06-0.08 s
    if folder is not None:
        with contextlib.suppress(OSError):
            reserve_files(folder, files_to_write(mission), stopping)


def files_to_write(mission: Mission) -> int:
    """About how many files `write_outputs` writes for a programme of `mission` (to reserve them ahead:
    `planner.mission.files.reserve_files`): per delegate an itinerary and a calendar, per group a
    calendar, with B2B meetings per counterpart a page and a calendar and per session a table plan, per
    date a picture, and the folder's own few. An estimate: a file more or less costs next to nothing."""
    sessions = sum(1 for activity in mission.activities.values() if activity.meetings is not None)
    meeting_views = 2 * len(mission.counterparts) + sessions if has_b2b(mission) else 0
    dates = sum(len(leg.days()) for leg in mission.legs)
    return 2 * len(mission.delegates) + len(mission.groups) + meeting_views + dates + FOLDER_FILES


FOLDER_FILES = 12
"""schedule.json, overview.html and .png, programme.xlsx, the calendars', itineraries' and B2B indexes,
the booklet, the mission's calendar, with a few to spare."""


def write_outputs(mission: Mission, schedule: Schedule, out_dir: Path,
                  staged: StagedFolder | None = None, also: Sequence[Writer] = ()) -> list[Path]:
    """Write schedule.json and, with a programme, every view into a staging folder beside `out_dir`, then
    swap it in whole (mission/output_folder.py): a failure or Ctrl-C on the way leaves the previous folder
    as it was. `staged`: a staging folder made (and so checked) earlier, e.g. before solving. `also`: more
    writers of a programme's folder (re-planning's change report), swapped in with the rest. Returns the
    paths written, as they are once swapped in."""
    out_dir = Path(os.path.abspath(out_dir))
    schedule = stamped(schedule, out_dir / SCHEDULE_FILE)
    with staged if staged is not None else stage_folder(out_dir, SCHEDULE_FILE) as stage:
        # One batch (mission/files.py): flushes to disk together at the end, and a file holding the same
        # bytes as in the folder it replaces hard-linked from there.
        with output_batch(stage.path, previous=out_dir, private=True):
            write_schedule(schedule, stage.path / SCHEDULE_FILE)
            written = [stage.path / SCHEDULE_FILE]
            if schedule.has_programme:
                written.extend(_write_views(mission, schedule, stage.path,
                                            _programme_writers(out_dir, mission, schedule)))
                written.extend(path for writer in also for path in writer(mission, schedule, stage.path))
            else:
                from planner.views.no_programme import write_no_programme_page

                written.extend(write_no_programme_page(mission, schedule, stage.path))
        root = os.path.realpath(stage.path)  # calendar paths are resolved (calendars.inside)
        relative = [Path(os.path.realpath(path)).relative_to(root) for path in written]
        stage.commit()
    return [out_dir / path for path in relative]


def _programme_shown(document: dict[str, Any]) -> tuple[Any, ...]:
    """What of a schedule.json the pages show (its activities, meetings and version; no version is 1): two
    runs that agree on it wrote the same programme."""
    return document.get("activities"), document.get("meetings"), document.get("version", 1)


def stamped(schedule: Schedule, previous_file: Path) -> Schedule:
    """`schedule` with the time its programme was first written (`PROGRAMME_WRITTEN`): the previous
    schedule.json's when it holds the same programme (the pages then read as before, and a rerun rewrites
    none of them), else now."""
    if not schedule.has_programme:
        return schedule
    written = _first_written(schedule, previous_file) or datetime.now(UTC).replace(microsecond=0).isoformat()
    return dataclasses.replace(schedule, extra={**schedule.extra, PROGRAMME_WRITTEN: written})


def _first_written(schedule: Schedule, previous_file: Path) -> str | None:
    """When the programme of `schedule` was first written, if `previous_file` holds it already."""
    try:
        with open(previous_file, encoding="utf-8") as previous_json:
            previous = json.load(previous_json)
        modified = os.stat(previous_file).st_mtime
    except (OSError, ValueError):
        return None  # no previous folder, or not one planner can read: a new programme
    current = schedule.to_json()
    if not isinstance(previous, dict) or _programme_shown(previous) != _programme_shown(current):
        return None
    recorded = previous.get(PROGRAMME_WRITTEN)
    if isinstance(recorded, str):
        return recorded
    return datetime.fromtimestamp(modified, tz=UTC).replace(microsecond=0).isoformat()  # before this key


def _write_views(mission: Mission, schedule: Schedule, folder: Path, writers: list[Writer]) -> list[Path]:
    """`_write_side_by_side`, the objects already there (the mission, the schedule, the modules) left out
    of the garbage collector's rounds meanwhile: writing thousands of files allocates enough to start a
    full round again and again, each over the whole mission, and in a forked child each round also copies
    the pages it touches (1,000/5,000 at a load of 2: 11.8 -> 9.5 s)."""
    gc.freeze()
    try:
        return _write_side_by_side(mission, schedule, folder, writers)
    finally:
        gc.unfreeze()


def _write_side_by_side(mission: Mission, schedule: Schedule, folder: Path,
                        writers: list[Writer]) -> list[Path]:
    """Run the writers on two cores where the machine has them and can fork: this process and a forked
    child (which inherits the mission and the schedule: nothing is copied) each take the next writer not
    yet taken until none is left. The files are the same either way, and the paths are returned in the
    writers' order; a failure on either side fails the whole output."""
    # A daemonic process (a pool's worker) may have no children: one after the other there.
    if ((os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods() or len(writers) < 2
            or multiprocessing.current_process().daemon):
        return [path for writer in writers for path in writer(mission, schedule, folder)]
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_write_in_child, args=(sending, taken, mission, schedule, folder, writers),
                            daemon=True)
    child.start()
    sending.close()
    finished = False
    try:
        here = _take(taken, mission, schedule, folder, writers)
        flush_batch()  # this side's files to disk while the child finishes its last writer
        outcome = receiving.recv()
        finished = True
    except EOFError:
        raise RuntimeError(f"the writer of the views stopped (exit status {child.exitcode})") from None
    finally:
        if not finished:  # a failure here: the child's work is dropped with the staging folder
            child.terminate()
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
        receiving.close()
    if isinstance(outcome, BaseException):
        raise outcome  # as if it had happened here (Ctrl-C, a full disk…): the caller says it
    done = {**here, **{index: [Path(path) for path in paths] for index, paths in outcome}}
    return [path for index in range(len(writers)) for path in done[index]]


def _take(taken: Any, mission: Mission, schedule: Schedule, folder: Path,
          writers: list[Writer]) -> dict[int, list[Path]]:
    """Run the next writer nobody has taken, until none is left: writer index → the paths it wrote."""
    done: dict[int, list[Path]] = {}
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= len(writers):
            return done
        done[index] = writers[index](mission, schedule, folder)


def _write_in_child(sending: Connection, taken: Any, mission: Mission, schedule: Schedule, folder: Path,
                    writers: list[Writer]) -> None:
    try:
        take_reserved_from_the_end()
        done = _take(taken, mission, schedule, folder, writers)
        flush_batch()
        sending.send([(index, [str(path) for path in paths]) for index, paths in done.items()])
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which fails the output
        try:
            sending.send(error)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its words at least
            sending.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        sending.close()
