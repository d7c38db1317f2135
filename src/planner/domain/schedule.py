"""schedule.json — the output contract (`../shared/spec/schedule-format.md`, version 1).

`Schedule` is what the solver returns and what the checker, calendars and itineraries read. Keys beyond
the contract (documented in docs/schedule-format.md) are added, never renamed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from planner.domain.meetings import Meeting, UnscheduledMeeting
from planner.domain.solve_info import MatchingInfo, SolverInfo

FORMAT = "planner-schedule/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True, slots=True)
class ScheduledActivity:
    id: str
    title: str
    kind: str
    venue: str
    start: datetime
    """Aware, in the timezone of the activity's leg."""
    end: datetime
    attendees: tuple[str, ...]
    """Every attending delegate id (groups expanded, optional and rule-added attendees included), sorted."""


@dataclass(frozen=True, slots=True)
class Unscheduled:
    id: str
    reason: str
    """The reason in words, rendered from `code` and `params` by planner.text.left_out."""
    code: str = ""
    """Which reason (docs/schedule-format.md); empty when read from a file that does not say."""
    params: dict[str, Any] = field(default_factory=dict)
    """The reason's parameters, JSON values (ids, names, ISO 8601 local instants, minutes)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    message: str
    """The conflict in words, rendered from `code` and `params` by planner.text.conflicts."""
    activities: tuple[str, ...] = ()
    delegates: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    """Further keys (e.g. `check`, `venues`, `sources`: the statements' file:line:column), written beside the
    contract's."""
    code: str = ""
    """What was found (docs/schedule-format.md); empty when read from a file that does not say."""
    params: dict[str, Any] = field(default_factory=dict)
    """What the message says, as JSON values (ids, names, ISO 8601 local instants, minutes, positions)."""


@dataclass
class Schedule:
    mission: str
    status: str
    objective: int | None = None
    bound: int | None = None
    solve_seconds: float = 0.0
    activities: list[ScheduledActivity] = field(default_factory=list)
    unscheduled: list[Unscheduled] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    objectives: dict[str, int] | None = None
    """Each soft objective's value, by term name (`left_out_priority`, `optional_attendees`,
    `travel_minutes`; a re-plan adds `disruption`); None without a programme."""
    objective_bounds: dict[str, int | None] | None = None
    """The proven bound of each objective, in the same keys (None where none is proved)."""
    objective_gaps: dict[str, float] | None = None
    """Each objective's own gap, where a bound is proved (docs/schedule-format.md)."""
    solver: SolverInfo | None = None
    """How the solver ran: options, the model's size, each stage's figures."""
    matching: MatchingInfo | None = None
    """How the B2B matchmaking went; None when it did not run."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Further keys beyond the contract (e.g. a re-plan's `changes`, `now`, `version`), written after the
    typed ones."""
    meetings: list[Meeting] | None = None
    """B2B meetings (../shared/spec/b2b.md); None when the mission has no B2B sessions or requests."""
    unscheduled_meetings: list[UnscheduledMeeting] = field(default_factory=list)

    @property
    def version(self) -> int:
        """The programme's version: 1 for a solve, one more than its baseline's for each re-plan (the
        planner addition `version` of schedule.json; absent means 1)."""
        value = self.extra.get("version", 1)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else 1

    @property
    def has_programme(self) -> bool:
        return self.status in ("optimal", "feasible")

    def by_id(self) -> dict[str, ScheduledActivity]:
        return {activity.id: activity for activity in self.activities}

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": FORMAT,
            "mission": self.mission,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "solve_seconds": round(self.solve_seconds, 3),
            "activities": [
                {
                    "id": a.id,
                    "title": a.title,
                    "kind": a.kind,
                    "venue": a.venue,
                    "start": a.start.isoformat(),
                    "end": a.end.isoformat(),
                    "attendees": sorted(a.attendees),
                }
                for a in sorted(self.activities, key=lambda a: (a.start, a.id))
            ],
            "unscheduled": [{"id": u.id, "reason": u.reason, **_structured(u.code, u.params)}
                            for u in self.unscheduled],
            "conflicts": [
                {
                    "message": c.message,
                    "activities": list(c.activities),
                    "delegates": list(c.delegates),
                    "rules": list(c.rules),
                    **_structured(c.code, c.params),
                    **c.extra,
                }
                for c in self.conflicts
            ],
        }
        if self.meetings is not None:
            document["meetings"] = [meeting_json(meeting) for meeting in self.meetings]
            document["unscheduled_meetings"] = [
                {"request": entry.request, "with": sorted(entry.participants),
                 "reason": entry.reason_text, "code": entry.reason.code,
                 "params": dict(entry.reason.params)}
                for entry in self.unscheduled_meetings
            ]
        figures = {"objectives": self.objectives, "objective_bounds": self.objective_bounds,
                   "objective_gaps": self.objective_gaps}
        document.update({key: value for key, value in figures.items() if value is not None})
        if self.solver is not None:
            document["solver"] = self.solver.to_json()
        if self.matching is not None:
            document.update(self.matching.to_json())
        document.update(self.extra)
        return document

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"


def _structured(code: str, params: dict[str, Any]) -> dict[str, Any]:
    """`code` and `params` beside a message, when known (docs/schedule-format.md)."""
    return {"code": code, "params": params} if code else {}


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    """One scheduled request in schedule.json: the contract's keys, plus `request` and `slot` (1-based)."""
    return {
        "session": meeting.session,
        "table": meeting.table,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "with": sorted(meeting.participants),
        "request": meeting.request,
        "slot": meeting.slot + 1,
    }
