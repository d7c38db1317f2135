"""The message catalogue: a result's code and parameters → the English sentence a person reads.

The checker and the diagnosis produce structured results (a code, parameters, the `Source`s of the
statements involved), in the manner of Timefold's `justifyWith`; the words live here, one render function
per message key, so that another language is another catalogue. Parameters are plain values: ids and
names (`Named`), local instants (aware `datetime`s already in the leg's zone), spans (pairs of them),
minutes, dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from planner.domain import UNKNOWN_SOURCE, Source
from planner.domain.rules import rule_kinds
from planner.text.format import format_clock, format_clock_seconds, format_iso_date
from planner.text.meetings import B2B_VIOLATIONS

Params = Mapping[str, Any]
LocalSpan = tuple[datetime, datetime]
"""Start and end, aware, in the local time of the leg."""


@dataclass(frozen=True, slots=True)
class Named:
    """Something of the mission as a message names it: its id, and its title or name when known."""

    kind: str
    """'activity', 'delegate' or 'venue'."""
    id: str
    name: str | None = None

    def __str__(self) -> str:
        if self.kind == "activity":
            return f"'{self.name}' ({self.id})"
        return f"{self.name} ({self.id})" if self.name is not None else self.id


@dataclass(frozen=True, slots=True)
class Listed:
    """An activity and when it is scheduled, as listed in a message."""

    activity: Named
    span: LocalSpan


# --- wording ------------------------------------------------------------------------------------------


def at(local: datetime) -> str:
    """'08:30 on 2025-10-06'."""
    return f"{format_clock(local)} on {format_iso_date(local)}"


def span(local: LocalSpan) -> str:
    """'09:00–11:00 on 2025-10-06' (an end at midnight reads 24:00), or both dates."""
    start, end = local
    if end.date() == start.date():
        return f"{format_clock(start)}–{format_clock(end)} on {format_iso_date(start)}"
    at_midnight = end.time() == datetime.min.time()
    if end.date() == start.date() + timedelta(days=1) and at_midnight:
        return f"{format_clock(start)}–{format_clock(1440)} on {format_iso_date(start)}"
    return f"{at(start)} – {at(end)}"


def where(refs: Sequence[Source]) -> str:
    """' (file:line:column)' of the first statement referred to, or nothing when it is not known."""
    return "" if not refs or refs[0] == UNKNOWN_SOURCE else f" ({refs[0]})"


def listing(entries: Iterable[Listed]) -> str:
    return ", ".join(f"{entry.activity} {span(entry.span)}" for entry in entries)


def rule_name(rule_id: str, kind: str) -> str:
    """'min_gap' for an unnamed rule (its id is generated), "min_gap 'slow-mornings'" for a named one."""
    return kind if rule_id.startswith(f"{kind}-") else f"{kind} '{rule_id}'"


def dates(days: Iterable[date]) -> str:
    return ", ".join(str(day) for day in days)


# --- the checker's violations (planner.check) ------------------------------------------------------------


def _status(p: Params, at_: str) -> str:
    count = p["count"]
    held = (f"yet lists {count} scheduled activit{'y' if count == 1 else 'ies'}" if count
            else "and holds no programme")
    return (f"the schedule's status is '{p['status']}' {held}: only an 'optimal' or 'feasible' "
            "schedule is a valid programme")


def _grain(p: Params, at_: str) -> str:
    local: datetime = p["instant"]
    clock = format_clock_seconds(local) if local.second or local.microsecond else format_clock(local)
    return (f"{p['activity']} {p['word']} {clock} on {format_iso_date(local)}, off the mission's grain of "
            f"{p['grain']} min{at_}")


def _placement(p: Params, at_: str) -> str:
    case, name = p["case"], p["activity"]
    if case == "fixed":
        failure = f"starts {at(p['start'])}, not at its fixed start {at(p['fixed'])}"
    elif case == "windows":
        failure = f"is scheduled {span(p['span'])}, outside its windows: {', '.join(map(span, p['windows']))}"
    elif case == "dates":
        failure = (f"is scheduled {span(p['span'])}, on {dates(p['outside'])}, not one of its dates: "
                   f"{dates(p['dates'])}")
    elif case == "working-day-of-dates":
        failure = (f"is scheduled {span(p['span'])}, not inside the working day ({p['day']}) of one of its "
                   f"dates: {dates(p['dates'])}")
    else:
        failure = (f"is scheduled {span(p['span'])}, not inside the working day ({p['day']}) of a date of "
                   f"its leg ({p['city']}, {p['first_day']}–{p['last_day']})")
    return f"{name} {failure}{at_}"


def _open_hours(p: Params, at_: str) -> str:
    case, venue = p["case"], p["venue"].name
    if case == "before-opening":
        what = f"starts {at(p['start'])}, before {venue} opens at {format_clock(p['opens'])}"
    elif case == "ends-after-closing":
        what = f"ends {at(p['end'])}, after {venue} closes at {format_clock(p['closes'])}"
    elif case == "starts-after-closing":
        what = f"starts {at(p['start'])}, after {venue} closes at {format_clock(p['closes'])}"
    else:
        ranges = ", ".join(str(hours) for hours in p["hours"])
        what = f"is scheduled {span(p['span'])}, outside {venue}'s opening hours {ranges}"
    return f"{p['activity']} {what}{at_}"


def _after(p: Params, at_: str) -> str:
    gap = f" plus {p['gap']} min" if p["gap"] else ""
    return (f"{p['activity']} starts {at(p['start'])}, before {p['before']} ends "
            f"({at(p['before_end'])}){gap}: it may start at {at(p['earliest'])} at the earliest{at_}")


def _attendees(p: Params, at_: str) -> str:
    case, who, name = p["case"], p["delegate"], p["activity"]
    if case == "missing":
        return f"{who} must attend {name} but is not among its attendees{at_}"
    if case == "unknown-delegate":
        return f"{name} lists '{who.id}' among its attendees, but the mission has no delegate of that id"
    if case == "not-allowed":
        return (f"{who} attends {name} but is neither a required nor an optional attendee, "
                f"nor brought by an accompany rule{at_}")
    return f"{who} is listed {p['times']} times among the attendees of {name}"


def _travel_pair(p: Params) -> str:
    return (f"{p['earlier']} at {p['earlier_venue']} (ends {at(p['earlier_end'])}) "
            f"and {p['later']} at {p['later_venue']} (starts {at(p['later_start'])})")


def _travel(p: Params, at_: str) -> str:
    if p["needed"] is None:
        return (f"{p['delegate']} moves between {_travel_pair(p)}, but no travel time between these venues "
                "is known")
    return (f"{p['delegate']} has {p['between']} min between {_travel_pair(p)}; "
            f"the travel time is {p['needed']} min")


def _duplicate(p: Params, at_: str) -> str:
    case, name = p["case"], p["activity"]
    if case == "scheduled":
        return f"{name} is scheduled {p['times']} times; the first entry is checked"
    if case == "both":
        return f"{name} is both scheduled and listed as unscheduled"
    return f"{name} is listed as unscheduled {p['times']} times"


def _min_gap(p: Params, at_: str) -> str:
    travel, gap = p["travel"], p["gap"]
    parts = f"{travel} min travel + {gap} min gap" if travel else f"a gap of {gap} min"
    return (f"{p['delegate']} has {p['between']} min between {p['earlier']} "
            f"(ends {at(p['earlier_end'])}) and {p['later']} (starts {at(p['later_start'])}); "
            f"{rule_name(p['rule'], 'min_gap')} needs {travel + gap} min ({parts}){at_}")


def _lunch(p: Params, at_: str) -> str:
    between = p["between"]
    return (f"{p['delegate']} has no free {p['duration']} min off the road between "
            f"{format_clock(between.start)} and {format_clock(between.end % 1440)} on {p['day']} (longest "
            f"free stretch off the road: {p['longest']} min; busy with {listing(p['busy'])}){at_}")


def _lodging(p: Params, at_: str) -> str:
    return (f"{p['delegate']} attends {p['activity']} from {at(p['start'])}, but leaving {p['hotel']} at "
            f"{format_clock(p['leave'])} and travelling {p['travel']} min they arrive at "
            f"{format_clock(p['earliest'])}{at_}")


def _frozen_changed(p: Params, at_: str) -> str:
    changes = []
    if p["before"] != p["after"]:
        changes.append(f"{span(p['before'])} → {span(p['after'])}")
    if p["venue_before"] != p["venue_after"]:
        changes.append(f"venue {p['venue_before']} → {p['venue_after']}")
    if p["joined"]:
        changes.append(f"{', '.join(p['joined'])} joined")
    if p["left"]:
        changes.append(f"{', '.join(p['left'])} left")
    return f"{p['activity']} started before now + notice and changed: {'; '.join(changes)}{at_}"


VIOLATIONS: dict[str, Callable[[Params, str], str]] = {
    "status": _status,
    "mission": lambda p, at_: f"the schedule is for the mission '{p['schedule_mission']}', "
                              f"not '{p['mission']}'{at_}",
    "unknown-activity": lambda p, at_: f"'{p['activity']}' is {p['listed_as']} but the mission has no "
                                       "activity of that id",
    "required": lambda p, at_: f"{p['activity']} is required but not scheduled"
                               f"{' (it is listed as unscheduled)' if p['listed'] else ''}{at_}",
    "unlisted": lambda p, at_: f"{p['activity']} is neither scheduled nor listed as unscheduled",
    "duplicate": _duplicate,
    "duration": lambda p, at_: f"{p['activity']} lasts {p['lasts']} min ({span(p['span'])}), "
                               f"not its duration of {p['duration']} min{at_}",
    "grain": _grain,
    "offset": lambda p, at_: f"{p['activity']}: the {p['word']} {p['written'].isoformat()} is not written "
                             f"with the UTC offset of {p['city']}; write {p['local'].isoformat()}",
    "venue": lambda p, at_: f"{p['activity']} is at '{p['venue']}'"
                            f"{'' if p['known'] else ' (the mission has no venue of that id)'}, "
                            f"not at one of its venues: {', '.join(p['venues'])}{at_}",
    "placement": _placement,
    "leg": lambda p, at_: f"{p['activity']} is scheduled {span(p['span'])}, on {dates(p['outside'])}, "
                          f"outside the {p['city']} leg ({p['first_day']}–{p['last_day']}){at_}",
    "open-hours": _open_hours,
    "after": _after,
    "attendees": _attendees,
    "overlap": lambda p, at_: f"{p['delegate']} attends {p['earlier']} {span(p['earlier_span'])} and "
                              f"{p['later']} {span(p['later_span'])} at the same time",
    "unavailable": lambda p, at_: f"{p['delegate']} attends {p['activity']} {span(p['span'])}, inside their "
                                  f"unavailable window {span(p['window'])}{at_}",
    "travel": _travel,
    "parallel": lambda p, at_: f"{p['venue']} hosts {len(p['together'])} activities at {at(p['instant'])}, "
                               f"more than its parallel {p['parallel']}: {listing(p['together'])}{at_}",
    "capacity": lambda p, at_: f"{p['activity']} brings {p['headcount']} people to {p['venue']}, above its "
                               f"capacity of {p['capacity']}{at_}",
    "accompany": lambda p, at_: f"{p['companion']} must accompany {', '.join(map(str, p['principals']))} to "
                                f"{p['activity']} ({p['kind']}) but does not attend it{at_}",
    "min_gap": _min_gap,
    "lunch": _lunch,
    "frozen-missing": lambda p, at_: f"{p['activity']} started at {at(p['start'])}, before now + notice, "
                                     f"and is missing from the re-plan{at_}",
    "frozen-changed": _frozen_changed,
    "frozen-meeting-missing": lambda p, at_: f"the B2B meeting of {', '.join(p['people'])} in {p['session']} "
                                             f"at {at(p['start'])}, table {p['table']}, started before now + "
                                             f"notice and is missing from the re-plan{at_}",
    "frozen-meeting-changed": lambda p, at_: f"the B2B meeting of {', '.join(p['people'])} in {p['session']} "
                                             f"at {at(p['start'])}, table {p['table']}, started before now + "
                                             f"notice and moved to {at(p['moved_to'])}, table "
                                             f"{p['moved_table']}{at_}",
    "frozen-meeting-period": lambda p, at_: f"the B2B meeting of {', '.join(p['people'])} in {p['session']} "
                                            f"at {at(p['start'])}, table {p['table']}, starts before now + "
                                            f"notice ({at(p['cutoff'])}) and was not there in the "
                                            f"baseline{at_}",
    "frozen-period": lambda p, at_: f"{p['activity']} starts at {at(p['start'])}, before now + notice "
                                    f"({at(p['cutoff'])}), and was not there in the baseline{at_}",
    "pinned-missing": lambda p, at_: f"{p['activity']} is pinned at {at(p['start'])} and is no longer "
                                     f"scheduled{at_}",
    "pinned-moved": lambda p, at_: f"{p['activity']} is pinned at {at(p['start'])} and starts at "
                                   f"{at(p['moved_to'])}{at_}",
    "lodging": _lodging,
}
"""Violation code → its English sentence; `at_` is the ' (file:line:column)' of the statement broken."""
VIOLATIONS.update(B2B_VIOLATIONS)


def violation_message(code: str, params: Params, refs: Sequence[Source] = ()) -> str:
    """The English sentence of one violation of the checker."""
    render = VIOLATIONS.get(code) or rule_kinds()[code].message
    return render(params, where(refs))
