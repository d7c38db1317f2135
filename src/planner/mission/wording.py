"""How the loader's messages name the places of a mission document and say what to write there.

Passes 2 and 3 (`planner.mission.shapes`, `planner.mission.resolve*`) find the same mistakes whatever the
file was written in; a `Wording` words each one for the format the person has in front of them. `Wording`
speaks the YAML's terms: sections, keys, `key: value`, `[a, b]`, one `- entry` per line.
`planner.mission.workbook_wording.WorkbookWording` speaks a workbook's: sheets, column headers as written,
rows and cells (docs/spreadsheets.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.mission.hints import closest, kind_of, listing, quote

Path = tuple[Any, ...]
"""A document path (`planner.mission.positions.DocumentPath`), restated here: positions imports this
module."""


class Wording:
    """The YAML's terms; `WorkbookWording` overrides what a workbook says otherwise."""

    whole = "the file"
    """How a message names the whole input."""

    def section(self, name: str) -> str:
        """`mission` as a place: "`mission`"."""
        return f"`{name}`"

    def entry(self, path: Path, label: str) -> str:
        """An entry without an id, at `path` = (section, index): "activity 3"."""
        return f"{label} {path[1] + 1}"

    def key(self, path: Path) -> str:
        """The key a value stands under, from the steps of its path that the document holds: "`duration`"."""
        return f"`{[step for step in path if isinstance(step, str)][-1]}`"

    def unknown_key(self, path: Path, owner: str, valid: Sequence[str]) -> str:
        """A key at the end of `path` that its entry does not take."""
        key = path[-1]
        suggestion = closest(key, valid)
        hint = f"did you mean `{suggestion}`?" if suggestion else f"valid keys: {listing(valid, 20)}"
        return f"{owner}: unknown key {quote(key)}; {hint}"

    def unknown_rule(self, entry: str, kind: Any, kinds: Sequence[str]) -> str:
        """A rule entry's key that is neither a rule kind nor `id`."""
        suggestion = closest(kind, ("id", *kinds))
        hint = f"did you mean `{suggestion}`? A" if suggestion else "a"
        return (f"{entry}: unknown rule {quote(kind)}; {hint} rule is one of {listing(kinds)} "
                "(plus an optional `id`)")

    def missing_key(self, path: Path, owner: str, name: str) -> str:
        """The entry at `path` lacks the required key `name`."""
        return f"{owner} lacks the required key `{name}`: add `{name}: …`"

    def missing_section(self, name: str, what: str) -> str:
        """The document lacks a required section; `what` says what it holds, in the YAML's words."""
        return f"{self.whole} lacks the required section `{name}`: add `{name}:` {what}"

    def unknown_section(self, key: Any, sections: Sequence[str]) -> str:
        suggestion = closest(key, sections)
        hint = f"did you mean `{suggestion}`?" if suggestion else f"the sections are {listing(sections)}"
        return f"unknown section {quote(key)} at the top level; {hint}"

    def empty_section(self, name: str, label: str) -> str:
        return f"`{name}` is empty; write at least one {label}"

    def list_expected(self, where: str, path: Path, value: Any) -> str:
        example = f"[{value}]" if isinstance(value, (str, int)) and not isinstance(value, bool) else "[a, b]"
        return f"{where}: expected a list, found {kind_of(value)}; write {example} or one `- item` per line"

    def mapping_expected(self, where: str, path: Path, value: Any) -> str:
        return f"{where}: expected a mapping of `key: value` pairs, found {kind_of(value)}"

    def after_item(self, where: str) -> str:
        return f"{where}: write an activity id, or {{id: <activity>, gap: 30m}}"

    def value(self, path: Path, kind: str, value: Any, message: str) -> str:
        """A scalar parser's message (`planner.mission.scalars`) about `value`, in this format's terms."""
        return message

    def either(self, in_yaml: str, in_workbook: str) -> str:
        """Advice that depends on the format: how to write a thing, where to add it."""
        return in_yaml

    def define_under(self, sections: Sequence[str]) -> str:
        """Where to define an id no entry has: "define it under `delegates` or `groups`"."""
        return self.either(f"define it under {_alternatives([f'`{name}`' for name in sections])}",
                           f"add a row for it to {_alternatives([self.section(name) for name in sections])}")


def _alternatives(names: Sequence[str]) -> str:
    """`a`, `b` or `c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
