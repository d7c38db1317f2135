"""The hard rules of a valid schedule, checked again in plain Python.

`check_schedule` is the referee of the solver: it reads only the `Mission` (planner.domain) and the
`Schedule` (planner.domain.schedule) and shares no code with the CP-SAT model, so that a bug in the model
shows up here as a violation. Each function below checks one family of rules of the spec ("What a valid
schedule satisfies", ../shared/spec/mission-format.md) and says what is wrong in the mission's words:
ids and titles, times in the local time of the leg, and the file:line:column of the statement broken.

The exact semantics decided where the spec is silent are written down in docs/check.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from planner.check.accompany import check_accompany
from planner.check.attendance import check_attendees
from planner.check.b2b import check_b2b
from planner.check.common import PROGRAMME_STATUSES, Placed, Violation, attendance_of, place
from planner.check.listing import check_listing, check_status
from planner.check.lodging import check_lodging
from planner.check.lunch import check_lunch
from planner.check.min_gap import check_min_gap
from planner.check.placement import (
    check_duration,
    check_grain,
    check_leg_dates,
    check_offset,
    check_open_hours,
    check_placement,
    check_venue,
)
from planner.check.timeline import check_after, check_overlap, check_travel, check_unavailable
from planner.check.venues import check_capacity, check_parallel
from planner.domain import Mission
from planner.domain.rules import VERSION_1_KINDS, kind_of
from planner.domain.schedule import Schedule

__all__ = ["PROGRAMME_STATUSES", "Violation", "check_schedule"]


def check_schedule(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Every hard rule of the spec that `schedule` breaks for `mission`; an empty list when it is valid."""
    violations: list[Violation] = []
    violations += check_status(mission, schedule)
    violations += check_listing(mission, schedule)
    placed = place(mission, schedule)
    for check in (
        check_duration, check_grain, check_offset, check_venue, check_placement, check_leg_dates,
        check_open_hours, check_after, check_attendees,
    ):
        violations += check(mission, placed)
    attendance = attendance_of(mission, placed)
    for per_delegate in (check_overlap, check_unavailable, check_travel):
        violations += per_delegate(mission, attendance)
    violations += check_parallel(mission, placed)
    violations += check_capacity(mission, placed)
    violations += check_accompany(mission, placed)
    # The registry's kinds of version 1 (max_per_day) report where they always did, the others after B2B.
    violations += registry_checks(mission, attendance, lambda key: key in VERSION_1_KINDS)
    violations += check_min_gap(mission, attendance)
    violations += check_lunch(mission, attendance)
    violations += check_b2b(mission, schedule)
    violations += registry_checks(mission, attendance, lambda key: key not in VERSION_1_KINDS)
    violations += check_lodging(mission, attendance)
    return violations


def registry_checks(mission: Mission, attendance: Mapping[str, list[Placed]],
                    chosen: Callable[[str], bool]) -> list[Violation]:
    """The violations of the mission's rules whose kinds the registry declares (planner.domain.rules), of
    the `chosen` kinds, in the order of the rules."""
    violations: list[Violation] = []
    for rule in mission.rules:
        kind = kind_of(rule)
        if kind is not None and chosen(kind.key):
            violations += kind.check(mission, rule, attendance)
    return violations
