"""Conflicts in English: a conflict's code and parameters (planner.diagnosis) → the sentence a person reads.

One render function per code, as `planner.text.messages` does for the checker's violations: the diagnosis
finds which statements clash and says so in plain data; the words live here. The codes are the pre-checks'
(`room`, `capacity`, `unavailable`, `lodging`, `overlap`, `travel`, `after-cycle`, `after-chain`,
`daily-hours`), `diagnosis` (a minimal set from CP-SAT's infeasibility proof), `diagnosis-failed`,
`diagnosis-incomplete` and `more` (conflicts of one check left unlisted); docs/schedule-format.md lists
their parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.domain.replan import KEPT, PINNED
from planner.domain.rules import rule_kinds
from planner.text.conflict_phrases import (
    Params,
    activities_phrase,
    activity_phrase,
    daily_range,
    duration_text,
    join_and,
    plus_gap,
    rule_phrase,
    rule_where,
    span_text,
    trips,
    unique,
    when,
)
from planner.text.format import format_clock

# --- the pre-checks ---------------------------------------------------------------------------------------


def _room_reason(reason: Params) -> str:
    case = reason["case"]
    if case == "off-leg":
        days = reason["days"]
        return (f"{', '.join(days)} {'lies' if len(days) == 1 else 'lie'} outside the {reason['city']} leg "
                f"of {reason['venue']} ({reason['first_day']}–{reason['last_day']}, {reason['source']})")
    if case == "venue-hours":
        hours = ", ".join(daily_range(h) for h in reason["hours"])
        # "that time": the activity's own (fixed, windows, working day), which its phrase has just named.
        left = (f"at most {duration_text(reason['left'])} of that time" if reason["left"]
                else "none of that time")
        return f"{reason['venue']} is open {hours} ({reason['source']}), which leaves {left}"
    if "windows" in reason:
        windows = reason["windows"]
        listed = ", ".join(f"{span_text(w['span'])} ({w['source']})" for w in windows)
        what = f"its window {listed}" if len(windows) == 1 else f"its windows {listed}"
    elif "leg" in reason:
        what = f"its fixed start within the {reason['leg']['city']} leg ({reason['leg']['source']})"
    else:
        what = f"the working day ({daily_range(reason['working_day'])})"
    longest = reason["longest"]
    return (f"{what} {'leave' if len(reason.get('windows', ())) > 1 else 'leaves'} "
            f"{'only ' + duration_text(longest) if longest else 'no time'}")


def _room(p: Params) -> str:
    reasons = unique([_room_reason(reason) for reason in p["reasons"]])
    grain = f" on the {p['grain']}-minute grain" if p["grain"] else ""
    return f"{activity_phrase(p['activity'])} has no room: {'; '.join(reasons)}{grain}"


def _capacity(p: Params) -> str:
    listing = " + ".join(f"{d['name']} {d['size']}" for d in p["shown"])
    if p["others"] is not None:
        listing += f" + {p['others']['count']} others {p['others']['size']}"
    brought = "".join(f"; companions added by {rule_phrase(rule)}" for rule in p["rules"])
    venues = ", ".join(f"{v['name']} holds {v['capacity']} ({v['source']})" for v in p["venues"])
    return (f"{activity_phrase(p['activity'])} needs room for {p['headcount']} people "
            f"({listing}{brought}), but {venues}")


def _who_brought(p: Params) -> str:
    """'Odoo team (brought by rule accompany-1, …)': the delegates, and the rules that bring them."""
    return " and ".join(p["delegates"]) + "".join(f" (brought by {rule_phrase(r)})" for r in p["rules"])


def _unavailable(p: Params) -> str:
    windows = ", ".join(f"{span_text(w['span'])} ({w['source']})" for w in p["windows"])
    return (f"{_who_brought(p)} must attend {activity_phrase(p['activity'])}, but "
            f"{'is' if len(p['delegates']) == 1 else 'are'} unavailable {windows}, "
            "which leaves no room for it; to hold it without them, take them out of its `attendees`, or "
            "out of the group that lists them there")


def _lodging(p: Params) -> str:
    return (f"{_who_brought(p)} must attend {activity_phrase(p['activity'])}, but "
            f"{'leaves' if len(p['delegates']) == 1 else 'leave'} {p['hotel']} no earlier than "
            f"{format_clock(p['leave'])} ({p['source']}) and {', '.join(trips(p['hotel'], p['trips']))}")


def _overlap(p: Params) -> str:
    return (f"{' and '.join(p['delegates'])} must attend {activity_phrase(p['first'])} and "
            f"{activity_phrase(p['second'])}, which overlap"
            + "".join(f"; brought by {rule_phrase(rule)}" for rule in p["rules"]))


def _travel(p: Params) -> str:
    parts = []
    travel = p["travel"]
    if travel is not None:
        named = travel["from"] is not None
        parts.append(f"{travel['from']} → {travel['to']} takes {travel['minutes']} min" if named
                     else f"moving between their venues takes at least {travel['minutes']} min")
    if p["gap"] is not None:
        parts.append(f"the {p['gap']['minutes']} min protocol gap ({rule_phrase(p['gap']['rule'])})")
    delegate = p["delegate"]
    return (f"{delegate} must attend {activity_phrase(p['first'])} and {activity_phrase(p['second'])}, "
            f"{p['free']} min apart, but {' plus '.join(parts)}"
            + "".join(f"; {delegate} is brought by {rule_phrase(rule)}" for rule in p["rules"]))


def _after_cycle(p: Params) -> str:
    links = [f"'{link['follower']}' comes after '{link['predecessor']}'{plus_gap(link['gap'])} "
             f"({link['source']})" for link in p["links"]]
    return "the after statements run in a circle, so none of them can start first: " + "; ".join(links)


def _after_chain(p: Params) -> str:
    links = [f"'{link['follower']}' after '{link['predecessor']}'{plus_gap(link['gap'])} ({link['source']})"
             for link in p["links"]]
    return (f"the chain {'; '.join(links)} needs at least {duration_text(p['needed'])}, but "
            f"{activity_phrase(p['first'])} cannot start before {when(p['earliest'])} and "
            f"{activity_phrase(p['last'])} must end by {when(p['latest_end'])}")


def _daily_hours(p: Params) -> str:
    delegate = p["delegate"]
    listing = ", ".join(activity_phrase(activity) for activity in p["activities"])
    return (f"on {p['day']} {delegate} must attend {listing}: {duration_text(p['total'])} in all, but these "
            f"can only take place within {duration_text(p['available'])} of that day"
            + "".join(f"; {delegate} is brought by {rule_phrase(rule)}" for rule in p["rules"]))


# --- a minimal set from the infeasibility proof ------------------------------------------------------------


def _rule_limit(limit: Params) -> str:
    """A rule of a minimal set in the mission's words, with its file position."""
    who = ", ".join(limit["delegates"]) or limit["who"]
    where_ = rule_where(limit["rule"], limit["source"])
    kind = limit["kind"]
    if kind == "min_gap":
        return f"{who} needs the {limit['gap']} min protocol gap between activities ({where_})"
    if kind == "lunch":
        return (f"{who} needs a {duration_text(limit['duration'])} lunch break off the road within "
                f"{daily_range(limit['between'])} ({where_})")
    if kind == "accompany":
        kinds = f" to every {'/'.join(limit['kinds'])}" if limit["kinds"] else " everywhere"
        principal = ", ".join(limit["principals"]) or limit["principal"]
        return f"{who} must accompany {principal}{kinds} ({where_})"
    return f"{rule_kinds()[kind].statement(limit['details'], who)} ({where_})"


def _limit(limit: Params) -> str:
    case = limit["case"]
    if case == "travel":
        return f"{limit['from']} → {limit['to']} takes {limit['minutes']} min"
    if case == "after":
        return (f"'{limit['follower']}' must start after '{limit['predecessor']}' ends"
                f"{plus_gap(limit['gap'])} ({limit['source']})")
    if case == "unavailable":
        text = span_text(limit["span"]) if limit["span"] is not None else "at some time"
        return f"{limit['delegate']} is unavailable {text} ({limit['source']})"
    if case == "venue-parallel":
        many = "one activity" if limit["parallel"] == 1 else f"{limit['parallel']} activities"
        return f"{limit['venue']} hosts {many} at a time ({limit['source']})"
    if case == "venue-capacity":
        over = [f"the {entry['count']} of '{entry['title']}'" for entry in limit["over"]]
        return (f"{limit['venue']} holds {limit['capacity']} people ({limit['source']})"
                + (f", fewer than {join_and(over)}" if over else ""))
    if case == "lodging":
        text = (f"{limit['delegate']} leaves {limit['hotel']} no earlier than "
                f"{format_clock(limit['leave'])} ({limit['source']})")
        return text + (f", and {join_and(trips(limit['hotel'], limit['trips']))}" if limit["trips"] else "")
    if case == "rule":
        return _rule_limit(limit)
    if case == "unknown-rule":
        return f"rule {limit['rule']} ({limit['source']})"
    return f"{limit['kind']} {' '.join(limit['ids'])} ({limit['source']})"


def _clause(clause: Params) -> str:
    if not clause["delegates"]:
        return f"{activities_phrase(clause['activities'])} must take place"
    return f"{join_and(clause['delegates'])} must attend {activities_phrase(clause['activities'])}"


def _diagnosis(p: Params) -> str:
    head = "; ".join(_clause(clause) for clause in p["clauses"]) or "these statements"
    limits = unique([_limit(limit) for limit in p["limits"]])
    if limits:
        return f"{head}, but {join_and(limits)}"
    return f"{head}, and there is no way to fit them all in the times allowed"


CONFLICTS: dict[str, Callable[[Params], str]] = {
    "room": _room,
    "capacity": _capacity,
    "unavailable": _unavailable,
    "lodging": _lodging,
    "overlap": _overlap,
    "travel": _travel,
    "after-cycle": _after_cycle,
    "after-chain": _after_chain,
    "daily-hours": _daily_hours,
    "diagnosis": _diagnosis,
    "diagnosis-failed": lambda p: "no programme satisfies every statement of the mission together; the "
                                  f"diagnosis failed ({p['error']}) — please report it",
    "diagnosis-incomplete": lambda p: "no programme satisfies every statement of the mission together, but "
                                      "the diagnosis could not isolate a smaller set within "
                                      f"{p['seconds']:.0f} s; run planner solve with a longer --time-limit "
                                      "to let it look further",
    "more": lambda p: f"… and {p['count']} more conflicts of the same kind ({p['check']}); "
                      "fix those above first",
}
"""Conflict code → its English sentence."""

BASELINE_NOTES = {"kept": KEPT, "pinned": PINNED}
"""A re-plan's note on an activity of a conflict → its words (planner.domain.replan)."""


def baseline_notes(notes: Sequence[Params]) -> str:
    """' (visit-jpl kept from the baseline)': what a re-plan kept of the activities a conflict names."""
    if not notes:
        return ""
    said = [f"{note['activity']} {BASELINE_NOTES[note['note']]}" for note in notes]
    return f" ({'; '.join(said)})"


def conflict_message(code: str, params: Params) -> str:
    """The English sentence of one conflict; nothing for a conflict only counted (code '')."""
    if not code:
        return ""
    return CONFLICTS[code](params) + baseline_notes(params.get("baseline", ()))
