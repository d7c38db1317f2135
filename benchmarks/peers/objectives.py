"""planner's three soft objectives, measured on any schedule by the same yardstick.

Whatever produced a schedule — planner, the greedy planner, PyJobShop, conference-scheduler — it is judged
here from the schedule alone, in the order of importance of the spec ("What the solver prefers"):

1. left-out priority weight (the sum of `priority` of optional activities not scheduled);
2. optional attendance (the headcount, by `size`, of optional attendees who attend);
3. travel minutes (over all delegates, weighted by `size`, between consecutive activities on one date at
   different venues of one city).

each by the objective term's own `evaluate` (`planner.solver.objectives`: the figures the solver reports
come from the same code), and by `planner.check.check_schedule`, which counts the hard rules it breaks (a
required activity left out is one of them).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.check import check_schedule
from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.solver.objectives import LEFT_OUT_PRIORITY, OPTIONAL_ATTENDEES, TRAVEL_MINUTES


@dataclass(frozen=True)
class Measures:
    left_out_weight: int
    required_left_out: int
    optional_attendance: int
    optional_offered: int
    """The headcount of every optional attendee of every activity: the most objective 2 could reach."""
    travel_minutes: int
    violations: int
    violated_rules: tuple[str, ...]

    def as_row(self) -> dict[str, object]:
        return {
            "left_out_weight": self.left_out_weight,
            "required_left_out": self.required_left_out,
            "optional_attendance": self.optional_attendance,
            "optional_offered": self.optional_offered,
            "travel_minutes": self.travel_minutes,
            "violations": self.violations,
            "violated_rules": ",".join(self.violated_rules),
        }


def measure(mission: Mission, schedule: Schedule) -> Measures:
    """The three objectives and the checker's verdict for one schedule of `mission`."""
    scheduled = {a.id for a in schedule.activities}
    violations = check_schedule(mission, schedule)
    return Measures(
        left_out_weight=LEFT_OUT_PRIORITY.evaluate(mission, schedule),
        required_left_out=sum(1 for a in mission.activities.values() if a.required and a.id not in scheduled),
        optional_attendance=OPTIONAL_ATTENDEES.evaluate(mission, schedule),
        optional_offered=OPTIONAL_ATTENDEES.offered(mission),
        travel_minutes=TRAVEL_MINUTES.evaluate(mission, schedule),
        violations=len(violations),
        violated_rules=tuple(sorted({v.rule for v in violations})),
    )
