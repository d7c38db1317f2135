"""Itineraries rendered: as terminal text, a printable HTML page and a PDF (planner.views.itinerary_model
holds what they say). HTML goes through Jinja2 with autoescape on, so titles typed by people (`<script>`,
`&`, accents) come out as text; rich `Text` objects keep them from being read as markup.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from markupsafe import Markup
from rich.console import Console, RenderableType
from rich.console import Group as RenderGroup
from rich.rule import Rule as RichRule
from rich.table import Table
from rich.text import Text

from planner.domain import Delegate, Mission
from planner.domain.schedule import Schedule
from planner.mission.files import inside, slug, write_atomic
from planner.text.format import format_clock, format_duration, format_long_date
from planner.text.i18n import Words, words_for
from planner.text.vocabulary import kind_label, more_principals, role_label
from planner.views.common import programme_of, template_environment
from planner.views.itinerary_model import (
    Free,
    Itinerary,
    LunchBreak,
    Move,
    Stop,
    build_itinerary,
)

__all__ = [
    "FORMATS",
    "LunchBreak",
    "Move",
    "PdfUnavailable",
    "build_itinerary",
    "itinerary_html",
    "itinerary_pdf",
    "itinerary_renderable",
    "itinerary_text",
    "page_names",
    "write_itineraries",
]

FORMATS = ("text", "html", "pdf")
PDF_INSTALL_HINT = "pip install 'planner[pdf]'"


# --- text ---------------------------------------------------------------------------------------------


def reader_words(mission: Mission, delegate_id: str, language: str | None = None) -> Words:
    """The words of whoever reads this itinerary: `language` when given (`--lang`), else the delegate's."""
    return words_for(language or mission.language_of(delegate_id))


def who_else(words: Words, stop: Stop) -> str:
    """'with A (royal), B (minister), 3 more officials and 2 delegations (5 people)', in `words`."""
    parts = [f"{name} ({role_label(words, role)})" if role else name for name, role in stop.principals]
    if stop.more_principals:
        roles = sorted(set(stop.more_principals))
        parts.append(more_principals(words, roles[0] if len(roles) == 1 else None, len(stop.more_principals)))
    if stop.other_delegations:
        delegations = words.ngettext("%(count)d delegation", "%(count)d delegations",
                                     stop.other_delegations) % {"count": stop.other_delegations}
        people = words.ngettext("%(count)d person", "%(count)d people",
                                stop.other_people) % {"count": stop.other_people}
        parts.append(f"{delegations} ({people})")
    if not parts:
        return ""
    return words.gettext("with %(who)s") % {"who": words.join(parts)}


def lunch_text(words: Words, lunch: LunchBreak) -> str:
    return words.gettext("lunch break (on the way)") if lunch.on_the_way else words.gettext("lunch break")


def move_text(words: Words, move: Move) -> str:
    places = {"origin": move.from_venue, "destination": move.to_venue}
    travel = format_duration(move.minutes or 0, "clock", words.language)
    if move.hotel == "leave":
        return words.gettext("leave the hotel at %(leave)s: %(origin)s → %(destination)s (%(travel)s)") % {
            **places, "leave": format_clock(move.leave, words.language), "travel": travel}
    if move.hotel == "return":
        return words.gettext("back to the hotel: %(origin)s → %(destination)s (%(travel)s)") % {
            **places, "travel": travel}
    if move.minutes is None:
        return words.gettext("leave %(origin)s for %(destination)s (travel time unknown)") % places
    travel = format_duration(move.minutes, "clock", words.language)
    return words.gettext("leave %(origin)s for %(destination)s (%(travel)s)") % {**places, "travel": travel}


def free_text(words: Words, minutes: int) -> str:
    return words.gettext("free time, %(duration)s") % {
        "duration": format_duration(minutes, "clock", words.language)}


def delegate_details(words: Words, delegate: Delegate) -> str:
    details = [role_label(words, delegate.role)] if delegate.role else []
    details += [detail for detail in (delegate.organisation, delegate.delegation) if detail]
    if delegate.size > 1:
        details.append(words.ngettext("%(count)d person", "%(count)d people", delegate.size)
                       % {"count": delegate.size})
    return ", ".join(details)


def delegate_heading(words: Words, delegate: Delegate) -> str:
    details = delegate_details(words, delegate)
    return delegate.name + (f" · {details}" if details else "")


def _span(start: datetime, end: datetime, words: Words) -> str:
    return f"{format_clock(start, words.language)}–{format_clock(end, words.language)}"


def itinerary_renderable(mission: Mission, itinerary: Itinerary,
                         words: Words | None = None) -> RenderableType:
    """The itinerary as rich renderables, in `words` (default: the delegate's language); every text is a
    `Text`, so no title is read as markup."""
    words = words or reader_words(mission, itinerary.delegate.id)
    parts: list[RenderableType] = [RichRule(Text(delegate_heading(words, itinerary.delegate), style="bold"))]
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
                for meeting in entry.meetings:
                    table = words.gettext("table %(table)s") % {"table": meeting.table}
                    body.append(f"\n  {_span(meeting.start, meeting.end, words)}  {table}  "
                                + ", ".join(meeting.others))
                grid.add_row(Text(_span(entry.start, entry.end, words), style="bold"), body)
            elif isinstance(entry, Move):
                grid.add_row(Text(f"   {format_clock(entry.leave, words.language)}", style="cyan"),
                             Text("→ " + move_text(words, entry), style="cyan"))
            elif isinstance(entry, LunchBreak):
                grid.add_row(Text(_span(entry.start, entry.end, words), style="green"),
                             Text(lunch_text(words, entry), style="green"))
            else:
                grid.add_row(Text(_span(entry.start, entry.end, words), style="dim"),
                             Text(free_text(words, entry.minutes), style="dim"))
        parts.append(grid)
    parts.append(Text(""))
    return RenderGroup(*parts)


def itinerary_text(mission: Mission, schedule: Schedule, delegate_ids: list[str], width: int = 80,
                   language: str | None = None) -> str:
    """Plain text of the itineraries (what `--format text` prints), `width` columns wide, each in its
    delegate's language unless `language` is given; no line ends with a space."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for delegate_id in delegate_ids:
        console.print(itinerary_renderable(mission, build_itinerary(mission, schedule, delegate_id),
                                           reader_words(mission, delegate_id, language)))
    # rich pads table cells to the column's width; a file read by people (and diffed) carries none of it.
    return "\n".join(line.rstrip() for line in console.export_text().split("\n"))


# --- HTML and PDF ---------------------------------------------------------------------------------------


def _page_context(mission: Mission, itinerary: Itinerary, words: Words) -> dict[str, object]:
    return {
        "delegate": itinerary.delegate,
        "heading": delegate_heading(words, itinerary.delegate),
        "details": delegate_details(words, itinerary.delegate),
        "days": [
            {
                "day": day.day,
                "city": day.city,
                "entries": [
                    {"type": type(entry).__name__.lower(), "entry": entry,
                     "kind": kind_label(words, entry.kind) if isinstance(entry, Stop) else "",
                     "who": who_else(words, entry) if isinstance(entry, Stop) else "",
                     "text": move_text(words, entry) if isinstance(entry, Move)
                     else _capitalised(lunch_text(words, entry)) if isinstance(entry, LunchBreak)
                     else _capitalised(free_text(words, entry.minutes)) if isinstance(entry, Free) else ""}
                    for entry in day.entries
                ],
            }
            for day in itinerary.days
        ],
    }


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _section(mission: Mission, schedule: Schedule, delegate_id: str, language: str | None) -> Markup:
    """One delegate's section of a page, rendered in their language."""
    words = reader_words(mission, delegate_id, language)
    page = _page_context(mission, build_itinerary(mission, schedule, delegate_id), words)
    return Markup(template_environment(words.language).get_template("itinerary_section.html").render(
        mission=mission, page=page))


def itinerary_html(mission: Mission, schedule: Schedule, delegate_ids: list[str], *,
                   index_link: str | None = None, language: str | None = None) -> str:
    """A self-contained printable page: one delegate per printed page, each in their language (or in
    `language` when given); the page around them speaks the first delegate's (one page) or the mission's."""
    sections = [_section(mission, schedule, d, language) for d in delegate_ids]
    if len(delegate_ids) == 1:
        words = reader_words(mission, delegate_ids[0], language)
        title = delegate_heading(words, mission.delegates[delegate_ids[0]])
    else:
        words = words_for(language or mission.language)
        title = words.gettext("Itineraries — %(mission)s") % {"mission": mission.name}
    return template_environment(words.language).get_template("itinerary.html").render(
        mission=mission, sections=sections, title=title, index_link=index_link,
    )


class PdfUnavailable(Exception):
    """WeasyPrint (or the system libraries it draws with) is not installed."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint ({error}); install it with: {PDF_INSTALL_HINT}"
        ) from error
    return HTML(string=html, base_url=".").write_pdf()


def itinerary_pdf(mission: Mission, schedule: Schedule, delegate_ids: list[str],
                  language: str | None = None) -> bytes:
    """The HTML itineraries printed to PDF by WeasyPrint: the booklet organisers hand out."""
    return html_to_pdf(itinerary_html(mission, schedule, delegate_ids, language=language))


# --- what `planner solve` writes -------------------------------------------------------------------


RESERVED_PAGES = ("index", "booklet")


def page_names(mission: Mission) -> dict[str, str]:
    """delegate id → its page's file name in itineraries/: the slug of the id, made unique."""
    names: dict[str, str] = {}
    taken = set(RESERVED_PAGES)
    for delegate_id in sorted(mission.delegates):
        base = slug(delegate_id)
        name, counter = base, 2
        while name in taken:
            name, counter = f"{base}-{counter}", counter + 1
        taken.add(name)
        names[delegate_id] = f"{name}.html"
    return names


def write_itineraries(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """DIR/itineraries/: one page per delegate, a booklet of them all, and index.html linking them."""
    folder = Path(out_dir) / "itineraries"
    folder.mkdir(parents=True, exist_ok=True)
    names = page_names(mission)
    written = []
    rows = []
    for delegate_id, delegate in mission.delegates.items():
        path = inside(folder, names[delegate_id].removesuffix(".html"), ".html")
        write_atomic(path, itinerary_html(mission, schedule, [delegate_id], index_link="index.html"))
        written.append(path)
        rows.append({"delegate": delegate, "href": path.name,
                     "count": len(programme_of(schedule, delegate_id))})
    booklet = folder / "booklet.html"
    write_atomic(booklet, itinerary_html(mission, schedule, list(mission.delegates), index_link="index.html"))
    written.append(booklet)
    index = folder / "index.html"
    write_atomic(index, template_environment(mission.language).get_template("index.html").render(
        mission=mission, rows=rows, schedule=schedule,
    ))
    written.append(index)
    return written
