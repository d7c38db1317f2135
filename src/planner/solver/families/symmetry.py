"""Symmetry breaking (no spec rule: it removes no valid schedule up to renaming interchangeable
activities, so that the search does not visit the same programme under other names)."""

from __future__ import annotations

import itertools
from collections import defaultdict

from planner.domain import Activity
from planner.solver.variables import MissionModel, PlacedActivity


def _interchangeable(activity: Activity) -> tuple:
    """What makes two activities interchangeable in every rule and objective (all but id and title)."""
    return (activity.venues, activity.duration, activity.attendees, activity.optional_attendees,
            activity.kind, activity.fixed, tuple((w.start, w.end) for w in activity.windows), activity.dates,
            activity.priority)


def add_symmetry_breaking(built: MissionModel) -> None:
    """Sound symmetry breaking: of interchangeable activities (same everything but id and title, no `after`
    either way), the earlier in file order is scheduled if the later is, and starts no later."""
    if not built.simplified:
        return  # each statement must stay removable on its own
    referenced = {after.activity for a in built.mission.activities.values() for after in a.after}
    groups: dict[tuple, list[PlacedActivity]] = defaultdict(list)
    for placed in built.activities.values():
        activity = placed.activity
        if activity.after or activity.id in referenced or activity.fixed is not None:
            continue
        groups[_interchangeable(activity)].append(placed)
    broken = 0
    for members in groups.values():
        for earlier, later in itertools.pairwise(members):
            built.model.add_implication(later.presence, earlier.presence)
            built.model.add(earlier.start <= later.start).only_enforce_if(later.presence)
            broken += 1
    built.statistics["symmetries_broken"] = broken
