"""Each activity on its own (rule 2): duration, grain, offsets, venue, placement, leg dates, open hours."""

from __future__ import annotations

from datetime import timedelta

from planner.check.common import (
    Placed,
    Violation,
    dates_touched,
    inside_daily,
    start_days,
    utc,
    venue_ref,
    whole_minutes,
)
from planner.domain import Mission, Venue


def check_duration(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity lasts exactly its `duration` (elapsed minutes, from start to end)."""
    violations = []
    for entry in placed:
        lasts = entry.end - entry.start
        if lasts != timedelta(minutes=entry.activity.duration):
            params = {"activity": entry.ref, "lasts": whole_minutes(lasts), "span": entry.span,
                      "duration": entry.activity.duration}
            violations.append(Violation("duration", params, (entry.activity.source,), (entry.id,)))
    return violations


def check_grain(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2 and Scalars: start and end lie a whole multiple of `grain` minutes after local midnight."""
    violations = []
    for entry in placed:
        for word, instant in (("starts", entry.start), ("ends", entry.end)):
            local = entry.local(instant)
            off_the_minute = bool(local.second or local.microsecond)
            if off_the_minute or (local.hour * 60 + local.minute) % mission.grain:
                params = {"activity": entry.ref, "word": word, "instant": local, "grain": mission.grain}
                violations.append(Violation("grain", params, (mission.source,), (entry.id,)))
    return violations


def check_offset(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """schedule-format.md: `start` and `end` carry the UTC offset of their leg's zone at that instant."""
    violations = []
    for entry in placed:
        for word, written, instant in (("start", entry.scheduled.start, entry.start),
                                       ("end", entry.scheduled.end, entry.end)):
            local = entry.local(instant)
            if written.tzinfo is None or written.utcoffset() != local.utcoffset():
                params = {"activity": entry.ref, "word": word, "written": written, "city": entry.leg.city,
                          "local": local}
                violations.append(Violation("offset", params, (entry.leg.source,), (entry.id,)))
    return violations


def check_venue(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity uses one of its candidate venues."""
    violations = []
    for entry in placed:
        if entry.venue not in entry.activity.venues:
            params = {"activity": entry.ref, "venue": entry.venue, "known": entry.venue in mission.venues,
                      "venues": entry.activity.venues}
            violations.append(Violation("venue", params, (entry.activity.source,), (entry.id,)))
    return violations


def check_placement(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: the activity lies where its `fixed` / `windows` / `dates` / leg's working day put it."""
    violations = []
    day = mission.day
    for entry in placed:
        activity, span, leg = entry.activity, entry.span, entry.leg
        failures: list[dict[str, object]] = []
        if activity.fixed is not None and entry.start != utc(activity.fixed):
            failures.append({"case": "fixed", "start": entry.local(entry.start),
                             "fixed": entry.local(activity.fixed)})
        if activity.windows and not any(
            utc(w.start) <= entry.start and entry.end <= utc(w.end) for w in activity.windows
        ):
            windows = [(entry.local(w.start), entry.local(w.end)) for w in activity.windows]
            failures.append({"case": "windows", "span": span, "windows": windows})
        if activity.dates:
            if activity.fixed is not None or activity.windows:
                # The working day does not apply to a fixed start or windows; the dates still do.
                outside = [d for d in dates_touched(entry) if d not in activity.dates]
                if outside:
                    failures.append({"case": "dates", "span": span, "outside": outside,
                                     "dates": activity.dates})
            elif not inside_daily(entry, day, activity.dates):
                failures.append({"case": "working-day-of-dates", "span": span, "day": day,
                                 "dates": activity.dates})
        elif activity.fixed is None and not activity.windows and not inside_daily(entry, day, leg.days()):
            failures.append({"case": "working-day-of-leg", "span": span, "day": day, "city": leg.city,
                             "first_day": leg.first_day, "last_day": leg.last_day})
        for failure in failures:
            violations.append(Violation("placement", {"activity": entry.ref, **failure}, (activity.source,),
                                        (activity.id,)))
    return violations


def check_leg_dates(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: every date an activity touches belongs to the leg of its venue's city."""
    violations = []
    for entry in placed:
        leg = entry.leg
        outside = [d for d in dates_touched(entry) if not leg.contains(d)]
        if outside:
            params = {"activity": entry.ref, "span": entry.span, "outside": outside, "city": leg.city,
                      "first_day": leg.first_day, "last_day": leg.last_day}
            violations.append(Violation("leg", params, (leg.source,), (entry.id,)))
    return violations


def check_open_hours(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2: an activity lies inside one of its venue's `open` ranges (of one day) where those are given."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or not venue.open_hours:
            continue
        if not any(inside_daily(entry, hours, start_days(entry)) for hours in venue.open_hours):
            params = _open_hours_params(mission, entry, venue)
            violations.append(Violation("open-hours", params, (venue.source,), (entry.id,)))
    return violations


def _open_hours_params(mission: Mission, entry: Placed, venue: Venue) -> dict[str, object]:
    """'starts … before X opens at …' or '… after X closes at …' for one range; otherwise all ranges."""
    local_start = entry.local(entry.start)
    minute = local_start.hour * 60 + local_start.minute
    params: dict[str, object] = {"activity": entry.ref, "venue": venue_ref(mission, venue.id)}
    if len(venue.open_hours) == 1:
        hours = venue.open_hours[0]
        if minute < hours.start:
            return {**params, "case": "before-opening", "start": local_start, "opens": hours.start}
        if minute < hours.end:
            return {**params, "case": "ends-after-closing", "end": entry.local(entry.end),
                    "closes": hours.end % 1440}
        return {**params, "case": "starts-after-closing", "start": local_start, "closes": hours.end % 1440}
    return {**params, "case": "hours", "span": entry.span, "hours": venue.open_hours}
