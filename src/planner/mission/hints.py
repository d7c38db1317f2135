"""How the loader's error messages quote what a person wrote and suggest what to write instead."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any


def quote(value: Any) -> str:
    """A written value in backquotes, shortened past 40 characters."""
    text = value if isinstance(value, str) else repr(value)
    return f"`{text if len(text) <= 40 else text[:37] + '...'}`"


def closest(word: Any, candidates: Iterable[str]) -> str | None:
    """The candidate `word` is most likely a misspelling of, if any is close enough."""
    if not isinstance(word, str):
        return None
    found = get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
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
