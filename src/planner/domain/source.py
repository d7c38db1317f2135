"""Where a statement stands in the input file: every domain object keeps one, so that errors and conflict
reports point back into the mission file or workbook.

Its own module, below `mission` and `meetings`, because both hold objects that carry one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """Where a statement stands in the input: 1-based line and column of a text file, or, with `sheet`,
    the row (`line`) and column of a spreadsheet cell."""

    file: str
    line: int
    column: int
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{self.cell}"
        if self.line <= 0:  # the command line's: no line or column to name
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    @classmethod
    def command_line(cls, option: str = "command line") -> Source:
        """Where a value given on the command line stands (`--now`): printed as the option alone, not as a
        file's `:1:1`; line 0, as a statement of no file's line is (planner.diagnosis)."""
        return cls(option, 0, 0)

    @property
    def cell(self) -> str:
        """`E14`: the spreadsheet's name of the cell (column letters, then row)."""
        letters, number = "", self.column
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return f"{letters}{self.line}"

    def place(self) -> str:
        """How a message names this place on its own: `line 12` or `Delegates!E14`."""
        return f"{self.sheet}!{self.cell}" if self.sheet is not None else f"line {self.line}"

    def sort_key(self) -> tuple[str, str, int, int]:
        return (self.file, self.sheet or "", self.line, self.column)


UNKNOWN_SOURCE = Source("<generated>", 0, 0)
