"""What every view reads the same way: local times of activities, a delegate's programme, head counts, where
to find a venue on a map, and the Jinja2 environment of the HTML templates.

Calendars, itineraries and the overview import this module; none of them imports another for these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from planner.domain import DEFAULT_LANGUAGE, LANGUAGES, Mission
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.domain.time import minutes_between
from planner.text.format import (
    format_clock,
    format_duration,
    format_long_date,
    format_long_datetime,
    format_number,
    format_zone_city,
)
from planner.text.i18n import Words, translations, words_for

if TYPE_CHECKING:
    import jinja2

PRINCIPAL_ROLES = ("royal", "minister", "official")
"""Roles whose holders are named ('who else of note attends'); every other delegate is counted."""


def principal_role(role: str | None) -> str | None:
    """`role` as one of `PRINCIPAL_ROLES` when it is one, however it is written ("Minister", "ROYAL "), else
    None: a role is free text (mission-format.md), and every view must name the same principals."""
    canonical = (role or "").strip().casefold()
    return canonical if canonical in PRINCIPAL_ROLES else None


__all__ = [
    "PRINCIPAL_ROLES",
    "PROGRAMME_WRITTEN",
    "ProgrammeStamp",
    "headcount",
    "local_date",
    "local_end",
    "local_start",
    "map_link",
    "minutes_between",
    "principal_role",
    "programme_of",
    "programme_stamp",
    "template_environment",
    "title_of",
]


def local_start(mission: Mission, activity: ScheduledActivity) -> datetime:
    """The activity's start in the local time of its venue's leg."""
    return _in_zone_of_venue(mission, activity.venue, activity.start)


def local_end(mission: Mission, activity: ScheduledActivity) -> datetime:
    return _in_zone_of_venue(mission, activity.venue, activity.end)


def local_date(mission: Mission, activity: ScheduledActivity) -> date:
    return local_start(mission, activity).date()


def _in_zone_of_venue(mission: Mission, venue_id: str, instant: datetime) -> datetime:
    zone = _zone_of_venue(mission, venue_id)
    # astimezone(None) would mean this machine's zone: keep the offset schedule.json wrote instead.
    return instant if zone is None else instant.astimezone(zone)


def _zone_of_venue(mission: Mission, venue_id: str) -> tzinfo | None:
    venue = mission.venues.get(venue_id)
    if venue is None:
        return None  # a venue unknown to the mission keeps the offset written in schedule.json
    try:
        return mission.leg_of_city(venue.city).zone
    except KeyError:
        return None


def title_of(mission: Mission, activity: ScheduledActivity) -> str:
    """The title as the mission file writes it (schedule.json carries a copy)."""
    planned = mission.activities.get(activity.id)
    return planned.title if planned is not None else activity.title


def programme_of(schedule: Schedule, delegate_id: str) -> list[ScheduledActivity]:
    """The activities a delegate attends, in time order (ties by id, for determinism)."""
    return sorted((a for a in schedule.activities if delegate_id in a.attendees),
                  key=lambda a: (a.start, a.id))


def programmes(schedule: Schedule) -> dict[str, list[ScheduledActivity]]:
    """`programme_of` for every delegate at once (one pass over the schedule, not one per delegate)."""
    result: dict[str, list[ScheduledActivity]] = {}
    for activity in sorted(schedule.activities, key=lambda a: (a.start, a.id)):
        for delegate_id in dict.fromkeys(activity.attendees):
            result.setdefault(delegate_id, []).append(activity)
    return result


def headcount(mission: Mission, attendees: tuple[str, ...] | list[str]) -> int:
    """People present: a delegation of `size` people counts `size`."""
    return sum(mission.delegates[d].size if d in mission.delegates else 1 for d in attendees)


def map_link(name: str, address: str | None, geo: tuple[float, float] | None) -> str | None:
    """A link that opens the venue in a map on any phone or computer (OpenStreetMap): at its coordinates
    when the mission gives them, else a search for its address; None when neither is known."""
    if geo is not None:
        latitude, longitude = (f"{value:.6f}".rstrip("0").rstrip(".") for value in geo)
        query = urlencode({"mlat": latitude, "mlon": longitude})
        return f"https://www.openstreetmap.org/?{query}#map=17/{latitude}/{longitude}"
    if address:
        return "https://www.openstreetmap.org/search?query=" + quote(f"{name}, {address}")
    return None


@lru_cache(maxsize=len(LANGUAGES))
def template_environment(language: str = DEFAULT_LANGUAGE) -> jinja2.Environment:
    """Templates shipped in planner/views/templates, speaking `language`: `{% trans %}` blocks through its
    gettext catalogue (Jinja2's i18n extension, new-style: placeholders escaped, `%` safe), dates, clocks
    and durations through its CLDR data. Autoescape on for everything they render."""
    import jinja2  # here, not with the module: `planner solve` imports it while the solver works

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("planner.views", "templates"),
        autoescape=True,
        auto_reload=False,  # shipped with planner: not looked at again on every page (thousands of them)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Whitespace inside {% trans %} is collapsed, as Babel's extraction (babel.cfg: trimmed) reads it.
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    environment.globals["language"] = language
    environment.globals["words"] = words_for(language)
    environment.filters["clock"] = partial(format_clock, locale=language)
    environment.filters["long_date"] = partial(format_long_date, locale=language)
    environment.filters["duration"] = partial(format_duration, style="clock", locale=language)
    environment.filters["number"] = partial(format_number, locale=language)
    return environment


@dataclass(frozen=True, slots=True)
class ProgrammeStamp:
    """'programme of Monday 6 October 2025 14:05 (Brussels), version 2': which programme a printed page
    shows."""

    version: int
    written: datetime | None = None
    """When the programme was first written (in the mission's time zone); None if unknown."""
    city: str | None = None
    """The city that names the zone of `written`: a leg's city in that zone, as the organiser wrote it
    (`zone_city`); None: CLDR's exemplar city in the reader's language."""

    def text(self, words: Words) -> str:
        if self.written is None:
            return words.gettext("programme version %(version)d") % {"version": self.version}
        language = words.language
        # The zone's city: a delegate reading at home before the mission sees another clock than the
        # mission's.
        city = self.city or format_zone_city(self.written, language)
        when = f"{format_long_datetime(self.written, language)} ({city})"
        stamp = words.gettext("programme of %(when)s, version %(version)d")
        return stamp % {"when": when, "version": self.version}


PROGRAMME_WRITTEN = "programme_written"
"""The planner addition of schedule.json that says when its programme was first written (ISO 8601, UTC):
kept by a run that writes the same programme again (planner.views.outputs), so that its pages keep their
stamp and are not rewritten."""


def programme_stamp(mission: Mission, schedule: Schedule,
                    schedule_file: Path | None = None) -> ProgrammeStamp:
    """The stamp of `schedule`: its version, and when its programme was first written (`PROGRAMME_WRITTEN`;
    for a schedule.json without it, the time `schedule_file` was written, when it exists)."""
    written = None
    recorded = schedule.extra.get(PROGRAMME_WRITTEN)
    if isinstance(recorded, str):
        try:
            written = datetime.fromisoformat(recorded)
        except ValueError:
            written = None
        if written is not None and written.tzinfo is None:
            written = None  # a time without its zone could be anywhere's: the file's time instead
    if written is None and schedule_file is not None and Path(schedule_file).is_file():
        written = datetime.fromtimestamp(Path(schedule_file).stat().st_mtime, tz=ZoneInfo("UTC"))
    if written is None:
        return ProgrammeStamp(schedule.version, None)
    local = written.astimezone(ZoneInfo(mission.timezone))
    return ProgrammeStamp(schedule.version, local.replace(second=0, microsecond=0), zone_city(mission))


def zone_city(mission: Mission) -> str | None:
    """The city that names the mission's time zone to its readers: a leg's city in that zone as the
    organiser wrote it (the one CLDR names the zone after when several legs share it, else the first),
    so that a stamp says `(Tokyo)` beside a leg `Tokyo`, not CLDR's German `(Tokio)`; None when no leg is
    in that zone (CLDR's exemplar city then, in the reader's language)."""
    cities = list(dict.fromkeys(leg.city for leg in mission.legs if leg.timezone == mission.timezone))
    if len(cities) <= 1:
        return cities[0] if cities else None
    named = format_zone_city(datetime(2025, 1, 1, tzinfo=ZoneInfo(mission.timezone)), DEFAULT_LANGUAGE)
    return next((city for city in cities if city.casefold() == named.casefold()), cities[0])
