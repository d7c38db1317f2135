"""The `max_hours` rule kind, declared in one place (docs/mission-format.md, rules):

    - max_hours: {who: A, hours: 9}

On any one date, the activities a delegate in A attends plus the travel between them add up to at most
`hours`. An activity counts on the local date it starts; travel counts between consecutive activities of
that date at different venues of one city (the travel table of the mission), as the travel rule defines it.
`hours` is a number of hours (9, 8.5) or a duration (8h30m); it is a whole number of minutes.

The model function and the checker function below share no code: the first states the rule over the CP-SAT
model's literals and a travel sequence of the day, the second recomputes it from a schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from planner.check.common import Placed, Violation
from planner.domain import Mission, Rule
from planner.domain.rules import RuleKind, register
from planner.mission.scalars import DURATION_PATTERN, fail, is_number, parse_duration, refuse_many, shown
from planner.mission.vocabulary import Entry, Id
from planner.text.format import format_duration
from planner.text.i18n import SOURCE_LANGUAGE, words_for
from planner.text.messages import Listed, Named, listing, rule_name

if TYPE_CHECKING:
    from planner.solver.variables import MissionModel

KEY = "max_hours"
LONGEST_DAY = 24 * 60


@dataclass(frozen=True, kw_only=True, slots=True)
class MaxHours(Rule):
    """On any one date, a delegate's activities plus the travel between them last at most `limit` minutes."""

    limit: int

    @property
    def kind(self) -> str:
        return KEY


# --- the mission format ------------------------------------------------------------------------------------


def parse_hours(value: Any) -> int:
    """`9`, `8.5` (hours) or `8h30m` (a duration) → whole minutes, more than 0 and at most a day."""
    refuse_many(value, "hours", "number of hours", "9", parse_hours)
    if is_number(value):
        minutes = value * 60
        if minutes != int(minutes):
            raise fail("hours",
                       f"{shown(value)} hours is not a whole number of minutes; write e.g. 8.5 or 8h20m")
        minutes = int(minutes)
    elif isinstance(value, str) and value.strip().replace(".", "", 1).isdecimal():
        return parse_hours(float(value))
    elif isinstance(value, str) and DURATION_PATTERN.fullmatch(value.strip()) and any(
            unit in value for unit in "hm"):
        minutes = parse_duration(value)
    else:
        raise fail("hours", f"`{shown(value)}` is not a number of hours; write e.g. 9, 8.5 or 8h30m")
    if not 0 < minutes <= LONGEST_DAY:
        raise fail("hours", f"{shown(value)} is not between a minute and 24 hours; write e.g. 9 or 8h30m")
    return minutes


Hours = Annotated[
    int,
    PlainValidator(parse_hours),
    WithJsonSchema({
        "anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 24},
                  {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?|(\d+\s*h)?\s*(\d+\s*m(in)?)?)\s*$"}],
        "description": "hours (9, 8.5) or a duration (8h30m)",
    }),
]


class MaxHoursBody(Entry):
    """Each delegate of `who` is busy at most `hours` a date: activities plus the travel between them."""

    who: Id
    hours: Hours


def resolve(resolution: Any, body: MaxHoursBody, path: tuple[Any, ...], common: dict[str, Any]) -> Rule:
    """max_hours: nothing more to resolve than `who`."""
    return MaxHours(**common, limit=body.hours)


def write(rule: MaxHours) -> dict[str, Any]:
    hours = rule.limit / 60
    return {"hours": int(hours) if hours.is_integer() else format_duration(rule.limit)}


# --- the model ---------------------------------------------------------------------------------------------


def add_max_hours(built: MissionModel, rule: MaxHours) -> None:
    """Spec rule `max_hours` (docs/mission-format.md): activities plus travel of a delegate on one date."""
    from planner.solver.sequencing import add_day_sequence
    from planner.solver.variables import literal_key

    attendance = built.attendance_by_delegate()
    seen: set[tuple] = set()
    for delegate_id in rule.delegates:
        attended = attendance.get(delegate_id, [])
        signature = tuple(sorted((a, literal_key(literal)) for a, literal in attended))
        if not attended or built.repeats(signature, seen):
            continue
        by_day: dict[int, list[tuple[str, Any]]] = defaultdict(list)
        for activity_id, literal in attended:
            for day in built.activities[activity_id].days:
                by_day[day].append((activity_id, literal))
        guard: list[Any] | None = None
        for day, entries in sorted(by_day.items()):
            longest_travel = max((built.mission.travel_minutes(x, y) or 0
                                  for a, _ in entries for b, _ in entries if a != b
                                  for x in built.activities[a].venues for y in built.activities[b].venues),
                                 default=0)
            unit = built.axis.unit  # the model counts time in units of this many minutes, travel in minutes
            most = (sum(built.activities[a].duration * unit for a, _ in entries)
                    + longest_travel * (len(entries) - 1))
            if most <= rule.limit:
                continue  # cannot be broken that date, whatever is chosen
            if guard is None:
                guard = built.statement("rule", (rule.id, delegate_id), rule.source)
            visits = [(a, built.on_day(built.activities[a], literal, day)) for a, literal in entries]
            busy = sum(built.activities[a].duration * unit * visited for a, visited in visits)
            travel = add_day_sequence(built, visits) if len(visits) > 1 else 0
            built.model.add(busy + travel <= rule.limit).only_enforce_if(guard)


# --- the checker -------------------------------------------------------------------------------------------


def check_max_hours(mission: Mission, rule: MaxHours,
                    attendance: Mapping[str, list[Placed]]) -> list[Violation]:
    """max_hours: per delegate and local start date, durations plus travel between consecutive activities."""
    violations = []
    for delegate_id in rule.delegates:
        by_date: dict[date, list[Placed]] = defaultdict(list)
        for entry in attendance.get(delegate_id, []):
            by_date[entry.start.astimezone(entry.zone).date()].append(entry)
        for day, entries in sorted(by_date.items()):
            entries.sort(key=lambda entry: entry.start)
            busy = sum(int((entry.end - entry.start).total_seconds()) // 60 for entry in entries)
            travel = 0
            for earlier, later in zip(entries, entries[1:]):
                venue_a, venue_b = earlier.scheduled.venue, later.scheduled.venue
                if venue_a in mission.venues and venue_b in mission.venues and \
                        mission.venues[venue_a].city == mission.venues[venue_b].city:
                    travel += mission.travel_minutes(venue_a, venue_b) or 0
            if busy + travel > rule.limit:
                delegate = mission.delegates.get(delegate_id)
                params = {"delegate": Named("delegate", delegate_id, delegate.name if delegate else None),
                          "day": day, "busy": busy, "travel": travel, "limit": rule.limit, "rule": rule.id,
                          "counted": [entry.listed for entry in entries]}
                violations.append(Violation(KEY, params, (rule.source,), tuple(entry.id for entry in entries),
                                            (delegate_id,)))
    return violations


# --- words -------------------------------------------------------------------------------------------------


def message(params: Mapping[str, Any], at: str) -> str:
    counted: Sequence[Listed] = params["counted"]
    return (f"{params['delegate']} is busy {format_duration(params['busy'] + params['travel'])} on "
            f"{params['day']} ({format_duration(params['busy'])} of activities and {params['travel']} min of "
            f"travel), more than the {format_duration(params['limit'])} that "
            f"{rule_name(params['rule'], KEY)} allows: {listing(counted)}{at}")


def describe(mission: Mission, rule: MaxHours) -> dict[str, Any]:
    return {"limit": rule.limit}


def statement(params: Mapping[str, Any], who: str, language: str = SOURCE_LANGUAGE) -> str:
    return words_for(language).gettext("%(who)s is busy at most %(limit)s a day, travel included") % {
        "who": who, "limit": _hours(params["limit"], language)}


def blocks(mission: Mission, rule: MaxHours, activity: Any, delegate_id: str, start: int, end: int,
           same_day: Sequence[tuple[int, int, Any]]) -> dict[str, Any] | None:
    """Why a slot breaks the rule: the delegate's activities that day with it, and the travel between the
    others except around the slot (which the activity may change), already last too long — a lower bound,
    so a reason given here is certain."""
    others = sorted(same_day, key=lambda entry: entry[0])
    travel = 0
    for (_, high_a, first), (low_b, _, second) in zip(others, others[1:]):
        if high_a <= start and end <= low_b:
            continue  # the slot lies between these two: the steps around it are not known
        venue_a, venue_b = first.venue, second.venue
        if mission.venues[venue_a].city == mission.venues[venue_b].city:
            travel += mission.travel_minutes(venue_a, venue_b) or 0
    busy = sum(high - low for low, high, _ in others) + (end - start) + travel
    if busy <= rule.limit:
        return None
    return {"delegate": mission.delegates[delegate_id].name, "busy": busy, "rule": rule.id,
            "limit": rule.limit}


def blocked_message(params: Mapping[str, Any], at: str, language: str = SOURCE_LANGUAGE) -> str:
    words = words_for(language)
    return words.gettext(
        "%(delegate)s being busy at least %(busy)s that day with it, travel included (rule %(rule)s: at most "
        "%(limit)s, %(source)s)") % {"delegate": params["delegate"], "busy": _hours(params["busy"], language),
                                     "rule": params["rule"], "limit": _hours(params["limit"], language),
                                     "source": at}


def _hours(minutes: int, language: str) -> str:
    """`6h30m` as the mission file writes it (schedule.json's sentence); the reader's CLDR units otherwise."""
    if language == SOURCE_LANGUAGE:
        return format_duration(minutes)
    return format_duration(minutes, "clock", language)


KIND = register(RuleKind(
    key=KEY,
    rule_type=MaxHours,
    body=MaxHoursBody,
    resolve=resolve,
    write=write,
    add_to_model=add_max_hours,
    check=check_max_hours,
    message=message,
    describe=describe,
    statement=statement,
    blocks=blocks,
    blocked_message=blocked_message,
))
