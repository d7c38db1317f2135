"""Stretches of time as whole minutes since the Unix epoch, and their algebra (intersect, merge, subtract,
measure): exact across clock changes and legs; turned back into local wall time only for messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.domain import Leg, Window

Span = tuple[int, int]
"""A half-open stretch [start, end) in minutes since the epoch."""


def minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def instant(minute: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(minute * 60, zone)


def intersect(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    result = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                result.append((start, end))
    return merge(result)


def merge(spans: Iterable[Span]) -> list[Span]:
    result: list[Span] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def subtract(spans: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    result = list(spans)
    for hole_start, hole_end in holes:
        pieces = []
        for start, end in result:
            if hole_end <= start or end <= hole_start:
                pieces.append((start, end))
                continue
            if start < hole_start:
                pieces.append((start, hole_start))
            if hole_end < end:
                pieces.append((hole_end, end))
        result = pieces
    return result


def measure(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in merge(spans))


def leg_span(leg: Leg) -> Span:
    first_midnight = leg.local_instant(leg.first_day, 0)
    midnight_after = leg.local_instant(leg.last_day + timedelta(1), 0)
    return minutes(first_midnight), minutes(midnight_after)


def day_span(leg: Leg, day: date, start: int = 0, end: int = 1440) -> Span:
    return minutes(leg.local_instant(day, start)), minutes(leg.local_instant(day, end))


def window_span(window: Window) -> Span:
    return minutes(window.start), minutes(window.end)


def first_start_on_grain(minute: int, grain: int, zone: ZoneInfo) -> int:
    """The first start at or after `minute` lying on the grain (whole multiples after local midnight)."""
    local = instant(minute, zone)
    remainder = (local.hour * 60 + local.minute) % grain
    return minute + (grain - remainder) % grain


def last_start_on_grain(minute: int, grain: int, zone: ZoneInfo) -> int:
    local = instant(minute, zone)
    return minute - (local.hour * 60 + local.minute) % grain
