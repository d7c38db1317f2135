"""How the loader's error messages quote what a person wrote and suggest what to write instead."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Protocol

from planner.mission.files import slug
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


class Named(Protocol):
    """Someone a reference may name by their id, their name or their organisation."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def organisation(self) -> str | None: ...


def named_hint(reference: str, people: Iterable[Named]) -> str | None:
    """What to write for a reference that names a company or a person rather than their id: an organiser
    thinks in companies ("tonomia meets kern-solar") while `planner import` gives each registered person
    an id of their own name. The people whose organisation or name, made an id, is `reference` or holds it
    as whole words (`val-dieu` in Brasserie Val-Dieu); None when no one's does."""
    matches: dict[str, str] = {}
    for person in people:
        for label, said in ((person.organisation, "the organisation of"), (person.name, "")):
            if label and f"-{reference}-" in f"-{slug(label)}-":
                matches.setdefault(person.id, f"{label} is {said} `{person.id}`".replace("  ", " "))
    if not matches:
        return None
    if len(matches) == 1:
        ((person_id, said),) = matches.items()
        return f"{said}: write `{person_id}`"
    return f"it names {listing(matches)}: write one of them, or a group of them"


def reference_hint(meant: str, ids: Iterable[str], people: Iterable[Named], define: str = "define it") -> str:
    """What to write instead of a reference that is no valid id (`Sonaca`), `meant` being it made an id
    (`sonaca`): only ever an id the file defines of a kind the reference accepts (`ids`, `people`: the
    caller's choice, planner.mission.references), since the id made of it may be no one's: that id itself,
    the person whose name or organisation it is, or the closest id; else where to define one (`define`)."""
    ids = sorted(set(ids))
    if meant in ids:
        return f"write `{meant}`"
    named = named_hint(meant, people)
    if named is not None:
        return named
    near = closest(meant, ids)
    if near is not None:
        return f"did you mean `{near}`?"
    return f"no entry of the file has an id like it: write the id of one, or {define}"
