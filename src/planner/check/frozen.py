"""The rules of a re-plan (`shared/spec/replan.md`), checked from the baseline and the new schedule alone.

Shares no code with the model nor with `planner.domain.replan`, which writes these rules into the mission
the solver reads: a re-plan that moved something frozen, or put something new into the frozen period,
shows up here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from planner.check.common import Violation
from planner.domain import Mission
from planner.domain.schedule import Schedule, ScheduledActivity


def _shown(activity: ScheduledActivity, instant: datetime) -> str:
    local = instant.astimezone(activity.start.tzinfo)
    return f"{local:%a %d %b %H:%M}"


def check_frozen_past(baseline: Schedule, schedule: Schedule, cutoff: datetime) -> list[Violation]:
    """Re-planning rule 1: each baseline activity starting before now + notice keeps its start, end, venue
    and attendees."""
    violations = []
    new = {a.id: a for a in schedule.activities}
    for kept in baseline.activities:
        if kept.start.astimezone(UTC) >= cutoff.astimezone(UTC):
            continue
        now = new.get(kept.id)
        name = f"'{kept.id}' ({kept.title})"
        if now is None:
            violations.append(Violation("frozen", f"{name} started before now + notice "
                                                  f"({_shown(kept, kept.start)}) and is missing", (kept.id,)))
            continue
        differences = []
        if now.start.astimezone(UTC) != kept.start.astimezone(UTC):
            differences.append(f"start {_shown(kept, kept.start)} → {_shown(kept, now.start)}")
        if now.end.astimezone(UTC) != kept.end.astimezone(UTC):
            differences.append(f"end {_shown(kept, kept.end)} → {_shown(kept, now.end)}")
        if now.venue != kept.venue:
            differences.append(f"venue {kept.venue} → {now.venue}")
        joined = sorted(set(now.attendees) - set(kept.attendees))
        left = sorted(set(kept.attendees) - set(now.attendees))
        if joined:
            differences.append(f"{', '.join(joined)} joined")
        if left:
            differences.append(f"{', '.join(left)} left")
        if differences:
            violations.append(Violation(
                "frozen", f"{name} started before now + notice and changed: {'; '.join(differences)}",
                (kept.id,), tuple(joined + left)))
    return violations


def check_nothing_into_frozen_period(baseline: Schedule, schedule: Schedule, cutoff: datetime) -> list[Violation]:
    """Re-planning rule 2: every scheduled activity not frozen starts at or after now + notice."""
    frozen = {a.id for a in baseline.activities if a.start.astimezone(UTC) < cutoff.astimezone(UTC)}
    return [
        Violation("frozen-period", f"'{a.id}' ({a.title}) starts at {_shown(a, a.start)}, before now + notice "
                                   f"({_shown(a, cutoff)}), and was not there in the baseline", (a.id,))
        for a in schedule.activities
        if a.id not in frozen and a.start.astimezone(UTC) < cutoff.astimezone(UTC)
    ]


def check_pinned(mission: Mission, baseline: Schedule, schedule: Schedule) -> list[Violation]:
    """`pinned: true`: an activity of the baseline that is pinned keeps its baseline start."""
    new = {a.id: a for a in schedule.activities}
    violations = []
    for kept in baseline.activities:
        activity = mission.activities.get(kept.id)
        if activity is None or not activity.pinned:
            continue
        now = new.get(kept.id)
        if now is None:
            violations.append(Violation("pinned", f"'{kept.id}' is pinned at {_shown(kept, kept.start)} and is "
                                                  "no longer scheduled", (kept.id,)))
        elif now.start.astimezone(UTC) != kept.start.astimezone(UTC):
            violations.append(Violation("pinned", f"'{kept.id}' is pinned at {_shown(kept, kept.start)} and "
                                                  f"starts at {_shown(kept, now.start)}", (kept.id,)))
    return violations


def check_replan(mission: Mission, baseline: Schedule, schedule: Schedule, cutoff: datetime) -> list[Violation]:
    """Every rule of re-planning `schedule` breaks (beside the mission's own: `check_schedule`)."""
    return (check_frozen_past(baseline, schedule, cutoff)
            + check_nothing_into_frozen_period(baseline, schedule, cutoff)
            + check_pinned(mission, baseline, schedule))
