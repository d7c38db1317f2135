"""Re-planning as a mission: the updated mission with the frozen past and the notice period written in.

`shared/spec/replan.md`: every baseline activity that starts before `now + notice` (the *cut-off*) keeps
its start, end, venue and attendees; every other activity starts at or after the cut-off; a `pinned`
activity keeps its baseline start. All three are said here in the mission's own terms, so that the model,
the pre-checks, the diagnosis of a conflict and the checker read them as any other statement:

- a frozen activity becomes a required activity `fixed` at its baseline start, at its baseline venue, with
  its baseline attendees only (those who came as optional attendees stay optional, and the model's frozen
  past keeps them), its baseline duration and no `after` of its own (what already happened is not
  re-checked against the order of things);
- every other activity's timing is cut at the cut-off (its windows, or its dates' working days written as
  windows from the cut-off on);
- a pinned activity of the baseline is `fixed` at its baseline start.

Where the updated mission contradicts what is frozen (the activity was removed from the file, a delegate is
now unavailable then, a required attendee was added, another venue or duration was written), the frozen
activity stays as it was and a warning names both; a delegate's unavailability is lifted for the frozen
activity they attended. B2B meetings before the cut-off are kept in the same way
(planner.domain.replan_meetings). A frozen activity whose venue or attendees the mission no longer has at
all is an input error: the mission must keep what already happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from planner.domain.errors import InputError, InputErrors
from planner.domain.mission import Activity, Delegate, Mission, Source, Window
from planner.domain.replan_meetings import KEPT, frozen_meetings, moment
from planner.domain.schedule import Schedule, ScheduledActivity

PINNED = "pinned at its baseline time"


@dataclass(frozen=True)
class Replan:
    """The updated mission as re-planning solves it, and what was frozen or pinned on the way."""

    mission: Mission
    """The effective mission: the updated one with the frozen past, the cut-off and the pins written in."""
    updated: Mission
    """The updated mission as loaded from its file."""
    baseline: Schedule
    now: datetime
    cutoff: datetime
    """`now + notice`: baseline activities starting before it are frozen; nothing else starts before it."""
    frozen: dict[str, ScheduledActivity] = field(default_factory=dict)
    pinned: dict[str, datetime] = field(default_factory=dict)
    """Activity id → the baseline start it keeps (frozen activities excluded)."""
    warnings: list[InputError] = field(default_factory=list)
    """What the mission file says that the re-plan did not apply (the change report lists them)."""
    renamed: list[InputError] = field(default_factory=list)
    """New activities that look like a baseline activity under another id (a typo read as a replacement)."""

    def note(self, activity_id: str) -> str | None:
        """Why an activity is as it is, for a conflict naming it: kept from the baseline, or pinned."""
        if activity_id in self.frozen:
            return KEPT
        if activity_id in self.pinned:
            return PINNED
        return None


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def check_baseline(mission: Mission, baseline: Schedule, locate: Callable[[str | None], Source]) -> None:
    """The baseline is a programme of this mission; otherwise `InputErrors` (exit status 2)."""
    if baseline.mission != mission.name:
        raise InputErrors([InputError(locate('"mission"'), (
            f"the baseline is a schedule of {baseline.mission!r}, not of {mission.name!r}: give the "
            "schedule.json that planner solve (or an earlier replan) wrote for this mission"))])
    if not baseline.has_programme:
        raise InputErrors([InputError(locate('"status"'), (
            f"the baseline holds no programme (status {baseline.status}): give a schedule.json with one"))])
    if baseline.activities and not any(a.id in mission.activities for a in baseline.activities):
        raise InputErrors([InputError(locate('"activities"'), (
            "none of the baseline's activities is in the mission: give the baseline of this mission"))])


def check_now(mission: Mission, now: datetime, source: Source) -> None:
    """`now` lies within the mission's dates; otherwise `InputErrors`."""
    first, last = mission.legs[0], mission.legs[-1]
    start = first.local_instant(first.first_day, 0)
    end = last.local_instant(last.last_day, 24 * 60)
    if not start <= now <= end:
        raise InputErrors([InputError(source, (
            f"{now.isoformat()} is outside the mission's dates ({first.first_day} to {last.last_day}): give "
            f"an instant within them, e.g. \"{first.first_day} 12:00\""))])


def resolve_replan(updated: Mission, baseline: Schedule, now: datetime, notice: int,
                   locate: Callable[[str | None], Source]) -> Replan:
    """The effective mission of re-planning `updated` from `baseline` at `now` with `notice` minutes.

    `locate(text)` gives the position of `text` in the baseline file (for errors and warnings).
    """
    check_baseline(updated, baseline, locate)
    cutoff = now + timedelta(minutes=notice)
    frozen = {a.id: a for a in baseline.activities if a.start < cutoff}
    _check_frozen_ids(updated, frozen, locate)
    warnings: list[InputError] = []
    activities: dict[str, Activity] = {}
    pinned: dict[str, datetime] = {}
    baseline_by_id = baseline.by_id()
    for activity in updated.activities.values():
        if activity.id in frozen:
            warnings += _contradictions(updated, activity, frozen[activity.id], now)
            activities[activity.id] = _frozen_activity(activity, frozen[activity.id])
        elif activity.pinned and activity.id in baseline_by_id:
            start = baseline_by_id[activity.id].start
            pinned[activity.id] = start
            # Pinned: announced at that time, so scheduled at it (required) or a conflict names it.
            activities[activity.id] = replace(activity, fixed=start, windows=(), dates=(), priority=None)
        else:
            activities[activity.id] = _from_cutoff(updated, activity, cutoff)
    for activity_id, kept in frozen.items():
        if activity_id not in updated.activities:
            warnings.append(InputError(locate(f'"{activity_id}"'), (
                f"activity {activity_id!r} ({kept.title}, {moment(kept.start)}) is no longer in the mission "
                f"file, but it starts before now + notice: it is {KEPT}")))
            activities[activity_id] = _frozen_activity(None, kept, locate(f'"{activity_id}"'))
    delegates, lifted = _lift_unavailability(updated, frozen)
    warnings += lifted
    meetings = frozen_meetings(updated, tuple(baseline.meetings or ()), cutoff, locate)
    warnings += meetings.warnings
    effective = replace(updated, activities=activities, delegates=delegates,
                        meeting_requests=meetings.requests, counterparts=meetings.counterparts)
    return Replan(effective, updated, baseline, now, cutoff, frozen, pinned, warnings,
                  _look_renamed(updated, baseline, frozen))


RENAMED_ID_SIMILARITY = 0.8
"""difflib's ratio from which a new id reads as a baseline id mistyped: `sign-odo` for `sign-odoo` (0.94),
not `visit-stanford` for `visit-google`."""


def _look_renamed(updated: Mission, baseline: Schedule,
                  frozen: dict[str, ScheduledActivity]) -> list[InputError]:
    """A baseline activity missing from the file and a new one with its title or a close id: re-planning
    reads them as a removal and an addition, so every attendee would be told of a cancellation and of a new
    event, which a mistyped id does not deserve. A warning, since replacing an activity is legitimate."""
    # A frozen activity is kept whatever the file says, so a new id beside it is a new activity indeed.
    gone = [a for a in baseline.activities if a.id not in updated.activities and a.id not in frozen]
    known = set(baseline.by_id())
    new = [a for a in updated.activities.values() if a.id not in known]
    found = []
    for activity in new:
        likely = max(gone, key=lambda old: _likeness(old, activity), default=None)
        if likely is None or _likeness(likely, activity) < RENAMED_ID_SIMILARITY:
            continue
        gone.remove(likely)
        found.append(InputError(activity.source, (
            f"activity {activity.id!r} ({activity.title}) is new, and activity {likely.id!r} of the baseline "
            f"({likely.title}, {moment(likely.start)}) is no longer in the mission file: the re-plan takes "
            f"them for two activities, and attendees will be told of a cancellation and of a new activity. "
            f"If it is the same activity, write its old id {likely.id!r} again; if it replaces it, nothing "
            "to do")))
    return found


def _likeness(old: ScheduledActivity, new: Activity) -> float:
    """How much `new` looks like `old` under another id: above any id's similarity for the same title."""
    if old.title.strip().casefold() == new.title.strip().casefold():
        return 2.0
    return SequenceMatcher(None, old.id, new.id).ratio()


def _check_frozen_ids(mission: Mission, frozen: dict[str, ScheduledActivity],
                      locate: Callable[[str | None], Source]) -> None:
    errors = []
    for kept in frozen.values():
        if kept.venue not in mission.venues:
            errors.append(InputError(locate(f'"{kept.venue}"'), (
                f"activity {kept.id!r} took place at venue {kept.venue!r} before now + notice, and the "
                f"mission no longer has that venue: keep venue {kept.venue!r} in the mission file")))
        missing = [d for d in kept.attendees if d not in mission.delegates]
        if missing:
            errors.append(InputError(locate(f'"{kept.id}"'), (
                f"activity {kept.id!r} before now + notice was attended by {', '.join(missing)}, whom the "
                "mission no longer has: keep them in the mission file")))
    if errors:
        raise InputErrors(errors)


def _frozen_activity(activity: Activity | None, kept: ScheduledActivity,
                     source: Source | None = None) -> Activity:
    """The activity as it is kept: fixed at its baseline start, venue and attendees, required."""
    attendees = tuple(sorted(kept.attendees))
    duration = _minutes(kept.end - kept.start)
    if activity is None:
        return Activity(id=kept.id, title=kept.title, venues=(kept.venue,), duration=duration,
                        attendees=attendees, attendee_refs=attendees, kind=kept.kind, fixed=kept.start,
                        source=source or Source("<baseline>", 1, 1))
    # Who came as an optional attendee stays optional (the preference for optional attendees still counts
    # them, fixed by the model's frozen past); everyone else who came is required.
    optional = tuple(d for d in attendees if d in activity.optional_attendees)
    required = tuple(d for d in attendees if d not in optional)
    return replace(activity, venues=(kept.venue,), duration=duration, attendees=required,
                   attendee_refs=required, optional_attendees=optional, optional_attendee_refs=optional,
                   fixed=kept.start, windows=(), dates=(), after=(), priority=None)


def _contradictions(mission: Mission, activity: Activity, kept: ScheduledActivity,
                    now: datetime) -> list[InputError]:
    """What the updated mission says of a frozen activity that the baseline contradicts (warnings): one
    that began before `now` took place so; one within the notice was announced so."""
    found = []
    where = f"activity '{activity.title}' ({activity.id}, {moment(kept.start)}, {KEPT})"
    past = kept.start < now

    def warn(message: str) -> None:
        found.append(InputError(activity.source, f"{where}: {message}"))

    added = [d for d in activity.attendees if d not in kept.attendees]
    if added:
        who = "did not attend" if past else "were not invited (it starts within the notice)"
        warn(f"the mission file now requires {', '.join(added)}, who {who}; it stays without them")
    if kept.venue not in activity.venues:
        venue = mission.venues.get(kept.venue)
        named = f"'{venue.name}' ({kept.venue})" if venue is not None else repr(kept.venue)
        how = "it took place at" if past else "it was announced at"
        warn(f"{how} {named}, no longer among its venues; it stays there")
    if _minutes(kept.end - kept.start) != activity.duration:
        warn(f"the mission file now says {activity.duration} minutes; it keeps its "
             f"{_minutes(kept.end - kept.start)} minutes")
    if activity.fixed is not None and activity.fixed != kept.start:
        warn(f"the mission file now fixes it at {moment(activity.fixed)}; it stays at {moment(kept.start)}")
    return found


def _lift_unavailability(mission: Mission, frozen: dict[str, ScheduledActivity]
                         ) -> tuple[dict[str, Delegate], list[InputError]]:
    """Each delegate's unavailability, less the frozen activities they attend (with a warning for each)."""
    delegates = dict(mission.delegates)
    warnings = []
    for delegate_id, delegate in mission.delegates.items():
        kept = [a for a in frozen.values() if delegate_id in a.attendees]
        if not kept or not delegate.unavailable:
            continue
        windows: list[Window] = []
        for window in delegate.unavailable:
            pieces = [window]
            for activity in sorted(kept, key=lambda a: a.start):
                if not window.overlaps(activity.start, activity.end):
                    continue
                warnings.append(InputError(window.source, (
                    f"{delegate.name} ({delegate_id}) is now unavailable during activity {activity.id!r} "
                    f"({activity.title}, {moment(activity.start)}), which they attend and which is {KEPT}: "
                    "it stays")))
                pieces = [p for piece in pieces for p in piece.without(activity.start, activity.end)]
            windows.extend(pieces)
        delegates[delegate_id] = replace(delegate, unavailable=tuple(windows))
    return delegates, warnings


def _from_cutoff(mission: Mission, activity: Activity, cutoff: datetime) -> Activity:
    """The activity with its timing cut at the cut-off: nothing moves into the frozen period."""
    leg = mission.leg_of_activity(activity.id)
    if leg.local_instant(leg.last_day, 24 * 60) <= cutoff:
        return replace(activity, fixed=None, windows=(Window(cutoff, cutoff),), dates=())
    if activity.fixed is not None:
        if activity.fixed >= cutoff:
            return activity
        # Fixed before the cut-off and not in the baseline's frozen part: no start is left to it.
        return replace(activity, fixed=None, windows=(Window(cutoff, cutoff, activity.source),))
    if activity.windows:
        windows = tuple(Window(max(w.start, cutoff), w.end, w.source)
                        for w in activity.windows if w.end > cutoff)
        if activity.dates:
            # Windows and dates together: the windows, on the listed dates (the working day does not apply).
            windows = tuple(piece for w in windows for day in activity.dates if leg.contains(day)
                            for piece in _clip(w, leg.local_instant(day, 0), leg.local_instant(day, 24 * 60)))
            return replace(activity, windows=windows or (Window(cutoff, cutoff, activity.source),), dates=())
        return replace(activity, windows=windows or (Window(cutoff, cutoff, activity.source),))
    days = activity.dates or tuple(leg.days())
    if leg.local_instant(days[0], mission.day.start) >= cutoff:
        return activity
    windows = tuple(Window(max(leg.local_instant(day, mission.day.start), cutoff),
                           leg.local_instant(day, mission.day.end), activity.source)
                    for day in days if leg.contains(day) and leg.local_instant(day, mission.day.end) > cutoff)
    return replace(activity, windows=windows or (Window(cutoff, cutoff, activity.source),), dates=())


def _clip(window: Window, start: datetime, end: datetime) -> list[Window]:
    low, high = max(window.start, start), min(window.end, end)
    return [Window(low, high, window.source)] if low < high else []
