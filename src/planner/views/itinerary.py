"""Itineraries rendered: as terminal text, a printable HTML page and a PDF (planner.views.itinerary_model
holds what they say). HTML goes through Jinja2 with autoescape on, so titles typed by people (`<script>`,
`&`, accents) come out as text; rich `Text` objects keep them from being read as markup.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console, RenderableType
from rich.console import Group as RenderGroup
from rich.rule import Rule as RichRule
from rich.table import Table
from rich.text import Text

from planner.domain import Delegate, Mission
from planner.domain.schedule import Schedule
from planner.mission.files import inside, slug, write_atomic
from planner.text.format import format_clock, format_duration, format_long_date
from planner.views.common import programme_of, template_environment
from planner.views.itinerary_model import (
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


def _who_else(stop: Stop) -> str:
    """'with A (royal), B (minister) and 3 more officials, and 2 delegations (5 people)'."""
    named = ", ".join(stop.principals)
    if stop.more_principals:
        roles = sorted(set(stop.more_principals))
        noun = f"{roles[0]}s" if len(roles) == 1 else "principals"
        named += f" and {len(stop.more_principals)} more {noun}"
    if not stop.other_delegations:
        return f"with {named}" if named else ""
    noun = "delegation" if stop.other_delegations == 1 else "delegations"
    people = "person" if stop.other_people == 1 else "people"
    delegations = f"{stop.other_delegations} {noun} ({stop.other_people} {people})"
    if not named:
        return f"with {delegations}"
    return f"with {named}{',' if stop.more_principals else ''} and {delegations}"


def _lunch_text(lunch: LunchBreak) -> str:
    return "lunch break (on the way)" if lunch.on_the_way else "lunch break"


def _move_text(move: Move) -> str:
    if move.hotel == "leave":
        return (f"leave the hotel at {format_clock(move.leave)}: {move.from_venue} → {move.to_venue} "
                f"({move.minutes} min)")
    if move.hotel == "return":
        return f"back to the hotel: {move.from_venue} → {move.to_venue} ({move.minutes} min)"
    if move.minutes is None:
        return f"leave {move.from_venue} for {move.to_venue} (travel time unknown)"
    return f"leave {move.from_venue} for {move.to_venue} ({move.minutes} min)"


def _delegate_details(delegate: Delegate) -> str:
    details = [detail for detail in (delegate.role, delegate.organisation, delegate.delegation) if detail]
    if delegate.size > 1:
        details.append(f"{delegate.size} people")
    return ", ".join(details)


def _delegate_heading(delegate: Delegate) -> str:
    details = _delegate_details(delegate)
    return delegate.name + (f" · {details}" if details else "")


def itinerary_renderable(mission: Mission, itinerary: Itinerary) -> RenderableType:
    """The itinerary as rich renderables; every text is a `Text`, so no title is read as markup."""
    parts: list[RenderableType] = [RichRule(Text(_delegate_heading(itinerary.delegate), style="bold"))]
    if not itinerary.days:
        parts.append(Text("Nothing scheduled.", style="italic"))
    for day in itinerary.days:
        parts.append(Text(""))
        parts.append(Text(f"{format_long_date(day.day)} · {day.city}", style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, width=11)
        grid.add_column(overflow="fold")
        for entry in day.entries:
            if isinstance(entry, Stop):
                body = Text()
                body.append(entry.title, style="bold")
                body.append(f"  [{entry.kind}]", style="dim")
                body.append("\n" + entry.venue_name + (f", {entry.address}" if entry.address else ""))
                who = _who_else(entry)
                if who:
                    body.append("\n" + who, style="italic")
                for meeting in entry.meetings:
                    span = f"{format_clock(meeting.start)}–{format_clock(meeting.end)}"
                    body.append(f"\n  {span}  table {meeting.table}  " + ", ".join(meeting.others))
                span = f"{format_clock(entry.start)}–{format_clock(entry.end)}"
                grid.add_row(Text(span, style="bold"), body)
            elif isinstance(entry, Move):
                grid.add_row(Text(f"   {format_clock(entry.leave)}", style="cyan"),
                             Text("→ " + _move_text(entry), style="cyan"))
            elif isinstance(entry, LunchBreak):
                grid.add_row(Text(f"{format_clock(entry.start)}–{format_clock(entry.end)}", style="green"),
                             Text(_lunch_text(entry), style="green"))
            else:
                grid.add_row(Text(f"{format_clock(entry.start)}–{format_clock(entry.end)}", style="dim"),
                             Text(f"free time, {format_duration(entry.minutes, 'clock')}", style="dim"))
        parts.append(grid)
    parts.append(Text(""))
    return RenderGroup(*parts)


def itinerary_text(mission: Mission, schedule: Schedule, delegate_ids: list[str], width: int = 80) -> str:
    """Plain text of the itineraries (what `--format text` prints), `width` columns wide."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for delegate_id in delegate_ids:
        console.print(itinerary_renderable(mission, build_itinerary(mission, schedule, delegate_id)))
    return console.export_text()


# --- HTML and PDF ---------------------------------------------------------------------------------------


def _page_context(mission: Mission, itinerary: Itinerary) -> dict[str, object]:
    return {
        "delegate": itinerary.delegate,
        "heading": _delegate_heading(itinerary.delegate),
        "details": _delegate_details(itinerary.delegate),
        "days": [
            {
                "day": day.day,
                "city": day.city,
                "entries": [
                    {"type": type(entry).__name__.lower(), "entry": entry,
                     "who": _who_else(entry) if isinstance(entry, Stop) else "",
                     "text": _move_text(entry) if isinstance(entry, Move)
                     else _lunch_text(entry).capitalize() if isinstance(entry, LunchBreak) else ""}
                    for entry in day.entries
                ],
            }
            for day in itinerary.days
        ],
    }


def itinerary_html(mission: Mission, schedule: Schedule, delegate_ids: list[str], *,
                   index_link: str | None = None) -> str:
    """A self-contained printable page: one delegate per printed page."""
    pages = [_page_context(mission, build_itinerary(mission, schedule, d)) for d in delegate_ids]
    title = pages[0]["heading"] if len(pages) == 1 else f"Itineraries — {mission.name}"
    return template_environment().get_template("itinerary.html").render(
        mission=mission, pages=pages, title=title, index_link=index_link,
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


def itinerary_pdf(mission: Mission, schedule: Schedule, delegate_ids: list[str]) -> bytes:
    """The HTML itineraries printed to PDF by WeasyPrint: the booklet organisers hand out."""
    return html_to_pdf(itinerary_html(mission, schedule, delegate_ids))


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
    write_atomic(index, template_environment().get_template("index.html").render(
        mission=mission, rows=rows, schedule=schedule,
    ))
    written.append(index)
    return written
