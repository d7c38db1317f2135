"""Spreadsheet cells as places in the input, and workbooks as bytes: shared by the mission workbook, the
registrations import and programme.xlsx."""

from __future__ import annotations

import io
import shutil
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.domain import Source
from planner.domain.errors import InputError
from planner.text.control import shortened

if TYPE_CHECKING:
    from _typeshed import SizedBuffer  # what zipfile.ZipFile.writestr takes (typeshed)


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


def formula_results(path: str | Path, sheets: dict[str, list[tuple[Any, ...]]]) -> list[InputError]:
    """Each formula of `sheets` (read as written, `=60*2`, or an array formula) replaced by the result the
    file saved with it; a formula saved without one (as programs that write workbooks without computing them
    leave it) is an error at its cell, not an empty cell. A text that starts with `=` reads back as itself."""
    written = [(name, row, column, formula)
               for name, rows in sheets.items() for row, values in enumerate(rows, 1)
               for column, value in enumerate(values, 1) if (formula := _formula_of(value)) is not None]
    if not written:
        return []  # most workbooks: one reading
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)
    errors = []
    try:
        for name, row, column, formula in written:
            cell = book[name].cell(row=row, column=column)
            result = cell.value
            values = list(sheets[name][row - 1])
            if cell.data_type == "e":  # the formula's result is an error value (#NAME?, #DIV/0!, #REF!…)
                errors.append(InputError(cell_source(str(path), name, row, column), (
                    f"this cell's formula `{shortened(formula)}` gives the error {result}, not a value; "
                    "correct the formula in the spreadsheet program, or write the value itself")))
            elif result is None:
                errors.append(InputError(cell_source(str(path), name, row, column), (
                    f"this cell holds the formula `{shortened(formula)}` without its result (the program "
                    "that wrote the file did not compute it); open and save the workbook in Excel or "
                    "LibreOffice, which compute it, or write the value itself")))
            values[column - 1] = result
            sheets[name][row - 1] = tuple(values)
    finally:
        book.close()
    return errors


def _formula_of(value: Any) -> str | None:
    """The formula a cell read as written holds, if any: text starting with `=`, or the object openpyxl
    reads an array formula (`{=…}`, entered with Ctrl+Shift+Enter) or a data table into."""
    if isinstance(value, str):
        return value if value.startswith("=") else None
    if value is None or isinstance(value, (int, float, datetime)):
        return None  # the cells of most workbooks: no need to look further
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, ArrayFormula):
        return value.text or "{=…}"
    if isinstance(value, DataTableFormula):
        return "=TABLE(…)"
    return None


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


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can carry: a workbook's entries, and its creation and modification
times, get it instead of the clock's."""


class _SteadyZip(zipfile.ZipFile):
    """A zip archive whose entries carry `ZIP_EPOCH`, otherwise as zipfile writes them: zipfile dates an
    entry named by text with the clock, and an entry copied from a file (openpyxl writes each worksheet to
    a temporary file first) with that file's time."""

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        # Copied in pieces, as zipfile does (a large mission's sheet runs to tens of megabytes), at the
        # archive's compression level (openpyxl gives none).
        entry = self._steady(zipfile.ZipInfo.from_file(filename, arcname), compress_type)
        with open(filename, "rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target)

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: SizedBuffer | str,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._steady(zipfile.ZipInfo(zinfo_or_arcname), compress_type)
            compresslevel = self.compresslevel if compresslevel is None else compresslevel
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def _steady(self, entry: zipfile.ZipInfo, compress_type: int | None) -> zipfile.ZipInfo:
        """`entry` dated `ZIP_EPOCH`, owner-readable as zipfile makes an entry named by text, compressed as
        asked or as the archive is."""
        entry.date_time = ZIP_EPOCH
        entry.external_attr = 0o600 << 16
        entry.compress_type = self.compression if compress_type is None else compress_type
        return entry


def workbook_bytes(book: Any) -> bytes:
    """An openpyxl workbook as .xlsx bytes that depend on its content alone: its creation and modification
    times, which openpyxl takes from the clock, and its zip entries' dates are all `ZIP_EPOCH`. The same
    schedule gives the same file, which a run into the folder of the previous one then keeps as it is
    (mission/files.py)."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = book.properties.modified = datetime(*ZIP_EPOCH)
    buffer = io.BytesIO()
    # `ExcelWriter.write_data`, not `Workbook.save`, which would stamp the modification time again.
    with _SteadyZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).write_data()
    return buffer.getvalue()
