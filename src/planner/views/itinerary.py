"""Itineraries: each delegate's own programme, day by day, as text, a printable HTML page and a PDF.

One model (`Itinerary`: days of stops, moves, free time and lunch breaks) is built from a `Mission` and a
`Schedule`, then rendered three ways. Times are local to each activity's leg. HTML goes through Jinja2
with autoescape on, so titles typed by people (`<script>`, `&`, accents) come out as text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jinja2
from rich.console import Console, Group as RenderGroup, RenderableType
from rich.markup import escape
from rich.rule import Rule as RichRule
from rich.table import Table
from rich.text import Text

from planner.domain import Delegate, Lunch, Mission, Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.files import inside, slug, write_atomic
from planner.views.overview import local_date, local_end, local_start, minutes_between, programme_of
from planner.domain.schedule import Schedule, ScheduledActivity

PRINCIPAL_ROLES = ("royal", "minister", "official")
"""Roles whose holders an itinerary names ('who else of note attends'); others are counted."""

MAX_NAMED_PRINCIPALS = 6
FORMATS = ("text", "html", "pdf")
PDF_INSTALL_HINT = "pip install 'planner[pdf]'"


# --- the model ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stop:
    """One activity the delegate attends."""

    activity_id: str
    title: str
    kind: str
    start: datetime
    """Local to the activity's leg, as every time in an itinerary."""
    end: datetime
    venue_id: str
    venue_name: str
    address: str | None
    principals: tuple[str, ...]
    """Other attendees with a principal role, as 'Name (role)', highest roles first, at most
    `MAX_NAMED_PRINCIPALS`."""
    more_principals: tuple[str, ...]
    """The roles of the principals beyond those named."""
    other_delegations: int
    other_people: int
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Move:
    """Going from one venue to the next: leave at `leave` to arrive in time."""

    from_venue: str
    to_venue: str
    minutes: int | None
    """None when the travel time is unknown (e.g. another city)."""
    leave: datetime
    arrive: datetime


@dataclass(frozen=True, slots=True)
class Free:
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return minutes_between(self.start, self.end)


@dataclass(frozen=True, slots=True)
class LunchBreak:
    start: datetime
    end: datetime
    rule_id: str
    on_the_way: bool = False
    """True when the break overlaps the move to the next venue (travel does not count as attending)."""


Entry = Stop | Move | Free | LunchBreak


@dataclass(slots=True)
class Day:
    day: date
    city: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def stops(self) -> list[Stop]:
        return [entry for entry in self.entries if isinstance(entry, Stop)]


@dataclass(slots=True)
class Itinerary:
    delegate: Delegate
    days: list[Day]

    @property
    def stops(self) -> list[Stop]:
        return [stop for day in self.days for stop in day.stops]


def build_itinerary(mission: Mission, schedule: Schedule, delegate_id: str) -> Itinerary:
    """The delegate's programme: per local date, the activities in order with what lies between them."""
    delegate = mission.delegates[delegate_id]
    programme = programme_of(schedule, delegate_id)
    by_day: dict[date, list[ScheduledActivity]] = {}
    for activity in programme:
        by_day.setdefault(local_date(mission, activity), []).append(activity)
    lunch_rules = [rule for rule in mission.rules
                   if isinstance(rule, Lunch) and delegate_id in rule.delegates]
    days = []
    for day, activities in sorted(by_day.items()):
        stops = [_stop(mission, activity, delegate_id) for activity in activities]
        city = _city_of(mission, activities[0], day)
        lunches = _lunch_breaks(mission, day, city, stops, lunch_rules)
        days.append(Day(day, city, _day_entries(mission, stops, lunches)))
    return Itinerary(delegate, days)


def _city_of(mission: Mission, activity: ScheduledActivity, day: date) -> str:
    venue = mission.venues.get(activity.venue)
    if venue is not None:
        return venue.city
    for leg in mission.legs:
        if leg.contains(day):
            return leg.city
    return ""


def _stop(mission: Mission, activity: ScheduledActivity, delegate_id: str) -> Stop:
    planned = mission.activities.get(activity.id)
    venue = mission.venues.get(activity.venue)
    principals: list[Delegate] = []
    delegations = people = 0
    for other_id in activity.attendees:
        if other_id == delegate_id:
            continue
        other = mission.delegates.get(other_id)
        if other is not None and other.role in PRINCIPAL_ROLES:
            principals.append(other)
        else:
            delegations += 1
            people += other.size if other is not None else 1
    # The highest roles first; a reception with twenty officials names the first few and counts the rest.
    principals.sort(key=lambda p: (PRINCIPAL_ROLES.index(p.role or ""), p.name.casefold(), p.id))
    named, unnamed = principals[:MAX_NAMED_PRINCIPALS], principals[MAX_NAMED_PRINCIPALS:]
    return Stop(
        activity_id=activity.id,
        title=planned.title if planned is not None else activity.title,
        kind=planned.kind if planned is not None else activity.kind,
        start=local_start(mission, activity),
        end=local_end(mission, activity),
        venue_id=activity.venue,
        venue_name=venue.name if venue is not None else activity.venue,
        address=venue.address if venue is not None else None,
        principals=tuple(f"{p.name} ({p.role})" for p in named),
        more_principals=tuple(sorted(p.role or "" for p in unnamed)),
        other_delegations=delegations,
        other_people=people,
        description=planned.description if planned is not None else None,
    )


def _lunch_breaks(mission: Mission, day: date, city: str, stops: list[Stop],
                  rules: list[Lunch]) -> list[LunchBreak]:
    """Where each lunch rule's free stretch falls: the first free stretch of `duration` inside `between`,
    at its start (spec: lunch rule; travel does not count as attending)."""
    if not rules:
        return []
    try:
        leg = mission.leg_of_city(city)
    except KeyError:
        return []
    breaks = []
    for rule in rules:
        window_start = leg.local_instant(day, rule.between.start)
        window_end = leg.local_instant(day, rule.between.end)
        cursor = window_start
        for stop in [*stops, None]:
            stretch_end = window_end if stop is None else min(stop.start, window_end)
            if minutes_between(cursor, stretch_end) >= rule.duration:
                breaks.append(LunchBreak(cursor, cursor + timedelta(minutes=rule.duration), rule.id))
                break
            if stop is not None:
                cursor = max(cursor, stop.end)
                if cursor >= window_end:
                    break
    return breaks


def _day_entries(mission: Mission, stops: list[Stop], lunches: list[LunchBreak]) -> list[Entry]:
    """Stops in order; between two stops the move and the free time; lunch breaks where they fall."""
    entries: list[Entry] = []
    for index, stop in enumerate(stops):
        if index > 0:
            entries.extend(_between(mission, stops[index - 1], stop, lunches))
        entries.append(stop)
    # Lunch breaks before the first or after the last stop of the day.
    placed = {(entry.rule_id, entry.start) for entry in entries if isinstance(entry, LunchBreak)}
    for lunch in lunches:
        if (lunch.rule_id, lunch.start) not in placed:
            entries.append(lunch)
    return sorted(entries, key=_entry_order)


def _entry_order(entry: Entry) -> tuple[datetime, int]:
    rank = {LunchBreak: 0, Free: 1, Move: 2, Stop: 3}[type(entry)]
    start = entry.leave if isinstance(entry, Move) else entry.start
    return start, rank


def _between(mission: Mission, before: Stop, after: Stop, lunches: list[LunchBreak]) -> list[Entry]:
    """The move to the next venue at the latest moment that arrives in time; the rest of the gap is free
    time, split around a lunch break that falls inside it."""
    entries: list[Entry] = []
    leave = after.start
    if before.venue_id != after.venue_id:
        known = mission.travel_minutes(before.venue_id, after.venue_id)
        leave = after.start - timedelta(minutes=known or 0)
        entries.append(Move(before.venue_name, after.venue_name, known, leave, after.start))
    cursor = before.end
    for lunch in sorted(lunches, key=lambda lunch: lunch.start):
        if before.end <= lunch.start and lunch.end <= after.start:
            if lunch.start > cursor:
                entries.append(Free(cursor, min(lunch.start, leave)))
            entries.append(replace(lunch, on_the_way=lunch.end > leave))
            cursor = max(cursor, lunch.end)
    if leave > cursor:
        entries.append(Free(cursor, leave))
    return [entry for entry in entries if not isinstance(entry, Free) or entry.minutes > 0]


# --- choosing whose itineraries -------------------------------------------------------------------------


def delegates_for(mission: Mission, delegate_id: str | None, group_id: str | None) -> list[str]:
    """The delegate ids asked for: one delegate, every member of a group, or (neither) every delegate."""
    if delegate_id is not None and group_id is not None:
        raise InputErrors([InputError(_command_line(), "give either --delegate or --group, not both")])
    if delegate_id is not None:
        if delegate_id not in mission.delegates:
            message = _unknown("delegate", delegate_id, mission.delegates)
            raise InputErrors([InputError(_command_line(), message)])
        return [delegate_id]
    if group_id is not None:
        if group_id not in mission.groups:
            raise InputErrors([InputError(_command_line(), _unknown("group", group_id, mission.groups))])
        return list(mission.groups[group_id].delegates)
    return list(mission.delegates)


def _command_line() -> Source:
    return Source("command line", 1, 1)


def _unknown(what: str, given: str, known: Iterable[str]) -> str:
    ids = sorted(known)
    closest = difflib.get_close_matches(given, ids, n=1, cutoff=0.0)
    hint = f"; did you mean '{closest[0]}'?" if closest else f"; the mission has no {what}s"
    return f"--{what} '{given}' is no {what} of the mission{hint} (planner validate lists them)"


# --- text ---------------------------------------------------------------------------------------------


def _clock(instant: datetime) -> str:
    return f"{instant:%H:%M}"


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest:02d}"
    return f"{hours} h" if hours else f"{rest} min"


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
        parts.append(Text(f"{_long_date(day.day)} · {day.city}", style="bold underline"))
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
                grid.add_row(Text(f"{_clock(entry.start)}–{_clock(entry.end)}", style="bold"), body)
            elif isinstance(entry, Move):
                grid.add_row(Text(f"   {_clock(entry.leave)}", style="cyan"),
                             Text("→ " + _move_text(entry), style="cyan"))
            elif isinstance(entry, LunchBreak):
                grid.add_row(Text(f"{_clock(entry.start)}–{_clock(entry.end)}", style="green"),
                             Text(_lunch_text(entry), style="green"))
            else:
                grid.add_row(Text(f"{_clock(entry.start)}–{_clock(entry.end)}", style="dim"),
                             Text(f"free time, {_duration(entry.minutes)}", style="dim"))
        parts.append(grid)
    parts.append(Text(""))
    return RenderGroup(*parts)


def itinerary_text(mission: Mission, schedule: Schedule, delegate_ids: list[str], width: int = 80) -> str:
    """Plain text of the itineraries (what `--format text` prints), `width` columns wide."""
    console = Console(width=width, record=True, file=_Discard(), color_system=None)
    for delegate_id in delegate_ids:
        console.print(itinerary_renderable(mission, build_itinerary(mission, schedule, delegate_id)))
    return console.export_text()


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# --- HTML and PDF ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """Templates shipped in planner/views/templates; autoescape on for everything they render."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("planner.views", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["clock"] = _clock
    environment.filters["long_date"] = _long_date
    environment.filters["duration"] = _duration
    return environment


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


# --- the command and what `planner solve` writes -------------------------------------------------------


def run_itinerary(mission: Mission, schedule: Schedule, delegate_id: str | None, group_id: str | None,
                  format: str, out: Path | None, console: Console) -> int:
    """`planner itinerary`: print (text) or write (html, pdf) the itineraries asked for."""
    if format not in FORMATS:
        closest = difflib.get_close_matches(format, FORMATS, n=1, cutoff=0.0)
        raise InputErrors([InputError(_command_line(),
                                      f"--format '{format}' is not one of {', '.join(FORMATS)}; "
                                      f"did you mean '{closest[0]}'?")])
    delegate_ids = delegates_for(mission, delegate_id, group_id)
    if not schedule.has_programme:
        console.print(f"The schedule has no programme (status {schedule.status}); nothing to show.",
                      highlight=False)
        return 1
    if format == "text":
        if out is not None:
            write_atomic(out, itinerary_text(mission, schedule, delegate_ids))
            console.print(f"wrote {escape(str(out))}", highlight=False)
        else:
            for delegate in delegate_ids:
                console.print(itinerary_renderable(mission, build_itinerary(mission, schedule, delegate)))
        return 0
    default_name = f"itinerary-{slug(delegate_id or group_id or 'all')}.{format}"
    target = Path(out) if out is not None else Path(default_name)
    if format == "html":
        write_atomic(target, itinerary_html(mission, schedule, delegate_ids))
    else:
        try:
            write_atomic(target, itinerary_pdf(mission, schedule, delegate_ids))
        except PdfUnavailable as missing:
            console.print(f"[bold red]error[/]: {escape(str(missing))}", highlight=False)
            return 1
    count = len(delegate_ids)
    console.print(f"wrote {escape(str(target))} ({count} itinerar{'y' if count == 1 else 'ies'})",
                  highlight=False)
    return 0


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
