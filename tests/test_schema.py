"""`planner schema` stays in step with the loader.

The schema is generated from the pydantic models the loader validates with. These tests check, with
`jsonschema`'s Draft 2020-12 validator, that it accepts every file the loader accepts (an editor must never
flag a valid mission), rejects the shape errors the loader rejects, names every key the loader knows, and is
documented.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from conftest import EXAMPLE_SMALL, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic.fields import FieldInfo
from test_load_fuzz import MUTATIONS
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.errors import InputErrors
from planner.mission import schema as mission_schema
from planner.mission.load import REJOINED_TEXT, json_schema, load_mission_text
from planner.mission.schema import SECTION_ENTRIES, SECTION_SINGLE, Entry, MissionFile
from planner.mission.vocabulary import LongText, Text
from planner.mission.yaml_reader import _EVENTS, _Builder

BASE = EXAMPLE_SMALL.read_text(encoding="utf-8")
SCHEMA = json_schema()
# In 2020-12 `format` is only an annotation, and editors differ on whether they assert it: acceptance is
# checked with formats asserted (the strictest editor), rejection without (the most lenient one).
STRICT = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
LENIENT = Draft202012Validator(SCHEMA)


def _errors(validator: Draft202012Validator, document: Any) -> list[str]:
    """Every place the document breaks the schema, as `path: message` lines for the failure report."""
    return sorted(
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(document)
    )


def _document(text: str) -> Any:
    """The file as an editor's YAML language server sees it: plain data, dates as text, and a bare word
    after a comma inside `{...}` still a key of its own (planner's reader joins it back to the text)."""
    document = _Builder("m.yaml").read(_EVENTS(text))

    def plain(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: plain(value) for key, value in node.items()}
        if isinstance(node, list):
            return [plain(value) for value in node]
        return node

    return json.loads(json.dumps(plain(document), default=str))


def test_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_example_small_is_valid_against_the_schema():
    assert _errors(STRICT, _document(BASE)) == []


def _is_text(info: FieldInfo) -> bool:
    """Whether a field is free text, optional or not (a list of texts is not)."""
    validators = {Text.__metadata__[0], LongText.__metadata__[0]}
    return bool(validators & set(info.metadata)) or any(
        argument in (Text, LongText) for argument in typing.get_args(info.annotation))


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
        free_text = any(_is_text(info) for info in model.model_fields.values())
        # an entry with free text lets through only the valueless key of a comma inside {...}
        assert definition["additionalProperties"] == (REJOINED_TEXT if free_text else False), model.__name__
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
    assert _errors(LENIENT, _document(text)) != []


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
    assert _errors(STRICT, _document(text)) == [], text


def test_a_comma_inside_flow_text_is_valid_in_the_schema_as_in_the_loader():
    """`{name: Google, Mountain View}` is a name with a comma to planner, and a name plus a key without a
    value to YAML (and so to an editor); the schema accepts what planner accepts."""
    text = BASE.replace("{id: usc, name: University of Southern California,",
                        "{id: usc, name: University of Southern California, Los Angeles,", 1)
    assert text != BASE
    assert load_mission_text(text).venues["usc"].name == "University of Southern California, Los Angeles"
    assert _document(text)["venues"][4]["Los Angeles"] is None  # what an editor validates
    assert _errors(STRICT, _document(text)) == []
    misspelt = BASE.replace("kind: visit, venue: google", "kind: visit, venu: google", 1)
    assert _errors(LENIENT, _document(misspelt)) != []  # an unknown key with a value is still flagged


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
    assert _errors(STRICT, _document(text)) == []


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
