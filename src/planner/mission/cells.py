"""Spreadsheet cells as places in the input: shared by the mission workbook and the registrations import."""

from __future__ import annotations

import unicodedata
from typing import Any

from planner.domain import Source


def cell_source(file: str, sheet: str, row: int, column: int) -> Source:
    """`file:Sheet!E14` for the cell at 1-based `row` and `column`."""
    return Source(file, row, column, sheet)


def control_character(text: str) -> str | None:
    """The first control character of `text` as U+XXXX (tabs and line breaks are allowed), else None."""
    for character in text:
        if character not in "\t\n\r" and unicodedata.category(character) == "Cc":
            return f"U+{ord(character):04X}"
    return None


def reads_as_formula(value: Any) -> bool:
    """Whether openpyxl would store `value` as a formula (text that starts with `=`)."""
    return isinstance(value, str) and value.startswith("=")


def set_cell(cell: Any, value: Any) -> None:
    """Write `value` into an openpyxl cell; text is always text, never a formula (`=…` stays as written)."""
    cell.value = value
    if reads_as_formula(value):
        cell.data_type = "s"


def printable(sheet: Any) -> None:
    """Printed landscape, one page wide, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
