"""The mission workbook's layout: which sheet holds which section, its columns, and how a cell is written.

One sheet per section. "Mission" is a column of keys and a column of values; "Travel" holds its settings
the same way (columns E–F) beside the table of explicit times (A–C); every other section is a table, one
row per entry under a header row of keys. Lists are written the way a person writes them:
`astrid, simonet`; `;` or line breaks separate items that hold commas. Ranges use a dash
(`09:00–18:00`, `2025-10-06 09:00 – 2025-10-06 12:00`), `after` items an optional gap (`welcome +30m`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from planner.mission.schema import RULE_BODIES

SHEETS = {
    "mission": "Mission",
    "legs": "Legs",
    "venues": "Venues",
    "travel": "Travel",
    "delegates": "Delegates",
    "groups": "Groups",
    "activities": "Activities",
    "rules": "Rules",
    "counterparts": "Counterparts",
    "meetings": "Meetings",
    "lodging": "Lodging",
}
"""Section → sheet name, in the format's order."""

SETTINGS = {
    "mission": ("name", "timezone", "grain", "day", "language"),
    "travel": ("speed_kmh", "detour", "buffer", "default"),
}
"""Sections written as key | value rows."""

TRAVEL_TIMES = ("venue_a", "venue_b", "duration")
TRAVEL_SETTINGS_COLUMN = 5
"""Column E: "setting", F: "value", beside the travel times in A–C."""


def _rule_columns() -> tuple[str, ...]:
    """`id`, `rule`, then every key of every rule kind, once, in the kinds' order: a kind that a plug-in
    declares brings its own columns."""
    keys = (info.alias or name for body in RULE_BODIES.values() for name, info in body.model_fields.items())
    return ("id", "rule", *dict.fromkeys(keys))


COLUMNS = {
    "legs": ("city", "from", "to", "timezone"),
    "venues": ("id", "name", "city", "address", "geo", "open", "parallel", "capacity"),
    "delegates": ("id", "name", "role", "organisation", "delegation", "sectors", "size", "email",
                  "unavailable", "language"),
    "groups": ("id", "name", "kind", "members"),
    "activities": ("id", "title", "kind", "venue", "duration", "attendees", "optional_attendees", "fixed",
                   "windows", "dates", "after", "priority", "description", "meetings", "pinned"),
    "rules": _rule_columns(),
    "counterparts": ("id", "name", "organisation", "email", "size", "unavailable", "sessions", "language"),
    "meetings": ("with", "priority", "sessions"),
    "lodging": ("city", "venue", "who", "leave"),
}
"""Sections written as tables, and their columns. Activities' `venue` holds one id or a list of candidates
(the format's `venue` or `venues`); a rule's `rule` names its kind, the other columns its keys. Every key
of the format has its column (tests/test_workbook_round_trip.py writes each and reads it back)."""

LISTS = {"sectors", "members", "attendees", "optional_attendees", "kinds", "dates", "venues", "sessions"}
SESSION_SETTING = re.compile(r"\s*slot\s+(\S+)\s*,\s*tables\s+(\d+)\s*")
"""An activity's `meetings` cell: `slot 20m, tables 18` (docs/b2b.md)."""
WINDOW_LISTS = {"unavailable", "windows"}
DURATIONS = {"grain", "buffer", "default", "duration", "gap", "hours"}
BOOLEANS = {"pinned"}
"""Keys whose cell holds TRUE or FALSE; text that says so (`true`, `FALSE`) reads as the same."""
DATES = {"from", "to"}
RANGE = re.compile(r"\s*(.+?)\s*(?:–|—|\s-\s|\sto\s|(?<=\d)-(?=\d{1,2}:))\s*(.+?)\s*")
AFTER_ITEM = re.compile(r"\s*(\S+)\s*\+\s*(\S.*?)\s*")
DATETIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- cell → document value ------------------------------------------------------------------------------


def _scalar(key: str, value: Any) -> Any:
    """A cell's value as the YAML reader would give it: text, a whole number, a number."""
    if isinstance(value, datetime):
        if key in DATES or (value.time() == time() and key not in ("fixed",)):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        minutes = value.hour * 60 + value.minute
        if key in DURATIONS:  # 1:30 typed in a duration cell: an hour and a half
            return f"{minutes // 60}h{minutes % 60:02d}m" if minutes % 60 else f"{minutes // 60}h"
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def split_items(text: str) -> list[str]:
    """`a, b` · `a; b` · one item per line: line breaks first, then `;`, then `,`."""
    for separator in ("\n", ";", ","):
        if separator in text:
            return [item.strip() for item in text.split(separator) if item.strip()]
    return [text.strip()] if text.strip() else []


def _range(text: str) -> list[str] | str:
    """`09:00–18:00` → ["09:00", "18:00"]; text that is no range stays as written (the schema says why)."""
    match = RANGE.fullmatch(text)
    return [match[1], match[2]] if match else text


def cell_value(section: str, key: str, value: Any) -> Any:
    """The document value of a non-empty cell under `key`."""
    if not isinstance(value, str):
        scalar = _scalar(key, value)
        return [scalar] if key in LISTS else scalar
    text = value.strip()
    if key in BOOLEANS and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if key in LISTS:
        return split_items(text)
    if key in WINDOW_LISTS:
        return [_range(item) for item in split_items(text)]
    if key == "open":
        return [_range(item) for item in split_items(text)]
    if key == "between":
        return _range(text)
    if key == "day" and section == "mission":
        written = _range(text)
        return {"start": written[0], "end": written[1]} if isinstance(written, list) else text
    if key == "geo":
        parts = split_items(text) if ";" in text or "," in text else text.split()
        try:
            return [float(part) for part in parts]
        except ValueError:
            return text
    if key == "with" and section == "meetings":
        return split_items(text)
    if key == "meetings" and section == "activities":
        setting = SESSION_SETTING.fullmatch(text)
        return {"slot": setting[1], "tables": int(setting[2])} if setting else text
    if key == "after":
        items: list[Any] = []
        for item in split_items(text):
            match = AFTER_ITEM.fullmatch(item)
            items.append({"id": match[1], "gap": match[2]} if match else item)
        return items
    return text


# --- document value → cell ------------------------------------------------------------------------------


def _joined(items: list[Any]) -> str:
    texts = [str(item) for item in items]
    return ("\n" if any("," in text or ";" in text or "\n" in text for text in texts) else ", ").join(texts)


def _range_text(value: Any, spaced: bool = False) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]} – {value[1]}" if spaced else f"{value[0]}–{value[1]}"
    return str(value)


def cell_of(section: str, key: str, value: Any) -> Any:
    """How the value of `key` is written in its cell (the inverse of `cell_value`)."""
    if value is None:
        return None
    if key in LISTS or (key == "with" and section == "meetings"):
        return _joined(value) if isinstance(value, list) else value
    if key == "meetings" and isinstance(value, dict):
        return f"slot {value.get('slot')}, tables {value.get('tables')}"
    if key in WINDOW_LISTS:
        return ", ".join(_range_text(item, spaced=True) for item in value)
    if key == "open":
        return ", ".join(_range_text(item) for item in value)
    if key == "between":
        return _range_text(value)
    if key == "day" and isinstance(value, dict):
        return f"{value.get('start', '')}–{value.get('end', '')}"
    if key == "geo" and isinstance(value, list):
        return ", ".join(str(part) for part in value)
    if key == "after":
        return _joined([item if not isinstance(item, dict) else
                        f"{item['id']} +{item['gap']}" if "gap" in item else item["id"] for item in value])
    if key in DATES and isinstance(value, str) and DATE_TEXT.fullmatch(value):
        return date.fromisoformat(value)
    if key == "fixed" and isinstance(value, str) and DATETIME_TEXT.fullmatch(value):
        return datetime.strptime(value, "%Y-%m-%d %H:%M")
    return value
