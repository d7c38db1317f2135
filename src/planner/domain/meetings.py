"""B2B meetings as plain typed data: sessions, participants, requests, and the meeting schedule.

Independent of any file format: the mission loader, the benchmark's event generator and the tests build
these objects directly. Conventions (contract: ../shared/spec/b2b.md):
- instants are timezone-aware `datetime`s; a session's slots run back to back from its start, each
  `slot` minutes long, as many as fit before its end;
- a participant is a delegate or a counterpart; `sessions=None` means every session;
- a request's `priority` is `REQUIRED` (None) or a weight 1–1000;
- slots are numbered from 0 inside a session, tables from 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from planner.domain.source import UNKNOWN_SOURCE, Source
from planner.domain.time import Window

REQUIRED = None
"""`Request.priority` of a request that must be scheduled."""

ParticipantKind = Literal["delegate", "counterpart"]


# --- as the mission file writes them (the loader builds these; ../shared/spec/b2b.md) ---------------------


@dataclass(frozen=True, slots=True)
class Counterpart:
    """Someone met in B2B sessions who is not a delegate (no itinerary of the programme, a meeting list)."""

    id: str
    name: str
    organisation: str | None = None
    email: str | None = None
    size: int = 1
    unavailable: tuple[Window, ...] = ()
    sessions: tuple[str, ...] | None = None
    """The B2B sessions (activity ids) they come to; None: every session."""
    source: Source = UNKNOWN_SOURCE
    language: str | None = None
    """What they read (one of `LANGUAGES`); None: the mission's language."""


@dataclass(frozen=True, slots=True)
class SessionSetting:
    """An activity's `meetings: {slot, tables}`: it is a B2B session of back-to-back slots."""

    slot: int
    """Minutes of one meeting; divides the activity's duration."""
    tables: int
    source: Source = UNKNOWN_SOURCE


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """One entry of the top-level `meetings`: its participants meet once, in a slot of a session."""

    id: str
    """`meeting-<n>`, n its 1-based position in the file."""
    refs: tuple[str, ...]
    """`with` as written (delegate, group and counterpart ids)."""
    participants: tuple[str, ...]
    """Groups expanded; delegate and counterpart ids, sorted."""
    priority: int | None = 1
    sessions: tuple[str, ...] | None = None
    """Sessions (activity ids) it may go to; None: any session all of them attend."""
    source: Source = UNKNOWN_SOURCE

    @property
    def required(self) -> bool:
        return self.priority is None


# --- the matchmaking's own input and output, independent of any file format ---------------------------------


@dataclass(frozen=True, slots=True)
class Session:
    """A B2B session: a room with `tables` tables, open from `start` to `end` in slots of `slot` minutes."""

    id: str
    start: datetime
    end: datetime
    slot: int
    tables: int
    title: str = ""

    @property
    def slots(self) -> int:
        """How many whole slots fit between start and end."""
        return int((self.end - self.start).total_seconds() // 60) // self.slot

    def slot_start(self, index: int) -> datetime:
        return self.start + timedelta(minutes=self.slot * index)

    def slot_end(self, index: int) -> datetime:
        return self.start + timedelta(minutes=self.slot * (index + 1))


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone met or meeting in B2B sessions: a delegate (company of the delegation) or a counterpart."""

    id: str
    kind: ParticipantKind = "delegate"
    name: str = ""
    size: int = 1
    sessions: frozenset[str] | None = None
    """The sessions they attend (delegates) or come to (counterparts); None: every session."""
    unavailable: tuple[tuple[datetime, datetime], ...] = ()
    """Half-open windows [start, end) when they cannot meet anyone."""

    def attends(self, session_id: str) -> bool:
        return self.sessions is None or session_id in self.sessions

    def free(self, start: datetime, end: datetime) -> bool:
        """True when [start, end) meets none of the unavailable windows."""
        return all(
            not (start < window_end and window_start < end) for window_start, window_end in self.unavailable
        )


@dataclass(frozen=True, slots=True)
class Request:
    """One meeting wished for: its participants meet together once, in one slot of one allowed session."""

    id: str
    participants: tuple[str, ...]
    priority: int | None = 1
    sessions: frozenset[str] | None = None
    """The sessions it may go to; None: any session all its participants attend."""
    where: str = ""
    """Where the request is written (file:line:column), for messages; empty when generated."""

    @property
    def required(self) -> bool:
        return self.priority is REQUIRED


@dataclass(frozen=True, slots=True)
class Brokerage:
    """Everything the matchmaking needs: the sessions (already placed in time), who comes, who asks whom."""

    sessions: tuple[Session, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]

    def session(self, session_id: str) -> Session:
        return next(session for session in self.sessions if session.id == session_id)

    def participant(self, participant_id: str) -> Participant:
        return next(participant for participant in self.participants if participant.id == participant_id)


@dataclass(frozen=True, slots=True)
class Meeting:
    """A scheduled request: slot `slot` (0-based) of `session`, at table `table` (1-based)."""

    request: str
    session: str
    slot: int
    table: int
    participants: tuple[str, ...]
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a request is not scheduled: a stable `code` and its parameters (ids), rendered by `text`."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str:
        return dict(self.params)[name]


@dataclass(frozen=True, slots=True)
class UnscheduledMeeting:
    request: str
    participants: tuple[str, ...]
    reason: Reason
    message: str = ""
    """The reason in words (set by the pipeline from `planner.text.meetings`; empty: not rendered)."""

    @property
    def reason_text(self) -> str:
        """The reason as schedule.json writes it: in words, or its bare code when it was never rendered
        (the workbook says what schedule.json says)."""
        return self.message or self.reason.code


@dataclass(frozen=True)
class MeetingSchedule:
    """The matchmaking's answer. `status` is `optimal` only when every objective is proved optimal,
    `infeasible` only when a required request is proved impossible, `feasible` otherwise when every
    required request is scheduled, `unknown` when a required request is left out unproved."""

    status: str
    meetings: tuple[Meeting, ...]
    unscheduled: tuple[UnscheduledMeeting, ...]
    objectives: dict[str, int] = field(default_factory=dict)
    """Each objective term's value on this schedule, in the contract's order."""
    priority_bound: int | None = None
    """An upper bound on the schedulable priority of the optional requests (None: not computed)."""
    statistics: dict[str, float] = field(default_factory=dict)


def request_number(request_id: str) -> int:
    """The position a `meeting-<n>` id gives its request in the file (others after every such id)."""
    head, _, number = request_id.rpartition("-")
    return int(number) if head == "meeting" and number.isdigit() else 1 << 30


AskedFor = TypeVar("AskedFor", MeetingRequest, Request)


def requests_of(meetings: Iterable[Meeting], requests: Iterable[AskedFor],
                frozen_before: datetime | None = None) -> dict[int, AskedFor]:
    """Each meeting (by its index in `meetings`) → the request of `requests` it answers, found by who meets,
    not by the id: a request's id is its position in the file (`meeting-<n>`), which removing a request above
    it changes. The k-th meeting of the same people (in the order of their requests) answers their k-th
    request, the meetings starting before `frozen_before` first (they took place: when the people now ask
    for fewer meetings, those are the ones kept); a meeting whose people no longer ask for it is left out."""
    asked: dict[tuple[str, ...], list[AskedFor]] = {}
    for request in requests:
        asked.setdefault(tuple(sorted(request.participants)), []).append(request)
    answered: dict[int, AskedFor] = {}
    taken: dict[tuple[str, ...], int] = {}
    def order(item: tuple[int, Meeting]) -> tuple[bool, int, str]:
        meeting = item[1]
        frozen = frozen_before is not None and meeting.start < frozen_before
        return not frozen, request_number(meeting.request), meeting.request

    ordered = sorted(enumerate(meetings), key=order)
    for index, meeting in ordered:
        people = tuple(sorted(meeting.participants))
        count = taken.get(people, 0)
        if count < len(asked.get(people, ())):
            answered[index] = asked[people][count]
        taken[people] = count + 1
    return answered
