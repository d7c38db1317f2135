"""Itineraries as pages: one HTML page per delegate (phone first, printable), the booklet of them all (cover,
table of contents, running header, "page X of Y"), its PDF printed by WeasyPrint, and the index.

Each delegate's section is rendered in their language (planner.views.itinerary_words says what it says);
the page around the sections speaks the single delegate's language, or the mission's for the booklet.
HTML goes through Jinja2 with autoescape on, so titles typed by people (`<script>`, `&`, accents) come out
as text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from planner.domain import Delegate, Mission
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.files import inside_of, slug, write_atomic
from planner.text.collation import alphabetical, folded
from planner.text.format import format_day_month
from planner.text.i18n import Words, words_for
from planner.text.vocabulary import kind_label, role_label
from planner.views.common import (
    ProgrammeStamp,
    map_link,
    principal_role,
    programme_of,
    programme_stamp,
    programmes,
    template_environment,
)
from planner.views.itinerary_model import Company, Free, Itinerary, LunchBreak, Move, Stop, build_itinerary
from planner.views.itinerary_words import (
    delegate_details,
    delegate_heading,
    delegation_name,
    free_text,
    lunch_text,
    move_text,
    reader_words,
    who_else,
    who_summary,
)


def pdf_install_hint() -> str:
    """How to install WeasyPrint into the Python planner runs on: `pip install 'planner[pdf]'` would ask
    PyPI for an unrelated project named planner, and a bare `pip` may be another environment's (the README
    runs `.venv/bin/planner` without activating the environment)."""
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(Path.cwd()))
    except ValueError:
        shown = str(python)
    return f"{shown} -m pip install 'weasyprint>=62'"


RESERVED_PAGES = ("index", "booklet")
FOLDER = "itineraries"


@dataclass(frozen=True, slots=True)
class PageOptions:
    """How the pages are made: where they link to, which programme they stamp, for a screen or for paper."""

    stamp: ProgrammeStamp | None = None
    index_link: str | None = None
    calendar_links: dict[str, str] | None = None
    """delegate id → the relative address of their .ics, when it is written beside the pages."""
    printed: bool = False
    """For WeasyPrint: guest lists written out (no <details> to open on paper), cover and contents."""


# --- one delegate's section ----------------------------------------------------------------------------


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _entry(mission: Mission, words: Words, entry: Stop | Move | Free | LunchBreak,
           printed: bool) -> dict[str, object]:
    item: dict[str, object] = {"type": type(entry).__name__.lower(), "entry": entry}
    if isinstance(entry, Stop):
        venue = mission.venues.get(entry.venue_id)
        item["html"] = _stop_html(words, entry, venue.geo if venue is not None else None, printed)
    elif isinstance(entry, Move):
        item["text"] = move_text(words, entry)
    elif isinstance(entry, LunchBreak):
        item["text"] = _capitalised(lunch_text(words, entry))
    else:
        item["text"] = _capitalised(free_text(words, entry.minutes))
    return item


@lru_cache(maxsize=8192)
def _stop_html(words: Words, stop: Stop, geo: tuple[float, float] | None, printed: bool) -> Markup:
    """An activity as one of its attendees reads it, rendered once for all who read it the same: the
    attendees of a reception see the same times, venue and guest list but for themselves, so hundreds of
    itineraries share each rendering (a third of the pages' time at 5,000 delegates)."""
    return Markup(template_environment(words.language).get_template("itinerary_stop.html").render(
        entry=stop, kind=kind_label(words, stop.kind), who=who_else(words, stop),
        who_summary=who_summary(words, stop), map=map_link(stop.venue_name, stop.address, geo),
        printed=printed))


def _page_context(mission: Mission, itinerary: Itinerary, words: Words, printed: bool) -> dict[str, object]:
    return {
        "delegate": itinerary.delegate,
        "heading": delegate_heading(words, mission, itinerary.delegate),
        "details": delegate_details(words, mission, itinerary.delegate),
        "days": [{"day": day.day, "city": day.city,
                  "entries": [_entry(mission, words, entry, printed) for entry in day.entries]}
                 for day in itinerary.days],
    }


def _section(mission: Mission, schedule: Schedule, delegate_id: str, language: str | None,
             options: PageOptions, programme: list[ScheduledActivity] | None = None,
             companies: dict[str, Company] | None = None) -> Markup:
    """One delegate's section of a page, rendered in their language (`programme`: the delegate's
    activities in time order, when known; `companies`: shared by the sections of one schedule)."""
    words = reader_words(mission, delegate_id, language)
    itinerary = build_itinerary(mission, schedule, delegate_id, programme, companies)
    page = _page_context(mission, itinerary, words, options.printed)
    calendar = (options.calendar_links or {}).get(delegate_id)
    stamp = (options.stamp or ProgrammeStamp(schedule.version)).text(words)
    return Markup(template_environment(words.language).get_template("itinerary_section.html").render(
        mission=mission, page=page, calendar=calendar, stamp=stamp, printed=options.printed))


# --- pages ---------------------------------------------------------------------------------------------


def itinerary_html(mission: Mission, schedule: Schedule, delegate_ids: list[str], *,
                   index_link: str | None = None, language: str | None = None,
                   options: PageOptions | None = None, sections: list[Markup] | None = None) -> str:
    """A self-contained page: one delegate per printed page, each in their language (or in `language` when
    given); the page around them speaks the first delegate's (one page) or the mission's. Several delegates
    (the booklet) get a cover and a table of contents. `sections`: the delegates' sections already rendered
    (the pages and the booklet share them)."""
    options = options or PageOptions(index_link=index_link)
    if sections is None:
        companies: dict[str, Company] = {}
        sections = [_section(mission, schedule, d, language, options, companies=companies)
                    for d in delegate_ids]
    if len(delegate_ids) == 1:
        words = reader_words(mission, delegate_ids[0], language)
        title = delegate_heading(words, mission, mission.delegates[delegate_ids[0]])
    else:
        words = words_for(language or mission.language)
        title = words.gettext("Itineraries — %(mission)s") % {"mission": mission.name}
    stamp = options.stamp or ProgrammeStamp(schedule.version)
    contents = [{"id": d, "name": mission.delegates[d].name,
                 "details": delegate_details(words, mission, mission.delegates[d])} for d in delegate_ids]
    languages = sorted({reader_words(mission, d, language).language for d in delegate_ids})
    return template_environment(words.language).get_template("itinerary.html").render(
        mission=mission, sections=sections, title=title, index_link=options.index_link,
        booklet=len(delegate_ids) > 1, contents=contents, stamp=stamp.text(words),
        legs=_legs_line(mission, words),
        page_css=Markup(_page_css(mission, words.language, languages)) if options.printed else "",
        printed=options.printed,
    )


def _legs_line(mission: Mission, words: Words) -> str:
    """'San Francisco 6–7 Oct · Los Angeles 9 Oct 2025': the cover's dates."""
    parts = []
    for leg in mission.legs:
        first = format_day_month(leg.first_day, words.language, padded=False)
        last = format_day_month(leg.last_day, words.language, padded=False)
        parts.append(f"{leg.city} {first}" + (f" – {last}" if leg.last_day != leg.first_day else ""))
    return " · ".join(parts) + f" {mission.legs[-1].last_day.year}" if parts else ""


def _css_string(text: str) -> str:
    """`text` as a CSS string literal that cannot end the string, the rule or the <style> element."""
    escaped = "".join(f"\\{ord(character):x} " if character in '"\\<>&\n\r\f' or ord(character) < 32
                      else character for character in text)
    return f'"{escaped}"'


def _page_label(language: str) -> str:
    """`"page " counter(page) " of " counter(pages)` in `language`: the CSS content of a page's number."""
    label = words_for(language).gettext("page %(page)s of %(pages)s")
    before, _, rest = label.partition("%(page)s")
    middle, _, after = rest.partition("%(pages)s")
    return f"{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) {_css_string(after)}"


def _page_css(mission: Mission, page_language: str, languages: list[str]) -> str:
    """Paged-media rules of the PDF: the mission's name at the top right of every page, "page X of Y" at
    the bottom right in the page's language (a named page per language of the delegates' sections)."""
    rules = [f"@page {{ @top-right {{ content: {_css_string(mission.name)}; }} "
             f"@bottom-right {{ content: {_page_label(page_language)}; }} }}"]
    for language in languages:
        rules.append(f"@page lang-{language} {{ @bottom-right {{ content: {_page_label(language)}; }} }}\n"
                     f'[data-page-language="{language}"] {{ page: lang-{language}; }}')
    return "\n".join(rules)


class PdfUnavailable(Exception):
    """WeasyPrint (or the system libraries it draws with) is not installed."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint ({error}); install it with: {pdf_install_hint()}"
        ) from error
    return HTML(string=html, base_url=".").write_pdf()


def itinerary_pdf(mission: Mission, schedule: Schedule, delegate_ids: list[str],
                  language: str | None = None, stamp: ProgrammeStamp | None = None) -> bytes:
    """The itineraries printed to PDF by WeasyPrint: the booklet organisers hand out (with a cover and a
    table of contents for several delegates), each page headed by its delegate's name and numbered."""
    options = PageOptions(stamp=stamp, printed=True)
    return html_to_pdf(itinerary_html(mission, schedule, delegate_ids, language=language, options=options))


# --- what `planner solve` writes ------------------------------------------------------------------------


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


def _calendar_links(mission: Mission, out_dir: Path, calendars: bool | None = None) -> dict[str, str]:
    """delegate id → `../calendars/delegates/<id>.ics`, for the calendars written in `out_dir` (all of them
    with `calendars`: they are being written beside)."""
    from planner.views.calendars import FOLDER as CALENDARS
    from planner.views.calendars import calendar_plans

    links = {}
    for plan in calendar_plans(mission):
        if plan.kind == "delegate" and (calendars or (out_dir / CALENDARS / plan.relative_path).is_file()):
            links[plan.id] = f"../{CALENDARS}/{plan.relative_path}"
    return links


def write_itineraries(mission: Mission, schedule: Schedule, out_dir: Path,
                      calendars: bool | None = None) -> list[Path]:
    """DIR/itineraries/: one page per delegate, a booklet of them all, and index.html linking them.

    Pages link to each delegate's .ics when the calendars are written in DIR (found there, or, with
    `calendars`, being written beside, as planner solve does) and carry the stamp of DIR/schedule.json."""
    out_dir = Path(out_dir)
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = programme_stamp(mission, schedule, out_dir / "schedule.json")
    options = PageOptions(stamp=stamp, index_link="index.html",
                          calendar_links=_calendar_links(mission, out_dir, calendars))
    names = page_names(mission)
    written = []
    # Each delegate's section is rendered once, for their page and for the booklet.
    by_delegate = programmes(schedule)
    companies: dict[str, Company] = {}
    sections = []
    place = inside_of(folder)
    for delegate_id in mission.delegates:
        programme = by_delegate.get(delegate_id, [])
        sections.append(_section(mission, schedule, delegate_id, None, options, programme, companies))
        path = place(names[delegate_id].removesuffix(".html"), ".html")
        page = itinerary_html(mission, schedule, [delegate_id], options=options, sections=sections[-1:])
        write_atomic(path, page)
        written.append(path)
    booklet = folder / "booklet.html"
    write_atomic(booklet, itinerary_html(mission, schedule, list(mission.delegates), options=options,
                                         sections=sections))
    written.append(booklet)
    index = folder / "index.html"
    write_atomic(index, index_html(mission, schedule, names, stamp, by_delegate))
    written.append(index)
    return written


# --- the index -----------------------------------------------------------------------------------------


def _party_of(mission: Mission, delegate: Delegate, words: Words) -> tuple[int, str]:
    """The heading a delegate is listed under: the official party first (the principals, whatever
    delegation they lead: the Princess and the ministers were listed under `federal` or their region), then
    each delegation (by the name of the group of that id when there is one), then everyone else."""
    if principal_role(delegate.role) is not None:
        return 0, words.gettext("Official party")
    if delegate.delegation:
        return 1, delegation_name(mission, delegate.delegation)
    return 2, words.gettext("Other delegates")


def index_html(mission: Mission, schedule: Schedule, names: dict[str, str], stamp: ProgrammeStamp,
               by_delegate: dict[str, list[ScheduledActivity]] | None = None) -> str:
    """The index of the itineraries: grouped by delegation, searchable by name, organisation, role or
    delegation, usable on a phone. It speaks the mission's language."""
    words = words_for(mission.language)
    parties: dict[tuple[int, str], list[dict[str, object]]] = {}
    for delegate in mission.delegates.values():
        details = delegate_details(words, mission, delegate)
        searched = " ".join(filter(None, (delegate.name, delegate.id, details,
                                          role_label(words, delegate.role) if delegate.role else "")))
        parties.setdefault(_party_of(mission, delegate, words), []).append({
            "delegate": delegate, "href": names[delegate.id], "details": details, "search": folded(searched),
            "count": len(by_delegate.get(delegate.id, []) if by_delegate is not None
                         else programme_of(schedule, delegate.id)),
        })
    ordered = sorted(parties.items(), key=lambda item: (item[0][0], alphabetical(item[0][1])))
    groups = [{"name": name, "rows": rows, "id": f"party-{number}"}
              for number, ((_, name), rows) in enumerate(ordered, start=1)]
    return template_environment(words.language).get_template("index.html").render(
        mission=mission, groups=groups, count=len(mission.delegates), stamp=stamp.text(words))
