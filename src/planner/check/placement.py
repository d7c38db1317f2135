"""Each activity on its own (rule 2): duration, grain, offsets, venue, placement, leg dates, open hours."""

from __future__ import annotations

from datetime import timedelta

from planner.check.common import (
    Placed,
    Violation,
    clock_text,
    dates_touched,
    inside_daily,
    source_suffix,
    span_text,
    start_days,
    utc,
    whole_minutes,
)
from planner.domain import (
    Mission,
    Venue,
)


def check_duration(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity lasts exactly its `duration` (elapsed minutes, from start to end)."""
    violations = []
    for entry in placed:
        lasts = entry.end - entry.start
        if lasts != timedelta(minutes=entry.activity.duration):
            message = (f"{entry.name} lasts {whole_minutes(lasts)} min ({entry.span}), not its duration of "
                       f"{entry.activity.duration} min{source_suffix(entry.activity.source)}")
            violations.append(Violation("duration", message, (entry.id,)))
    return violations


def check_grain(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2 and Scalars: start and end lie a whole multiple of `grain` minutes after local midnight."""
    violations = []
    for entry in placed:
        for word, instant in (("starts", entry.start), ("ends", entry.end)):
            local = instant.astimezone(entry.zone)
            off_the_minute = bool(local.second or local.microsecond)
            if off_the_minute or (local.hour * 60 + local.minute) % mission.grain:
                clock = f"{local:%H:%M:%S}" if off_the_minute else f"{local:%H:%M}"
                message = (f"{entry.name} {word} {clock} on {local:%Y-%m-%d}, off the mission's grain of "
                           f"{mission.grain} min{source_suffix(mission.source)}")
                violations.append(Violation("grain", message, (entry.id,)))
    return violations


def check_offset(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """schedule-format.md: `start` and `end` carry the UTC offset of their leg's zone at that instant."""
    violations = []
    for entry in placed:
        for word, written, instant in (("start", entry.scheduled.start, entry.start),
                                       ("end", entry.scheduled.end, entry.end)):
            local = instant.astimezone(entry.zone)
            if written.tzinfo is None or written.utcoffset() != local.utcoffset():
                message = (f"{entry.name}: the {word} {written.isoformat()} is not written with the UTC "
                           f"offset of {entry.leg.city}; write {local.isoformat()}")
                violations.append(Violation("offset", message, (entry.id,)))
    return violations


def check_venue(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity uses one of its candidate venues."""
    violations = []
    for entry in placed:
        if entry.venue not in entry.activity.venues:
            known = "" if entry.venue in mission.venues else " (the mission has no venue of that id)"
            message = (f"{entry.name} is at '{entry.venue}'{known}, not at one of its venues: "
                       f"{', '.join(entry.activity.venues)}{source_suffix(entry.activity.source)}")
            violations.append(Violation("venue", message, (entry.id,)))
    return violations


def check_placement(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: the activity lies where its `fixed` / `windows` / `dates` / leg's working day put it."""
    violations = []
    day = mission.day
    for entry in placed:
        activity, span, leg = entry.activity, entry.span, entry.leg
        failures = []
        if activity.fixed is not None and entry.start != utc(activity.fixed):
            fixed = entry.at(activity.fixed)
            failures.append(f"starts {entry.at(entry.start)}, not at its fixed start {fixed}")
        if activity.windows and not any(
            utc(w.start) <= entry.start and entry.end <= utc(w.end) for w in activity.windows
        ):
            windows = ", ".join(span_text(w.start, w.end, entry.zone) for w in activity.windows)
            failures.append(f"is scheduled {span}, outside its windows: {windows}")
        if activity.dates:
            listed = ", ".join(d.isoformat() for d in activity.dates)
            if activity.fixed is not None or activity.windows:
                # The working day does not apply to a fixed start or windows; the dates still do.
                outside = ", ".join(str(d) for d in dates_touched(entry) if d not in activity.dates)
                if outside:
                    failures.append(f"is scheduled {span}, on {outside}, not one of its dates: {listed}")
            elif not inside_daily(entry, day, activity.dates):
                failures.append(f"is scheduled {span}, not inside the working day ({day}) of one of its "
                                f"dates: {listed}")
        elif activity.fixed is None and not activity.windows and not inside_daily(entry, day, leg.days()):
            failures.append(f"is scheduled {span}, not inside the working day ({day}) of a date of its leg "
                            f"({leg.city}, {leg.first_day}–{leg.last_day})")
        for failure in failures:
            violations.append(Violation("placement", f"{entry.name} {failure}{source_suffix(activity.source)}",
                                        (activity.id,)))
    return violations


def check_leg_dates(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: every date an activity touches belongs to the leg of its venue's city."""
    violations = []
    for entry in placed:
        leg = entry.leg
        outside = ", ".join(str(d) for d in dates_touched(entry) if not leg.contains(d))
        if outside:
            message = (f"{entry.name} is scheduled {entry.span}, on {outside}, outside the {leg.city} leg "
                       f"({leg.first_day}–{leg.last_day}){source_suffix(leg.source)}")
            violations.append(Violation("leg", message, (entry.id,)))
    return violations


def check_open_hours(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: an activity lies inside one of its venue's `open` ranges (of one day) where those are given."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or not venue.open_hours:
            continue
        if not any(inside_daily(entry, hours, start_days(entry)) for hours in venue.open_hours):
            violations.append(Violation("open-hours", _open_hours_message(entry, venue), (entry.id,)))
    return violations


def _open_hours_message(entry: Placed, venue: Venue) -> str:
    """'starts … before X opens at …' or '… after X closes at …' for one range; otherwise all ranges."""
    local_start = entry.start.astimezone(entry.zone)
    minute = local_start.hour * 60 + local_start.minute
    if len(venue.open_hours) == 1:
        hours = venue.open_hours[0]
        opens, closes = clock_text(hours.start), clock_text(hours.end % 1440)
        if minute < hours.start:
            what = f"starts {entry.at(entry.start)}, before {venue.name} opens at {opens}"
        elif minute < hours.end:
            what = f"ends {entry.at(entry.end)}, after {venue.name} closes at {closes}"
        else:
            what = f"starts {entry.at(entry.start)}, after {venue.name} closes at {closes}"
    else:
        ranges = ", ".join(str(h) for h in venue.open_hours)
        what = f"is scheduled {entry.span}, outside {venue.name}'s opening hours {ranges}"
    return f"{entry.name} {what}{source_suffix(venue.source)}"
