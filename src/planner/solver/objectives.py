"""The objectives of a mission's model (spec "What the solver prefers"): 1. priority weight left out,
2. optional attendees' headcount not brought — `objective_placement`; 3. travel — `planner.solver.sequencing`.
"""

from __future__ import annotations

from ortools.sat.python.cp_model import LinearExpr

from planner.solver.variables import MissionModel


def objective_placement(built: MissionModel) -> None:
    """Soft 1 and 2: left-out priority weight, optional attendees' headcount brought."""
    mission = built.mission
    built.left_out_weight = sum(
        (a.priority or 0) * (1 - built.activities[a.id].presence) for a in mission.activities.values()
        if not a.required)
    terms = []
    for activity in mission.activities.values():
        for delegate_id in activity.optional_attendees:
            size = mission.delegates[delegate_id].size
            built.optional_headcount += size
            terms.append(size * built.attendance[(activity.id, delegate_id)])
    built.brought = sum(terms)


def placement_weight(built: MissionModel) -> int:
    """The weight of objective 1 against objective 2: one unit of 1 outweighs all of 2."""
    return built.optional_headcount + 1


def placement_objective(built: MissionModel) -> LinearExpr:
    """Soft 1 and 2 as one expression to minimise (lexicographic by the weight above)."""
    return placement_weight(built) * built.left_out_weight + (built.optional_headcount - built.brought)
