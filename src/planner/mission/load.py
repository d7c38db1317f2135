"""Mission file → `planner.domain.Mission`, with every input error as `FILE:LINE:COLUMN: message`.

Three passes, so that one mistake hides no other:
1. a YAML composer (libyaml through PyYAML, else ruamel.yaml) reads the file into nodes, and `_Builder`
   turns them into plain data that remembers the line and column of every key and value (YAML 1.2
   scalars; no object is ever constructed from a tag; duplicate keys are errors);
2. each section and each entry is validated on its own by the pydantic models of `planner.mission.schema`
   (unknown keys, scalar forms, ranges);
3. the resolver checks what spans entries (ids, legs, time zones, travel) and builds the domain objects.
Cross-entry checks need a valid `mission` header and valid legs; when those are broken, only passes 1–2
are reported.
"""

from __future__ import annotations

import re
import typing
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.domain import (
    Accompany,
    Activity,
    After,
    Delegate,
    Group,
    Leg,
    Lunch,
    MaxPerDay,
    MinGap,
    Mission,
    Rule,
    Source,
    TimeOfDayRange,
    TravelSettings,
    Venue,
    Window,
)
from planner.domain.errors import InputError, InputErrors
from planner.domain.travel import computed_travel_minutes
from planner.text.format import format_duration
from planner.mission.schema import (
    AFTER_TAGS,
    REQUIRED_SECTIONS,
    RULE_KINDS,
    SECTION_ENTRIES,
    SECTION_SINGLE,
    ActivityEntry,
    AfterReference,
    DelegateEntry,
    Entry,
    GroupEntry,
    LegEntry,
    MissionFile,
    MissionHeader,
    RuleEntry,
    TravelSection,
    VenueEntry,
    WrittenDateTime,
    suggest_id,
)

Path_ = tuple[Any, ...]
"""A position in the file as keys and list indices, e.g. ("activities", 3, "duration")."""

SINGULAR = {
    "legs": "leg",
    "venues": "venue",
    "delegates": "delegate",
    "groups": "group",
    "activities": "activity",
    "rules": "rule",
}


# --- pass 1: YAML ---------------------------------------------------------------------------------------

Position = tuple[int, int]
"""0-based line and column, as YAML parsers count."""


class YamlMap(dict):
    """A mapping of the file, remembering where each key and value stands."""

    __slots__ = ("position", "key_positions", "value_positions", "flow")

    def __init__(self, position: Position, flow: bool):
        super().__init__()
        self.position = position
        self.key_positions: dict[Any, Position] = {}
        self.value_positions: dict[Any, Position] = {}
        self.flow = flow


class YamlList(list):
    """A sequence of the file, remembering where each item stands."""

    __slots__ = ("position", "item_positions")

    def __init__(self, position: Position):
        super().__init__()
        self.position = position
        self.item_positions: list[Position] = []


def _event_reader():
    """The YAML parser's event stream: libyaml's through PyYAML when present (the fastest by far), else
    ruamel.yaml's. Only events are used; `_Builder` makes the data itself, with positions and YAML 1.2
    scalars, so no parser-side resolver or constructor ever runs."""
    try:
        import yaml

        loader = yaml.CSafeLoader
        return lambda text: yaml.parse(text, Loader=loader)
    except (ImportError, AttributeError):
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).parse


_EVENTS = _event_reader()

# YAML 1.2 core schema for plain scalars: `08:30` is text (1.1 would read 510), `no` is text (1.1: false).
_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INFINITY = re.compile(r"([-+]?)\.(inf|Inf|INF)")
_NOT_A_NUMBER = re.compile(r"\.(nan|NaN|NAN)")
_PLAIN_TAGS = {
    "!",
    *(
        f"tag:yaml.org,2002:{name}"
        for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "value")
    ),
}
"""Tags a mission may carry (those parsers put on plain data); any other (`!!python/…`, `!foo`) is refused."""
_SPECIAL_STARTS = frozenset("0123456789+-.~nNtTfF")
MAX_VALUES = 1_000_000
"""Aliases may multiply a file's values; beyond this many the file is refused (a "billion laughs")."""


def _plain_scalar(text: str) -> Any:
    if text and text[0] not in _SPECIAL_STARTS:
        return text  # most ids and names: no pattern below can match
    if _NULL.fullmatch(text):
        return None
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _OCTAL.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    infinity = _INFINITY.fullmatch(text)
    if infinity:
        return float(f"{infinity[1]}inf")
    if _NOT_A_NUMBER.fullmatch(text):
        return float("nan")
    return text  # dates and datetimes stay text: the mission schema reads them, with their position


_MERGE = object()
"""The key `<<` written plain: merge the mapping(s) given as its value."""
_CORE = "tag:yaml.org,2002:"


@dataclass
class _Frame:
    """A mapping or sequence being read."""

    container: YamlMap | YamlList
    anchor: str | None
    size: int = 1
    key: Any = None
    key_position: Position | None = None
    has_key: bool = False
    merges: list[tuple[Any, Position]] = field(default_factory=list)


@dataclass
class _Builder:
    """YAML events → `YamlMap`, `YamlList` and scalars with positions; duplicate keys, tags other than
    the plain ones, recursive aliases and alias bombs are errors."""

    file: str
    errors: list[InputError] = field(default_factory=list)
    stack: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)
    open_anchors: set[str] = field(default_factory=set)
    root: Any = None
    documents: int = 0

    def error(self, position: Position, message: str) -> None:
        self.errors.append(InputError(Source(self.file, position[0] + 1, position[1] + 1), message))

    def read(self, events: Iterable[Any]) -> Any:
        for event in events:
            kind = type(event).__name__
            position = (event.start_mark.line, event.start_mark.column)
            if kind == "DocumentStartEvent":
                self.documents += 1
                if self.documents > 1:
                    self.error(
                        position,
                        "a second YAML document (`---`); a mission is one document: remove "
                        "the `---` line or move the rest to its own file",
                    )
                    break
            elif kind == "ScalarEvent":
                self.scalar(event, position)
            elif kind in ("SequenceStartEvent", "MappingStartEvent"):
                self.check_tag(event.tag, position, ("seq",) if kind == "SequenceStartEvent" else ("map",))
                container = (
                    YamlList(position)
                    if kind == "SequenceStartEvent"
                    else YamlMap(position, bool(event.flow_style))
                )
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                self.stack.append(_Frame(container, event.anchor))
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                frame = self.stack.pop()
                if isinstance(frame.container, YamlMap):
                    self.merge(frame)
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.container, frame.size)
                self.add(frame.container, frame.container.position, frame.size)
            elif kind == "AliasEvent":
                if event.anchor in self.open_anchors:
                    self.error(
                        position,
                        f"the alias `*{event.anchor}` refers to the node that contains it; YAML "
                        "aliases in a mission cannot be recursive",
                    )
                    self.add(None, position, 1)
                elif event.anchor not in self.anchors:
                    self.error(
                        position,
                        f"the alias `*{event.anchor}` names no anchor; write `&{event.anchor}` on "
                        "the value it stands for, before this place",
                    )
                    self.add(None, position, 1)
                else:
                    value, size = self.anchors[event.anchor]
                    self.add(value, position, size)
                # only aliases make the data larger than the file
                if self.stack and self.stack[0].size > MAX_VALUES:
                    raise InputErrors(
                        [
                            InputError(
                                Source(self.file, 1, 1),
                                f"the file stands for more than "
                                f"{MAX_VALUES:,} values once its aliases are expanded; write "
                                "it out plainly",
                            )
                        ]
                    )
        return self.root

    def check_tag(self, tag: Any, position: Position, allowed: tuple[str, ...]) -> bool:
        if tag is None or tag == "!":
            return True
        tag = str(tag)
        if tag.startswith(_CORE) and tag[len(_CORE) :] in allowed:
            return True
        written = tag.replace(_CORE, "!!", 1)
        self.error(position, f"the YAML tag `{written}` is not part of the mission format; remove it")
        return False

    def scalar(self, event: Any, position: Position) -> None:
        tag = event.tag
        if not self.check_tag(tag, position, ("str", "int", "float", "bool", "null", "timestamp")):
            value: Any = None
        elif tag is not None and str(tag) in (_CORE + "str", _CORE + "timestamp"):
            value = event.value
        elif event.style:  # quoted or block text
            value = event.value
        else:
            value = _plain_scalar(event.value)
            frame = self.stack[-1] if self.stack else None
            if (
                value == "<<"
                and frame is not None
                and isinstance(frame.container, YamlMap)
                and not frame.has_key
            ):
                value = _MERGE
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.add(value, position, 1)

    def add(self, value: Any, position: Position, size: int) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, YamlList):
            container.append(value)
            container.item_positions.append(position)
        elif not frame.has_key:
            frame.key, frame.key_position, frame.has_key = value, position, True
        else:
            key, key_position = frame.key, frame.key_position
            frame.has_key = False
            if key is _MERGE:
                frame.merges.append((value, position))
            elif isinstance(key, (YamlMap, YamlList)) or not _hashable(key):
                self.error(key_position, "a key must be a word, not a list or mapping; write `key: value`")
            elif key in container:
                first = container.key_positions[key][0] + 1
                self.error(
                    key_position,
                    f"the key {_quote(key)} appears twice in this mapping (first on line {first}); keep one",
                )
            else:
                container[key] = value
                container.key_positions[key] = key_position
                container.value_positions[key] = position

    def merge(self, frame: _Frame) -> None:
        """`<<: *defaults` (or a list of them): keys written in the mapping itself win."""
        target = frame.container
        for value, position in frame.merges:
            sources = value if isinstance(value, YamlList) else [value]
            for source in sources:
                if not isinstance(source, YamlMap):
                    self.error(position, "`<<` merges a mapping (`<<: *name`), not a value")
                    continue
                for key, item in source.items():
                    if key not in target:
                        target[key] = item
                        target.key_positions[key] = source.key_positions[key]
                        target.value_positions[key] = source.value_positions[key]


def _syntax_error(file: str, failure: Exception, text: str) -> InputError:
    mark = getattr(failure, "problem_mark", None) or getattr(failure, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(getattr(failure, "position", None), int):
        # a character YAML does not allow (a control character): libyaml gives its offset only
        offset = failure.position
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    else:
        line, column = 1, 1
    problem = " ".join(
        str(part) for part in (getattr(failure, "context", None), getattr(failure, "problem", None)) if part
    )
    if not problem:
        problem = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
    return InputError(
        Source(file, line, column),
        f"YAML syntax: {problem}; check indentation, colons, quotes and brackets around this place",
    )


def _parse(text: str, file: str) -> Any:
    """The file's data as `YamlMap`, `YamlList` and scalars, or `InputErrors` at the YAML's own position."""
    builder = _Builder(file)
    try:
        document = builder.read(_EVENTS(text))
    except InputErrors:
        raise
    except Exception as failure:  # noqa: BLE001 - every parser failure is a syntax error of the file
        # PyYAML and ruamel raise their own error classes (MarkedYAMLError, ReaderError, …), and a few
        # plain ValueErrors on malformed input; all mean the same to the person: the YAML is broken here.
        raise InputErrors([_syntax_error(file, failure, text)]) from None
    if builder.errors:
        raise InputErrors(builder.errors)
    _rejoin_commas_in_flow_text(document, text.splitlines())
    return document


def _rejoin_commas_in_flow_text(node: Any, lines: list[str], seen: set[int] | None = None) -> None:
    """Inside `{...}`, `name: Google, Mountain View` means the name "Google, Mountain View".

    YAML reads the text after the comma as a key without a value. No key of the mission format is written
    so, so such a bare word is joined back to the text value before it (the contract's own example writes
    addresses and names this way).
    """
    seen = set() if seen is None else seen
    if id(node) in seen:  # aliases share nodes
        return
    seen.add(id(node))
    if isinstance(node, YamlMap):
        if node.flow:
            previous = None
            for key in list(node):
                value = node[key]
                if (
                    value is None
                    and previous is not None
                    and isinstance(key, str)
                    and isinstance(node.get(previous), str)
                    and _written_without_colon(node, key, lines)
                ):
                    node[previous] = f"{node[previous]}, {key}"
                    del node[key]
                    continue
                previous = key
        for value in node.values():
            if isinstance(value, (YamlMap, YamlList)):
                _rejoin_commas_in_flow_text(value, lines, seen)
    elif isinstance(node, YamlList):
        for value in node:
            if isinstance(value, (YamlMap, YamlList)):
                _rejoin_commas_in_flow_text(value, lines, seen)


def _written_without_colon(node: YamlMap, key: str, lines: list[str]) -> bool:
    line, column = node.key_positions[key]
    if line >= len(lines) or not lines[line].startswith(key, column):
        return False
    rest = lines[line][column + len(key) :].lstrip()
    return rest == "" or rest[0] in ",}"


# --- positions ------------------------------------------------------------------------------------------


class Locator:
    """Maps a path of keys and indices in the YAML tree to a 1-based line and column."""

    def __init__(self, file: str, root: Any):
        self.file = file
        self.root = root

    def walk(self, path: Path_, key: bool = False) -> tuple[Path_, Position]:
        """The part of `path` that exists in the file, and the 0-based position of its end.

        Steps that the file does not hold (pydantic's union tags, a missing key) are skipped, so an error
        points at the nearest thing the person wrote.
        """
        node = self.root
        position: Position = node.position if isinstance(node, (YamlMap, YamlList)) else (0, 0)
        matched: list[Any] = []
        for index, step in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, YamlMap) and _hashable(step) and step in node:
                position = node.key_positions[step] if (key and last) else node.value_positions[step]
                node = node[step]
            elif (
                isinstance(node, YamlList)
                and isinstance(step, int)
                and not isinstance(step, bool)
                and 0 <= step < len(node)
            ):
                position = node.item_positions[step]
                node = node[step]
            else:
                continue
            matched.append(step)
        return tuple(matched), position

    def source(self, path: Path_, key: bool = False) -> Source:
        _, (line, column) = self.walk(path, key)
        return Source(self.file, line + 1, column + 1)

    def node(self, path: Path_) -> Any:
        node = self.root
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@dataclass
class _Report:
    """The errors found so far, each pointing into the file."""

    locator: Locator
    errors: list[InputError] = field(default_factory=list)

    def add(self, path: Path_, message: str, key: bool = False) -> None:
        self.errors.append(InputError(self.locator.source(path, key), message))

    def describe(self, path: Path_) -> str:
        """How a person names the entry at `path`: "activity `visit-google`", "leg 2", "`mission`"."""
        if not path:
            return "the file"
        section = path[0]
        if section in SINGULAR and len(path) >= 2 and isinstance(path[1], int):
            raw = self.locator.node(path[:2])
            label = SINGULAR[section]
            if isinstance(raw, dict):
                if isinstance(raw.get("id"), (str, int)) and not isinstance(raw.get("id"), bool):
                    return f"{label} `{raw['id']}`"
                if section == "legs" and isinstance(raw.get("city"), str):
                    return f"leg `{raw['city']}`"
            return f"{label} {path[1] + 1}"
        return f"`{section}`"


def _quote(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"`{text if len(text) <= 40 else text[:37] + '...'}`"


def _closest(word: Any, candidates: Iterable[str]) -> str | None:
    if not isinstance(word, str):
        return None
    found = get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _listing(items: Iterable[str], limit: int = 8) -> str:
    names = list(items)
    shown = ", ".join(f"`{name}`" for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# --- pass 2: shapes -------------------------------------------------------------------------------------


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


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return _quote(value)


def _translate(report: _Report, failure: ValidationError, prefix: Path_, model: type[BaseModel]) -> None:
    """Pydantic errors → messages with what to write instead, each at the key or value it concerns."""
    for error in failure.errors(include_url=False):
        location = tuple(error["loc"])
        path = prefix + location
        kind = error["type"]
        matched, _ = report.locator.walk(path)
        entry = report.describe(path)
        keys_in_entry = [step for step in matched[len(prefix) :] if isinstance(step, str)]
        where = f"{entry}, `{keys_in_entry[-1]}`" if keys_in_entry else entry
        if kind == "extra_forbidden":
            parent = _model_at(model, location[:-1])
            valid = _keys_of(parent) if parent else []
            key = location[-1]
            suggestion = _closest(key, valid)
            if parent is RuleEntry:
                hint = f"did you mean `{suggestion}`? " if suggestion else ""
                message = (
                    f"{entry}: unknown rule {_quote(key)}; {hint}a rule is one of "
                    f"{_listing(RULE_KINDS)} (plus an optional `id`)"
                )
            else:
                hint = f"did you mean `{suggestion}`?" if suggestion else f"valid keys: {_listing(valid, 20)}"
                owner = report.describe(path[:-1]) if len(path) > 1 else "the file"
                message = f"{owner}: unknown key {_quote(key)}; {hint}"
            report.add(path, message, key=True)
        elif kind == "missing":
            name = location[-1]
            owner_path = path[:-1]
            owner = report.describe(owner_path)
            sub = [step for step in location[:-1] if isinstance(step, str) and step not in AFTER_TAGS]
            if sub:
                owner = f"{owner}, `{sub[-1]}`"
            report.add(owner_path, f"{owner} lacks the required key `{name}`: add `{name}: …`")
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            report.add(
                path, f"{where}: expected a mapping of `key: value` pairs, found {_kind_of(error['input'])}"
            )
        elif kind in ("list_type", "tuple_type", "iterable_type"):
            value = error["input"]
            example = (
                f"[{value}]" if isinstance(value, (str, int)) and not isinstance(value, bool) else "[a, b]"
            )
            report.add(
                path,
                f"{where}: expected a list, found {_kind_of(value)}; write {example} "
                "or one `- item` per line",
            )
        elif kind == "union_tag_invalid" or kind == "union_tag_not_found":
            report.add(path, f"{where}: write an activity id, or {{id: <activity>, gap: 30m}}")
        elif kind.startswith(("int_", "float_", "string_", "bool_")):
            report.add(path, f"{where}: {_kind_of(error['input'])} is not accepted here ({error['msg']})")
        else:
            report.add(path, f"{where}: {error['msg']}")


def _validate(report: _Report, model: type[Entry], raw: Any, path: Path_) -> Any:
    """The entry, validated; when its only faults are unknown keys, the entry without them (the keys are
    still reported), so that a misspelt optional key does not also hide the entry from later checks."""
    try:
        return model.model_validate(raw)
    except ValidationError as failure:
        _translate(report, failure, path, model)
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


def _remove(node: Any, location: Path_) -> None:
    for step in location[:-1]:
        if isinstance(node, dict) and _hashable(step) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
    if isinstance(node, dict) and location and _hashable(location[-1]):
        node.pop(location[-1], None)


@dataclass
class _Shapes:
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
    written_ids: dict[str, set[str]] = field(default_factory=dict)
    """Ids written in each section, valid entries or not: a reference to a broken entry is not dangling."""


def _check_shapes(report: _Report, document: Any) -> _Shapes:
    shapes = _Shapes()
    if not isinstance(document, YamlMap):
        found = "empty" if document is None else f"{_kind_of(document)}, not a mapping"
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
            suggestion = _closest(key, sections)
            hint = f"did you mean `{suggestion}`?" if suggestion else f"the sections are {_listing(sections)}"
            report.add((key,), f"unknown section {_quote(key)} at the top level; {hint}", key=True)
    for name in REQUIRED_SECTIONS:
        if document.get(name) is None:
            what = "with `name` and `timezone`" if name == "mission" else "with at least one entry"
            report.add((), f"the file lacks the required section `{name}`: add `{name}:` {what}")
            if name in ("mission", "legs"):
                shapes.legs_complete = False

    for name, entry_model in SECTION_ENTRIES.items():
        raw_section = document.get(name)
        if raw_section is None:
            continue
        if not isinstance(raw_section, list):
            report.add(
                (name,),
                f"`{name}` is a list of entries, one `- {{...}}` per entry; found {_kind_of(raw_section)}",
            )
            if name == "legs":
                shapes.legs_complete = False
            continue
        if name in ("legs", "venues") and not raw_section:
            report.add((name,), f"`{name}` is empty; write at least one {SINGULAR[name]}")
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
            entry = _validate(report, entry_model, raw, (name, index))
            if entry is not None:
                valid.append((index, entry))
            elif name == "legs":
                shapes.legs_complete = False

    raw_header = document.get("mission")
    if raw_header is not None:
        shapes.header = _validate(report, SECTION_SINGLE["mission"], raw_header, ("mission",))
    raw_travel = document.get("travel")
    shapes.travel = (
        TravelSection() if raw_travel is None else _validate(report, TravelSection, raw_travel, ("travel",))
    )
    return shapes


# --- pass 3: resolution ---------------------------------------------------------------------------------


class _Resolver:
    """Pass 3: cross-references, legs and time zones, and the domain objects."""

    def __init__(self, report: _Report, shapes: _Shapes, file: str):
        self.report = report
        self.shapes = shapes
        self.file = file
        self.legs: list[Leg] = []
        self.venues: dict[str, Venue] = {}
        self.delegates: dict[str, Delegate] = {}
        self.groups: dict[str, Group] = {}
        self.activities: dict[str, Activity] = {}
        self.rules: list[Rule] = []
        self.explicit_travel: dict[tuple[str, str], int] = {}
        self.explicit_travel_sources: dict[tuple[str, str], Source] = {}
        self.people_paths: dict[str, Path_] = {}
        self.broken_cities: set[str] = set()
        """Cities of legs that are in error: their venues are left out without a second error."""

    def source(self, path: Path_) -> Source:
        return self.report.locator.source(path)

    # mission and legs ----------------------------------------------------------------------------------

    def resolve_header(self, header: MissionHeader) -> bool:
        """mission: `day` ends after it starts; the grain is at most a day."""
        if header.grain > 24 * 60:
            self.report.add(
                ("mission", "grain"),
                f"a grain of {format_duration(header.grain)} is longer than a day; the "
                "grain is the step of start times, e.g. 5m or 15m",
            )
            return False
        if header.day.end <= header.day.start:
            self.report.add(
                ("mission", "day", "end"),
                f"the working day ends ({_clock(header.day.end)}) before or when it starts "
                f'({_clock(header.day.start)}); write e.g. {{start: "08:00", end: "22:00"}}',
            )
        return True

    def resolve_legs(self, header: MissionHeader) -> None:
        """legs: `to` not before `from`; one leg per city; date ranges do not overlap."""
        cities: dict[str, int] = {}
        accepted: list[tuple[Leg, int]] = []
        for index, entry in self.shapes.legs:
            path = ("legs", index)
            if entry.to < entry.from_:
                self.broken_cities.add(entry.city)
                self.report.add(
                    path + ("to",),
                    f"{self.report.describe(path)}: `to` ({entry.to}) is before `from` "
                    f"({entry.from_}); `to` is the last date of the stay, inclusive",
                )
                continue
            if entry.city in cities:
                self.report.add(
                    path + ("city",),
                    f"a second leg in `{entry.city}` (the first is leg "
                    f"{cities[entry.city] + 1}); venues name a leg by its city, so "
                    f"each leg needs its own, e.g. `{entry.city} (return)`",
                )
                continue
            cities[entry.city] = index
            leg = Leg(entry.city, entry.from_, entry.to, entry.timezone or header.timezone, self.source(path))
            self.legs.append(leg)
            accepted.append((leg, index))
        by_start = sorted(accepted, key=lambda pair: (pair[0].first_day, pair[1]))
        for (earlier, _), (later, later_index) in zip(by_start, by_start[1:], strict=False):
            if later.first_day <= earlier.last_day:
                self.report.add(
                    ("legs", later_index, "from"),
                    f"leg `{later.city}` ({later.first_day}–{later.last_day}) overlaps leg "
                    f"`{earlier.city}` ({earlier.first_day}–{earlier.last_day}); legs share no date: "
                    f"start `{later.city}` on {earlier.last_day + timedelta(days=1)} or later",
                )

    def legs_text(self) -> str:
        return ", ".join(f"{leg.city} {leg.first_day}–{leg.last_day}" for leg in self.legs)

    def leg_of_day(self, day: date) -> Leg | None:
        return next((leg for leg in self.legs if leg.contains(day)), None)

    def leg_of_city(self, city: str) -> Leg | None:
        return next((leg for leg in self.legs if leg.city == city), None)

    def instant(
        self, written: WrittenDateTime, path: Path_, what: str, fallback: Leg | None = None
    ) -> tuple[datetime, Leg] | None:
        """A written datetime → an aware instant, in the zone of the leg whose dates contain it.

        `fallback` (the leg of a window's start) also takes the day after its last date, so that a window
        may end at midnight.
        """
        if written.offset is not None:
            # an explicit offset fixes the instant; its leg is the one whose local date it falls on
            instant = written.naive().replace(tzinfo=written.offset)
            local_day = {leg.city: instant.astimezone(leg.zone).date() for leg in self.legs}
            leg = next((leg for leg in self.legs if leg.contains(local_day[leg.city])), None)
            day = local_day[leg.city] if leg is not None else written.day
        else:
            instant = None
            leg = self.leg_of_day(written.day)
            day = written.day
        if (
            leg is None
            and fallback is not None
            and fallback.first_day <= day <= (fallback.last_day + timedelta(days=1))
        ):
            leg = fallback
        if leg is None:
            self.report.add(
                path,
                f"{what} {written} lies outside every leg ({self.legs_text()}); "
                "use a date of a leg, or add a leg for it",
            )
            return None
        return (instant if instant is not None else leg.local_instant(written.day, written.minute)), leg

    def window(self, written: tuple[WrittenDateTime, WrittenDateTime], path: Path_) -> Window | None:
        """A window: both ends inside legs, end after start."""
        start = self.instant(written[0], path + (0,), "the window's start")
        if start is None:
            return None
        end = self.instant(written[1], path + (1,), "the window's end", fallback=start[1])
        if end is None:
            return None
        if end[0] <= start[0]:
            self.report.add(
                path,
                f"the window ends ({written[1]}) before or when it starts ({written[0]}); "
                "write [start, end] with the end later",
            )
            return None
        return Window(start[0], end[0], self.source(path))

    # venues and travel ---------------------------------------------------------------------------------

    def resolve_venues(self) -> None:
        """venues: unique ids; each city is a leg's city."""
        first: dict[str, int] = {}
        cities = [leg.city for leg in self.legs]
        for index, entry in self.shapes.venues:
            path = ("venues", index)
            if entry.id in first:
                self.duplicate(path, "venue", entry.id, ("venues", first[entry.id]))
                continue
            first[entry.id] = index
            if entry.city in self.broken_cities:
                continue
            if entry.city not in cities:
                suggestion = _closest(entry.city, cities)
                hint = f"did you mean `{suggestion}`? " if suggestion else ""
                self.report.add(
                    path + ("city",),
                    f"venue `{entry.id}`: city `{entry.city}` is no leg's city; "
                    f"{hint}the legs' cities are {_listing(cities)}",
                )
                continue
            self.venues[entry.id] = Venue(
                id=entry.id,
                name=entry.name,
                city=entry.city,
                address=entry.address,
                geo=entry.geo,
                open_hours=tuple(TimeOfDayRange(start, end) for start, end in entry.open),
                parallel=entry.parallel,
                capacity=entry.capacity,
                source=self.source(path),
            )

    def resolve_travel(self, travel: TravelSection) -> TravelSettings:
        """travel.times: known venues of one city, not the same venue, one entry per pair."""
        settings = TravelSettings(
            speed_kmh=travel.speed_kmh, detour=travel.detour, buffer=travel.buffer, default=travel.default
        )
        first: dict[tuple[str, str], int] = {}
        for index, (venue_a, venue_b, minutes) in enumerate(travel.times):
            path = ("travel", "times", index)
            known = [self.venue_reference(venue, path, "travel time") for venue in (venue_a, venue_b)]
            if not all(known) or venue_a not in self.venues or venue_b not in self.venues:
                continue
            if venue_a == venue_b:
                self.report.add(
                    path,
                    f"a travel time from venue `{venue_a}` to itself; the same venue needs no "
                    "travel time: remove this entry",
                )
                continue
            city_a, city_b = self.venues[venue_a].city, self.venues[venue_b].city
            if city_a != city_b:
                self.report.add(
                    path,
                    f"venues `{venue_a}` ({city_a}) and `{venue_b}` ({city_b}) lie in different "
                    "cities; moving between cities is the transfer between legs (model it as an "
                    "activity): remove this entry",
                )
                continue
            pair = tuple(sorted((venue_a, venue_b)))
            if pair in first:
                line = self.source(("travel", "times", first[pair])).line
                self.report.add(
                    path,
                    f"a second travel time between `{pair[0]}` and `{pair[1]}` (the first is on "
                    f"line {line}); entries are symmetric: keep one",
                )
                continue
            first[pair] = index
            self.explicit_travel[(venue_a, venue_b)] = minutes
            self.explicit_travel[(venue_b, venue_a)] = minutes
            self.explicit_travel_sources[(venue_a, venue_b)] = self.source(path)
            self.explicit_travel_sources[(venue_b, venue_a)] = self.source(path)
        return settings

    def travel_table(self, settings: TravelSettings) -> dict[tuple[str, str], int]:
        """Every ordered pair of different venues of one city: explicit, else from geo, else the default."""
        table: dict[tuple[str, str], int] = {}
        for venue_a in self.venues.values():
            for venue_b in self.venues.values():
                if venue_a.id == venue_b.id or venue_a.city != venue_b.city:
                    continue
                pair = (venue_a.id, venue_b.id)
                if pair in self.explicit_travel:
                    table[pair] = self.explicit_travel[pair]
                elif venue_a.geo is not None and venue_b.geo is not None:
                    table[pair] = computed_travel_minutes(venue_a.geo, venue_b.geo, settings)
                elif settings.default is not None:
                    table[pair] = settings.default
        return table

    def travel_sources(self, table: dict[tuple[str, str], int]) -> dict[tuple[str, str], Source]:
        """Where each pair's time is written: its travel.times entry, else `travel.default` (not geo)."""
        default = self.report.locator.source(("travel", "default"), key=True)
        sources: dict[tuple[str, str], Source] = {}
        for venue_a, venue_b in table:
            if (venue_a, venue_b) in self.explicit_travel_sources:
                sources[(venue_a, venue_b)] = self.explicit_travel_sources[(venue_a, venue_b)]
            elif self.venues[venue_a].geo is None or self.venues[venue_b].geo is None:
                sources[(venue_a, venue_b)] = default
        return sources

    def check_travel_known(self, mission: Mission) -> None:
        """travel: a pair of venues some delegate may move between needs a travel time."""
        missing = {
            (a.id, b.id)
            for a in mission.venues.values()
            for b in mission.venues.values()
            if a.id < b.id and a.city == b.city and (a.id, b.id) not in mission.travel
        }
        if not missing:
            return
        reported: set[tuple[str, str]] = set()
        for delegate_id in sorted(mission.delegates):
            # venue -> the activities of this delegate that may take place there
            where: dict[str, list[str]] = {}
            for activity in mission.activities_of(delegate_id):
                for venue_id in activity.venues:
                    where.setdefault(venue_id, []).append(activity.id)
            for pair in sorted(missing - reported):
                first, second = where.get(pair[0]), where.get(pair[1])
                if not first or not second:
                    continue
                couples = [(x, y) for x in first for y in second if x != y]
                if not couples:
                    continue
                reported.add(pair)
                activity_a, activity_b = couples[0]
                venue_a, venue_b = mission.venues[pair[0]], mission.venues[pair[1]]
                if self.position_of_venue(venue_a.id) > self.position_of_venue(venue_b.id):
                    venue_a, venue_b = venue_b, venue_a
                    activity_a, activity_b = activity_b, activity_a
                lacking = [v.id for v in (venue_a, venue_b) if v.geo is None]
                # point at the venue to complete: one without geo, else the later one in the file
                target = next((v for v in (venue_b, venue_a) if v.geo is None), venue_b)
                index = self.position_of_venue(target.id)
                self.report.add(
                    ("venues", index),
                    f"no travel time between venues `{venue_a.id}` and `{venue_b.id}` (both in "
                    f"{venue_a.city}, {_listing(lacking)} without `geo`), yet delegate `{delegate_id}` "
                    f"may attend `{activity_a}` at one and `{activity_b}` at the other: add "
                    f"`[{venue_a.id}, {venue_b.id}, 25m]` under travel.times, or `geo` to both "
                    "venues, or a `travel.default`",
                )

    def position_of_venue(self, venue_id: str) -> int:
        return next(i for i, e in self.shapes.venues if e.id == venue_id)

    # people --------------------------------------------------------------------------------------------

    def resolve_delegates(self) -> None:
        """delegates: ids unique across delegates and groups; unavailable windows inside legs."""
        for index, entry in self.shapes.delegates:
            path = ("delegates", index)
            if entry.id in self.people_paths:
                self.duplicate(path, "delegate", entry.id, self.people_paths[entry.id])
                continue
            self.people_paths[entry.id] = path
            windows = [self.window(w, path + ("unavailable", k)) for k, w in enumerate(entry.unavailable)]
            self.delegates[entry.id] = Delegate(
                id=entry.id,
                name=entry.name,
                role=entry.role,
                organisation=entry.organisation,
                delegation=entry.delegation,
                sectors=tuple(entry.sectors),
                size=entry.size,
                email=entry.email,
                unavailable=tuple(w for w in windows if w is not None),
                source=self.source(path),
            )

    def resolve_groups(self) -> None:
        """groups: ids unique with delegates; members defined; no membership cycle; expanded and sorted."""
        entries: dict[str, tuple[int, GroupEntry]] = {}
        for index, entry in self.shapes.groups:
            path = ("groups", index)
            if entry.id in self.people_paths:
                self.duplicate(path, "group", entry.id, self.people_paths[entry.id])
                continue
            self.people_paths[entry.id] = path
            entries[entry.id] = (index, entry)
        for index, entry in entries.values():
            for position, member in enumerate(entry.members):
                if member not in self.delegates and member not in entries:
                    self.dangling(("groups", index, "members", position), "member", member, "people")

        expanded: dict[str, set[str]] = {}
        reported_cycles: set[frozenset[str]] = set()

        def expand(group_id: str, trail: list[str]) -> set[str]:
            if group_id in expanded:
                return expanded[group_id]
            if group_id in trail:
                cycle = trail[trail.index(group_id) :] + [group_id]
                if frozenset(cycle) not in reported_cycles:
                    reported_cycles.add(frozenset(cycle))
                    self.report.add(
                        ("groups", entries[group_id][0], "members"),
                        f"group membership cycle: {' → '.join(cycle)}; a group cannot contain itself, "
                        "directly or through other groups: remove one of these memberships",
                    )
                return set()
            found: set[str] = set()
            for member in entries[group_id][1].members:
                if member in self.delegates:
                    found.add(member)
                elif member in entries:
                    found |= expand(member, trail + [group_id])
            expanded[group_id] = found
            return found

        for group_id, (index, entry) in entries.items():
            delegates = expand(group_id, [])
            self.groups[group_id] = Group(
                id=group_id,
                members=tuple(entry.members),
                delegates=tuple(sorted(delegates)),
                name=entry.name,
                kind=entry.kind,
                source=self.source(("groups", index)),
            )

    def people(self, references: Sequence[str], path: Path_) -> set[str]:
        """Delegate and group ids → the delegates they name; a dangling id is reported at its item."""
        found: set[str] = set()
        for position, reference in enumerate(references):
            found |= self.person(reference, path + (position,))
        return found

    def person(self, reference: str, path: Path_) -> set[str]:
        if reference in self.delegates:
            return {reference}
        if reference in self.groups:
            return set(self.groups[reference].delegates)
        self.dangling(path, "delegate or group", reference, "people")
        return set()

    # activities ----------------------------------------------------------------------------------------

    def resolve_activities(self, grain: int) -> None:
        """activities: unique ids, venues of one city, duration on the grain, times inside legs."""
        first: dict[str, int] = {}
        for index, entry in self.shapes.activities:
            if entry.id in first:
                self.duplicate(("activities", index), "activity", entry.id, ("activities", first[entry.id]))
                continue
            first[entry.id] = index
        for index, entry in self.shapes.activities:
            if first[entry.id] == index:
                activity = self.activity(index, entry, grain, set(first))
                if activity is not None:
                    self.activities[activity.id] = activity

    def activity(
        self, index: int, entry: ActivityEntry, grain: int, activity_ids: set[str]
    ) -> Activity | None:
        path = ("activities", index)
        name = f"activity `{entry.id}`"
        ok = True
        if (entry.venue is None) == (entry.venues is None):
            both = entry.venue is not None
            self.report.add(
                path,
                f"{name} has {'both `venue` and `venues`' if both else 'no venue'}: write "
                "`venue: <id>` for one venue or `venues: [<id>, <id>]` for candidates the "
                "solver picks from" + (", not both" if both else ""),
            )
            return None
        if entry.venue is not None:
            written_venues, venue_path = [entry.venue], path + ("venue",)
            item_paths = [venue_path]
        else:
            written_venues, venue_path = list(dict.fromkeys(entry.venues or [])), path + ("venues",)
            item_paths = [venue_path + (k,) for k in range(len(entry.venues or []))]
            if not written_venues:
                self.report.add(venue_path, f"{name}: `venues` is empty; list at least one venue id")
                return None
        for venue_id, item_path in zip(entry.venues or [entry.venue], item_paths, strict=True):
            ok &= self.venue_reference(venue_id, item_path, "venue")
        if not ok:
            return None
        cities = {self.venues[v].city for v in written_venues}
        if len(cities) > 1:
            where = ", ".join(f"`{v}` in {self.venues[v].city}" for v in written_venues)
            self.report.add(
                venue_path,
                f"{name}: candidate venues lie in different cities ({where}); all "
                "candidates of one activity lie in one city: make one activity per city",
            )
            return None
        leg = self.leg_of_city(cities.pop())
        assert leg is not None  # venues of unknown cities were left out above
        if entry.duration % grain:
            lower = entry.duration // grain * grain
            options = " or ".join(format_duration(m) for m in (lower, lower + grain) if m > 0)
            self.report.add(
                path + ("duration",),
                f"{name}: duration {format_duration(entry.duration)} is not a multiple of "
                f"the grain ({grain}m), so it can never start and end on the "
                f"grain; write {options}",
            )
            ok = False
        attendees = self.people(entry.attendees, path + ("attendees",))
        optional = self.people(entry.optional_attendees, path + ("optional_attendees",)) - attendees
        fixed = None
        if entry.fixed is not None:
            fixed = self.fixed_start(entry.fixed, path + ("fixed",), name, leg, grain, written_venues[0])
            ok &= fixed is not None
        windows = []
        for k, written in enumerate(entry.windows):
            window = self.window(written, path + ("windows", k))
            ok &= window is not None
            windows.append(window)
        for k, day in enumerate(entry.dates):
            if self.leg_of_day(day) is None:
                self.report.add(
                    path + ("dates", k),
                    f"{name}: date {day} lies outside every leg ({self.legs_text()}); use a date of a leg",
                )
                ok = False
        after = []
        for k, item in enumerate(entry.after):
            reference, gap = (item.id, item.gap) if isinstance(item, AfterReference) else (item, 0)
            item_path = path + ("after", k)
            if reference == entry.id:
                self.report.add(
                    item_path, f"{name} is `after` itself; name another activity, or remove the entry"
                )
                ok = False
            elif reference not in activity_ids:
                self.dangling(item_path, "activity", reference, "activities")
                ok = False
            else:
                after.append(After(reference, gap, self.source(item_path)))
        if not ok:
            return None
        return Activity(
            id=entry.id,
            title=entry.title,
            venues=tuple(written_venues),
            duration=entry.duration,
            attendees=tuple(sorted(attendees)),
            optional_attendees=tuple(sorted(optional)),
            attendee_refs=tuple(entry.attendees),
            optional_attendee_refs=tuple(entry.optional_attendees),
            kind=entry.kind,
            fixed=fixed,
            windows=tuple(w for w in windows if w is not None),
            dates=tuple(entry.dates),
            after=tuple(after),
            priority=entry.priority,
            description=entry.description,
            source=self.source(path),
        )

    def fixed_start(
        self, written: WrittenDateTime, path: Path_, name: str, leg: Leg, grain: int, venue_id: str
    ) -> datetime | None:
        """A fixed start lies in its venue's leg and on the grain (whole multiple after local midnight)."""
        resolved = self.instant(written, path, f"{name}: the fixed start")
        if resolved is None:
            return None
        instant, written_leg = resolved
        local = instant.astimezone(leg.zone)
        if written_leg is not leg or not leg.contains(local.date()):
            self.report.add(
                path,
                f"{name}: the fixed start {written} lies outside the leg of its venue "
                f"`{venue_id}` ({leg.city}, {leg.first_day}–{leg.last_day}); "
                f"fix it on a date from {leg.first_day} to {leg.last_day}",
            )
            return None
        minute = local.hour * 60 + local.minute
        if minute % grain or local.second:
            earlier = minute - minute % grain
            self.report.add(
                path,
                f"{name}: the fixed start {_clock(minute)} is not on the {grain}-minute grain "
                f"(counted from local midnight); write {_clock(earlier)} or "
                f"{_clock((earlier + grain) % 1440)}",
            )
            return None
        return instant

    # rules ---------------------------------------------------------------------------------------------

    def resolve_rules(self) -> None:
        """rules: exactly one rule key per entry; `who`/`with` defined; rule ids unique."""
        ids: dict[str, Path_] = {}
        automatic = {
            f"{kind}-{index + 1}": index
            for index, entry in self.shapes.rules
            if entry.id is None
            for kind in RULE_KINDS
            if getattr(entry, kind) is not None
        }
        for index, entry in self.shapes.rules:
            path = ("rules", index)
            present = [kind for kind in RULE_KINDS if getattr(entry, kind) is not None]
            if len(present) != 1:
                found = f"several rule keys ({_listing(present)})" if present else "no rule key"
                self.report.add(
                    path,
                    f"rule {index + 1} has {found}; write exactly one of {_listing(RULE_KINDS)} "
                    "per entry (one rule per `- ` line)",
                )
                continue
            kind = present[0]
            rule_id = entry.id or f"{kind}-{index + 1}"
            if entry.id is not None and automatic.get(entry.id, index) != index:
                self.report.add(
                    path + ("id",),
                    f"the rule id `{entry.id}` is the automatic id of rule "
                    f"{automatic[entry.id] + 1} (`<kind>-<position>`); choose another, "
                    f"e.g. `{entry.id}-b`",
                )
                continue
            if rule_id in ids:
                self.duplicate(path + (("id",) if entry.id else ()), "rule", rule_id, ids[rule_id])
                continue
            ids[rule_id] = path
            body = getattr(entry, kind)
            body_path = path + (kind,)
            delegates = self.person(body.who, body_path + ("who",))
            common = dict(
                id=rule_id, who=body.who, delegates=tuple(sorted(delegates)), source=self.source(path)
            )
            if not delegates and body.who not in self.groups:
                continue
            if (
                kind in ("accompany", "max_per_day")
                and body.kinds
                and not self.kinds_known(body.kinds, body_path + ("kinds",), rule_id)
            ):
                continue
            if kind == "accompany":
                principals = self.person(body.with_, body_path + ("with",))
                if not principals and body.with_ not in self.groups:
                    continue
                rule: Rule = Accompany(
                    **common,
                    principal=body.with_,
                    principal_delegates=tuple(sorted(principals)),
                    kinds=tuple(body.kinds) if body.kinds is not None else None,
                )
            elif kind == "max_per_day":
                rule = MaxPerDay(
                    **common, count=body.count, kinds=tuple(body.kinds) if body.kinds is not None else None
                )
            elif kind == "min_gap":
                rule = MinGap(**common, gap=body.gap)
            else:
                start, end = body.between
                if body.duration > end - start:
                    self.report.add(
                        body_path + ("duration",),
                        f"rule `{rule_id}`: a lunch of {format_duration(body.duration)} does not fit between "
                        f"{_clock(start)} and {_clock(end)}; shorten it or widen `between`",
                    )
                    continue
                rule = Lunch(**common, between=TimeOfDayRange(start, end), duration=body.duration)
            self.rules.append(rule)

    def kinds_known(self, kinds: Sequence[str], path: Path_, rule_id: str) -> bool:
        """A listed kind that no activity has but that is close to one that does is a misspelling: the rule
        would silently apply to nothing. A kind far from every used one is kept (a rule may be written
        before its activities)."""
        used = {activity.kind for _, activity in self.shapes.activities}
        fine = True
        for position, kind in enumerate(kinds):
            if kind in used:
                continue
            suggestion = get_close_matches(kind, sorted(used), n=1, cutoff=0.75)
            if suggestion:
                self.report.add(
                    path + (position,),
                    f"rule `{rule_id}`: no activity has the kind `{kind}`; did you mean `{suggestion[0]}`?",
                )
                fine = False
        return fine

    # shared --------------------------------------------------------------------------------------------

    def venue_reference(self, venue_id: str, path: Path_, what: str) -> bool:
        if venue_id in self.venues:
            return True
        if venue_id not in self.shapes.written_ids.get("venues", set()):
            self.dangling(path, what, venue_id, "venues")
        return False

    def dangling(self, path: Path_, what: str, reference: str, namespace: str) -> None:
        """A reference to an id no entry defines; an id whose own entry is broken is reported there."""
        if namespace == "people":
            written = self.shapes.written_ids.get("delegates", set()) | self.shapes.written_ids.get(
                "groups", set()
            )
            defined = list(self.delegates) + list(self.groups)
            sections = "`delegates` or `groups`"
        else:
            written = self.shapes.written_ids.get(namespace, set())
            defined = (
                list(self.venues) if namespace == "venues" else [e.id for _, e in self.shapes.activities]
            )
            sections = f"`{namespace}`"
        if reference in written:
            return
        suggestion = _closest(reference, defined)
        hint = f"did you mean `{suggestion}`?" if suggestion else f"define it under {sections}"
        self.report.add(path, f"unknown {what} `{reference}`; {hint}")

    def duplicate(self, path: Path_, what: str, identifier: str, first_path: Path_) -> None:
        line = self.source(first_path).line
        shared = " (delegates and groups share one set of ids)" if what in ("delegate", "group") else ""
        self.report.add(
            path,
            f"the {what} id `{identifier}` is already used on line {line}; ids are unique"
            f"{shared}: rename one, e.g. `{identifier}-2`",
        )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- entry points ---------------------------------------------------------------------------------------


def load_mission_text(text: str, file: str = "<string>") -> Mission:
    """Load a mission from its text; raise `InputErrors` with every error of the file."""
    document = _parse(text, file)
    report = _Report(Locator(file, document))
    shapes = _check_shapes(report, document)
    header = shapes.header
    if header is None or not shapes.legs_complete:
        raise InputErrors(report.errors or [InputError(Source(file, 1, 1), "the mission cannot be read")])
    resolver = _Resolver(report, shapes, file)
    if not resolver.resolve_header(header):
        raise InputErrors(report.errors)
    resolver.resolve_legs(header)
    if report.errors and not resolver.legs:
        raise InputErrors(report.errors)
    resolver.resolve_venues()
    settings = resolver.resolve_travel(shapes.travel) if shapes.travel is not None else TravelSettings()
    resolver.resolve_delegates()
    resolver.resolve_groups()
    resolver.resolve_activities(header.grain)
    resolver.resolve_rules()
    travel = resolver.travel_table(settings)
    mission = Mission(
        name=header.name,
        timezone=header.timezone,
        grain=header.grain,
        day=TimeOfDayRange(header.day.start, header.day.end),
        legs=tuple(resolver.legs),
        venues=resolver.venues,
        delegates=resolver.delegates,
        activities=resolver.activities,
        groups=resolver.groups,
        rules=tuple(resolver.rules),
        travel=travel,
        travel_settings=settings,
        file=file,
        source=report.locator.source(("mission",), key=True),
        travel_sources=resolver.travel_sources(travel),
    )
    if shapes.travel is not None:
        # with a broken travel section every pair would look unknown
        resolver.check_travel_known(mission)
    if report.errors:
        raise InputErrors(report.errors)
    return mission


def load_mission(path: str | Path) -> Mission:
    """Load a mission file; raise `InputErrors` with every error of the file (nothing else)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as failure:
        raise InputErrors(
            [
                InputError(
                    Source(file, 1, 1),
                    f"the file is not UTF-8 text ({failure.reason} at byte "
                    f"{failure.start}); save it as UTF-8",
                )
            ]
        ) from None
    except OSError as failure:
        raise InputErrors(
            [InputError(Source(file, 1, 1), f"cannot read the file: {failure.strerror or failure}")]
        ) from None
    return load_mission_text(text, file)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the mission format, generated from the models the loader validates with."""
    schema = MissionFile.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# --- warnings -------------------------------------------------------------------------------------------


TRAVEL_WARNINGS_SHOWN = 10


def travel_warnings(mission: Mission) -> list[InputError]:
    """Travel triangles that may make the solver refuse a valid programme (docs/solving.md, known limits).

    The model keeps the direct travel time between any two activities of a delegate, while the mission
    format only asks for it between consecutive ones. The two agree unless going a → b → c, stopping at b
    for the shortest activity the delegate may attend there, is quicker than t(a, c): an explicit
    `travel.times` entry (or a `travel.default`) can make it so; times computed from `geo` never do.
    Gaps of `min_gap` are left out, which only makes the check warn earlier. One warning per pair (a, c),
    through its worst b; the worst ten, and a count of the rest.
    """
    order = {venue_id: index for index, venue_id in enumerate(mission.venues)}
    shortest_stop: dict[str, dict[str, int]] = {}
    """delegate id → venue → the shortest activity the delegate may attend there."""
    for delegate_id in sorted(mission.delegates):
        stops: dict[str, int] = {}
        for activity in mission.activities_of(delegate_id):
            for venue_id in activity.venues:
                stops[venue_id] = min(stops.get(venue_id, activity.duration), activity.duration)
        shortest_stop[delegate_id] = stops
    # (a, c) → (excess, b, stop at b) of its worst b: excess = t(a, c) − (t(a, b) + stop + t(b, c)) > 0
    worst: dict[tuple[str, str], tuple[int, str, int]] = {}
    for stops in shortest_stop.values():
        venues = sorted(stops, key=order.__getitem__)
        for a in venues:
            for c in venues:
                if order[a] >= order[c] or (a, c) not in mission.travel:
                    continue
                for b in venues:
                    if b in (a, c) or (a, b) not in mission.travel or (b, c) not in mission.travel:
                        continue
                    via = mission.travel[(a, b)] + stops[b] + mission.travel[(b, c)]
                    excess = mission.travel[(a, c)] - via
                    if excess > worst.get((a, c), (0, "", 0))[0]:
                        worst[(a, c)] = (excess, b, stops[b])
    ranked = sorted(worst.items(), key=lambda item: (-item[1][0], order[item[0][0]], order[item[0][1]]))
    warnings = [_travel_triangle_warning(mission, a, b, c, stop) for (a, c), (_, b, stop) in
                ranked[:TRAVEL_WARNINGS_SHOWN]]
    if len(ranked) > TRAVEL_WARNINGS_SHOWN:
        rest = len(ranked) - TRAVEL_WARNINGS_SHOWN
        warnings.append(InputError(
            _travel_source(mission, *ranked[TRAVEL_WARNINGS_SHOWN][0]),
            f"and {rest} more travel time{'s' if rest != 1 else ''} longer than going through another "
            "venue, like those above",
        ))
    return warnings


def _travel_source(mission: Mission, a: str, c: str, *others: tuple[str, str]) -> Source:
    """The written time to look at: a–c's, else the first of the shorter legs that is written."""
    for pair in ((a, c), *others):
        if pair in mission.travel_sources:
            return mission.travel_sources[pair]
    return mission.source


def _travel_triangle_warning(mission: Mission, a: str, b: str, c: str, stop: int) -> InputError:
    direct, first, second = mission.travel[(a, c)], mission.travel[(a, b)], mission.travel[(b, c)]
    written = f"[{a}, {c}, {first + second}m]"
    return InputError(
        _travel_source(mission, a, c, (a, b), (b, c)),
        f"travel {a} → {c} ({direct} min) is longer than going via {b} ({first} + {second} min) with a "
        f"{format_duration(stop)} stop there: planner may then refuse a programme that stops at {b} in between; "
        f"set `{written}` (or less) under travel.times, or correct {a}–{b} or {b}–{c}",
    )


# --- summary --------------------------------------------------------------------------------------------


_GROUPS_LISTED_PER_KIND = 8


def summary(mission: Mission):
    """A short rich summary: legs, venues, delegates and headcount, groups, activities by kind, rules."""
    from rich.console import Group as RenderGroup
    from rich.table import Table
    from rich.text import Text

    headcount = sum(delegate.size for delegate in mission.delegates.values())
    title = Text.assemble(
        (mission.name, "bold"), f"  ({mission.file}, grain {mission.grain}m, working day {mission.day})"
    )
    legs = Table(title="Legs", title_justify="left", show_edge=False)
    for column in ("city", "dates", "time zone", "venues"):
        legs.add_column(column)
    for leg in mission.legs:
        venues = [v.id for v in mission.venues.values() if v.city == leg.city]
        legs.add_row(leg.city, f"{leg.first_day} – {leg.last_day}", leg.timezone, str(len(venues)))

    counts = Table(title="Mission", title_justify="left", show_edge=False, show_header=False)
    counts.add_column()
    counts.add_column(justify="right")
    counts.add_row("venues", str(len(mission.venues)))
    counts.add_row("delegates", str(len(mission.delegates)))
    counts.add_row("headcount", str(headcount))
    counts.add_row("groups", str(len(mission.groups)))
    counts.add_row("activities", str(len(mission.activities)))
    counts.add_row("rules", str(len(mission.rules)))
    counts.add_row("travel pairs", str(len(mission.travel) // 2))

    groups = Table(title="Groups", title_justify="left", show_edge=False)
    for column in ("group", "kind", "delegates", "headcount"):
        groups.add_column(column)
    # A summary stays short: a kind with many groups (sectors, say) gets one line with the ranges.
    by_group_kind: dict[str, list[Group]] = {}
    for group in mission.groups.values():
        by_group_kind.setdefault(group.kind or "", []).append(group)
    for kind, members in by_group_kind.items():
        sizes = [len(group.delegates) for group in members]
        headcounts = [sum(mission.delegates[d].size for d in group.delegates) for group in members]
        if len(members) <= _GROUPS_LISTED_PER_KIND:
            for group, size, headcount in zip(members, sizes, headcounts):
                groups.add_row(group.id, kind, str(size), str(headcount))
        else:
            groups.add_row(f"{len(members)} groups", kind, f"{min(sizes)}–{max(sizes)}",
                           f"{min(headcounts)}–{max(headcounts)}")

    kinds = Table(title="Activities by kind", title_justify="left", show_edge=False)
    for column in ("kind", "activities", "required", "optional"):
        kinds.add_column(column)
    by_kind = Counter(activity.kind for activity in mission.activities.values())
    required = Counter(activity.kind for activity in mission.activities.values() if activity.required)
    for kind in sorted(by_kind):
        kinds.add_row(kind, str(by_kind[kind]), str(required[kind]), str(by_kind[kind] - required[kind]))

    rules = Table(title="Rules", title_justify="left", show_edge=False)
    for column in ("rule", "kind", "who", "delegates"):
        rules.add_column(column)
    for rule in mission.rules:
        rules.add_row(rule.id, rule.kind, rule.who, str(len(rule.delegates)))

    parts: list[Any] = [title, legs, counts]
    if mission.groups:
        parts.append(groups)
    parts.append(kinds)
    if mission.rules:
        parts.append(rules)
    return RenderGroup(*parts)
