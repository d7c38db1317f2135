"""Passes 2 and 3 of the loader through `Positions` only: a document from another format (here cells of a
workbook, as a spreadsheet reader would build it) loads the same mission, and its errors name cells."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import EXAMPLE_SMALL

from planner.domain import Source
from planner.domain.errors import InputErrors
from planner.mission.load import _parse, load_document, load_mission_text
from planner.mission.positions import DocumentPath
from planner.mission.wording import Wording

SMALL_TEXT = EXAMPLE_SMALL.read_text(encoding="utf-8")


class Cells:
    """One sheet per section, one row per entry (row 1 holds the keys), one column per key."""

    def __init__(self, file: str, document: dict[str, Any]):
        self.file = file
        self.document = document
        self.wording = Wording()  # the YAML's terms; a real workbook says columns and sheets

    def node(self, path: DocumentPath) -> Any:
        node: Any = self.document
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def source(self, path: DocumentPath, key: bool = False) -> Source:
        if not path or path[0] not in self.document:
            return Source(self.file, 1, 1, "Mission")
        section, sheet = path[0], str(path[0]).capitalize()
        entries = self.document[section]
        if not isinstance(entries, list) or len(path) < 2 or not isinstance(path[1], int):
            return Source(self.file, 1, 1, sheet)
        row = path[1] + 2
        entry = entries[path[1]] if path[1] < len(entries) else {}
        keys = list(entry) if isinstance(entry, dict) else []
        column = keys.index(path[2]) + 1 if len(path) > 2 and path[2] in keys else 1
        return Source(self.file, 1 if key else row, column, sheet)


def _plain_document() -> dict[str, Any]:
    """The example as plain dicts and lists: nothing of the YAML reader's positions is left."""
    return json.loads(json.dumps(_parse(SMALL_TEXT, "small.yaml"), default=str))


def test_a_plain_document_loads_the_same_mission_as_its_yaml():
    document = _plain_document()
    from_cells = load_document(document, Cells("small.xlsx", document), "small.xlsx")
    from_yaml = load_mission_text(SMALL_TEXT, "small.yaml")
    assert list(from_cells.activities) == list(from_yaml.activities)
    for key, written in from_yaml.activities.items():
        read = from_cells.activities[key]
        assert (read.venues, read.duration, read.attendees, read.fixed, read.dates) == (
            written.venues, written.duration, written.attendees, written.fixed, written.dates
        )
        assert [(w.start, w.end) for w in read.windows] == [(w.start, w.end) for w in written.windows]
    assert from_cells.travel == from_yaml.travel
    assert str(from_cells.activities["visit-google"].source) == "small.xlsx:Activities!A3"


def test_errors_of_a_plain_document_name_cells():
    document = _plain_document()
    document["activities"][1]["venue"] = "gogle"
    with pytest.raises(InputErrors) as raised:
        load_document(document, Cells("small.xlsx", document), "small.xlsx")
    (error,) = raised.value.errors
    venue_column = list(document["activities"][1]).index("venue") + 1
    assert str(error.source) == f"small.xlsx:Activities!{chr(ord('A') + venue_column - 1)}3"
    assert "unknown venue `gogle`; did you mean `google`?" in error.message
