"""What a previous version of a calendar says of its events: SEQUENCE of the next version; and DTSTAMP.

`SEQUENCE` rises by one each time an event's content changes with respect to the previous version of the
same calendar (the file being replaced, or the server's copy when publishing). `DTSTAMP` is when the
programme was first written (schedule.json's `programme_written`, kept while the programme is unchanged):
RFC 5545 §3.8.7.2 wants the time the calendar object was created (with METHOD) or its information last
revised (without, as on a CalDAV server). No clock is read here, so the same inputs give the same bytes,
and DTSTAMP is not part of an event's fingerprint: it never bumps SEQUENCE by itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Component

from planner.domain.schedule import Schedule
from planner.views.common import PROGRAMME_WRITTEN

DTSTAMP_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
"""DTSTAMP when the schedule does not say when its programme was written (a schedule.json of a planner
before `programme_written`, a schedule built in memory): fixed, so that the output stays reproducible."""


def dtstamp(schedule: Schedule | None) -> datetime:
    """DTSTAMP of the events of `schedule`'s calendars: when its programme was first written, in UTC to the
    second (RFC 5545 wants UTC); `DTSTAMP_EPOCH` when unknown. Reads no clock (see the module docstring)."""
    recorded = schedule.extra.get(PROGRAMME_WRITTEN) if schedule is not None else None
    if isinstance(recorded, str):
        try:
            written = datetime.fromisoformat(recorded)
        except ValueError:
            written = None
        # A time without its zone could be anywhere's: not an instant to stamp with.
        if written is not None and written.tzinfo is not None:
            return written.astimezone(UTC).replace(microsecond=0)
    return DTSTAMP_EPOCH



@dataclass(frozen=True, slots=True)
class EventState:
    """What a previous version of a calendar says of one event."""

    sequence: int
    digest: str
    """`content_digest` of the event."""


FINGERPRINT_PROPERTY = "X-PLANNER-FINGERPRINT"
"""Each written event carries its `content_digest`, so that the next run reads the previous file fast."""


def fingerprint(event: Any) -> tuple[Any, ...]:
    """What a delegate sees of an event, independent of how a server or a library re-serialised it."""

    def instant(name: str) -> tuple[str, str]:
        if name not in event:
            return ("", "")
        value = event.decoded(name)
        tzid = str(event[name].params.get("TZID", ""))
        if isinstance(value, datetime) and value.tzinfo is not None:
            return (value.astimezone(UTC).isoformat(), tzid)
        return (str(value), tzid)

    def text(name: str) -> str:
        return str(event.get(name, ""))

    categories: list[str] = []
    raw = event.get("categories")
    for entry in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        categories.extend(str(category) for category in getattr(entry, "cats", [entry]))
    geo = event.get("geo")
    return (instant("dtstart"), instant("dtend"), text("summary"), text("location"), text("description"),
            (round(float(geo.latitude), 6), round(float(geo.longitude), 6)) if geo is not None else None,
            tuple(categories), text("status").upper(), text("transp").upper())


def content_digest(event: Any) -> str:
    """A short, stable digest of `fingerprint(event)`."""
    encoded = json.dumps(fingerprint(event), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]


def event_states(components: Iterable[Any]) -> dict[str, EventState]:
    """UID → state, for the VEVENTs among `components` (a parsed file's or a server's events).

    The digest is recomputed from the content, never taken from FINGERPRINT_PROPERTY: an event edited
    elsewhere (on the server, by hand) counts as what it now says.
    """
    states: dict[str, EventState] = {}
    for component in components:
        if getattr(component, "name", None) != "VEVENT" or "uid" not in component:
            continue
        try:
            sequence = int(component.get("sequence", 0))
        except (TypeError, ValueError):
            sequence = 0
        uid = str(component["uid"])
        state = EventState(sequence, content_digest(component))
        if uid not in states or states[uid].sequence < sequence:
            states[uid] = state
    return states


def next_sequence(event: Component, previous: EventState | None) -> int:
    """Unchanged: the previous SEQUENCE; changed: one more; never seen: 0 (RFC 5545 §3.8.7.4)."""
    if previous is None:
        return 0
    digest = str(event[FINGERPRINT_PROPERTY]) if FINGERPRINT_PROPERTY in event else content_digest(event)
    return previous.sequence if previous.digest == digest else previous.sequence + 1


def set_sequence(event: Component, sequence: int, stamp: datetime | None = None) -> None:
    """Set the event's SEQUENCE and, when given, its DTSTAMP (else the one it was built with stays: the
    programme's, whatever its SEQUENCE)."""
    event.pop("sequence", None)
    event.add("sequence", sequence)
    if stamp is not None:
        event.pop("dtstamp", None)
        event.add("dtstamp", stamp)


def restamp(calendar: Calendar, previous: dict[str, EventState]) -> Calendar:
    """Give each event the SEQUENCE that follows its previous version's."""
    for event in calendar.walk("VEVENT"):
        set_sequence(event, next_sequence(event, previous.get(str(event["uid"]))))
    return calendar


def previous_states(path: Path) -> dict[str, EventState]:
    """The events of the file about to be replaced, so that changed events get a higher SEQUENCE."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    states = _scan_own_states(data)
    if states is not None:
        return states
    try:
        return event_states(Calendar.from_ical(data).walk("VEVENT"))
    except ValueError:
        return {}


def _scan_own_states(data: bytes) -> dict[str, EventState] | None:
    """UID, SEQUENCE and FINGERPRINT_PROPERTY of each VEVENT of a file planner wrote, read line by line.

    Parsing hundreds of files with icalendar costs seconds; these three values are plain ASCII without
    escapes or parameters. None when any event lacks one of them (a file planner did not write, or
    edited since): the caller then parses the file properly.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    states: dict[str, EventState] = {}
    current: dict[str, str] | None = None
    for line in text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            if current is None or not {"UID", "SEQUENCE", FINGERPRINT_PROPERTY} <= current.keys():
                return None
            if not current["SEQUENCE"].isdigit():
                return None
            states[current["UID"]] = EventState(int(current["SEQUENCE"]), current[FINGERPRINT_PROPERTY])
            current = None
        elif current is not None:
            name, colon, value = line.partition(":")
            if colon and name in ("UID", "SEQUENCE", FINGERPRINT_PROPERTY):
                current[name] = value
    return states
