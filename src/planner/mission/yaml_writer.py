"""Writing mission YAML in the style of the examples: sections as blocks, one entry per line as a flow
mapping (`- {id: odoo, name: Odoo, size: 3}`), every value quoted where a reader could mistake it."""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from planner.mission.schema import MissionFile

_AMBIGUOUS = re.compile(r"[-+0-9:. T]+|(?i:yes|no|on|off|y|n|true|false|null|~)")
"""Text that an older (YAML 1.1) reader or a person would take for a number, time or boolean: quoted."""


def _yaml(width: int) -> YAML:
    yaml = YAML()
    yaml.width = width
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def quoted(value: Any) -> Any:
    """`value` with ambiguous text double-quoted (`"08:30"`, `"2025-10-06"`, `"no"`)."""
    if isinstance(value, str) and _AMBIGUOUS.fullmatch(value):
        return DoubleQuotedScalarString(value)
    if isinstance(value, dict):
        return {key: quoted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [quoted(item) for item in value]
    return value


def _flow(value: Any) -> Any:
    """`value` as ruamel nodes written in flow style (`{...}`, `[...]`) at every depth."""
    if isinstance(value, dict):
        mapping = CommentedMap((key, _flow(item)) for key, item in value.items())
        mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_flow(item) for item in value)
        sequence.fa.set_flow_style()
        return sequence
    return value


def flow_entry(entry: dict[str, Any]) -> str:
    """`{id: odoo, name: Odoo, sectors: [digital], size: 3}`: one entry on one line."""
    out = io.StringIO()
    _yaml(1 << 16).dump(_flow(quoted(entry)), out)
    return out.getvalue().strip()


def _dump(node: Any, width: int = 110) -> str:
    out = io.StringIO()
    _yaml(width).dump(node, out)
    return out.getvalue()


def mission_yaml(document: dict[str, Any], header: str | None = None) -> str:
    """A mission document as YAML text: the sections in the format's order, a blank line between them."""
    parts: list[str] = []
    if header:
        parts.append("".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()))
    for section in MissionFile.model_fields:
        if section not in document:
            continue
        value = quoted(document[section])
        if isinstance(value, dict):
            block = CommentedMap((key, _flow(item)) for key, item in value.items())
            if isinstance(value.get("times"), list):
                block["times"] = CommentedSeq(_flow(item) for item in value["times"])
            parts.append(_dump({section: block}))
        elif isinstance(value, list):
            lines = [f"  - {flow_entry(entry)}" for entry in value]
            parts.append(f"{section}:\n" + "".join(f"{line}\n" for line in lines) if lines
                         else f"{section}: []\n")
        else:
            parts.append(_dump({section: value}))
    return "\n".join(parts)
