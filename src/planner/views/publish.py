"""Publication of the programme to a CalDAV server (Radicale, Nextcloud, iCloud, Fastmail…).

One calendar collection per delegate, per group, and one for the whole mission, each created when absent.
Inside a collection, each activity is one calendar object resource holding one VEVENT (RFC 4791 §4.1:
one UID per resource, no METHOD). Events are matched by UID: created when new, rewritten in place with a
higher SEQUENCE when their content changed, left alone when unchanged, and cancelled when their activity
left the programme: kept as STATUS:CANCELLED with a higher SEQUENCE (`shared/spec/replan.md`), so that
every client drops it, also one that would miss a deletion. Only events whose UID this mission made are
ever cancelled: a delegate's own entries in the same collection stay. The collection of a delegate or a
group the mission no longer has keeps its place, its events of this mission cancelled.

The password comes from `PLANNER_CALDAV_PASSWORD` or a prompt, never from the command line (where `ps` and
the shell history would show it).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from icalendar import Calendar
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.views.calendar_state import DTSTAMP_EPOCH, EventState, event_states, next_sequence, set_sequence
from planner.views.calendars import (
    FINGERPRINT_PROPERTY,
    CalendarPlan,
    Programme,
    build_calendar,
    calendar_plans,
)
from planner.views.event_ids import is_own_uid, mission_slug
from planner.views.terminal import literal_console

PASSWORD_VARIABLE = "PLANNER_CALDAV_PASSWORD"
TIMEOUT_SECONDS = 30


@dataclass
class CollectionReport:
    name: str
    created_collection: bool = False
    renamed_from: str | None = None
    """The collection's display name on the server before this run, when the programme's differs (a
    delegate, group or mission renamed since the last publication)."""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    retired: bool = False
    """A collection of this mission whose delegate or group it no longer has (`retire_collection`)."""


def collection_id(mission: Mission, plan: CalendarPlan) -> str:
    """The collection's last URL segment: stable, so that a second run finds what the first created."""
    if plan.kind == "mission":
        return mission_slug(mission)
    # The file's stem: a slug already made unique among the delegates (or the groups).
    stem = plan.relative_path.rsplit("/", 1)[-1].removesuffix(".ics")
    return f"{mission_slug(mission)}--{plan.kind}--{stem}"


def resource_name(activity_id: str) -> str:
    """The event resource's name: the activity id itself (ids that slug alike must not share a URL)."""
    return quote(f"{activity_id}.ics", safe="")


def password_for(user: str | None, prompt: Callable[[str], str] = getpass.getpass) -> str | None:
    """The password from PLANNER_CALDAV_PASSWORD, else asked for (never a command-line argument)."""
    if user is None:
        return os.environ.get(PASSWORD_VARIABLE)
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    return prompt(f"CalDAV password for {user}: ")


def _event_resource(calendar: Calendar, event: Any) -> bytes:
    """A calendar object resource: the calendar's properties, the event's VTIMEZONE, the event."""
    resource = Calendar()
    for name in ("prodid", "version", "calscale"):
        resource.add(name, calendar[name])
    tzids = {str(event[name].params["TZID"]) for name in ("dtstart", "dtend")
             if name in event and "TZID" in event[name].params}
    for timezone in calendar.walk("VTIMEZONE"):
        if str(timezone["tzid"]) in tzids:
            resource.add_component(timezone)
    resource.add_component(event)
    return resource.to_ical()


def _server_events(collection: Any) -> dict[str, list[Any]]:
    """UID → the server's calendar objects carrying it (more than one only if someone duplicated it)."""
    found: dict[str, list[Any]] = {}
    for resource in collection.get_events():
        component = resource.icalendar_component
        if component is None or "uid" not in component:
            continue
        found.setdefault(str(component["uid"]), []).append(resource)
    return found


def _collection_key(collection: Any) -> str:
    return str(collection.url).rstrip("/").rsplit("/", 1)[-1]


def _find_or_create_collection(principal: Any, existing: dict[str, Any], mission: Mission, plan: CalendarPlan,
                               report: CollectionReport) -> Any:
    wanted = collection_id(mission, plan)
    if wanted in existing:
        collection = existing[wanted]
        # The name came with the listing (no request); a renamed delegate's calendar is renamed too.
        shown = collection.get_display_name()
        if shown != plan.name:
            from caldav.elements import dav

            collection.set_properties([dav.DisplayName(plan.name)])
            report.renamed_from = shown
        return collection
    report.created_collection = True
    return principal.make_calendar(name=plan.name, cal_id=wanted)


def publish_plan(principal: Any, existing: dict[str, Any], programme: Programme,
                 plan: CalendarPlan) -> CollectionReport:
    """Bring one collection in line with the programme: create, update (higher SEQUENCE), remove."""
    from caldav import Event

    mission = programme.mission
    report = CollectionReport(plan.name)
    collection = _find_or_create_collection(principal, existing, mission, plan, report)
    calendar = build_calendar(mission, programme.schedule, plan.delegate_ids, plan.name, method=None,
                              programme=programme)
    # A collection made a moment ago is empty: asking for its events is one request per calendar for nothing.
    on_server = {} if report.created_collection else _server_events(collection)
    wanted_uids: set[str] = set()
    for event in calendar.walk("VEVENT"):
        uid = str(event["uid"])
        wanted_uids.add(uid)
        resources = on_server.get(uid, [])
        states: dict[str, EventState] = event_states(r.icalendar_component for r in resources)
        previous = states.get(uid)
        sequence = next_sequence(event, previous)
        set_sequence(event, sequence)
        for duplicate in resources[1:]:
            duplicate.delete()
        # A re-plan's calendars carry the events that left the programme as STATUS:CANCELLED already: the
        # person reading the summary counts them as cancelled, as when publish itself cancels one.
        written = report.removed if str(event.get("status", "")).upper() == "CANCELLED" else None
        if not resources:
            target = Event(collection.client, url=collection.url.join(resource_name(uid.split("@", 1)[0])),
                           parent=collection)
            target.save(raw_data=_event_resource(calendar, event))
            (report.created if written is None else written).append(uid)
        elif previous is not None and sequence == previous.sequence:
            report.unchanged.append(uid)
        else:
            resources[0].save(raw_data=_event_resource(calendar, event))
            (report.updated if written is None else written).append(uid)
    for uid, resources in sorted(on_server.items()):
        if uid not in wanted_uids and is_own_uid(mission, uid):
            _cancel(resources, uid, report, programme.stamp)
    return report


def retire_collection(collection: Any, mission: Mission, stamp: datetime = DTSTAMP_EPOCH) -> CollectionReport:
    """The collection of a delegate or group that is no longer in the mission: every event this mission
    made in it cancelled (as when an activity leaves a programme), so that the person it was published to
    sees the programme gone rather than a stale one; the collection itself, and whatever else it holds,
    stay (it may be theirs to keep or to delete). `stamp`: the DTSTAMP of the cancellations, the
    programme's."""
    report = CollectionReport(f"{collection.get_display_name() or _collection_key(collection)}",
                              retired=True)
    for uid, resources in sorted(_server_events(collection).items()):
        if is_own_uid(mission, uid):
            _cancel(resources, uid, report, stamp)
    return report


def _cancel(resources: list[Any], uid: str, report: CollectionReport, stamp: datetime) -> None:
    """An event of this mission that left the programme stays on the server as STATUS:CANCELLED, with a
    higher SEQUENCE, so that every client drops it; one already cancelled is left alone. `stamp`: its
    DTSTAMP, the programme's that no longer holds it (the information was revised then)."""
    component = resources[0].icalendar_component
    for duplicate in resources[1:]:
        duplicate.delete()
    if str(component.get("status", "")).upper() == "CANCELLED":
        report.unchanged.append(uid)
        return
    calendar = resources[0].icalendar_instance
    for event in calendar.walk("VEVENT"):
        sequence = int(event.get("sequence", 0)) + 1
        for name in ("status", FINGERPRINT_PROPERTY):
            event.pop(name, None)
        event.add("status", "CANCELLED")
        set_sequence(event, sequence, stamp)
    resources[0].save(raw_data=calendar.to_ical())
    report.removed.append(uid)


def connect(url: str, user: str | None, password: str | None) -> Any:
    """The caldav client's principal for `url` (failures are explained by `_explain`)."""
    from caldav import DAVClient

    client = DAVClient(url=url, username=user, password=password, timeout=TIMEOUT_SECONDS,
                       require_tls=not _is_local(url))
    return client.get_principal()


def _is_local(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")


def _explain(failure: BaseException, url: str, user: str | None) -> str:
    """One sentence for each way a CalDAV session fails in practice."""
    from caldav.lib import error as caldav_error

    text = str(failure)
    if isinstance(failure, caldav_error.AuthorizationError) or " 401" in text or "Unauthorized" in text:
        who = f"user {user!r}" if user else "no user (add --user)"
        return (f"the server at {url} refused the credentials of {who} (401): check --user and "
                f"{PASSWORD_VARIABLE}; iCloud and Fastmail need an app-specific password")
    if " 403" in text or "Forbidden" in text:
        return f"the server at {url} forbids this (403): the user may not create calendars there"
    if isinstance(failure, caldav_error.NotFoundError) or " 404" in text:
        return f"nothing at {url} (404): give the server's CalDAV root or the user's principal URL"
    if isinstance(failure, caldav_error.DAVError):
        return f"the CalDAV server at {url} answered with an error: {text.strip() or type(failure).__name__}"
    if "refused" in text.lower():
        return (f"cannot reach the CalDAV server at {url}: connection refused "
                "(is it running? is the port right?)")
    if "timed out" in text.lower() or "timeout" in text.lower():
        return f"cannot reach the CalDAV server at {url}: no answer within {TIMEOUT_SECONDS} s"
    if "name or service not known" in text.lower() or "nodename" in text.lower():
        return f"cannot reach the CalDAV server at {url}: unknown host name"
    return f"cannot reach the CalDAV server at {url}: {text.strip() or type(failure).__name__}"


def _connection_errors() -> tuple[type[BaseException], ...]:
    from caldav.lib import error as caldav_error

    kinds: list[type[BaseException]] = [caldav_error.DAVError, OSError, ValueError]
    for module_name in ("niquests", "requests"):
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        kinds.append(module.exceptions.RequestException)
    return tuple(kinds)


def publish_calendars(mission: Mission, schedule: Schedule, url: str, user: str | None, console: Console,
                      password: str | None = None) -> int:
    """Publish every calendar of the programme to the CalDAV server at `url`; 0 on success, 1 on failure."""
    errors = literal_console(stderr=True)
    if password is None:
        try:
            password = password_for(user)
        except (EOFError, KeyboardInterrupt):
            errors.print(f"no password given: set {PASSWORD_VARIABLE} or type it at the prompt; "
                         "nothing published.")
            return 1
    reports: list[CollectionReport] = []
    try:
        principal = connect(url, user, password)
        existing = {_collection_key(collection): collection for collection in principal.get_calendars()}
        programme = Programme(mission, schedule)
        plans = calendar_plans(mission)
        for plan in plans:
            reports.append(publish_plan(principal, existing, programme, plan))
        published = {collection_id(mission, plan) for plan in plans}
        for key, collection in sorted(existing.items()):
            if key.startswith(f"{mission_slug(mission)}--") and key not in published:
                reports.append(retire_collection(collection, mission, programme.stamp))
    except _connection_errors() as failure:
        errors.print(f"[bold red]error[/]: {_explain(failure, url, user)}", highlight=False, soft_wrap=True)
        if reports:
            errors.print(f"{len(reports)} calendar(s) were published before the failure; run publish again.")
        return 1
    console.print(_summary(reports, url))
    return 0


def _summary(reports: list[CollectionReport], url: str) -> Table:
    table = Table(title=escape(f"Published to {url}"), title_justify="left")
    for column in ("calendar", "new", "updated", "unchanged", "cancelled"):
        table.add_column(column, justify="left" if column == "calendar" else "right")
    for report in reports:
        name = report.name + (" (created)" if report.created_collection else
                              f" (renamed from {report.renamed_from})" if report.renamed_from else
                              " (no longer in the mission)" if report.retired else "")
        table.add_row(Text(name), str(len(report.created)), str(len(report.updated)),
                      str(len(report.unchanged)), str(len(report.removed)))
    return table
