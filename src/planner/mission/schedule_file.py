"""Reading and writing schedule.json (`../shared/spec/schedule-format.md`): positions in errors, and
whether a schedule belongs to a mission."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from planner.domain import Mission, Source
from planner.domain.errors import InputError, InputErrors
from planner.domain.meetings import Meeting, Reason, UnscheduledMeeting
from planner.domain.schedule import FORMAT, STATUSES, Conflict, Schedule, ScheduledActivity, Unscheduled
from planner.mission.files import write_atomic


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


def read_schedule(path: Path) -> Schedule:
    """Read a schedule.json; a malformed file raises `InputErrors` naming file:line:column."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputErrors([InputError(Source(name, 1, 1),
                                      f"cannot read the schedule: {error.strerror}")]) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputErrors([InputError(Source(name, error.lineno, error.colno),
                                      f"not valid JSON ({error.msg}); "
                                      "write the file planner solve produced")]) from None

    def fail(message: str, needle: str | None = None) -> InputErrors:
        return InputErrors([InputError(_source_of(needle, text, name), message)])

    if not isinstance(document, dict):
        raise fail("a schedule is a JSON object with the keys of planner-schedule/1")
    if document.get("format") != FORMAT:
        raise fail(f'"format" must be "{FORMAT}"', '"format"')
    if document.get("status") not in STATUSES:
        raise fail(f'"status" must be one of {", ".join(STATUSES)}', '"status"')
    try:
        activities = [
            ScheduledActivity(
                id=str(a["id"]), title=str(a.get("title", a["id"])), kind=str(a.get("kind", "meeting")),
                venue=str(a["venue"]), start=datetime.fromisoformat(a["start"]),
                end=datetime.fromisoformat(a["end"]), attendees=tuple(sorted(a.get("attendees", []))),
            )
            for a in document.get("activities", [])
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise fail(f"an entry of \"activities\" is malformed ({error}); each needs id, venue, start, end "
                   "(ISO 8601 with offset) and attendees", '"activities"') from None
    for activity in activities:
        if activity.start.tzinfo is None or activity.end.tzinfo is None:
            raise fail(f"activity {activity.id!r}: start and end need a UTC offset, "
                       "e.g. 2025-10-06T09:30:00-07:00", f'"{activity.id}"')
    meetings, unscheduled_meetings = _meetings(document, fail)
    return Schedule(
        meetings=meetings,
        unscheduled_meetings=unscheduled_meetings,
        mission=str(document.get("mission", "")),
        status=document["status"],
        objective=document.get("objective"),
        bound=document.get("bound"),
        solve_seconds=float(document.get("solve_seconds") or 0.0),
        activities=activities,
        unscheduled=[Unscheduled(str(u["id"]), str(u.get("reason", "")))
                     for u in document.get("unscheduled", [])],
        conflicts=[
            Conflict(str(c.get("message", "")), tuple(c.get("activities", [])), tuple(c.get("delegates", [])),
                     tuple(c.get("rules", [])),
                     {k: v for k, v in c.items() if k not in ("message", "activities", "delegates", "rules")})
            for c in document.get("conflicts", [])
        ],
        extra={k: v for k, v in document.items() if k not in _CONTRACT_KEYS},
    )


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
            errors.append(InputError(
                where, f"activity {activity.id!r} lists attendees the mission does not have "
                       f"({', '.join(unknown)}): {again}"))
    if errors:
        raise InputErrors(errors)


def read_programme(mission: Mission, path: Path) -> Schedule:
    """A schedule.json of this mission: `read_schedule`, then `check_fits` with positions in the file."""
    schedule = read_schedule(path)
    check_fits(mission, schedule, str(path), Path(path).read_text(encoding="utf-8"))
    return schedule


def locator(path: Path) -> Callable[[str | None], Source]:
    """Where a piece of text first stands in the schedule file at `path` (its start when absent)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        text = ""
    return lambda needle: _source_of(needle, text, str(path))
