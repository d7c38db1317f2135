"""Reading and writing schedule.json (`../shared/spec/schedule-format.md`): positions in errors, and
whether a schedule belongs to a mission."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.domain import Mission, Source
from planner.domain.errors import InputError, InputErrors
from planner.domain.meetings import Meeting, Reason, UnscheduledMeeting
from planner.domain.schedule import Conflict, Schedule, ScheduledActivity, Unscheduled
from planner.domain.solve_info import MatchingInfo, SolverInfo
from planner.mission.files import write_atomic
from planner.mission.limits import MAX_NESTING, MAX_SCHEDULE_BYTES, read_text_limited
from planner.mission.schedule_schema import ScheduleFile, nesting_depth_exceeds
from planner.text.control import shortened, visible


def write_schedule(schedule: Schedule, path: Path) -> None:
    write_atomic(Path(path), schedule.dumps())


def _source_of(needle: str | None, text: str, file: str) -> Source:
    """Where `needle` first stands in `text` (1-based line and column), else the file's start."""
    if needle is None or needle not in text:
        return Source(file, 1, 1)
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return Source(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


_CONTRACT_KEYS = {"format", "mission", "status", "objective", "bound", "solve_seconds", "activities",
                  "unscheduled", "conflicts", "meetings", "unscheduled_meetings"}


def _where(location: tuple[Any, ...], document: Any, text: str, file: str) -> Source:
    """The place in `text` of the value at `location` (keys and indices): each key searched after the
    place of the one before, each list entry by its id when it has one."""
    offset, node = 0, document
    for part in location:
        if isinstance(part, str):
            needle = json.dumps(part, ensure_ascii=False)
            node = node.get(part) if isinstance(node, dict) else None
        else:
            inside = isinstance(node, list) and isinstance(part, int) and part < len(node)
            node = node[part] if inside else None
            identifier = node.get("id") if isinstance(node, dict) else None
            if not isinstance(identifier, str):
                continue
            needle = json.dumps(identifier, ensure_ascii=False)
        found = text.find(needle, offset)
        if found >= 0:
            offset = found
    line = text.count("\n", 0, offset) + 1
    return Source(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _dotted(location: tuple[Any, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location).lstrip(".")


def _shape_message(error: Any, document: Any) -> str:
    """A pydantic error about schedule.json, said to a person."""
    location = tuple(error["loc"])
    field = _dotted(location) or "the schedule"
    kind = error["type"]
    if kind == "missing":
        parent = document
        for part in location[:-1]:
            parent = parent[part] if isinstance(parent, (dict, list)) else None
        close = (get_close_matches(str(location[-1]), [k for k in parent if isinstance(k, str)], n=1)
                 if isinstance(parent, dict) else [])
        hint = f" (`{close[0]}` is written: a misspelling?)" if close else ""
        return f"`{field}` is missing{hint}; write the schedule planner solve produced"
    if kind == "literal_error":
        return f"`{field}` is {_shown(error['input'])}; it must be {error['ctx']['expected']}"
    if kind in ("list_type", "tuple_type"):
        return f"`{field}` must be a JSON list (e.g. [\"astrid\"]), not {_shown(error['input'])}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"`{field}` must be a JSON object ({{...}}), not {_shown(error['input'])}"
    return f"`{field}`: {error['msg']}"


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    text = json.dumps(value, ensure_ascii=False)
    return visible(shortened(text))


def _document(path: Path) -> tuple[str, Any]:
    """The text of a schedule.json and its JSON value, within the limits of docs/limits.md."""
    name = str(path)
    text = read_text_limited(path, MAX_SCHEDULE_BYTES, "schedule")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputErrors([InputError(
            Source(name, error.lineno, error.colno),
            f"not valid JSON ({error.msg}); write the file planner solve produced")]) from None
    except RecursionError:  # json nests by recursion: thousands of `[` exhaust the stack
        too_deep = True
    else:
        too_deep = nesting_depth_exceeds(document, MAX_NESTING)
    if too_deep:
        raise InputErrors([InputError(Source(name, 1, 1),
                                      f"lists and objects nest more than {MAX_NESTING} deep; a schedule "
                                      "needs 4: "
                                      "write the file planner solve produced")])
    return text, document


def read_schedule(path: Path) -> Schedule:
    """Read a schedule.json: its shape checked against `ScheduleFile` (the published JSON Schema) before
    anything is read from it; every malformation raises `InputErrors` naming file:line:column."""
    path = Path(path)
    name = str(path)
    text, document = _document(path)
    try:
        shaped = ScheduleFile.model_validate(document)
    except ValidationError as failure:
        raise InputErrors([InputError(_where(tuple(error["loc"]), document, text, name),
                                      _shape_message(error, document))
                           for error in failure.errors()]) from None
    def fail(message: str, needle: str | None = None) -> InputErrors:
        return InputErrors([InputError(_source_of(needle, text, name), message)])

    meetings, unscheduled_meetings = _meetings(document, fail)
    activities = [
        ScheduledActivity(id=a.id, title=a.title if a.title is not None else a.id, kind=a.kind or "meeting",
                          venue=a.venue, start=a.start, end=a.end, attendees=tuple(sorted(a.attendees)))
        for a in shaped.activities
    ]
    return Schedule(
        meetings=meetings,
        unscheduled_meetings=unscheduled_meetings,
        mission=shaped.mission,
        status=shaped.status,
        objective=shaped.objective,
        bound=shaped.bound,
        solve_seconds=float(shaped.solve_seconds or 0.0),
        activities=activities,
        unscheduled=[Unscheduled(u.id, u.reason, u.code, u.params) for u in shaped.unscheduled],
        conflicts=[
            Conflict(c.message, tuple(c.activities), tuple(c.delegates), tuple(c.rules),
                     dict(c.model_extra or {}), c.code, c.params)
            for c in shaped.conflicts
        ],
        **_figures(document),
    )


def _figures(document: dict[str, Any]) -> dict[str, Any]:
    """The typed figures of a schedule.json (objectives, bounds, gaps, the solver's and the matchmaking's),
    and every other key beyond the contract as `extra`. A figure of another shape (another program's
    `solver` may be a name) stays in `extra`, as it was written."""
    figures: dict[str, Any] = {}
    typed: set[str] = set()
    for key in ("objectives", "objective_bounds", "objective_gaps"):
        if isinstance(document.get(key), dict):
            figures[key] = dict(document[key])
            typed.add(key)
    if isinstance(document.get("solver"), dict):
        figures["solver"] = SolverInfo.from_json(document["solver"])
        typed.add("solver")
    if isinstance(document.get("meetings_status"), str):
        figures["matching"] = MatchingInfo.from_json(document)
        typed |= {"meetings_status", "meeting_objectives", "meetings_seconds"}
    figures["extra"] = {k: v for k, v in document.items() if k not in _CONTRACT_KEYS and k not in typed}
    return figures


def _meetings(document: dict,
              fail: Callable[..., InputErrors]) -> tuple[list[Meeting] | None, list[UnscheduledMeeting]]:
    """The B2B keys (docs/b2b.md): `meetings` and `unscheduled_meetings`, when present."""
    if "meetings" not in document:
        return None, []
    try:
        meetings = [
            Meeting(str(m["request"]), str(m["session"]), int(m["slot"]) - 1, int(m["table"]),
                    tuple(sorted(str(person) for person in m["with"])), datetime.fromisoformat(m["start"]),
                    datetime.fromisoformat(m["end"]))
            for m in document["meetings"]
        ]
        left = [
            UnscheduledMeeting(
                str(u["request"]), tuple(sorted(str(person) for person in u["with"])),
                Reason(str(u.get("code", "")),
                       tuple((str(key), str(value)) for key, value in u.get("params", {}).items())),
                str(u.get("reason", "")))
            for u in document.get("unscheduled_meetings", [])
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise fail(f"an entry of \"meetings\" or \"unscheduled_meetings\" is malformed ({error}); a meeting "
                   "needs request, session, slot, table, start, end (ISO 8601 with offset) and with",
                   '"meetings"') from None
    for meeting in meetings:
        if meeting.start.tzinfo is None or meeting.end.tzinfo is None:
            raise fail(f"meeting {meeting.request!r}: start and end need a UTC offset",
                       f'"{meeting.request}"')
    return meetings, left


def check_fits(mission: Mission, schedule: Schedule, file: str = "schedule.json", text: str = "") -> None:
    """Every activity, venue and attendee of the schedule exists in the mission; otherwise InputErrors."""
    errors = []
    again = "write the schedule of this mission (planner solve)"
    for activity in schedule.activities:
        where = _source_of(f'"{activity.id}"', text, file)
        if activity.id not in mission.activities:
            errors.append(InputError(where, f"activity {activity.id!r} is not in the mission: {again}"))
        if activity.venue not in mission.venues:
            errors.append(InputError(
                _source_of(f'"{activity.venue}"', text, file),
                f"activity {activity.id!r} uses venue {activity.venue!r}, which the mission does not have: "
                f"{again}"))
        unknown = [d for d in activity.attendees if d not in mission.delegates]
        if unknown:
            shown = ", ".join(unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
            errors.append(InputError(
                where, f"activity {activity.id!r} lists attendees the mission does not have "
                       f"({shown}): {again}"))
    if errors and schedule.mission != mission.name:  # another mission's schedule: one error, not hundreds
        raise InputErrors([InputError(_source_of('"mission"', text, file), (
            f"this is a schedule of {schedule.mission!r}, not of {mission.name!r}: give the schedule.json "
            "that planner solve wrote for this mission"))])
    if errors:
        raise InputErrors(errors)


def read_programme(mission: Mission, path: Path) -> Schedule:
    """A schedule.json of this mission: `read_schedule`, then `check_fits` with positions in the file."""
    schedule = read_schedule(path)
    check_fits(mission, schedule, str(path), read_text_limited(path, MAX_SCHEDULE_BYTES, "schedule"))
    return schedule


def locator(path: Path) -> Callable[[str | None], Source]:
    """Where a piece of text first stands in the schedule file at `path` (its start when absent)."""
    try:
        text = read_text_limited(path, MAX_SCHEDULE_BYTES, "schedule")
    except InputErrors:
        text = ""
    return lambda needle: _source_of(needle, text, str(path))
