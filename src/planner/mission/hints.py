"""How the loader's error messages quote what a person wrote and suggest what to write instead."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from planner.text.control import shortened, visible

_NEEDS_QUOTES = re.compile(r"""^$|^[\s\-?:,\[\]{}#&*!|>'"%@`]|[,\[\]{}]|:\s|:$|\s#|\s$""")
"""Text that YAML's flow style would read otherwise unless quoted: empty, starting with an indicator,
holding a flow separator or `: `, or with a comment or a space at its end."""


def written(value: Any) -> str:
    """`value` as YAML's flow style writes it, the way a person wrote it in the file: `[90m]`, `{n: 6}`,
    `true`, `null`; never Python's `['90m']`. Text at the top stays bare; inside a list or mapping it is
    quoted where YAML would need quotes."""
    return visible(value) if isinstance(value, str) else _flow(value)


def _flow(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if _NEEDS_QUOTES.search(value) else visible(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(key)}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return visible(str(value))


def quote(value: Any) -> str:
    """A written value in backquotes, shortened past 40 characters."""
    text = written(value)
    return f"`{shortened(text)}`"


def closest(word: Any, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate `word` is most likely a misspelling of, if any is close enough (`cutoff`: difflib's
    similarity ratio, 0 to 1)."""
    if not isinstance(word, str):
        return None
    found = get_close_matches(word, sorted(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


def listing(items: Iterable[str], limit: int = 8) -> str:
    """`a`, `b`, `c` and 5 more."""
    names = list(items)
    shown = ", ".join(f"`{name}`" for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def kind_of(value: Any) -> str:
    """How a message names what was found: "a mapping", "a list", "nothing" or the quoted value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return quote(value)


FOLDER_NAMES_READ = 10_000
"""Names of a folder read for a missing file's suggestions: enough for any folder a person keeps files
in, and no more, so that a typo next to a huge folder still answers at once."""


def missing_file(path: str | Path) -> str:
    """Why `path` cannot be read when it does not exist, and the names in its folder it probably means:
    `regs.cvs does not exist in /data; did you mean regs.csv?`."""
    path = Path(path)
    folder = path.parent
    place = "the current folder" if str(folder) == "." else str(folder)
    if not folder.is_dir():
        return f"the file does not exist: there is no folder {visible(place)}; check the path"
    try:
        names = [entry.name for entry in itertools.islice(folder.iterdir(), FOLDER_NAMES_READ)]
    except OSError:
        names = []
    close = get_close_matches(path.name, sorted(names), n=3, cutoff=0.6)
    hint = (f"did you mean {listing(visible(name) for name in close)}?" if close
            else "check the name, or give the file's path")
    return f"the file does not exist: {visible(place)} holds no `{visible(path.name)}`; {hint}"
