"""The shape of schedule.json (`planner-schedule/1`, ../shared/spec/schedule-format.md) as pydantic models:
the one source of the check that `read_schedule` makes before reading a schedule and of the JSON Schema
that `planner schema --schedule` prints (docs/schedule-format.md).

Strict: a list is a list (`"attendees": "astrid"` is not read letter by letter), a text is a text. Keys the
contract does not name are allowed everywhere (the contract lets later releases add keys), but only within
`MAX_NESTING` levels, and every text obeys the limits of docs/limits.md.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from planner.domain.schedule import FORMAT, STATUSES
from planner.mission.limits import DEFAULT_TEXT_LIMIT, MAX_ID_LENGTH, MESSAGE_LIMIT, too_long_message
from planner.mission.scalars import FIRST_YEAR, ID_PATTERN, ID_PATTERN_TEXT, LAST_YEAR
from planner.text.control import control_character_message, shortened, visible

INSTANT_EXAMPLE = "2025-10-06T09:30:00-07:00"


def _shown(value: Any) -> str:
    """A value of schedule.json as JSON writes it (`["x"]`, `true`, `null`), not as Python would."""
    text = visible(value) if isinstance(value, str) else visible(json.dumps(value, ensure_ascii=False))
    return shortened(text)


def parse_schedule_text(value: Any, limit: int = DEFAULT_TEXT_LIMIT) -> str:
    """A JSON string of at most `limit` characters, without control characters but tab and line feed."""
    if not isinstance(value, str):
        raise PydanticCustomError("text", f"expected a JSON string, found {_shown(value)}")
    problem = too_long_message(len(value), limit) or control_character_message(value, "the text")
    if problem:
        raise PydanticCustomError("text", problem)
    return value


def parse_schedule_id(value: Any) -> str:
    """An id of the mission (activity, venue, delegate, rule), as a JSON string."""
    if isinstance(value, str) and len(value) <= MAX_ID_LENGTH and ID_PATTERN.fullmatch(value):
        return value
    raise PydanticCustomError("id", f"{_shown(value)} is not an id of the mission; write it as planner wrote "
                                    "it, e.g. \"visit-google\"")


def parse_instant(value: Any) -> datetime:
    """ISO 8601 with a UTC offset, in a year planner plans for."""
    if isinstance(value, str) and len(value) <= 40:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            instant = None
        if instant is not None and instant.utcoffset() is not None:
            if not FIRST_YEAR <= instant.year <= LAST_YEAR:
                raise PydanticCustomError(
                    "instant",
                    f"{_shown(value)} is not in a year planner plans for ({FIRST_YEAR}–{LAST_YEAR})")
            return instant
        if instant is not None:
            raise PydanticCustomError("instant",
                                      f"{_shown(value)} has no UTC offset; write e.g. {INSTANT_EXAMPLE}")
    raise PydanticCustomError("instant",
                              f"{_shown(value)} is not an ISO 8601 instant; write e.g. {INSTANT_EXAMPLE}")


Text = Annotated[str, PlainValidator(lambda value: parse_schedule_text(value, DEFAULT_TEXT_LIMIT)),
                 WithJsonSchema({"type": "string", "maxLength": DEFAULT_TEXT_LIMIT})]
Message = Annotated[str, PlainValidator(lambda value: parse_schedule_text(value, MESSAGE_LIMIT)),
                    WithJsonSchema({"type": "string", "maxLength": MESSAGE_LIMIT})]
Id = Annotated[str, PlainValidator(parse_schedule_id),
               WithJsonSchema({"type": "string", "pattern": ID_PATTERN_TEXT, "maxLength": MAX_ID_LENGTH})]
Instant = Annotated[datetime, PlainValidator(parse_instant),
                    WithJsonSchema({"type": "string", "format": "date-time",
                                    "description": "ISO 8601 with the UTC offset of the place, "
                                                   f"e.g. {INSTANT_EXAMPLE}"})]


def parse_whole_number(value: Any) -> int | None:
    """A whole JSON number (1234 or 1234.0), or null: an objective or a bound."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    raise PydanticCustomError("number", f"{_shown(value)} is not a whole number or null")


def parse_seconds(value: Any) -> float:
    """A finite, non-negative JSON number of seconds."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and math.isfinite(value) and value >= 0:
        return float(value)
    raise PydanticCustomError("number", f"{_shown(value)} is not a number of seconds (0 or more)")


WholeNumber = Annotated[int | None, PlainValidator(parse_whole_number),
                        WithJsonSchema({"type": ["integer", "null"]})]
Seconds = Annotated[float, PlainValidator(parse_seconds), WithJsonSchema({"type": "number", "minimum": 0})]


class _Entry(BaseModel):
    # The contract lets later releases add keys; planner keeps them (Schedule.extra) and checks their depth.
    model_config = ConfigDict(extra="allow", strict=True)


class ScheduledEntry(_Entry):
    """One scheduled activity."""

    id: Id
    title: Text | None = None
    kind: Text | None = None
    venue: Id
    start: Instant
    end: Instant
    attendees: list[Id] = Field(description="every delegate id that attends, sorted")


class UnscheduledEntry(_Entry):
    """An activity left out, and why."""

    id: Id
    reason: Message = ""
    code: Text = Field("", description="which reason (planner's addition, docs/schedule-format.md)")
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="the reason's parameters (planner's addition)")


class ConflictEntry(_Entry):
    """A small set of the mission's statements that cannot hold together."""

    message: Message = ""
    activities: list[Id] = Field(default_factory=list)
    delegates: list[Id] = Field(default_factory=list)
    rules: list[Text] = Field(default_factory=list)
    code: Text = Field("", description="what was found (planner's addition, docs/schedule-format.md)")
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="what the message says (planner's addition)")


class ScheduleFile(_Entry):
    """schedule.json, `planner-schedule/1`."""

    format: Literal["planner-schedule/1"] = Field(description=f"always {FORMAT}")
    mission: Text = ""
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    objective: WholeNumber = None
    bound: WholeNumber = None
    solve_seconds: Seconds = 0.0
    activities: list[ScheduledEntry]
    unscheduled: list[UnscheduledEntry] = Field(default_factory=list)
    conflicts: list[ConflictEntry] = Field(default_factory=list)


assert tuple(ScheduleFile.model_fields["status"].annotation.__args__) == STATUSES  # type: ignore[union-attr]


def schedule_json_schema() -> dict[str, Any]:
    """The JSON Schema of schedule.json, generated from the models `read_schedule` validates with."""
    schema = ScheduleFile.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def nesting_depth_exceeds(document: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            if depth > limit:
                return True
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return False
