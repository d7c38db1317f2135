"""Pass 2 of the loader: each section and each entry validated on its own by the pydantic models of
`planner.mission.schema` (unknown keys, scalar forms, ranges), every error at the key or value it concerns.

It reads the document as plain mappings and lists and places errors through a
`planner.mission.positions.Positions`, so it serves every format that builds such a document.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.domain.errors import InputError
from planner.mission.hints import closest, kind_of, reference_hint, written
from planner.mission.positions import DocumentPath, Positions, hashable, present_steps
from planner.mission.references import NOTHING_REFERABLE, Referable, defined_in, referable, referred_sections
from planner.mission.scalars import ID_PATTERN, id_example, suggest_id
from planner.mission.schema import (
    AFTER_TAGS,
    REQUIRED_SECTIONS,
    RULE_KINDS,
    SECTION_ENTRIES,
    SECTION_SINGLE,
    ActivityEntry,
    CounterpartEntry,
    DelegateEntry,
    Entry,
    GroupEntry,
    LegEntry,
    LodgingEntry,
    MeetingRequestEntry,
    MissionFile,
    MissionHeader,
    RuleEntry,
    TravelSection,
    VenueEntry,
)
from planner.mission.wording import Wording

SINGULAR = {
    "legs": "leg",
    "venues": "venue",
    "delegates": "delegate",
    "groups": "group",
    "activities": "activity",
    "rules": "rule",
    "counterparts": "counterpart",
    "meetings": "meeting request",
    "lodging": "lodging entry",
}


@dataclass
class Report:
    """The errors found so far, each pointing into the file."""

    positions: Positions
    errors: list[InputError] = field(default_factory=list)
    reported: set[InputError] = field(default_factory=set)
    faulty: set[DocumentPath] = field(default_factory=set)
    """The paths an error was reported at."""

    def faulty_within(self, path: DocumentPath) -> bool:
        """Whether an error was reported at `path` or inside it (an entry whose key was already said to be
        wrong needs no second error saying it lacks one)."""
        return any(found[:len(path)] == tuple(path) for found in self.faulty)

    @property
    def wording(self) -> Wording:
        return self.positions.wording

    def add(self, path: DocumentPath, message: str, key: bool = False) -> None:
        self.faulty.add(tuple(path))
        error = InputError(self.positions.source(path, key), message)
        if error not in self.reported:  # a workbook's unknown column is found on each row that fills it
            self.reported.add(error)
            self.errors.append(error)

    def describe(self, path: DocumentPath) -> str:
        """How a person names the entry at `path`: "activity `visit-google`", "leg 2", "`mission`"."""
        if not path:
            return self.wording.whole
        section = path[0]
        if section in SINGULAR and len(path) >= 2 and isinstance(path[1], int):
            raw = self.positions.node(path[:2])
            label = SINGULAR[section]
            if isinstance(raw, dict):
                if isinstance(raw.get("id"), (str, int)) and not isinstance(raw.get("id"), bool):
                    return f"{label} `{raw['id']}`"
                if section == "legs" and isinstance(raw.get("city"), str):
                    return f"leg `{raw['city']}`"
            return self.wording.entry(path[:2], label)
        return self.wording.section(section)


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds, through Optional, list, Annotated and unions."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_inside(argument)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel] | None, location: Sequence[Any]) -> type[BaseModel] | None:
    """The model that validates the mapping at `location` (relative to `model`)."""
    for step in location:
        if model is None:
            return None
        if isinstance(step, str):
            field_info = next(
                (info for name, info in model.model_fields.items() if (info.alias or name) == step), None
            )
            if field_info is not None:
                model = _model_inside(field_info.annotation)
    return model


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _id_message(error: Any, path: DocumentPath, known: Referable, wording: Wording) -> str:
    """An invalid id's message; in a reference, what to write names an id of the file of a kind the key
    accepts (planner.mission.references): an attendee is never told a venue's id."""
    message, value = error["msg"], error["input"]
    if isinstance(value, list):  # a travel time `[fairmont, Googl, 75m]`: its invalid venue id
        value = next((item for item in value if isinstance(item, str) and not ID_PATTERN.fullmatch(item)),
                     None)
    sections = referred_sections(path)
    if sections is None or not isinstance(value, str) or not message.endswith(id_example(value)):
        return str(message)
    hint = reference_hint(suggest_id(value), known.ids_of(sections), known.people_of(sections),
                          wording.define_under(defined_in(sections)))
    return f"{message[:-len(id_example(value))]}; {hint}"


def _translate(report: Report, failure: ValidationError, prefix: DocumentPath,
               model: type[BaseModel], known: Referable = NOTHING_REFERABLE) -> None:
    """Pydantic errors → messages with what to write instead, each at the key or value it concerns."""
    misspelt = _misspelt_keys(failure, model)
    for error in failure.errors(include_url=False):
        location = tuple(error["loc"])
        path = prefix + location
        kind = error["type"]
        matched = present_steps(report.positions, path)
        entry = report.describe(path)
        keys_in_entry = [step for step in matched[len(prefix) :] if isinstance(step, str)]
        where = f"{entry}, {report.wording.key(matched)}" if keys_in_entry else entry
        if kind == "extra_forbidden":
            parent = _model_at(model, location[:-1])
            valid = _keys_of(parent) if parent else []
            key = location[-1]
            if parent is RuleEntry:
                message = report.wording.unknown_rule(entry, key, RULE_KINDS)
            else:
                owner = report.describe(path[:-1]) if len(path) > 1 else report.wording.whole
                message = report.wording.unknown_key(path, owner, valid)
            report.add(path, message, key=True)
        elif kind == "invalid_key":  # a key YAML read as a number or null (`- 7: {…}`, `- : {…}`)
            parent = _model_at(model, location[:-1])
            if parent is RuleEntry:
                message = report.wording.unknown_rule(entry, error["input"], RULE_KINDS)
            else:
                owner = report.describe(path[:-1]) if len(path) > 1 else report.wording.whole
                message = report.wording.unknown_key((*path[:-1], error["input"]), owner,
                                                     _keys_of(parent) if parent else [])
            report.add(path, message, key=True)
        elif kind == "missing":
            name = str(location[-1])
            if (location[:-1], name) in misspelt:  # said once, as the unknown key's `did you mean`
                continue
            owner_path = path[:-1]
            owner = report.describe(owner_path)
            sub = [step for step in location[:-1] if isinstance(step, str) and step not in AFTER_TAGS]
            if sub:
                owner = f"{owner}, `{sub[-1]}`"
            report.add(owner_path, report.wording.missing_key(owner_path, owner, name))
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            report.add(path, report.wording.mapping_expected(where, matched, error["input"]))
        elif kind in ("list_type", "tuple_type", "iterable_type"):
            report.add(path, report.wording.list_expected(where, matched, error["input"]))
        elif kind == "union_tag_invalid" or kind == "union_tag_not_found":
            report.add(path, report.wording.after_item(where))
        elif kind.startswith("bool_"):  # `pinned`, the format's only yes-or-no key
            advice = report.wording.either("write true or false",
                                           "write TRUE, or leave the cell empty for FALSE")
            report.add(path, f"{where}: `{written(error['input'])}` is not true or false; {advice}")
        elif kind.startswith(("int_", "float_", "string_")):
            report.add(path, f"{where}: {kind_of(error['input'])} is not accepted here ({error['msg']})")
        else:
            said = _id_message(error, path, known, report.wording) if kind == "id" else error["msg"]
            message = report.wording.value(matched, kind, error["input"], said)
            report.add(path, f"{where}: {message}")


def _misspelt_keys(failure: ValidationError, model: type[BaseModel]) -> set[tuple[Any, str]]:
    """(mapping, key) for each key an unknown key of the same mapping is a misspelling of: `durration`
    for a missing `duration` is one mistake, reported as the unknown key with its `did you mean`."""
    meant: set[tuple[Any, str]] = set()
    for error in failure.errors(include_url=False):
        location = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            parent = _model_at(model, location[:-1])
            if parent is not None and parent is not RuleEntry:
                suggestion = closest(location[-1], _keys_of(parent))
                if suggestion is not None:
                    meant.add((location[:-1], suggestion))
    return meant


def _validate(report: Report, model: type[Entry], raw: Any, path: DocumentPath,
              known: Referable = NOTHING_REFERABLE) -> Any:
    """The entry, validated; when its only faults are unknown keys, the entry without them (the keys are
    still reported), so that a misspelt optional key does not also hide the entry from later checks."""
    try:
        return model.model_validate(raw)
    except ValidationError as failure:
        _translate(report, failure, path, model, known)
        errors = failure.errors(include_url=False)
        if not all(error["type"] == "extra_forbidden" for error in errors):
            return None
        trimmed = _plain(raw)
        for error in errors:
            _remove(trimmed, tuple(error["loc"]))
        try:
            return model.model_validate(trimmed)
        except ValidationError:
            return None


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def _remove(node: Any, location: DocumentPath) -> None:
    for step in location[:-1]:
        in_mapping = isinstance(node, dict) and hashable(step) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_mapping or in_list:
            node = node[step]
    if isinstance(node, dict) and location and hashable(location[-1]):
        node.pop(location[-1], None)


@dataclass
class Shapes:
    """Every entry that passed pass 2, with its index in its section."""

    header: MissionHeader | None = None
    legs: list[tuple[int, LegEntry]] = field(default_factory=list)
    legs_complete: bool = True
    venues: list[tuple[int, VenueEntry]] = field(default_factory=list)
    travel: TravelSection | None = None
    delegates: list[tuple[int, DelegateEntry]] = field(default_factory=list)
    groups: list[tuple[int, GroupEntry]] = field(default_factory=list)
    activities: list[tuple[int, ActivityEntry]] = field(default_factory=list)
    rules: list[tuple[int, RuleEntry]] = field(default_factory=list)
    counterparts: list[tuple[int, CounterpartEntry]] = field(default_factory=list)
    meetings: list[tuple[int, MeetingRequestEntry]] = field(default_factory=list)
    lodging: list[tuple[int, LodgingEntry]] = field(default_factory=list)
    written_ids: dict[str, set[str]] = field(default_factory=dict)
    """Ids written in each section, valid entries or not: a reference to a broken entry is not dangling."""


def check_shapes(report: Report, document: Any) -> Shapes:
    shapes = Shapes()
    if not isinstance(document, dict):
        found = "empty" if document is None else f"{kind_of(document)}, not a mapping"
        report.add(
            (),
            f"the file is {found}; a mission file is a mapping of sections: "
            f"{', '.join(f'`{name}:`' for name in MissionFile.model_fields)}",
        )
        shapes.legs_complete = False
        return shapes
    sections = list(MissionFile.model_fields)
    for key in document:
        if key not in sections:
            report.add((key,), report.wording.unknown_section(key, sections), key=True)
    for name in REQUIRED_SECTIONS:
        if document.get(name) is None:
            what = "with `name` and `timezone`" if name == "mission" else "with at least one entry"
            report.add((), report.wording.missing_section(name, what))
            if name in ("mission", "legs"):
                shapes.legs_complete = False

    known = referable(document)
    for name, entry_model in SECTION_ENTRIES.items():
        raw_section = document.get(name)
        if raw_section is None:
            continue
        if not isinstance(raw_section, list):
            report.add(
                (name,),
                f"`{name}` is a list of entries, one `- {{...}}` per entry; found {kind_of(raw_section)}",
            )
            if name == "legs":
                shapes.legs_complete = False
            continue
        if name in ("legs", "venues") and not raw_section:
            report.add((name,), report.wording.empty_section(name, SINGULAR[name]))
            if name == "legs":
                shapes.legs_complete = False
        written = shapes.written_ids.setdefault(name, set())
        valid: list[tuple[int, Any]] = getattr(shapes, name)
        for index, raw in enumerate(raw_section):
            written_id = raw.get("id") if isinstance(raw, dict) else raw
            if isinstance(written_id, (str, int)) and not isinstance(written_id, bool):
                # the id as written (a bare word stands for an entry's id) and as its error message suggests
                # it: references to either are not dangling, the entry's own error says what is wrong
                written.update({str(written_id), suggest_id(str(written_id))})
            entry = _validate(report, entry_model, raw, (name, index), known)
            if entry is not None:
                valid.append((index, entry))
            elif name == "legs":
                shapes.legs_complete = False

    raw_header = document.get("mission")
    if raw_header is not None:
        shapes.header = _validate(report, SECTION_SINGLE["mission"], raw_header, ("mission",))
    raw_travel = document.get("travel")
    shapes.travel = (
        TravelSection.model_validate({})
        if raw_travel is None
        else _validate(report, TravelSection, raw_travel, ("travel",), known)
    )
    return shapes
