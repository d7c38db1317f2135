"""Where things stand in an input document: the one interface between a file format and the loader's checks.

A mission document, whatever it was read from, is plain data: mappings (`dict`), lists and scalars. A
*document path* addresses a part of it as a tuple of keys and list indices, e.g.
`("activities", 3, "duration")` for the duration of the fourth activity. The loader's second and third
passes (`planner.mission.shapes`, `planner.mission.resolve*`) name the place of every error through a
`Positions`, never through the file itself, so they validate any format that builds such a document:

- `planner.mission.yaml_reader.Locator`: a YAML file; a path → the line and column of its key or value.
- a spreadsheet reader builds the same document from rows (one row per entry of a section, one column
  per key) and maps each path to a cell: `Source(file, row, column, sheet)`, shown as `file:Sheet!E14`.

What an implementation promises:

- `node(path)`: the value at `path` in the document (`node(())` is the whole document), or `None` when the
  document holds no such path.
- `wording`: a `planner.mission.wording.Wording` that names places and advice in the format's terms (a
  workbook's sheets and columns rather than the YAML's sections and keys).
- `source(path, key=False)`: the `planner.domain.Source` of `path`. Steps the document does not hold (a
  missing key, pydantic's union tags) are skipped, so an error points at the nearest thing the person wrote,
  e.g. the entry that lacks a required key. With `key=True`, the place of the key itself rather than its
  value ("unknown key" errors); a format with no separate place for keys returns the best fit (the column's
  header cell, say, or the value's own cell).

Then `planner.mission.load.load_document(document, positions, file)` runs passes 2 and 3 on it.
"""

from __future__ import annotations

from typing import Any, Protocol

from planner.domain import Source
from planner.mission.wording import Wording

DocumentPath = tuple[Any, ...]
"""A position in the document as keys and list indices, e.g. ("activities", 3, "duration")."""


class Positions(Protocol):
    """Maps document paths to the places they were written (see the module's docstring)."""

    wording: Wording
    """How messages name those places and say what to write there, in the format's own terms."""

    def source(self, path: DocumentPath, key: bool = False) -> Source:
        """Where `path` stands, or the nearest thing written before it."""
        ...

    def node(self, path: DocumentPath) -> Any:
        """The value at `path`, or `None` when the document holds no such path."""
        ...


def hashable(value: Any) -> bool:
    """Whether `value` can be a mapping key (a YAML key may be a list or a mapping)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def present_steps(positions: Positions, path: DocumentPath) -> DocumentPath:
    """The steps of `path` that the document holds, skipping those it does not (as `source` does)."""
    node = positions.node(())
    present: list[Any] = []
    for step in path:
        if isinstance(node, dict) and hashable(step) and step in node or (
            isinstance(node, list)
            and isinstance(step, int)
            and not isinstance(step, bool)
            and 0 <= step < len(node)
        ):
            node = node[step]
        else:
            continue
        present.append(step)
    return tuple(present)
