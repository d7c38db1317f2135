"""Mission file → `planner.domain.Mission`, with every input error as `FILE:LINE:COLUMN: message`.

Three passes, so that one mistake hides no other:
1. `planner.mission.yaml_reader`: the YAML text → plain data that remembers the line and column of every
   key and value (YAML 1.2 scalars; no object is ever constructed from a tag; duplicate keys are errors);
2. `planner.mission.shapes`: each section and each entry validated on its own by the pydantic models of
   `planner.mission.schema` (unknown keys, scalar forms, ranges);
3. `planner.mission.resolve`: what spans entries (ids, legs, time zones, travel), and the domain objects.
Passes 2 and 3 place errors through `planner.mission.positions.Positions`, so another format (a
spreadsheet) reuses them with `load_document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.domain import Mission
from planner.domain.errors import InputError
from planner.mission.limits import MAX_MISSION_BYTES, read_limited, read_text_limited
from planner.mission.positions import Positions
from planner.mission.resolve import resolve_mission
from planner.mission.schema import MissionFile
from planner.mission.shapes import Report, check_shapes
from planner.mission.yaml_reader import Locator
from planner.mission.yaml_reader import parse as _parse


def load_document(document: Any, positions: Positions, file: str,
                  found: Sequence[InputError] = ()) -> Mission:
    """Passes 2 and 3 on a document of plain mappings and lists (see `planner.mission.positions`); raise
    `InputErrors` with every error, each placed by `positions`, after those `found` while reading it."""
    report = Report(positions, list(found))
    shapes = check_shapes(report, document)
    return resolve_mission(report, shapes, file)


def load_mission_text(text: str, file: str = "<string>") -> Mission:
    """Load a mission from its text; raise `InputErrors` with every error of the file."""
    document = _parse(text, file)
    return load_document(document, Locator(file, document), file)


def load_mission(path: str | Path) -> Mission:
    """Load a mission file, YAML or a workbook (.xlsx, `planner.mission.workbook`); raise `InputErrors` with
    every error of the file (nothing else). Files larger than MAX_MISSION_BYTES are refused unread."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        from planner.mission.workbook import read_workbook

        read_limited(path, MAX_MISSION_BYTES, "mission workbook")
        document, positions = read_workbook(path)
        return load_document(document, positions, str(path), positions.misread)
    return load_mission_text(read_text_limited(path, MAX_MISSION_BYTES, "mission file"), str(path))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the mission format, generated from the models the loader validates with."""
    schema = MissionFile.model_json_schema(by_alias=True, mode="validation")
    for definition in schema.get("$defs", {}).values():
        if definition.get("additionalProperties") is False and any(
                _is_free_text(field) for field in definition.get("properties", {}).values()):
            definition["additionalProperties"] = REJOINED_TEXT
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


REJOINED_TEXT = {
    "type": "null",
    "description": "inside {...}, a bare word after a comma continues the text before it "
                   "({name: Google, Mountain View}); any other unknown key is an error",
}
"""What an entry with free text accepts besides its keys. YAML reads `{name: Google, Mountain View}` as
the name `Google` and a key `Mountain View` without a value, and the reader joins that word back to the
text (`planner.mission.yaml_reader`); an editor validates what YAML read, so the schema lets such a key
through wherever free text may stand before it, or it would flag the contract's own example."""


def _is_free_text(field: dict[str, Any]) -> bool:
    """Whether a property of the schema is free text (`planner.mission.vocabulary.Text`), optional or not."""
    forms = field.get("anyOf", [field])
    return any(form.get("type") == ["string", "number"] for form in forms)
