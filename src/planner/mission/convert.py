"""`planner convert`: a mission from YAML to a workbook and back, checked before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.domain import Mission, Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.cells import workbook_bytes
from planner.mission.files import write_atomic
from planner.mission.workbook import is_workbook, mission_workbook, read_workbook
from planner.mission.yaml_reader import parse as parse_positioned
from planner.mission.yaml_writer import mission_yaml

YAML_SUFFIXES = (".yaml", ".yml")


def plain(node: Any) -> Any:
    """The document as plain dicts and lists (positions dropped)."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def read_mission_document(path: str | Path) -> tuple[dict[str, Any], Mission]:
    """The document of a mission file (YAML or workbook) and the mission it loads to; InputErrors if it is
    not a valid mission."""
    from planner.mission.load import load_document, load_mission

    file = str(path)
    if is_workbook(path):
        document, positions = read_workbook(path)
        return plain(document), load_document(document, positions, file, positions.misread)
    mission = load_mission(path)  # every error of the file, or it reads as UTF-8 text
    return plain(parse_positioned(Path(path).read_text(encoding="utf-8"), file)), mission


def check_target(target: Path) -> None:
    """A target named .xlsx or .yaml, said before anything else of it (that a file is there already)."""
    if not is_workbook(target) and target.suffix.lower() not in YAML_SUFFIXES:
        raise InputErrors([InputError(Source.command_line(), (
            f"{target}: planner writes a mission as .xlsx (a workbook) or .yaml; name the target e.g. "
            f"{target.with_suffix('.xlsx').name}"))])


def convert(source: str | Path, target: str | Path) -> Mission:
    """Write the mission of `source` to `target` in the format its suffix names (.xlsx, .yaml)."""
    target = Path(target)
    check_target(target)
    document, mission = read_mission_document(source)
    if is_workbook(target):
        write_atomic(target, workbook_bytes(mission_workbook(document)))
    else:
        header = f"{mission.name}: converted by planner from {Path(source).name}"
        write_atomic(target, mission_yaml(document, header))
    return mission
