"""Venue choice (spec rule 2): a scheduled activity uses exactly one of its venues, inside its hours."""

from __future__ import annotations

from planner.solver.variables import MissionModel


def add_venue_choice(built: MissionModel) -> None:
    """Spec rule 2: a scheduled activity uses exactly one of its candidate venues, inside that venue's
    hours."""
    model = built.model
    for placed in built.activities.values():
        activity = placed.activity
        guard = placed.timing_guard
        if len(activity.venues) == 1 and not guard:
            placed.venues = {activity.venues[0]: placed.presence}
            placed.venue_intervals = {activity.venues[0]: placed.interval}
            continue
        if len(activity.venues) == 1:
            literals = {activity.venues[0]: placed.presence}
        else:
            literals = {v: model.new_bool_var(f"venue:{activity.id}:{v}") for v in activity.venues}
            model.add(sum(literals.values()) == placed.presence)
        for venue_id, literal in literals.items():
            domain = placed.venue_domains[venue_id]
            if domain.is_empty():
                model.add(literal == 0).only_enforce_if(guard)
            elif guard or len(activity.venues) > 1:
                model.add_linear_expression_in_domain(placed.start, domain).only_enforce_if([literal, *guard])
            placed.venue_intervals[venue_id] = (
                placed.interval if len(activity.venues) == 1 else
                model.new_optional_fixed_size_interval_var(placed.start, placed.duration, literal,
                                                           f"interval:{activity.id}@{venue_id}"))
        placed.venues = literals

