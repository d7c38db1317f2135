"""A mission as a workbook (mission.xlsx), read into the same document as a YAML file and written back.

`read_workbook` builds the mission document (plain mappings and lists, as `planner.mission.positions`
describes) and a `WorkbookPositions` that places every path in a cell, so the loader's own checks report
each error as `mission.xlsx:Delegates!E14: …`, worded in the workbook's terms (its sheets, its headers as
written, its rows: `planner.mission.workbook_wording`). `mission_workbook` writes a document
as a workbook (the layout is in `planner.mission.workbook_layout`), with the template's drop-down lists.
"""

from __future__ import annotations

from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.cells import (
    cell_source,
    control_character,
    formula_results,
    printable,
    set_cell,
    workbook_bytes,
)
from planner.mission.files import write_atomic
from planner.mission.hints import closest
from planner.mission.merged_cells import merged_ranges, spread_merged
from planner.mission.positions import DocumentPath, present_steps
from planner.mission.template import add_guidance
from planner.mission.wording import Wording
from planner.mission.workbook_layout import (
    COLUMNS,
    SETTINGS,
    SHEETS,
    TRAVEL_SETTINGS_COLUMN,
    TRAVEL_TIMES,
    cell_of,
    cell_value,
)
from planner.mission.workbook_wording import WorkbookWording

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
HELPER_SHEETS = ("How to", "Lists")
"""Sheets of the template that hold no section."""


def is_workbook(path: str | Path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


class WorkbookPositions:
    """Document paths → cells: a value's own cell, a key's header cell (or its key cell in a key | value
    sheet), an entry's first cell; a path the document does not hold falls back to its nearest holder."""

    def __init__(self, file: str, document: dict[str, Any], first_sheet: str):
        self.file = file
        self.document = document
        self.values: dict[DocumentPath, Source] = {}
        self.keys: dict[DocumentPath, Source] = {}
        self.root = cell_source(file, first_sheet, 1, 1)
        self.sheets: dict[str, str] = {}
        """Section → its sheet's name as written in the workbook (a misspelt one too)."""
        self.columns: dict[str, dict[str, str]] = {}
        """Section → key → its column's header, or its key cell in a key | value sheet, as written."""
        self.blank_settings: dict[DocumentPath, Source] = {}
        """(section, key) → the empty value cell of a key | value row written without its value."""
        self.misread: list[InputError] = []
        """A header or a sheet read as the column or sheet it is close to (`_meant_columns`, a misspelt
        section sheet), each said once at its cell."""
        self.wording: Wording = WorkbookWording(self)

    def node(self, path: DocumentPath) -> Any:
        node: Any = self.document
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def source(self, path: DocumentPath, key: bool = False) -> Source:
        steps = present_steps(self, path)
        if key and steps in self.keys:
            return self.keys[steps]
        for length in range(len(steps), -1, -1):
            if steps[:length] in self.values:
                return self.values[steps[:length]]
        return self.root


# --- reading --------------------------------------------------------------------------------------------


def _header_key(text: Any) -> Any:
    """A header as a key: `Optional attendees` → `optional_attendees`; a number stays as written."""
    return "_".join(text.strip().lower().split()) if isinstance(text, str) else text


def _text_errors(file: str, sheet: str, rows: list[tuple[Any, ...]]) -> list[InputError]:
    errors = []
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and (bad := control_character(value)) is not None:
                errors.append(InputError(cell_source(file, sheet, row_number, column),
                                         f"the control character {bad} has no place in a mission; remove it"))
    return errors


def _settings(positions: WorkbookPositions, section: str, sheet: str, rows: list[tuple[Any, ...]],
              column: int) -> dict[str, Any]:
    """key | value rows from `column` (1-based) down, below the header row."""
    file = positions.file
    mapping: dict[str, Any] = {}
    positions.values[(section,)] = cell_source(file, sheet, 1, column)
    for row_number, row in enumerate(rows[1:], start=2):
        key = row[column - 1] if len(row) >= column else None
        value = row[column] if len(row) > column else None
        if key is None or (isinstance(key, str) and not key.strip()):
            continue
        written, key = str(key).strip(), _header_key(key)
        positions.columns.setdefault(section, {})[key] = written
        if value is None or (isinstance(value, str) and not value.strip()):
            positions.blank_settings[(section, key)] = cell_source(file, sheet, row_number, column + 1)
            continue
        mapping[key] = cell_value(section, key, value)
        positions.values[(section, key)] = cell_source(file, sheet, row_number, column + 1)
        positions.keys[(section, key)] = cell_source(file, sheet, row_number, column)
    return mapping


HEADER_SEARCH_ROWS = 6
"""How far down a sheet whose first row holds no header of its columns a header row is looked for."""


def _header_row_errors(file: str, sheet: str, section: str | None, rows: list[tuple[Any, ...]]
                       ) -> list[InputError]:
    """A table's header row written under a title (`Delegates of the mission` in row 1, the headers in row
    2: a common habit): one error saying so, instead of every row below read as an entry without an id."""
    if section not in COLUMNS or not rows:
        return []
    known = set(COLUMNS[section])

    def headers_in(row: tuple[Any, ...]) -> int:
        return sum(1 for value in row if _header_key(value) in known)

    if headers_in(rows[0]):
        return []
    for number, row in enumerate(rows[1:HEADER_SEARCH_ROWS], start=2):
        if headers_in(row) >= 2:
            return [InputError(cell_source(file, sheet, number, 1), (
                f"the {sheet} sheet's header row is row {number}; planner reads the headers in row 1: delete "
                f"the rows above it (a title can go in a cell's note, or on a sheet of its own)"))]
    return []


def _meant_columns(positions: WorkbookPositions, section: str, sheet: str, header: tuple[Any, ...],
                   keys: dict[int, Any]) -> None:
    """A header that names no column of the sheet but is close to one that no other header names
    (`Atendees`) is said once, at its cell, and its cells are read as that column's: each row is then
    checked for what it holds, not said to lack the column, thirty times for thirty rows."""
    known = [key for key in COLUMNS.get(section, ()) if key not in keys.values()]
    for column, key in keys.items():
        if not isinstance(key, str) or key in COLUMNS.get(section, ()):
            continue
        meant = closest(key, known)
        if meant is None:
            continue
        keys[column] = meant
        known.remove(meant)
        written = str(header[column - 1]).strip()
        positions.misread.append(InputError(cell_source(positions.file, sheet, 1, column), (
            f"the {sheet} sheet: unknown column `{written}`; did you mean `{meant}`? Correct the header (its "
            f"cells were checked as `{meant}` meanwhile)")))


def _table(positions: WorkbookPositions, section: str, sheet: str, rows: list[tuple[Any, ...]],
           first_column: int = 1, last_column: int | None = None) -> list[Any]:
    """One entry per non-blank row under the header row, keyed by the header."""
    file = positions.file
    header = rows[0] if rows else ()
    stop = len(header) if last_column is None else min(last_column, len(header))
    keys = {column: _header_key(header[column - 1]) for column in range(first_column, stop + 1)
            if header[column - 1] is not None and str(header[column - 1]).strip()}
    _meant_columns(positions, section, sheet, header, keys)
    headers = positions.columns.setdefault(section, {})
    for column, key in keys.items():
        headers.setdefault(key, str(header[column - 1]).strip())
    entries: list[Any] = []
    positions.values.setdefault((section,), cell_source(file, sheet, 1, first_column))
    for row_number, row in enumerate(rows[1:], start=2):
        cells = {column: row[column - 1] for column in keys if column <= len(row)
                 and row[column - 1] is not None and not (isinstance(row[column - 1], str)
                                                           and not row[column - 1].strip())}
        if not cells:
            continue
        index = len(entries)
        path = (section, index) if section != "travel" else ("travel", "times", index)
        positions.values[path] = cell_source(file, sheet, row_number, min(cells))
        if section == "travel":
            entries.append([cell_value(section, keys[column], cells[column]) for column in sorted(cells)])
            for position, column in enumerate(sorted(cells)):  # a venue of the pair is said at its own cell
                positions.values[path + (position,)] = cell_source(file, sheet, row_number, column)
            continue
        kind: Any = None
        if section == "rules":
            rule_column = next((column for column, key in keys.items() if key == "rule"), None)
            if rule_column in cells:
                # as text: a number would be a key of the entry that is no text, which pydantic words
                # as 'Keys should be strings' instead of an unknown rule
                kind = _header_key(str(cells.pop(rule_column)))
                positions.values[path + (kind,)] = cell_source(file, sheet, row_number, rule_column)
                positions.keys[path + (kind,)] = positions.values[path + (kind,)]
        entry: dict[Any, Any] = {}
        body: dict[Any, Any] = {}
        for column, value in sorted(cells.items()):
            key = keys[column]
            if section == "activities" and key == "venue":
                written = cell_value(section, "venues", value)
                key, value = ("venue", written[0]) if len(written) == 1 else ("venues", written)
            else:
                value = cell_value(section, key, value)
            in_body = section == "rules" and key != "id"
            if in_body and kind is None:
                continue  # no rule named on the row: the loader says which to name, at the row
            (body if in_body else entry)[key] = value
            key_path = path + ((kind, key) if in_body else (key,))
            positions.values[key_path] = cell_source(file, sheet, row_number, column)
            if not in_body:  # a rule kind that takes no such key is said at the row's cell, not the header's
                positions.keys[key_path] = cell_source(file, sheet, 1, column)
        if kind is not None:
            entry[kind] = body
        entries.append(entry)
    return entries


def read_workbook(path: str | Path) -> tuple[dict[str, Any], WorkbookPositions]:
    """The mission document of a workbook and the cells its paths stand in; InputErrors for a file that is
    no workbook, holds control characters or merged cells that no one value fills (planner.mission.
    merged_cells: a merged range within one column's entries gives each row its value)."""
    file = str(path)
    try:
        # Not read-only: only a sheet loaded whole tells its merged ranges (the flagship's 1,600 rows: 0.16 s
        # against 0.11). Formulas as written: which cells hold one is known only so (`formula_results`).
        book = load_workbook(path)
    except Exception as failure:  # noqa: BLE001 - zipfile, XML and openpyxl errors all mean: not a workbook
        raise InputErrors([InputError(Source(file, 1, 1), f"cannot read the workbook ({failure}); save it as "
                                                          "an Excel workbook (.xlsx)")]) from None
    sections = {sheet.lower(): section for section, sheet in SHEETS.items()}
    try:
        sheets = {name: [tuple(row) for row in book[name].iter_rows(values_only=True)]
                  for name in book.sheetnames}
        merged = {name: merged_ranges(book[name]) for name in book.sheetnames
                  if name.strip().lower() in sections}
    finally:
        book.close()
    document: dict[str, Any] = {}
    positions = WorkbookPositions(file, document, next(iter(sheets), "Mission"))
    errors: list[InputError] = formula_results(path, sheets)
    by_lower = {name.strip().lower(): name for name in sheets}
    misspelt: dict[str, str] = {}  # section → the sheet of another name read as its own
    for name, rows in sheets.items():
        errors += _text_errors(file, name, rows)
        errors += _header_row_errors(file, name, sections.get(name.strip().lower()), rows)
        if merged.get(name):
            sheets[name], merge_errors = spread_merged(file, name, sections[name.strip().lower()], rows,
                                                       merged[name])
            errors += merge_errors
        lower = name.strip().lower()
        close = get_close_matches(lower, list(SHEETS), n=1)
        if lower not in SHEETS and name not in HELPER_SHEETS and close:
            if SHEETS[close[0]].lower() not in by_lower and close[0] not in misspelt:
                # Read as the sheet it means, which the workbook lacks, and said once: the sheets that name
                # its entries then find them (a misspelt Delegates sheet made every attendee unknown).
                misspelt[close[0]] = name
                positions.misread.append(InputError(cell_source(file, name, 1, 1), (
                    f"the sheet `{name}` is no sheet of a mission workbook; did you mean {SHEETS[close[0]]}? "
                    f"Rename it (its rows were read as the {SHEETS[close[0]]} sheet's meanwhile)")))
                continue
            # a misspelt section sheet is reported like a misspelt YAML section, with its suggestion
            document[lower] = None
            positions.values[(lower,)] = positions.keys[(lower,)] = cell_source(file, name, 1, 1)
            positions.sheets[lower] = name
    if errors:
        raise InputErrors(errors)
    for section, sheet_name in SHEETS.items():
        name = by_lower.get(sheet_name.lower()) or misspelt.get(section)
        if name is None:
            continue
        rows = sheets[name]
        positions.sheets[section] = name
        if section in SETTINGS:
            column = TRAVEL_SETTINGS_COLUMN if section == "travel" else 1
            mapping = _settings(positions, section, name, rows, column)
            if section == "travel":
                times = _table(positions, "travel", name, rows, 1, len(TRAVEL_TIMES))
                if times:
                    mapping["times"] = times
                    positions.values[("travel", "times")] = cell_source(file, name, 1, 1)
                    positions.keys[("travel", "times")] = cell_source(file, name, 1, 1)
                if not mapping:
                    continue
            document[section] = mapping
        else:
            document[section] = _table(positions, section, name, rows)
            if section in ("counterparts", "meetings", "lodging") and not document[section]:
                # an empty B2B or Lodging sheet: a mission without B2B (docs/b2b.md) or hotels
                del document[section]
                continue
        positions.keys[(section,)] = cell_source(file, name, 1, 1)
    return document, positions


# --- writing --------------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")


def _header(sheet: Worksheet, column: int, text: str, width: float) -> None:
    cell = sheet.cell(row=1, column=column, value=text)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    sheet.column_dimensions[get_column_letter(column)].width = width


def _width(key: str, values: list[Any]) -> float:
    longest = max((len(str(value)) for value in values if value is not None), default=0)
    return min(max(len(key) + 2, longest + 2, 10), 50)


def _write_settings(sheet: Worksheet, section: str, mapping: dict[str, Any], column: int) -> None:
    _header(sheet, column, "setting" if section == "travel" else "key", 14)
    _header(sheet, column + 1, "value", _width("value", [cell_of(section, k, v) for k, v in mapping.items()]))
    for row, key in enumerate(SETTINGS[section], start=2):
        sheet.cell(row=row, column=column, value=key).font = HEADER_FONT
        set_cell(sheet.cell(row=row, column=column + 1), cell_of(section, key, mapping.get(key)))


def _rows_of(section: str, entries: list[Any]) -> list[dict[str, Any]]:
    """Entries as column → value: a rule's kind goes to `rule`, its keys to their columns; `venues` to
    `venue`."""
    rows = []
    for entry in entries:
        row = dict(entry)
        if section == "rules":
            kind = next((key for key in entry if key != "id"), None)
            row = {"id": entry.get("id"), "rule": kind, **(entry.get(kind) or {})}
        if section == "activities" and "venues" in row:
            row["venue"] = row.pop("venues")
        rows.append(row)
    return rows


def _write_table(sheet: Worksheet, section: str, entries: list[Any], columns: tuple[str, ...],
                 first_column: int = 1) -> None:
    rows = _rows_of(section, entries)
    for offset, key in enumerate(columns):
        cells = [cell_of(section, "venues" if key == "venue" and isinstance(row.get(key), list) else key,
                         row.get(key)) for row in rows]
        _header(sheet, first_column + offset, key, _width(key, cells))
        for row_number, value in enumerate(cells, start=2):
            cell = sheet.cell(row=row_number, column=first_column + offset)
            set_cell(cell, value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    # ids stay in view while scrolling right; the travel table has no id column
    first_data = sheet.cell(row=2, column=first_column + 1).coordinate
    sheet.freeze_panes = "A2" if section == "travel" else first_data
    printable(sheet)


def mission_workbook(document: dict[str, Any]) -> Workbook:
    """The workbook of a mission document: one sheet per section, then "How to" and the drop-down lists."""
    book = Workbook()
    book.remove(book.active)
    for section, name in SHEETS.items():
        value = document.get(section)
        sheet = book.create_sheet(name)
        if section == "mission":
            _write_settings(sheet, section, value or {}, 1)
        elif section == "travel":
            travel = value or {}
            times = [dict(zip(TRAVEL_TIMES, item)) for item in travel.get("times") or []]
            _write_table(sheet, "travel", times, TRAVEL_TIMES)
            _write_settings(sheet, section, travel, TRAVEL_SETTINGS_COLUMN)
        else:
            _write_table(sheet, section, value or [], COLUMNS[section])
    add_guidance(book)
    return book


def template_workbook() -> Workbook:
    """An empty mission workbook (`planner template`), opening on its "How to" sheet."""
    book = mission_workbook({})
    book.active = book.sheetnames.index("How to")
    return book


def write_template(path: Path) -> None:
    write_atomic(Path(path), workbook_bytes(template_workbook()))
