"""Mission file text → positioned data: pass 1 of the loader (`planner.mission.load`).

A YAML composer (libyaml through PyYAML, else ruamel.yaml) reads the file into events, and `_Builder` turns
them into plain data that remembers the line and column of every key and value: `YamlMap` and `YamlList`
(a `dict` and a `list`), YAML 1.2 scalars. No object is ever constructed from a tag; duplicate keys, tags
other than the plain ones, recursive aliases and alias bombs are errors. `Locator` answers the loader's
`planner.mission.positions.Positions` questions for the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planner.domain import Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.hints import quote
from planner.mission.positions import DocumentPath, hashable
from planner.mission.wording import Wording

Position = tuple[int, int]
"""0-based line and column, as YAML parsers count."""


class YamlMap(dict):
    """A mapping of the file, remembering where each key and value stands."""

    __slots__ = ("flow", "key_positions", "position", "value_positions")

    def __init__(self, position: Position, flow: bool):
        super().__init__()
        self.position = position
        self.key_positions: dict[Any, Position] = {}
        self.value_positions: dict[Any, Position] = {}
        self.flow = flow


class YamlList(list):
    """A sequence of the file, remembering where each item stands."""

    __slots__ = ("item_positions", "position")

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
        return int(text, 0)
    if _HEX.fullmatch(text):
        return int(text, 0)
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
        elif tag is not None and str(tag) in (_CORE + "str", _CORE + "timestamp") or event.style:
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
            assert key_position is not None  # set with the key
            frame.has_key = False
            if key is _MERGE:
                frame.merges.append((value, position))
            elif isinstance(key, (YamlMap, YamlList)) or not hashable(key):
                self.error(key_position, "a key must be a word, not a list or mapping; write `key: value`")
            elif not isinstance(container, YamlMap):
                raise AssertionError("a key outside a mapping")  # `add` handles lists above
            elif key in container:
                first = container.key_positions[key][0] + 1
                self.error(
                    key_position,
                    f"the key {quote(key)} appears twice in this mapping (first on line {first}); keep one",
                )
            else:
                container[key] = value
                container.key_positions[key] = key_position
                container.value_positions[key] = position

    def merge(self, frame: _Frame) -> None:
        """`<<: *defaults` (or a list of them): keys written in the mapping itself win."""
        target = frame.container
        assert isinstance(target, YamlMap)  # merges are collected only in mappings
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


OPENED_BY = {
    "while parsing a flow mapping": "{",
    "while parsing a flow sequence": "[",
    "while scanning a quoted scalar": "\"'",
}
"""The parser's contexts (libyaml's and ruamel's words alike) whose mark is a bracket or quote still open,
and the characters it may be. Others mark where a block or a key began (`"b" c` is a key whose quote is
closed), which no `not closed` may be said of."""
CLOSERS = {"{": "}", "[": "]", '"': '"', "'": "'"}


def _unclosed(file: str, failure: Exception, text: str) -> InputError | None:
    """The error of a `{`, `[` or quote left open, or None for any other syntax error.

    The parser notices it where the next entry or key cannot continue the open one, often a line below,
    which is no place to look for the fault: its `context_mark` says where the bracket or quote was opened.
    Both places are named. libyaml and ruamel both count the marks' columns in characters."""
    opened, noticed = getattr(failure, "context_mark", None), getattr(failure, "problem_mark", None)
    if opened is None or noticed is None:
        return None
    lines = text.split("\n")
    openers = OPENED_BY.get(str(getattr(failure, "context", "")), "")
    opener = lines[opened.line][opened.column:opened.column + 1] if opened.line < len(lines) else ""
    if not opener or opener not in openers:  # a line break YAML counts and Python not (U+2028): unsure
        return None
    closer = CLOSERS[opener]
    where = f"line {noticed.line + 1}, column {noticed.column + 1}"
    if opener in "\"'":
        return InputError(Source(file, opened.line + 1, opened.column + 1),
                          f"YAML syntax: the `{opener}` opened here is not closed: end the text with "
                          f"`{closer}` (the parser reached {where} without finding it)")
    if noticed.line == opened.line:  # the bracket is in sight: the fault is at the place noticed
        return InputError(Source(file, noticed.line + 1, noticed.column + 1),
                          f"YAML syntax: expected `,` or `{closer}` here, inside the `{opener}` opened at "
                          f"column {opened.column + 1}: separate its items with `,` and close it with "
                          f"`{closer}`")
    return InputError(Source(file, opened.line + 1, opened.column + 1),
                      f"YAML syntax: the `{opener}` opened here is not closed: end it with `{closer}` on the "
                      f"same entry, or, if it goes on to the next line, separate its items with `,` (the "
                      f"parser expected `,` or `{closer}` at {where})")


def _syntax_error(file: str, failure: Exception, text: str) -> InputError:
    if (unclosed := _unclosed(file, failure, text)) is not None:
        return unclosed
    mark = getattr(failure, "problem_mark", None) or getattr(failure, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(offset := getattr(failure, "position", None), int):
        # a character YAML does not allow (a control character): libyaml gives its offset only, counted in
        # the UTF-8 bytes it read (each accent before it would shift the place); ruamel counts characters
        if type(failure).__module__.split(".")[0] == "yaml":
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    else:
        line, column = 1, 1
    problem = " ".join(
        str(part) for part in (getattr(failure, "context", None), getattr(failure, "problem", None)) if part
    )
    if not problem:
        problem = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
    if getattr(failure, "character", None) is not None:  # a character YAML refuses, not a misplaced one
        advice = "remove it: a mission file holds no control characters"
    else:
        advice = "check indentation, colons, quotes and brackets around this place"
    return InputError(Source(file, line, column), f"YAML syntax: {problem}; {advice}")


def parse(text: str, file: str) -> Any:
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
    """`Positions` of a YAML file: a document path → the 1-based line and column of its key or value."""

    def __init__(self, file: str, root: Any):
        self.file = file
        self.root = root
        self.wording: Wording = Wording()

    def walk(self, path: DocumentPath, key: bool = False) -> tuple[DocumentPath, Position]:
        """The part of `path` that exists in the file, and the 0-based position of its end.

        Steps that the file does not hold (pydantic's union tags, a missing key) are skipped, so an error
        points at the nearest thing the person wrote.
        """
        node = self.root
        position: Position = node.position if isinstance(node, (YamlMap, YamlList)) else (0, 0)
        matched: list[Any] = []
        for index, step in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, YamlMap) and hashable(step) and step in node:
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

    def source(self, path: DocumentPath, key: bool = False) -> Source:
        _, (line, column) = self.walk(path, key)
        return Source(self.file, line + 1, column + 1)

    def node(self, path: DocumentPath) -> Any:
        node = self.root
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return node
