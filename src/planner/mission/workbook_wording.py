"""The loader's messages in a mission workbook's terms: sheets, column headers as the person wrote them,
rows and cells, and cells written as `planner.mission.workbook_layout` reads them (`08:00–22:00`, not
`{start: "08:00", end: "22:00"}`).

The checks are the YAML's (`planner.mission.shapes`, `planner.mission.resolve*`); only the words differ.
`WorkbookWording` reads what the reader recorded in `planner.mission.workbook.WorkbookPositions`: the
sheet of each section, the header of each column, the row of each entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from openpyxl.utils import get_column_letter

from planner.domain import Source
from planner.mission.hints import closest, listing, quote, written
from planner.mission.wording import Path, Wording
from planner.mission.workbook_layout import (
    COLUMNS,
    LISTS,
    SETTINGS,
    SHEETS,
    TRAVEL_SETTINGS_COLUMN,
    TRAVEL_TIMES,
    cell_of,
)


class Recorded(Protocol):
    """What `planner.mission.workbook.WorkbookPositions` recorded while reading the workbook."""

    values: dict[Path, Source]
    """A document path → the cell of its value (an entry's: its row's first cell)."""
    sheets: dict[str, str]
    """Section → its sheet's name as written."""
    columns: dict[str, dict[str, str]]
    """Section → key → its column's header (or key cell) as written."""
    blank_settings: dict[Path, Source]
    """(section, key) → the empty value cell of a key | value row written without its value."""

FORM_EXAMPLES: dict[str, Any] = {
    "day": {"start": "08:00", "end": "22:00"},
    "between": ["11:30", "14:00"],
    "open": [["09:00", "12:00"], ["14:00", "18:00"]],
    "windows": [["2025-10-06 09:00", "2025-10-06 12:00"]],
    "unavailable": [["2025-10-06 08:00", "2025-10-06 12:00"]],
    "geo": [37.7924, -122.4102],
    "after": ["welcome", {"id": "briefing", "gap": "30m"}],
    "meetings": {"slot": "20m", "tables": 10},
    "with": ["astrid", "acme"],
}
"""A document value of each key whose cell has a form of its own; a message shows it as its cell holds
it (`cell_of`), so the advice is the workbook's own way of writing it."""

YAML_EXAMPLES = {
    '[["09:00", "17:00"]]': "09:00–17:00",
    '["09:00", "17:00"]': "09:00–17:00",
    '[["2025-10-06 09:00", "2025-10-06 12:00"]]': "2025-10-06 09:00 – 2025-10-06 12:00",
    '["2025-10-06 09:00", "2025-10-06 12:00"]': "2025-10-06 09:00 – 2025-10-06 12:00",
    "[37.7924, -122.4102]": "37.7924, -122.4102",
    "(write [lat, lon])": "(write latitude, longitude)",
    "[start, end]": "start – end",
    'write it in quotes as "HH:MM"': "write it as HH:MM",
    '"YYYY-MM-DD HH:MM"': "YYYY-MM-DD HH:MM",
    '"2025-10-06 09:30"': "2025-10-06 09:30",
    '"HH:MM"': "HH:MM",
    '"00:00"': "00:00",
    '"24:00"': "24:00",
    '"08:30"': "08:30",
}
"""The examples of `planner.mission.scalars` written the YAML's way, and the same in a cell (a cell needs
no quotes to hold a time as text)."""


ID_SEPARATORS = re.compile(r"\s*(?:/|\||&|\+|\s(?:or|and|et|of|en|oder|und)\s)\s*")
"""How a person separates several ids in a cell, other than planner's commas (`google / stanford`,
`astrid and simonet`, in the four languages' words)."""


class WorkbookWording(Wording):
    whole = "the workbook"

    def __init__(self, positions: Recorded):
        self.positions = positions

    def sheet(self, section: str) -> str:
        return self.positions.sheets.get(section) or SHEETS.get(section, section)

    def section(self, name: str) -> str:
        return f"the {self.sheet(name)} sheet"

    def entry(self, path: Path, label: str) -> str:
        place = self.positions.values.get(tuple(path))
        return f"{label} on row {place.line}" if place is not None else super().entry(path, label)

    def _header(self, section: str, key: str) -> str | None:
        """The header of `key`'s column in `section`'s sheet as written (`Optional attendees`), if any."""
        return self.positions.columns.get(section, {}).get(key)

    def _column_key(self, path: Path) -> str | None:
        """The key of the column (or of the key | value row) that holds the value at `path`."""
        section = path[0]
        if section in SETTINGS:
            return path[1] if len(path) > 1 and isinstance(path[1], str) and path[1] != "times" else None
        if section == "rules" and len(path) > 2:
            return path[3] if len(path) > 3 and isinstance(path[3], str) else "rule"
        if section == "activities" and len(path) > 2 and path[2] == "venues":
            return "venue"  # the format's `venues` is written in the `venue` column
        return path[2] if len(path) > 2 and isinstance(path[2], str) else None

    def key(self, path: Path) -> str:
        section = path[0]
        if tuple(path[:2]) == ("travel", "times"):
            place = self.positions.values.get(tuple(path[:3]))
            return f"row {place.line}" if place is not None else "its travel times"
        column = self._column_key(path)
        if column is None:
            return super().key(path)
        header = self._header(section, column) or column
        return f"`{header}`" if section in SETTINGS else f"column `{header}`"

    def unknown_key(self, path: Path, owner: str, valid: Sequence[str]) -> str:
        section, key = path[0], path[-1]
        header = self._header(section, key) if isinstance(key, str) else None
        suggestion = closest(key, valid)
        shown = f"`{header}`" if header is not None else quote(key)
        if section == "rules" and len(path) == 4:
            return (f"{owner}: the rule `{path[2]}` takes no {shown}; empty this cell (it takes "
                    f"{listing(valid)})")
        if section in SETTINGS and len(path) == 2:
            hint = f"did you mean `{suggestion}`?" if suggestion else f"the keys are {listing(valid)}"
            return f"{self.section(section)}: unknown key {shown}; {hint}"
        if len(path) == 3:
            hint = f"did you mean `{suggestion}`?" if suggestion else f"the columns are {listing(valid, 20)}"
            return f"{self.section(section)}: unknown column {shown}; {hint}"
        return super().unknown_key(path, owner, valid)

    def unknown_rule(self, entry: str, kind: Any, kinds: Sequence[str]) -> str:
        # the id has a column of its own: the `rule` cell is only ever a kind
        suggestion = closest(kind, kinds)
        hint = f"did you mean `{suggestion}`? Write" if suggestion else "write"
        return (f"{entry}: unknown rule {quote(kind)}; {hint} one of {listing(kinds)} in its "
                f"`{self._header('rules', 'rule') or 'rule'}` cell")

    def missing_key(self, path: Path, owner: str, name: str) -> str:
        section = path[0]
        if section in SETTINGS and len(path) == 1:
            blank = self.positions.blank_settings.get((section, name))
            if blank is not None:  # the template's key cell, its value left empty
                return (f"{self.section(section)} has no `{name}`: its value cell {blank.cell} is empty; "
                        f"write the value there")
            key_column = TRAVEL_SETTINGS_COLUMN if section == "travel" else 1
            return (f"{self.section(section)} has no `{name}`: add a row with `{name}` in column "
                    f"{get_column_letter(key_column)} and its value in column "
                    f"{get_column_letter(key_column + 1)}")
        if len(path) == 2 or (section == "rules" and len(path) == 3):
            header = self._header(section, name)
            if header is not None:
                return f"{owner} has no `{name}`: fill in its cell in the `{header}` column"
            return f"{owner} has no `{name}`: add a `{name}` column to {self.section(section)} and fill it in"
        return super().missing_key(path, owner, name)

    def missing_section(self, name: str, what: str) -> str:
        rows = ("the rows `name` and `timezone`" if name == "mission"
                else f"a header row ({', '.join(COLUMNS[name][:3])}, …) and a row per entry")
        return f"the workbook has no {SHEETS[name]} sheet: add one, with {rows}"

    def unknown_section(self, key: Any, sections: Sequence[str]) -> str:
        suggestion = closest(key, sections)
        hint = (f"did you mean {SHEETS.get(suggestion, suggestion)}? Rename it" if suggestion
                else f"the sheets are {', '.join(SHEETS.values())}")
        return f"the sheet `{self.sheet(key)}` is no sheet of a mission workbook; {hint}"

    def empty_section(self, name: str, label: str) -> str:
        return f"{self.section(name)} has no rows; write at least one {label} under its header row"

    def _form(self, path: Path) -> str | None:
        """How the cell of the column at `path` is written (`08:00–22:00`), if it has a form of its own."""
        column = self._column_key(path)
        if column is None:
            return None
        if column in FORM_EXAMPLES:
            return str(cell_of(path[0], column, FORM_EXAMPLES[column]))
        return "astrid, simonet" if column in LISTS else None

    def list_expected(self, where: str, path: Path, value: Any) -> str:
        form = self._form(path)
        if form is None:
            return super().list_expected(where, path, value)
        return f"{where}: `{written(value)}` is not in the form of this column; write e.g. {form}"

    def mapping_expected(self, where: str, path: Path, value: Any) -> str:
        form = self._form(path)
        if form is None:
            return super().mapping_expected(where, path, value)
        return f"{where}: `{written(value)}` is not in the form of this column; write e.g. {form}"

    def after_item(self, where: str) -> str:
        example = cell_of("activities", "after", FORM_EXAMPLES["after"])
        return f"{where}: write activity ids, each with a gap if need be, e.g. {example}"

    def value(self, path: Path, kind: str, value: Any, message: str) -> str:
        parts = [part for part in ID_SEPARATORS.split(value) if part] if isinstance(value, str) else []
        if kind == "id" and len(parts) > 1 and self._column_key(path) in (*LISTS, "venue", "with"):
            # `google / stanford`: several ids, as a person lists them, in a cell that takes several
            return f"`{written(value)}` is not an id; separate several with commas, e.g. {', '.join(parts)}"
        form = self._form(path)
        if kind in ("window", "time_range", "geo") and isinstance(value, str) and form is not None:
            what = {"window": "a window", "time_range": "a daily range", "geo": "latitude, longitude"}[kind]
            return f"`{written(value)}` is not {what}; write e.g. {form}"
        if kind == "travel_time":
            columns = ", ".join(TRAVEL_TIMES)
            return f"a travel time fills the three columns {columns}, e.g. fairmont | google | 75m"
        for in_yaml, in_cell in YAML_EXAMPLES.items():
            message = message.replace(in_yaml, in_cell)
        return message

    def either(self, in_yaml: str, in_workbook: str) -> str:
        return in_workbook
