"""Itineraries rendered: as terminal text here, as HTML pages and a PDF in planner.views.itinerary_pages
(whose entry points this module also offers). planner.views.itinerary_model holds what an itinerary holds,
planner.views.itinerary_words how it is said in the reader's language; rich `Text` objects keep titles
typed by people from being read as markup.
"""

from __future__ import annotations

import io
from datetime import datetime

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.console import Group as RenderGroup
from rich.padding import Padding
from rich.rule import Rule as RichRule
from rich.table import Table
from rich.text import Text

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.text.format import format_clock, format_long_date
from planner.text.i18n import Words
from planner.text.vocabulary import kind_label
from planner.views.itinerary_model import (
    Itinerary,
    LunchBreak,
    Move,
    Stop,
    build_itinerary,
)
from planner.views.itinerary_pages import (
    PageOptions,
    PdfUnavailable,
    html_to_pdf,
    itinerary_html,
    itinerary_pdf,
    page_names,
    pdf_install_hint,
    write_itineraries,
)
from planner.views.itinerary_words import (
    delegate_heading,
    free_text,
    lunch_text,
    move_text,
    reader_words,
    who_else,
)
from planner.views.terminal import UnbrokenText, literal_console

__all__ = [
    "FORMATS",
    "LunchBreak",
    "Move",
    "PageOptions",
    "PdfUnavailable",
    "html_to_pdf",
    "pdf_install_hint",
    "reader_words",
    "build_itinerary",
    "itinerary_html",
    "itinerary_pdf",
    "itinerary_renderable",
    "itinerary_text",
    "page_names",
    "write_itineraries",
]

FORMATS = ("text", "html", "pdf")


# --- text ---------------------------------------------------------------------------------------------


def _span(start: datetime, end: datetime, words: Words) -> str:
    return f"{format_clock(start, words.language)}–{format_clock(end, words.language)}"


class _Heading:
    """The delegate's heading set in a rule, or above it when too long for one line: rich's Rule cuts a
    title that does not fit with an ellipsis, and a long name, company and delegation would lose the end."""

    def __init__(self, heading: str):
        self.title = Text(heading, style="bold")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.title.cell_len + 4 <= options.max_width:  # "─ " and " ─" around it
            yield RichRule(self.title)
        else:  # wrapped here: the console does not wrap text (soft_wrap, planner.views.terminal)
            yield from self.title.wrap(console, options.max_width)
            yield RichRule()


def itinerary_renderable(mission: Mission, itinerary: Itinerary,
                         words: Words | None = None) -> RenderableType:
    """The itinerary as rich renderables, in `words` (default: the delegate's language); every text is a
    `Text`, so no title is read as markup."""
    words = words or reader_words(mission, itinerary.delegate.id)
    parts: list[RenderableType] = [_Heading(delegate_heading(words, mission, itinerary.delegate))]
    if not itinerary.days:
        parts.append(Text(words.gettext("Nothing scheduled."), style="italic"))
    for day in itinerary.days:
        parts.append(Text(""))
        heading = f"{format_long_date(day.day, words.language)} · {day.city}"
        parts.append(Text(heading, style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, width=11)
        grid.add_column(overflow="fold")
        for entry in day.entries:
            if isinstance(entry, Stop):
                body = Text()
                body.append(entry.title, style="bold")
                body.append(f"  [{kind_label(words, entry.kind)}]", style="dim")
                body.append("\n" + entry.venue_name + (f", {entry.address}" if entry.address else ""))
                who = who_else(words, entry)
                if who:
                    body.append("\n" + who, style="italic")
                if entry.description:
                    body.append("\n" + entry.description.strip())
                grid.add_row(Text(_span(entry.start, entry.end, words), style="bold"),
                             _with_meetings(body, entry, words))
            elif isinstance(entry, Move):
                grid.add_row(Text(f"   {format_clock(entry.leave, words.language)}", style="cyan"),
                             UnbrokenText("→ " + move_text(words, entry), style="cyan"))
            elif isinstance(entry, LunchBreak):
                grid.add_row(Text(_span(entry.start, entry.end, words), style="green"),
                             UnbrokenText(lunch_text(words, entry), style="green"))
            else:
                grid.add_row(Text(_span(entry.start, entry.end, words), style="dim"),
                             UnbrokenText(free_text(words, entry.minutes), style="dim"))
        parts.append(grid)
    parts.append(Text(""))
    return RenderGroup(*parts)


def _with_meetings(body: Text, stop: Stop, words: Words) -> RenderableType:
    """The stop's text, then its B2B meetings as columns of their own (time, table, whom), so that a long
    name wraps under the name, not back at the stop's margin."""
    if not stop.meetings:
        return body
    meetings = Table.grid(padding=(0, 0, 0, 2))
    meetings.add_column(no_wrap=True)
    meetings.add_column(no_wrap=True)
    meetings.add_column(overflow="fold")
    for meeting in stop.meetings:
        table = words.gettext("table %(table)s") % {"table": meeting.table}
        meetings.add_row(_span(meeting.start, meeting.end, words), table, ", ".join(meeting.others))
    return RenderGroup(body, Padding(meetings, (0, 0, 0, 2)))


def itinerary_text(mission: Mission, schedule: Schedule, delegate_ids: list[str], width: int = 80,
                   language: str | None = None) -> str:
    """Plain text of the itineraries (what `--format text` prints), `width` columns wide, each in its
    delegate's language unless `language` is given; no line ends with a space."""
    console = literal_console(width=width, record=True, file=io.StringIO(), color_system=None)
    for delegate_id in delegate_ids:
        console.print(itinerary_renderable(mission, build_itinerary(mission, schedule, delegate_id),
                                           reader_words(mission, delegate_id, language)))
    # rich pads table cells to the column's width; a file read by people (and diffed) carries none of it.
    return "\n".join(line.rstrip() for line in console.export_text().split("\n"))
