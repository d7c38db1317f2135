"""The `after` constraint (spec rule 3): an activity starts at least `gap` after each scheduled activity
of its `after` ends."""

from __future__ import annotations

from planner.solver.variables import MissionModel


def add_after(built: MissionModel) -> None:
    """Spec rule 3: an activity starts at least `gap` after each scheduled activity of its `after` ends."""
    for placed in built.activities.values():
        for after in placed.activity.after:
            before = built.activities[after.activity]
            guard = built.statement("after", (placed.activity.id, after.activity), after.source)
            built.model.add(placed.start >= before.end + built.axis.units_up(after.gap)).only_enforce_if(
                [placed.presence, before.presence, *guard])
