"""The one place a rich Console is made: text is printed as written.

rich would otherwise turn `:100:` into an emoji (so `mission.yaml:100:12` printed as `mission.yaml💯12`)
and colour numbers and paths by guessing. Every Console of planner comes from `literal_console`, with
emoji codes and highlighting off; markup stays on for planner's own styles, and text from an input is
passed through `rich.markup.escape` or as `rich.text.Text` (tests/test_bad_input_cli.py checks both).
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.containers import Lines
from rich.text import Text


def literal_console(**options: Any) -> Console:
    """A Console that prints text literally: no emoji codes, no highlighting (see the module docstring).
    Lines of text are not broken at the console's width (`soft_wrap`): into a pipe or a log, where rich
    assumes 80 columns, a message cut mid-phrase (`29 \nactivities`) reads worse and greps worse than a
    long line, which a terminal wraps itself; tables are still laid out to the width."""
    return Console(emoji=False, highlight=False, soft_wrap=True, **options)


_HELD = str.maketrans({"\u00a0": "\ue000", "\u202f": "\ue001"})
"""No-break spaces → characters of the private use area, one cell wide like them, which rich takes for
letters: rich's wrapping splits words at Python's `\\s`, no-break spaces included (CLDR's French `15 min`
parted as well as English `15 min`)."""
_NUMBER_THEN_WORD = re.compile(r"(?<=\d) (?=[^\W\d])")
"""The space between a number and the word after it: a duration's (`15 min`, `1 Std.`), or `950 Mason`,
which may as well stay together."""
_NUMBER_SPACE = "\ue002"
_RELEASED = str.maketrans({"\ue000": "\u00a0", "\ue001": "\u202f", _NUMBER_SPACE: " "})


class UnbrokenText(Text):
    """A `Text` that rich never wraps between a number and its unit (`(1 hr, 15` / `min)` in English, and
    at CLDR's no-break spaces in French): at ordinary spaces elsewhere only.

    Held here, where rich wraps, rather than by no-break spaces in planner.text.format.format_duration for
    every output: the text's characters stay as they were (a calendar, a mail, a page or a conflict
    message reads and is searched with ordinary spaces, and their tests compare them), and pages wrap by
    CSS on their own."""

    def wrap(self, console: Console, width: int, **options: Any) -> Lines:
        held = self.copy()  # a plain Text: its own wrap does the work
        held.plain = _NUMBER_THEN_WORD.sub(_NUMBER_SPACE, self.plain).translate(_HELD)  # as long as before
        lines = held.wrap(console, width, **options)
        for line in lines:
            line.plain = line.plain.translate(_RELEASED)
        return lines
