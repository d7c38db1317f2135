"""Merged cells of a mission workbook or a registrations sheet: the value a merged range shows belongs to
every cell it covers.

A spreadsheet keeps a merged range's value in its top-left cell only; the person sees it in every row the
range covers. Within one column of a table's entries, each row of the range gets that value (a delegation
merged over the rows of its delegates). A range that takes in the header row, spans several columns (keys)
or covers key | value settings has no such reading: it is an error that names the range and says to
unmerge it and fill each cell.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import range_boundaries

from planner.domain.errors import InputError
from planner.mission.cells import cell_source
from planner.mission.workbook_layout import SETTINGS, TRAVEL_TIMES


def merged_ranges(sheet: Any) -> list[str]:
    """The merged ranges of a worksheet (`E2:E9`)."""
    return [range_.coord for range_ in sheet.merged_cells.ranges]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _in_table(section: str | None, first_column: int, last_column: int) -> bool:
    """Whether the columns (1-based) lie in the table of entries of `section`'s sheet, not its settings."""
    if section is None:
        return True
    if section == "travel":
        return last_column <= len(TRAVEL_TIMES)
    return section not in SETTINGS


def spread_merged(file: str, sheet: str, section: str | None, rows: list[tuple[Any, ...]],
                  ranges: list[str], header_row: int = 1) -> tuple[list[tuple[Any, ...]], list[InputError]]:
    """`rows` with the value of each merged range of one column's entries in every row it covers that
    holds an entry; an error for each other merged range that shows a value. `section` is the mission
    section the sheet holds (None for a sheet that is one table, as a registrations sheet); `header_row`
    the 1-based row of its headers (an export may start with blank rows)."""
    errors: list[InputError] = []
    entry_rows = {number for number, row in enumerate(rows, start=1) if not all(map(_blank, row))}
    filled = [list(row) for row in rows]
    header = rows[header_row - 1] if header_row <= len(rows) else ()
    for coordinates in ranges:
        first_column, first_row, last_column, last_row = range_boundaries(coordinates)
        row = rows[first_row - 1] if first_row <= len(rows) else ()
        value = row[first_column - 1] if first_column <= len(row) else None
        if _blank(value):
            continue  # shows nothing, loses nothing
        where = cell_source(file, sheet, first_row, first_column)
        if not _in_table(section, first_column, last_column):
            errors.append(InputError(where, (
                f"the merged cells {coordinates}: a setting is one key cell and one value cell in its own "
                "row; unmerge them and write each value beside its key")))
        elif first_row <= header_row:
            errors.append(InputError(where, (
                f"the merged cells {coordinates} take in the header row; unmerge them and write each "
                f"column's header in row {header_row} and each entry's value in its own row")))
        elif first_column != last_column:
            headers = [str(header[column - 1]) for column in range(first_column, last_column + 1)
                       if column <= len(header) and not _blank(header[column - 1])]
            spanned = f" ({', '.join(headers)})" if headers else ""
            errors.append(InputError(where, (
                f"the merged cells {coordinates} span several columns{spanned}; unmerge them and write each "
                "column's value in its own cell")))
        else:
            for number in range(first_row + 1, min(last_row, len(rows)) + 1):
                if number in entry_rows:  # a row that holds nothing else is a blank row, not an entry
                    cells = filled[number - 1]
                    cells += [None] * (first_column - len(cells))
                    cells[first_column - 1] = value
    return [tuple(row) for row in filled], errors
