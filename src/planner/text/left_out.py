"""Why an optional activity was left out, in English: a reason's code and parameters → its sentence.

`planner.diagnosis.reasons` works out the reason as plain data (see planner.text.conflict_phrases for the
values); the words live here. Every reason starts with the activity's priority. Codes: `left-out` (the
solver's, before the diagnosis looked), `never` (a pre-check shows it can never take place: the conflict
rides along), `no-slot`, `looks-free` (a slot that looks free: not proved, or a combination of rules),
`blocked` (every slot clashes with the programme: the few blockers that cover them all) and `unexplained`.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.domain.rules import rule_kinds
from planner.text.conflict_phrases import (
    Params,
    daily_range,
    duration_text,
    join_and,
    plus_gap,
    span_text,
    when,
)
from planner.text.conflicts import conflict_message
from planner.text.format import format_clock


def _blocker(blocker: Params) -> str:
    """What stops the activity at some of its slots."""
    case = blocker["case"]
    if case == "activity":
        return f"{blocker['delegate']} being at '{blocker['title']}' {span_text(blocker['span'])}"
    if case == "gap":
        return (f"the {blocker['gap']} min protocol gap of {blocker['delegate']} around '{blocker['title']}' "
                f"(rule {blocker['rule']})")
    if case == "unavailable":
        return f"{blocker['delegate']} being unavailable {span_text(blocker['span'])} ({blocker['source']})"
    if case == "lunch":
        return (f"{blocker['delegate']}'s {duration_text(blocker['duration'])} lunch break off the road "
                f"within {daily_range(blocker['between'])} on {blocker['day']} "
                f"(rule {blocker['rule']}, {blocker['source']})")
    if case == "rule-kind":
        blocked_message = rule_kinds()[blocker["kind"]].blocked_message
        assert blocked_message is not None  # a kind that blocks slots says how
        return blocked_message(blocker["details"], blocker["source"])
    if case == "lodging":
        # The double space is the sentence as planner has always written it (its tests quote it).
        return (f"{blocker['delegate']} leaving {blocker['hotel']} no earlier than "
                f" {format_clock(blocker['leave'])}, {duration_text(blocker['travel'])} away "
                f"({blocker['source']})")
    if case == "after":
        return (f"having to come after '{blocker['title']}', which ends {when(blocker['end'])}"
                f"{plus_gap(blocker['gap'])} ({blocker['source']})")
    if case == "before":
        return (f"having to end before '{blocker['title']}' starts {when(blocker['start'])} "
                f"({blocker['source']})")
    return f"{blocker['venue']} being taken by " + join_and([f"'{title}'" for title in blocker["titles"]])


def _place(place: Params) -> str:
    hours = f", open {', '.join(daily_range(h) for h in place['hours'])}" if place["hours"] else ""
    return f"{place['venue']}{hours}"


def _looks_free(p: Params) -> str:
    slot = f"{span_text(p['span'])} at {p['venue']}"
    if p["proved"]:
        return (f"no single clash with the programme explains it ({slot} looks free), so placing it "
                "anywhere breaks a combination of rules for the people it brings along (travel, min_gap, "
                "lunch or max_per_day of companions)")
    return f"{slot} looks free: the solver stopped at its time limit before placing it; a longer " \
           "--time-limit may fit it in"


def _blocked(p: Params) -> str:
    places = "; ".join(_place(place) for place in p["places"])
    return (f"left out because every slot ({places}) clashes with "
            + join_and([_blocker(blocker) for blocker in p["blockers"]]))


REASONS: dict[str, Callable[[Params], str]] = {
    "left-out": lambda p: "left out",
    "never": lambda p: "it can never take place: " + conflict_message(p["conflict"]["code"],
                                                                      p["conflict"]["params"]),
    "no-slot": lambda p: "it has no possible slot",
    "looks-free": _looks_free,
    "blocked": _blocked,
    "unexplained": lambda p: f"left out (no reason could be worked out: {p['error']})",
}
"""Reason code → its English sentence, after the priority."""


def left_out_message(code: str, params: Params) -> str:
    """'priority 2: left out because every slot (…) clashes with …'."""
    return f"priority {params['priority']}: {REASONS[code](params)}"
