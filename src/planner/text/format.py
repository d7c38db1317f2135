"""Formatting of durations (and, to come, clocks and dates) for people: one place each."""

from __future__ import annotations


def format_duration(minutes: int) -> str:
    """`90` → `1h30m`: the form a person writes in a mission file."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"
