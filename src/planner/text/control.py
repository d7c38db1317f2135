"""Control characters in text that came from a file: found (to refuse them at load) and made visible (so
that a message quoting such text never drives the reader's terminal).

A control character is Unicode category Cc: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
RFC 5545 forbids them in calendar text (§3.1, CONTROL), HTML 5 forbids most of them, and in a terminal
ESC starts a command. Tab and line feed are the only ones free text may hold.
"""

from __future__ import annotations

import re
import unicodedata

ALLOWED_IN_TEXT = "\t\n"
"""What free text (titles, names, descriptions) may hold of the control characters."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Every control character but tab (U+0009) and line feed (U+000A)."""

_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB", "\x0c": "FORM FEED",
          "\x0d": "CARRIAGE RETURN", "\x1b": "ESC", "\x7f": "DELETE"}


def first_control_character(text: str) -> int | None:
    """The index of the first control character other than tab and line feed, or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def describe(character: str) -> str:
    """`U+001B (ESC)`: how a message names a character that cannot be shown."""
    code = f"U+{ord(character):04X}"
    name = _NAMES.get(character) or unicodedata.name(character, "")
    return f"{code} ({name})" if name else code


def control_character_message(text: str, what: str) -> str | None:
    """A message for a person when `text` holds a control character, else None."""
    index = first_control_character(text)
    if index is None:
        return None
    return (f"{what} holds the control character {describe(text[index])} at character {index + 1}; "
            "remove it (text may hold tabs and line breaks, no other control character)")


def visible(text: str) -> str:
    """`text` with every control character but tab and line feed written as an escape such as `\\x1b`."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


SHORT_TEXT = 40
"""Characters of a quoted value in a one-line message; longer ones end in `...`."""


def shortened(text: str) -> str:
    """`text` cut to `SHORT_TEXT` characters, its last three `...` when cut: a value quoted in a message."""
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT - 3] + "..."
