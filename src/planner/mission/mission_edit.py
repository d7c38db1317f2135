"""Changing entries of a mission file in place, keeping everything else as the person wrote it.

A full YAML round trip (ruamel.yaml's) re-flows long flow mappings and would write the loader's
`name: Google, Mountain View` reading as a new key; so only the lines of the entries that change are
replaced, and new entries are added after the last one, each emitted by ruamel.yaml as one flow mapping
(`- {id: odoo, name: Odoo, size: 3}`, the style of the examples). Comments, blank lines, the order and the
layout of every other line stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from planner.mission.yaml_reader import parse as parse_positioned
from planner.mission.yaml_writer import flow_entry


@dataclass
class SectionEdit:
    """Entries of one list section to replace (by index) and to add at its end."""

    replace: dict[int, dict[str, Any]] = field(default_factory=dict)
    append: list[dict[str, Any]] = field(default_factory=list)


def _comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _section_end(document: Any, section: str, lines: list[str]) -> int:
    """The index of the line after the section's last line of content."""
    start = document.key_positions[section][0]
    later = sorted(position[0] for key, position in document.key_positions.items() if position[0] > start)
    end = later[0] if later else len(lines)
    while end > start + 1 and _comment_or_blank(lines[end - 1]):
        end -= 1
    return end


def edit_sections(text: str, file: str, edits: dict[str, SectionEdit]) -> str:
    """`text` with the entries of `edits` replaced and added; sections are created at the end when absent."""
    document = parse_positioned(text, file)
    lines = text.splitlines()
    ordered = sorted(edits, key=lambda name: document.key_positions.get(name, (len(lines) + 1, 0))[0],
                     reverse=True)
    missing: list[str] = []
    for section in ordered:
        edit = edits[section]
        if not edit.replace and not edit.append:
            continue
        entries = document.get(section)
        if section not in document:
            missing.append(section)
            continue
        if not isinstance(entries, list) or not entries or _written_in_flow(document, section, lines):
            _rewrite_section(document, section, lines, edit)
            continue
        _splice(document, section, lines, edit)
    for section in reversed(missing):
        edit = edits[section]
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"{section}:", *(f"  - {flow_entry(entry)}" for entry in edit.append)]
    return "\n".join(lines) + "\n"


def _written_in_flow(document: Any, section: str, lines: list[str]) -> bool:
    line, column = document.value_positions[section]
    return lines[line][column:column + 1] == "["


def _rewrite_section(document: Any, section: str, lines: list[str], edit: SectionEdit) -> None:
    """A section written `[]`, `[{...}]` or left empty becomes a block list, one entry per line."""
    existing = document.get(section)
    entries = [_plain(entry) for entry in existing] if isinstance(existing, list) else []
    for index, entry in edit.replace.items():
        entries[index] = entry
    entries += edit.append
    start = document.key_positions[section][0]
    end = _section_end(document, section, lines)
    lines[start:end] = [f"{section}:", *(f"  - {flow_entry(entry)}" for entry in entries)]


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def _splice(document: Any, section: str, lines: list[str], edit: SectionEdit) -> None:
    entries = document[section]
    starts = [position[0] for position in entries.item_positions]
    section_end = _section_end(document, section, lines)

    def region_end(index: int) -> int:
        end = starts[index + 1] if index + 1 < len(starts) else section_end
        while end > starts[index] + 1 and _comment_or_blank(lines[end - 1]):
            end -= 1
        return end

    def prefix(index: int) -> str:
        line, column = entries.item_positions[index]
        written = lines[line][:column]
        return written if re.fullmatch(r"\s*-\s+", written) else "  - "

    # every place is found before anything moves; changes are then made from the bottom up
    last_end = region_end(len(entries) - 1)
    appended = [f"{prefix(len(entries) - 1)}{flow_entry(entry)}" for entry in edit.append]
    changes = [(last_end, last_end, appended)]
    changes += [(starts[index], region_end(index), [f"{prefix(index)}{flow_entry(entry)}"])
                for index, entry in edit.replace.items()]
    for start, end, new_lines in sorted(changes, key=lambda change: change[:2], reverse=True):
        lines[start:end] = new_lines
