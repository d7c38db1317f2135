"""The vocabulary of the mission format: the scalar types of its keys (durations, ids, dates...) and
the `Entry` base of every entry, shared by the schema and by rule kinds declared elsewhere
(planner.rules), which build their entries from it without importing the schema itself."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainValidator,
    WithJsonSchema,
)

from planner.domain import LANGUAGES
from planner.mission.limits import DEFAULT_TEXT_LIMIT, LONG_TEXT_LIMIT
from planner.mission.scalars import (  # noqa: F401 - the scalar parsers are part of the schema's vocabulary
    DATE_PATTERN_TEXT,
    DATETIME_PATTERN_TEXT,
    DURATION_PATTERN_TEXT,
    ID_PATTERN_TEXT,
    TIME_OF_DAY_PATTERN_TEXT,
    WrittenDateTime,
    number_between,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_email,
    parse_geo,
    parse_id,
    parse_language,
    parse_positive_duration,
    parse_priority,
    parse_text,
    parse_time_of_day,
    parse_time_range,
    parse_timezone,
    parse_travel_time,
    parse_window,
    suggest_id,
    whole_number,
)

_DURATION_SCHEMA = {
    "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": DURATION_PATTERN_TEXT}],
    "description": "minutes: 90m, 2h, 1h30m, or an integer",
}
Duration = Annotated[int, PlainValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
PositiveDuration = Annotated[
    int,
    PlainValidator(parse_positive_duration),
    WithJsonSchema(
        {
            **_DURATION_SCHEMA,
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": DURATION_PATTERN_TEXT},
            ],
        }
    ),
]
TimeOfDay = Annotated[
    int,
    PlainValidator(parse_time_of_day),
    WithJsonSchema(
        {"type": "string", "pattern": TIME_OF_DAY_PATTERN_TEXT, "description": '"HH:MM", 24-hour clock'}
    ),
]
DateValue = Annotated[
    date,
    PlainValidator(parse_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN_TEXT, "description": "YYYY-MM-DD"}),
]
_DATETIME_SCHEMA = {
    "type": "string",
    "pattern": DATETIME_PATTERN_TEXT,
    "description": '"YYYY-MM-DD HH:MM", local time of the leg; or with an offset',
}
_WHOLE_DAY_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$",
    "description": '"YYYY-MM-DD" at both ends of a window: the first day\'s start to the last day\'s end',
}
DateTimeValue = Annotated[WrittenDateTime, PlainValidator(parse_datetime), WithJsonSchema(_DATETIME_SCHEMA)]
WindowValue = Annotated[
    tuple[WrittenDateTime, WrittenDateTime],
    PlainValidator(parse_window),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"anyOf": [_DATETIME_SCHEMA, _WHOLE_DAY_SCHEMA]},
            "minItems": 2,
            "maxItems": 2,
            "description": "[start, end): a half-open interval; two dates alone: those days whole",
        }
    ),
]
TimeRange = Annotated[
    tuple[int, int],
    PlainValidator(parse_time_range),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "string", "pattern": TIME_OF_DAY_PATTERN_TEXT},
            "minItems": 2,
            "maxItems": 2,
            "description": '["HH:MM", "HH:MM"]',
        }
    ),
]
Geo = Annotated[
    tuple[float, float],
    PlainValidator(parse_geo),
    WithJsonSchema(
        {
            "type": "array",
            "prefixItems": [
                {"type": "number", "minimum": -90, "maximum": 90},
                {"type": "number", "minimum": -180, "maximum": 180},
            ],
            "minItems": 2,
            "maxItems": 2,
            "description": "[latitude, longitude] in degrees",
        }
    ),
]
Id = Annotated[
    str,
    PlainValidator(parse_id),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": ID_PATTERN_TEXT}, {"type": "integer", "minimum": 0}]}
    ),
]
Text = Annotated[str, PlainValidator(parse_text),
                 WithJsonSchema({"type": ["string", "number"], "maxLength": DEFAULT_TEXT_LIMIT})]
"""Free text of at most `DEFAULT_TEXT_LIMIT` characters (a name, a title, a city…)."""
LongText = Annotated[str, PlainValidator(lambda value: parse_text(value, LONG_TEXT_LIMIT)),
                     WithJsonSchema({"type": ["string", "number"], "maxLength": LONG_TEXT_LIMIT})]
"""Free text of at most `LONG_TEXT_LIMIT` characters: a description, an address."""
Timezone = Annotated[
    str,
    PlainValidator(parse_timezone),
    WithJsonSchema({"type": "string", "description": "IANA time zone, e.g. America/Los_Angeles"}),
]
Language = Annotated[
    str,
    PlainValidator(parse_language),
    WithJsonSchema({"enum": list(LANGUAGES), "description": "ISO 639-1 code of a language planner speaks"}),
]
Email = Annotated[str, PlainValidator(parse_email), WithJsonSchema({"type": "string", "format": "email"})]
Priority = Annotated[
    int | None,
    PlainValidator(parse_priority),
    WithJsonSchema({"anyOf": [{"const": "required"}, {"type": "integer", "minimum": 1, "maximum": 1000}]}),
]
# Upper bounds keep the numbers a solver multiplies (headcounts, weights) far inside 64-bit integers.
PositiveCount = Annotated[
    int,
    PlainValidator(whole_number(1, 1_000_000)),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 1_000_000}),
]
Count = Annotated[
    int,
    PlainValidator(whole_number(0, 1_000_000)),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 1_000_000}),
]
Speed = Annotated[
    float,
    PlainValidator(number_between(1, 1000, "35")),
    WithJsonSchema({"type": "number", "minimum": 1, "maximum": 1000}),
]
Detour = Annotated[
    float,
    PlainValidator(number_between(1, 10, "1.3")),
    WithJsonSchema({"type": "number", "minimum": 1, "maximum": 10}),
]


TravelTime = Annotated[
    tuple[str, str, int],
    PlainValidator(parse_travel_time),
    WithJsonSchema(
        {
            "type": "array",
            "minItems": 3,
            "maxItems": 3,
            "prefixItems": [
                Id.__metadata__[-1].json_schema,
                Id.__metadata__[-1].json_schema,
                _DURATION_SCHEMA,
            ],
            "description": "[venue_a, venue_b, duration], symmetric; the whole time, buffer included",
        }
    ),
]


class Entry(BaseModel):
    """Unknown keys are errors: a misspelt optional key would otherwise be silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True)
