"""A mission that uses every key of the format, converted to a workbook and back, loads to the same mission:
a key without a column in the workbook, or one it cannot read back, fails here. The template's drop-down
lists offer every rule kind and every language the loader accepts."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pydantic import BaseModel

from planner.domain import LANGUAGES, Source
from planner.domain.errors import InputErrors
from planner.mission.convert import convert, plain
from planner.mission.load import load_mission
from planner.mission.schema import RULE_KINDS, MissionFile
from planner.mission.workbook import template_workbook
from planner.mission.workbook_layout import COLUMNS, SHEETS, cell_value
from planner.mission.yaml_reader import parse as parse_positioned

EVERY_KEY = Path(__file__).parent / "workbook" / "every-key.yaml"


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_model_inside, typing.get_args(annotation))), None)


def _format_keys(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every key the format accepts, as the keys on the way to it (`activities`, `meetings`, `slot`)."""
    keys = set()
    for name, info in model.model_fields.items():
        path = prefix + (info.alias or name,)
        keys.add(path)
        inner = _model_inside(info.annotation)
        if inner is not None:
            keys |= _format_keys(inner, path)
    return keys


def _used_keys(node: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if isinstance(node, dict):
        return {prefix + (key,) for key in node} | {
            path for key, value in node.items() for path in _used_keys(value, prefix + (key,))}
    if isinstance(node, list):
        return {path for item in node for path in _used_keys(item, prefix)}
    return set()


def _comparable(value: Any) -> Any:
    """A loaded mission without the places its parts were read from (a line of the YAML, a cell)."""
    if isinstance(value, Source):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((item.name, _comparable(getattr(value, item.name)))
                                            for item in dataclasses.fields(value) if item.name != "file"))
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(item) for item in value)
    return value


def test_the_test_mission_uses_every_key_of_the_format():
    document = plain(parse_positioned(EVERY_KEY.read_text(encoding="utf-8"), str(EVERY_KEY)))
    missing = _format_keys(MissionFile) - _used_keys(document)
    assert not missing, f"add these keys to {EVERY_KEY.name}: {sorted(missing)}"


def test_every_key_survives_yaml_to_workbook_to_yaml(tmp_path):
    workbook, back = tmp_path / "mission.xlsx", tmp_path / "mission.yaml"
    convert(EVERY_KEY, workbook)
    convert(workbook, back)
    expected = _comparable(load_mission(EVERY_KEY))
    assert _comparable(load_mission(workbook)) == expected
    assert _comparable(load_mission(back)) == expected


def test_the_rules_sheet_has_a_column_for_every_key_of_every_rule_kind():
    rule_keys = {path[2] for path in _format_keys(MissionFile) if path[0] == "rules" and len(path) == 3}
    assert rule_keys <= set(COLUMNS["rules"])
    assert "hours" in COLUMNS["rules"]


def test_the_drop_downs_offer_every_rule_kind_and_language():
    book = template_workbook()
    lists = book["Lists"]
    offered = {lists.cell(row=1, column=column).value:
               [lists.cell(row=row, column=column).value for row in range(2, lists.max_row + 1)
                if lists.cell(row=row, column=column).value is not None]
               for column in range(1, lists.max_column + 1)}
    assert offered["rules"] == list(RULE_KINDS)
    assert offered["languages"] == list(LANGUAGES)
    validations = {(sheet, str(rule.sqref)): rule for sheet in book.sheetnames
                   for rule in book[sheet].data_validations.dataValidation}
    rule_kind = validations[("Rules", "B2:B2000")]
    # Excel refuses a value off the list: the list must hold every kind the loader accepts
    assert rule_kind.showErrorMessage and rule_kind.formula1 == f"=Lists!$D$2:$D${len(RULE_KINDS) + 1}"
    assert "max_hours" in rule_kind.error
    language = chr(ord("A") + COLUMNS["delegates"].index("language"))
    assert validations[("Delegates", f"{language}2:{language}2000")].formula1 == "=Lists!$G$2:$G$5"


def test_pinned_and_hours_read_as_a_spreadsheet_holds_them(tmp_path):
    from datetime import time

    assert cell_value("activities", "pinned", True) is True
    assert cell_value("activities", "pinned", "TRUE") is True  # typed as text, or from a CSV
    assert cell_value("activities", "pinned", "false") is False
    assert cell_value("rules", "hours", time(8, 30)) == "8h30m"  # 8:30 typed in the hours cell
    workbook = tmp_path / "mission.xlsx"
    convert(EVERY_KEY, workbook)
    book = load_workbook(workbook)
    hours = chr(ord("A") + COLUMNS["rules"].index("hours"))
    book["Rules"][f"{hours}6"] = time(8, 30)
    book.save(workbook)
    assert next(rule for rule in load_mission(workbook).rules if rule.id == "odoo-hours").limit == 510


def test_a_pinned_cell_that_is_neither_true_nor_false_says_what_to_write(tmp_path):
    workbook = tmp_path / "mission.xlsx"
    convert(EVERY_KEY, workbook)
    book = load_workbook(workbook)
    pinned = chr(ord("A") + COLUMNS["activities"].index("pinned"))
    book["Activities"][f"{pinned}2"] = "yes"
    book.save(workbook)
    with pytest.raises(InputErrors) as failure:
        load_mission(workbook)
    assert [str(error) for error in failure.value.errors] == [
        f"{workbook}:Activities!{pinned}2: activity `opening`, column `pinned`: `yes` is not true or false; "
        "write TRUE, or leave the cell empty for FALSE"]


def test_every_column_has_a_note_in_the_terms_of_its_sheet():
    book = template_workbook()
    for section, keys in COLUMNS.items():
        sheet = book[SHEETS[section]]
        missing = [key for index, key in enumerate(keys, start=1) if sheet.cell(row=1, column=index).comment is None]
        assert not missing, f"{SHEETS[section]}: no note on {missing}"
    with_column = COLUMNS["meetings"].index("with") + 1
    assert "counterpart" in book["Meetings"].cell(row=1, column=with_column).comment.text
    assert "accompan" in book["Rules"].cell(row=1, column=COLUMNS["rules"].index("with") + 1).comment.text
