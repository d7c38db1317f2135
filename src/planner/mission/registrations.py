"""Registrations import: a regional agency's export (CSV or an xlsx sheet) → delegates of a mission.

One delegate per row, its keys taken from the columns whose header names them: the mission format's own
keys, common French, Dutch and German headers (Société/Bedrijf/Unternehmen, E-mail, Secteur/Sector/Branche,
Région/Regio, Participants/Deelnemers/Anzahl Teilnehmer, Nom/Naam/Name, …), or `--map COLUMN=key`. Every
bad cell is reported at once with its row and column and what to write instead; the mission file changes
only when the whole file is good (`planner.mission.mission_edit` writes it, keeping its comments and layout).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from planner.domain import Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.cells import cell_source, control_character, formula_results
from planner.mission.hints import closest, missing_file
from planner.mission.merged_cells import merged_ranges, spread_merged
from planner.mission.registration_terms import delegation_of
from planner.mission.scalars import parse_email, parse_id
from planner.text.collation import folded

DELEGATE_KEYS = ("id", "name", "role", "organisation", "delegation", "sectors", "size", "email")
"""The delegate keys a registration column can give (`unavailable` is planned, not registered)."""

_HEADERS = {
    "id": ("id", "identifier", "identifiant", "code", "kennung"),
    "name": ("name", "full name", "delegate", "nom", "nom complet", "delegue", "naam", "volledige naam",
             "vollstandiger name", "vor- und nachname", "delegierter", "delegierte"),
    "organisation": ("organisation", "organization", "company", "company name", "societe", "entreprise",
                     "organisme", "raison sociale", "nom de la societe", "nom de l'entreprise", "bedrijf",
                     "bedrijfsnaam", "onderneming", "organisatie", "firma", "unternehmen", "firmenname"),
    "email": ("email", "e-mail", "mail", "email address", "e-mail address", "courriel", "adresse e-mail",
              "adresse email", "adresse mail", "e-mailadres", "emailadres", "mailadres", "e-mail-adresse",
              "emailadresse", "mailadresse"),
    "sectors": ("sector", "sectors", "industry", "secteur", "secteurs", "secteur d'activite",
                "secteurs d'activite", "domaine", "sectoren", "branche", "sektor", "sektoren"),
    "delegation": ("region", "delegation", "regio", "gewest", "delegatie"),
    "size": ("size", "participants", "number of participants", "headcount", "people",
             "nombre de participants", "nb participants", "nb de participants", "nombre de personnes",
             "personnes", "deelnemers", "aantal deelnemers", "aantal personen", "personen", "anzahl personen",
             "anzahl teilnehmer", "teilnehmerzahl"),
    "role": ("role", "rol", "type", "category", "categorie", "categorie de participant", "rolle",
             "kategorie"),
}


def normalise_header(text: str) -> str:
    """Lower case, accents off, runs of spaces and punctuation other than `-` and `'` as one space."""
    plain = folded(text).replace("’", "'").replace("_", " ")
    return re.sub(r"[^a-z0-9'-]+", " ", plain).strip()


HEADER_KEYS: dict[str, str] = {
    normalise_header(header): key for key, headers in _HEADERS.items() for header in headers
}
"""Every known header, normalised → the delegate key it gives."""

# --- reading the file -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any
    source: Source

    @property
    def text(self) -> str:
        return _text(self.value)


def _text(value: Any) -> str:
    """A cell's value as text, as the spreadsheet shows it (3.0 → "3")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Table:
    """A header row and the rows below it, every cell with its place in the file."""

    file: str
    headers: list[Cell]
    rows: list[list[Cell]]
    header_row: int
    other_sheets: tuple[str, ...] = ()
    """The workbook's other sheets, when this one was read by default (no --sheet): where to look instead."""


def _decode(data: bytes, file: str) -> str:
    """UTF-8 with or without a byte-order mark, UTF-16 with one, else cp1252 (Excel's Western default)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as failure:
        raise InputErrors([InputError(Source(file, 1, 1), (
            f"the file is neither UTF-8 nor Windows-1252 text (byte {failure.start}); save it as CSV UTF-8"))
        ]) from None


def _delimiter(text: str) -> str:
    """`;` (French and Dutch Excel), `,` or tab: csv.Sniffer's answer when it gives the header several
    columns, else the one that splits the first lines most evenly."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        found = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
        if len(next(csv.reader([sample.splitlines()[0]], delimiter=found))) > 1:
            return found
    except (csv.Error, IndexError, StopIteration):
        pass
    lines = [line for line in sample.splitlines() if line.strip()][:20]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        return (min(counts, default=1) > 1 and len(set(counts)) == 1, max(counts, default=1))

    return max(";,\t", key=score)


def read_csv(path: Path, file: str) -> Table:
    text = _decode(path.read_bytes(), file)
    delimiter = _delimiter(text)
    records = list(csv.reader(text.splitlines(), delimiter=delimiter))
    cells = [[Cell(value, Source(file, row, column)) for column, value in enumerate(record, start=1)]
             for row, record in enumerate(records, start=1)]
    return _split_header(cells, file)


def read_xlsx(path: Path, file: str, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        # Not read-only: only a sheet loaded whole tells its merged ranges (an export is a few hundred rows).
        # Formulas as written: which cells hold one is known only so (`formula_results`).
        book = load_workbook(path)
    except OSError:
        raise  # a file that is missing or refused is no question of format (`read_table` says which)
    except Exception as failure:  # noqa: BLE001 - openpyxl and zipfile raise many kinds for a broken file
        raise InputErrors([InputError(Source(file, 1, 1), f"cannot read the workbook ({failure}); save it as "
                                                          "an Excel workbook (.xlsx) or as CSV")]) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            close = get_close_matches(sheet, book.sheetnames, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"the sheets are {', '.join(book.sheetnames)}"
            raise InputErrors([InputError(Source(file, 1, 1), f"no sheet `{sheet}`; {hint}")])
        name = sheet or ("Delegates" if "Delegates" in book.sheetnames else book.sheetnames[0])
        worksheet = book[name]
        rows = [tuple(values) for values in worksheet.iter_rows(values_only=True)]
        merged = merged_ranges(worksheet)
    finally:
        book.close()
    sheets = {name: rows}
    errors = formula_results(path, sheets)
    rows = sheets[name]
    if merged:  # the header row as `_split_header` finds it: an export may start with blank rows
        header_row = next((number for number, values in enumerate(rows, 1) if any(map(_text, values))), 1)
        rows, merge_errors = spread_merged(file, name, None, rows, merged, header_row)
        errors += merge_errors
    if errors:
        raise InputErrors(errors)
    cells = [[Cell(value, cell_source(file, name, row, column)) for column, value in enumerate(values, 1)]
             for row, values in enumerate(rows, start=1)]
    others = tuple(other for other in book.sheetnames if other != name) if sheet is None else ()
    if others and all(_blank(row) for row in cells):
        raise InputErrors([InputError(cell_source(file, name, 1, 1), (
            f"the sheet `{name}`, read as the workbook's first, holds no rows; name the sheet of the "
            f"registrations with --sheet, e.g. --sheet \"{others[0]}\""))])
    table = _split_header(cells, file)
    table.other_sheets = others
    return table


def _blank(row: Sequence[Cell]) -> bool:
    return all(not cell.text for cell in row)


def _split_header(cells: list[list[Cell]], file: str) -> Table:
    for index, row in enumerate(cells):
        if not _blank(row):
            width = max(column for column, cell in enumerate(row, 1) if cell.text)
            return Table(file, row[:width], cells[index + 1:], index + 1)
    raise InputErrors([InputError(Source(file, 1, 1), (
        "the file holds no rows; the first row names the columns (e.g. Company, E-mail, Sector, Region, "
        "Participants)"))])


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """The registrations as a table: CSV, or a sheet of an xlsx workbook (`sheet`, else "Delegates" or the
    first)."""
    path = Path(path)
    file = str(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return read_xlsx(path, file, sheet)
        return read_csv(path, file)
    except FileNotFoundError:
        raise InputErrors([InputError(Source(file, 1, 1), missing_file(path))]) from None
    except OSError as failure:
        reason = failure.strerror or failure
        raise InputErrors([InputError(Source(file, 1, 1), f"cannot read the file: {reason}")]) from None


# --- columns → keys -------------------------------------------------------------------------------------


@dataclass
class Columns:
    keys: dict[int, str]
    """0-based column index → delegate key."""
    ignored: list[str]
    """Headers of the columns no key comes from, in file order."""


def parse_maps(maps: Iterable[str]) -> list[tuple[str, str]]:
    """`--map "Nom du contact=name"` → (column header, key); errors name the command line."""
    pairs: list[tuple[str, str]] = []
    errors: list[InputError] = []
    for written in maps:
        column, equals, key = written.rpartition("=")
        key = key.strip()
        if not equals or not column.strip():
            errors.append(InputError(Source.command_line(),
                                     f"--map {written!r}: write COLUMN=key, e.g. "
                                     '--map "Nom du contact=name"'))
        elif key not in DELEGATE_KEYS and key != "-":
            close = get_close_matches(key, DELEGATE_KEYS, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"a key is one of {', '.join(DELEGATE_KEYS)}"
            errors.append(InputError(Source.command_line(),
                                     f"--map {written!r}: `{key}` is not a delegate key; {hint} (or `-` to "
                                     "ignore the column)"))
        else:
            pairs.append((column.strip(), key))
    if errors:
        raise InputErrors(errors)
    return pairs


def map_columns(table: Table, maps: Sequence[tuple[str, str]] = ()) -> Columns:
    """Each header's key (by `maps` first, then by the known headers); two columns giving one key, or a
    `--map` naming no column, are errors."""
    by_header = {normalise_header(cell.text): index for index, cell in enumerate(table.headers) if cell.text}
    errors: list[InputError] = []
    chosen: dict[int, str] = {}
    for column, mapped in maps:
        index = by_header.get(normalise_header(column))
        if index is None:
            headers = [cell.text for cell in table.headers if cell.text]
            close = get_close_matches(column, headers, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"the columns are {', '.join(headers)}"
            errors.append(InputError(Source.command_line(), f"--map: no column `{column}`; {hint}"))
        else:
            chosen[index] = mapped
    keys: dict[int, str] = {}
    ignored: list[str] = []
    unknown: list[Cell] = []
    for index, cell in enumerate(table.headers):
        found = chosen.get(index) or HEADER_KEYS.get(normalise_header(cell.text))
        if found is None or found == "-":
            if cell.text:
                ignored.append(cell.text)
            if found is None and cell.text:
                unknown.append(cell)
            continue
        key = found
        first = next((other for other, known in keys.items() if known == key), None)
        if first is not None:
            errors.append(InputError(cell.source, (
                f"the columns `{table.headers[first].text}` and `{cell.text}` both give `{key}`; keep one, "
                f"or map the other elsewhere, e.g. --map \"{cell.text}=-\" to ignore it")))
            continue
        keys[index] = key
    errors.extend(_misspelt(unknown, set(keys.values())))
    if "name" not in keys.values():
        # without a column of names, a row is a company's delegation and the company names it
        keys = {index: "name" if key == "organisation" else key for index, key in keys.items()}
    if "name" not in keys.values() and not errors:
        errors.append(InputError(table.headers[0].source if table.headers else Source(table.file, 1, 1), (
            "no column gives the delegate's name: name one `Name` (or Nom, Naam, Company, Société, Bedrijf), "
            "or map one with --map COLUMN=name" + _other_sheets_hint(table))))
    if errors:
        raise InputErrors(errors)
    return Columns(keys, ignored)


def _other_sheets_hint(table: Table) -> str:
    """A workbook read on its first sheet by default: the registrations may be on another one."""
    if not table.other_sheets:
        return ""
    sheet = table.headers[0].source.sheet if table.headers else None
    others = ", ".join(f"`{other}`" for other in table.other_sheets)
    return (f"; this is the sheet `{sheet}`, read as the workbook's first: if the registrations are on "
            f"another ({others}), name it with --sheet, e.g. --sheet \"{table.other_sheets[0]}\"")


TYPO_CUTOFF = 0.8
"""How close (difflib's ratio) an unknown header must be to a known one to be taken for its misspelling
(`E-mial`, `Compnay`, `Participant`): closer than the mission file's suggestions (0.6), since this one stops
the import, and real columns of an export come near known headers at 0.6-0.75 (Prénom ~ Nom, Adresse ~
Adresse mail, Company size ~ Company name)."""


def _misspelt(unknown: Sequence[Cell], given: set[str]) -> list[InputError]:
    """An error for each unknown header that looks like a misspelt known one (close to it, or its letters
    swapped: `Nmae`) whose key no other column gives: read as ignored, it would drop a whole column of
    e-mails or names without a word. A header close to a key another column gives (`Secteur 2` beside
    `Secteur`) is a column of its own, and stays ignored."""
    errors: list[InputError] = []
    for cell in unknown:
        header = normalise_header(cell.text)
        known = closest(header, HEADER_KEYS, TYPO_CUTOFF) or next(
            (name for name in sorted(HEADER_KEYS) if len(name) > 2 and sorted(name) == sorted(header)), None)
        if known is None or HEADER_KEYS[known] in given:
            continue
        key = HEADER_KEYS[known]
        errors.append(InputError(cell.source, (
            f"no known column is called `{cell.text}`; did you mean `{known.capitalize()}` (the delegate's "
            f"`{key}`)? Correct the header, or write --map \"{cell.text}={key}\" (--map \"{cell.text}=-\" "
            "ignores the column)")))
    return errors


# --- rows → registrations -------------------------------------------------------------------------------


@dataclass
class Registration:
    """One row's delegate keys, each with the cell it comes from."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    region: str | None = None
    """The region as written (its delegation id is in `values`)."""

    @property
    def name(self) -> str:
        return self.values.get("name") or self.values["organisation"]

    @property
    def identity(self) -> tuple[str, str]:
        """What makes two rows the same registration, case and accents aside: the same person of the same
        company when a column names people, else the same company (without a name column the company
        column gives `name`, so rows of one company are one delegation)."""
        return (normalise_header(self.values.get("name") or ""),
                normalise_header(self.values.get("organisation") or ""))

    @property
    def who(self) -> str:
        """How a message names the row: `Alice (Acme)`, or the company alone."""
        organisation = self.values.get("organisation")
        name = self.values.get("name")
        return f"{name} ({organisation})" if name and organisation and name != organisation else self.name


def _size(text: str) -> int:
    number = text.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d+([.,]0+)?", number):
        value = int(re.split(r"[.,]", number)[0])
        if value >= 1:
            return value
        raise ValueError(f"{text} people: a delegation counts at least 1; write a whole number such as 1")
    raise ValueError(f"`{text}` is not a whole number of participants; write it in digits, e.g. 3")


def split_list(text: str) -> list[str]:
    """`Numérique; IA` or `digital, ai`: `;` splits when present (a tag may hold a comma), else `,`."""
    parts = text.split(";") if ";" in text else text.split(",")
    return [part.strip() for part in parts if part.strip()]


def _value(key: str, cell: Cell) -> Any:
    """The cell's value for `key`; ValueError with what to write instead."""
    text = cell.text
    bad = control_character(text)
    if bad is not None:
        raise ValueError(f"holds the control character {bad}; remove it")
    if key == "size":
        return _size(text)
    if key == "email":
        try:
            return parse_email(text)
        except PydanticCustomError as failure:  # the schema's message for a person
            raise ValueError(failure.message()) from None
    if key == "sectors":
        return split_list(text)
    if key == "id":
        try:
            return parse_id(text)
        except PydanticCustomError as failure:
            raise ValueError(failure.message()) from None
    if key == "delegation":
        return delegation_of(text)
    return " ".join(text.split())


def registrations(table: Table, columns: Columns) -> tuple[list[Registration], list[InputError], int]:
    """The rows as registrations, every bad cell as an error, and the number of blank rows skipped."""
    found: list[Registration] = []
    errors: list[InputError] = []
    blank = 0
    for row in table.rows:
        if _blank(row):
            blank += 1
            continue
        registration = Registration(row=row[0].source.line)
        for index, key in columns.keys.items():
            cell = row[index] if index < len(row) else None
            if cell is None or not cell.text:
                continue
            try:
                registration.values[key] = _value(key, cell)
            except ValueError as failure:
                errors.append(InputError(cell.source, f"{table.headers[index].text}: {failure}"))
                continue
            registration.sources[key] = cell.source
            if key == "delegation":
                registration.region = " ".join(cell.text.split())
        if not (registration.values.get("name") or registration.values.get("organisation")):
            if not any(key in ("name", "organisation") for key in registration.sources):
                where = _first_name_cell(table, columns, row)
                errors.append(InputError(where, "no name on this row; write the company's or the person's "
                                                "name (or delete the row)"))
            continue
        found.append(registration)
    return found, errors, blank


def _first_name_cell(table: Table, columns: Columns, row: list[Cell]) -> Source:
    """The row's name cell (or company cell), also when the row stops before it."""
    for index, key in columns.keys.items():
        if key in ("name", "organisation"):
            return row[index].source if index < len(row) else replace(table.headers[index].source,
                                                                       line=row[0].source.line)
    return row[0].source
