"""Pass 3, activities: venues of one city, a duration on the grain, fixed starts, windows and dates inside
legs, `after` references.
"""

from __future__ import annotations

from datetime import datetime

from planner.domain import Activity, After, Leg
from planner.domain.mission import conventional_kind
from planner.mission.positions import DocumentPath
from planner.mission.resolution import Resolution
from planner.mission.scalars import WrittenDateTime
from planner.mission.schema import ActivityEntry, AfterReference
from planner.text.format import format_clock, format_duration


def resolve_activities(resolution: Resolution, grain: int) -> None:
    """activities: unique ids, venues of one city, duration on the grain, times inside legs."""
    first: dict[str, int] = {}
    for index, entry in resolution.shapes.activities:
        if entry.id in first:
            resolution.duplicate(
                ("activities", index), "activity", entry.id, ("activities", first[entry.id])
            )
            continue
        first[entry.id] = index
    for index, entry in resolution.shapes.activities:
        if first[entry.id] == index:
            activity = _activity(resolution, index, entry, grain, set(first))
            if activity is not None:
                resolution.activities[activity.id] = activity


def _activity(
    resolution: Resolution, index: int, entry: ActivityEntry, grain: int, activity_ids: set[str]
) -> Activity | None:
    """One activity, or None when it has an error (reported)."""
    path = ("activities", index)
    name = f"activity `{entry.id}`"
    ok = True
    if (entry.venue is None) == (entry.venues is None):
        both = entry.venue is not None
        resolution.report.add(
            path,
            f"{name} has {'both `venue` and `venues`' if both else 'no venue'}: write "
            + resolution.report.wording.either(
                "`venue: <id>` for one venue or `venues: [<id>, <id>]` for candidates the solver picks from"
                + (", not both" if both else ""),
                "one venue id in its `venue` cell, or candidates the solver picks from separated by commas"
                + (", and leave `venues` empty" if both else "")),
        )
        return None
    venue_path: DocumentPath
    item_paths: list[DocumentPath]
    if entry.venue is not None:
        listed, venue_path = [entry.venue], path + ("venue",)
        item_paths = [venue_path]
    else:
        listed, venue_path = entry.venues or [], path + ("venues",)
        item_paths = [venue_path + (k,) for k in range(len(listed))]
        if not listed:
            resolution.report.add(venue_path, f"{name}: `venues` is empty; list at least one venue id")
            return None
    written_venues = list(dict.fromkeys(listed))
    for venue_id, item_path in zip(listed, item_paths, strict=True):
        ok &= resolution.venue_reference(venue_id, item_path, "venue")
    if not ok:
        return None
    cities = {resolution.venues[v].city for v in written_venues}
    if len(cities) > 1:
        where = ", ".join(f"`{v}` in {resolution.venues[v].city}" for v in written_venues)
        resolution.report.add(
            venue_path,
            f"{name}: candidate venues lie in different cities ({where}); all "
            "candidates of one activity lie in one city: make one activity per city",
        )
        return None
    leg = resolution.leg_of_city(cities.pop())
    assert leg is not None  # venues of unknown cities were left out above
    if entry.duration % grain:
        lower = entry.duration // grain * grain
        options = " or ".join(format_duration(m) for m in (lower, lower + grain) if m > 0)
        resolution.report.add(
            path + ("duration",),
            f"{name}: duration {format_duration(entry.duration)} is not a multiple of "
            f"the grain ({grain}m), so it can never start and end on the "
            f"grain; write {options}",
        )
        ok = False
    attendees = resolution.people(entry.attendees, path + ("attendees",))
    optional = resolution.people(entry.optional_attendees, path + ("optional_attendees",)) - attendees
    fixed = None
    if entry.fixed is not None:
        fixed = _fixed_start(resolution, entry.fixed, path + ("fixed",), name, leg, grain, written_venues[0])
        ok &= fixed is not None
    windows = []
    for k, written in enumerate(entry.windows):
        window = resolution.window(written, path + ("windows", k))
        ok &= window is not None
        windows.append(window)
    for k, day in enumerate(entry.dates):
        if resolution.leg_of_day(day) is None:
            resolution.report.add(
                path + ("dates", k),
                f"{name}: date {day} lies outside every leg ({resolution.legs_text()}); use a date of a leg",
            )
            ok = False
    after = []
    for k, item in enumerate(entry.after):
        reference, gap = (item.id, item.gap) if isinstance(item, AfterReference) else (item, 0)
        after_path: DocumentPath = path + ("after", k)
        if reference == entry.id:
            resolution.report.add(
                after_path, f"{name} is `after` itself; name another activity, or remove the entry"
            )
            ok = False
        elif reference not in activity_ids:
            resolution.dangling(after_path, "activity", reference, "activities")
            ok = False
        else:
            after.append(After(reference, gap, resolution.source(after_path)))
    if not ok:
        return None
    return Activity(
        id=entry.id,
        title=entry.title,
        venues=tuple(written_venues),
        duration=entry.duration,
        attendees=tuple(sorted(attendees)),
        optional_attendees=tuple(sorted(optional)),
        attendee_refs=tuple(entry.attendees),
        optional_attendee_refs=tuple(entry.optional_attendees),
        kind=conventional_kind(entry.kind),
        fixed=fixed,
        windows=tuple(w for w in windows if w is not None),
        dates=tuple(entry.dates),
        after=tuple(after),
        priority=entry.priority,
        pinned=entry.pinned,
        description=entry.description,
        source=resolution.source(path),
    )


def _fixed_start(
    resolution: Resolution,
    written: WrittenDateTime,
    path: DocumentPath,
    name: str,
    leg: Leg,
    grain: int,
    venue_id: str,
) -> datetime | None:
    """A fixed start lies in its venue's leg and on the grain (whole multiple after local midnight)."""
    resolved = resolution.instant(written, path, f"{name}: the fixed start")
    if resolved is None:
        return None
    instant, written_leg = resolved
    local = instant.astimezone(leg.zone)
    if written_leg is not leg or not leg.contains(local.date()):
        resolution.report.add(
            path,
            f"{name}: the fixed start {written} lies outside the leg of its venue "
            f"`{venue_id}` ({leg.city}, {leg.first_day}–{leg.last_day}); "
            f"fix it on a date from {leg.first_day} to {leg.last_day}",
        )
        return None
    minute = local.hour * 60 + local.minute
    if minute % grain or local.second:
        earlier = minute - minute % grain
        resolution.report.add(
            path,
            f"{name}: the fixed start {format_clock(minute)} is not on the {grain}-minute grain "
            f"(counted from local midnight); write {format_clock(earlier)} or "
            f"{format_clock((earlier + grain) % 1440)}",
        )
        return None
    return instant
