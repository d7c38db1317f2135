"""The one place a rich Console is made: text is printed as written.

rich would otherwise turn `:100:` into an emoji (so `mission.yaml:100:12` printed as `mission.yaml💯12`)
and colour numbers and paths by guessing. Every Console of planner comes from `literal_console`, with
emoji codes and highlighting off; markup stays on for planner's own styles, and text from an input is
passed through `rich.markup.escape` or as `rich.text.Text` (tests/test_bad_input_cli.py checks both).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console


def literal_console(**options: Any) -> Console:
    """A Console that prints text literally: no emoji codes, no highlighting (see the module docstring).
    Lines of text are not broken at the console's width (`soft_wrap`): into a pipe or a log, where rich
    assumes 80 columns, a message cut mid-phrase (`29 \nactivities`) reads worse and greps worse than a
    long line, which a terminal wraps itself; tables are still laid out to the width."""
    return Console(emoji=False, highlight=False, soft_wrap=True, **options)
