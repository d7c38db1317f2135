"""`planner schema` stays in step with the loader.

The schema is generated from the pydantic models the loader validates with. These tests check that it
accepts every file the loader accepts (an editor must never flag a valid mission), rejects the shape errors
the loader rejects, names every key the loader knows, and is documented. `jsonschema` is not a dependency,
so a small evaluator of the keywords pydantic emits does the checking; when `jsonschema` is installed it
checks the same again.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import EXAMPLE_SMALL, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_load_fuzz import MUTATIONS
from typer.testing import CliRunner

from planner import mission_schema
from planner.cli import app
from planner.errors import InputErrors
from planner.load import _parse, json_schema, load_mission_text
from planner.mission_schema import SECTION_ENTRIES, SECTION_SINGLE, Entry, MissionFile

BASE = EXAMPLE_SMALL.read_text(encoding="utf-8")
SCHEMA = json_schema()
HANDLED = {
    "$schema",
    "$defs",
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "anyOf",
    "oneOf",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "const",
    "title",
    "description",
    "default",
    "format",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def valid(value: Any, schema: dict[str, Any], root: dict[str, Any] = SCHEMA) -> bool:
    """A JSON Schema 2020-12 check of exactly the keywords in HANDLED (the test below asserts no others)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        if not valid(value, root["$defs"][name], root):
            return False
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        kind = _json_type(value)
        if not (kind in allowed or (kind == "integer" and "number" in allowed)):
            return False
    if "const" in schema and value != schema["const"]:
        return False
    if "anyOf" in schema and not any(valid(value, option, root) for option in schema["anyOf"]):
        return False
    if "oneOf" in schema and sum(valid(value, option, root) for option in schema["oneOf"]) != 1:
        return False
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        return False
    if _json_type(value) in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return False
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            return False
        prefix = schema.get("prefixItems", [])
        for index, item in enumerate(value):
            item_schema = prefix[index] if index < len(prefix) else schema.get("items")
            if item_schema is not None and not valid(item, item_schema, root):
                return False
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if any(key not in value for key in schema.get("required", [])):
            return False
        for key, item in value.items():
            if key in properties:
                if not valid(item, properties[key], root):
                    return False
            elif schema.get("additionalProperties") is False:
                return False
    return True


def _document(text: str) -> Any:
    """The file as an editor's YAML language server sees it: plain data, dates as text."""
    document = _parse(text, "m.yaml")

    def plain(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: plain(value) for key, value in node.items()}
        if isinstance(node, list):
            return [plain(value) for value in node]
        return node

    return json.loads(json.dumps(plain(document), default=str))


def _keywords(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    found |= _keywords(sub)
            elif key not in ("default", "const", "required", "type", "pattern", "description", "title"):
                found |= _keywords(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _keywords(item)
    return found


def test_schema_uses_only_keywords_the_evaluator_knows():
    assert _keywords(SCHEMA) <= HANDLED, _keywords(SCHEMA) - HANDLED


def test_example_small_is_valid_against_the_schema():
    assert valid(_document(BASE), SCHEMA)


def test_every_entry_forbids_unknown_keys_and_lists_the_loaders_keys():
    definitions = SCHEMA["$defs"]
    models = [
        model
        for model in vars(mission_schema).values()
        if isinstance(model, type) and issubclass(model, Entry) and model not in (Entry, MissionFile)
    ]
    assert len(models) >= 14
    for model in models:
        definition = definitions[model.__name__]
        assert definition["additionalProperties"] is False, model.__name__
        assert set(definition["properties"]) == {
            info.alias or name for name, info in model.model_fields.items()
        }
        required = {info.alias or name for name, info in model.model_fields.items() if info.is_required()}
        assert set(definition.get("required", [])) == required, model.__name__
    assert set(SCHEMA["properties"]) == set(SECTION_ENTRIES) | set(SECTION_SINGLE)
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize(
    "old, new",
    [
        ("rules:", "rulez:"),  # unknown section
        ("kind: visit, venue: google", "kind: visit, venu: google"),  # unknown key
        ("title: Visit to Stanford, ", ""),  # missing key
        ("{id: astrid,", "{id: Astrid,"),  # id pattern
        ("duration: 45m,", "duration: ninety,"),  # duration form
        ('between: ["11:30", "14:00"]', 'between: ["11:30", "25:00"]'),  # time of day
        ("priority: 50", "priority: 5000"),  # priority range
        ("parallel: 3", "parallel: 0"),  # count range
        ("geo: [37.4220, -122.0841]", "geo: [137.4220, -122.0841]"),  # geo range
        ("venues: [fairmont, stanford]", "venue: fairmont, venues: [fairmont, stanford]"),  # venue and venues
        (
            "  - max_per_day: {who: astrid, count: 3}",
            "  - max_per_day: {who: astrid, count: 3}\n    min_gap: {who: astrid, gap: 5m}",
        ),  # two rule keys
        ("  - max_per_day:", "  - max_per_dya:"),  # unknown rule
        ("dates: [2025-10-07]", "dates: [07/10/2025]"),  # date form
    ],
)
def test_shape_errors_are_rejected_by_both(old, new):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    with pytest.raises(InputErrors):
        load_mission_text(text)
    assert not valid(_document(text), SCHEMA)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_schema_accepts_every_file_the_loader_accepts(data):
    """An editor must never flag a mission that planner loads."""
    text = BASE
    for mutation in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=2)):
        text = mutation(text, data)
    try:
        load_mission_text(text)
    except InputErrors:
        return
    assert valid(_document(text), SCHEMA), text


@pytest.mark.parametrize(
    "old, new",
    [
        (BASE[BASE.index("rules:") :], "rules:\n"),  # an optional section left empty
        ('between: ["11:30", "14:00"]', 'between: [" 11:30", "14:00 "]'),
        ("dates: [2025-10-07]", 'dates: [" 2025-10-07"]'),
    ],
)
def test_forms_the_loader_accepts_are_valid_in_the_schema(old, new):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    load_mission_text(text)
    assert valid(_document(text), SCHEMA)


def test_with_jsonschema_when_installed():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(_document(BASE), SCHEMA, cls=jsonschema.Draft202012Validator)


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == SCHEMA


def test_every_key_is_documented():
    documentation = (ROOT / "docs" / "mission-format.md").read_text(encoding="utf-8")
    for definition in SCHEMA["$defs"].values():
        for key in definition.get("properties", {}):
            assert f"`{key}`" in documentation or f"| {key} " in documentation, key
    for section in SCHEMA["properties"]:
        assert f"`{section}`" in documentation, section
