"""The live progress line of `planner solve` (a rich `Live`), fed by the solver's progress callback."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.text import Text

from planner.solver.options import Progress, SolveOptions


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def gap(objective: float | None, bound: float | None) -> str:
    if objective is None or bound is None:
        return "—"
    if objective == bound:
        return "0%"
    return f"{abs(objective - bound) / max(abs(objective), 1):.1%}"


@contextmanager
def live_progress(options: SolveOptions,
                  console: Console) -> Iterator[tuple[SolveOptions, Callable[[str], None] | None]]:
    """The options with a listener that draws each improvement on a transient live line (when progress is
    asked for and the console is a terminal), and a callback for the phases beyond the solve."""
    if not (options.progress and console.is_terminal):
        yield options, None
        return
    live = Live(Text("building the model…"), console=console, transient=True)
    listener = options.on_progress

    def draw(progress: Progress) -> None:
        if listener is not None:
            listener(progress)
        text = Text(f"{progress.stage}: ", style="bold")
        text.append(f"best {number(progress.objective)}  bound {number(progress.bound)}  "
                    f"gap {gap(progress.objective, progress.bound)}  {progress.seconds:5.1f} s")
        live.update(text)

    def phase(message: str) -> None:
        live.update(Text(message))

    live.start()
    try:
        yield dataclasses.replace(options, on_progress=draw), phase
    finally:
        live.stop()
