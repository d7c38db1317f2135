"""Small brokerages built by hand for the B2B tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.domain.meetings import Brokerage, Participant, Request, Session

ZONE = ZoneInfo("America/Los_Angeles")
DAY = datetime(2025, 10, 7, 9, 0, tzinfo=ZONE)


def session(
    name: str = "s1", slots: int = 4, tables: int = 10, slot: int = 20, start: datetime = DAY
) -> Session:
    return Session(name, start, start + timedelta(minutes=slot * slots), slot, tables)


def delegate(name: str, **details) -> Participant:
    return Participant(name, "delegate", **details)


def counterpart(name: str, **details) -> Participant:
    return Participant(name, "counterpart", **details)


def request(
    name: str, *participants: str, priority: int | None = 1, sessions: set[str] | None = None
) -> Request:
    return Request(name, tuple(participants), priority, frozenset(sessions) if sessions is not None else None)


def brokerage(sessions, participants, requests) -> Brokerage:
    return Brokerage(tuple(sessions), tuple(participants), tuple(requests))


def at(slot: int, slot_length: int = 20, start: datetime = DAY) -> datetime:
    return start + timedelta(minutes=slot_length * slot)
