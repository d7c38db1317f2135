"""Why no programme exists, and why an optional activity was left out (issue 7).

Three entry points, called by `planner.solve.solve`:
- `precheck`: fast checks before solving; a non-empty answer means infeasible without running CP-SAT;
- `diagnose`: after CP-SAT proved infeasibility, a small set of input statements that cannot hold together;
- `unscheduled_reasons`: for each optional activity left out, what it would have displaced or what blocks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.domain import Mission
from planner.precheck import precheck as precheck_mission
from planner.schedule import Conflict, Schedule

if TYPE_CHECKING:
    from planner.solve import SolveOptions


def precheck(mission: Mission) -> list[Conflict]:
    """Impossibilities visible without solving (see `planner.precheck`); empty when none is found."""
    return precheck_mission(mission)


def diagnose(mission: Mission, options: SolveOptions) -> list[Conflict]:
    """The input statements that cannot hold together, once CP-SAT proved that no programme exists."""
    return [Conflict("no programme satisfies every statement of the mission together")]


def unscheduled_reasons(mission: Mission, schedule: Schedule) -> dict[str, str]:
    """A reason for each optional activity that the schedule leaves out, keyed by activity id."""
    scheduled = {activity.id for activity in schedule.activities}
    return {
        activity.id: f"priority {activity.priority}: left out to make room for required and weightier activities"
        for activity in mission.activities.values()
        if not activity.required and activity.id not in scheduled
    }
