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
    ENGLISH,
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
from planner.text.i18n import SOURCE_LANGUAGE, Words

# --- the pre-checks ---------------------------------------------------------------------------------------


def _leaves(words: Words, reason: Params) -> str:
    """How much of the activity's own time (its windows, its leg, the working day) is left for it."""
    longest = reason["longest"]
    duration = {"duration": duration_text(longest, words)} if longest else {}
    if "windows" in reason:
        windows = reason["windows"]
        listed = {"windows": ", ".join(f"{span_text(w['span'])} ({w['source']})" for w in windows),
                  **duration}
        if len(windows) > 1:
            return (words.gettext("its windows %(windows)s leave only %(duration)s") if longest
                    else words.gettext("its windows %(windows)s leave no time")) % listed
        return (words.gettext("its window %(windows)s leaves only %(duration)s") if longest
                else words.gettext("its window %(windows)s leaves no time")) % listed
    if "leg" in reason:
        leg = {"city": reason["leg"]["city"], "source": reason["leg"]["source"], **duration}
        return (words.gettext("its fixed start within the %(city)s leg (%(source)s) leaves only %(duration)s")
                if longest else
                words.gettext("its fixed start within the %(city)s leg (%(source)s) leaves no time")) % leg
    day = {"hours": daily_range(reason["working_day"]), **duration}
    return (words.gettext("the working day (%(hours)s) leaves only %(duration)s") if longest
            else words.gettext("the working day (%(hours)s) leaves no time")) % day


def _room_reason(reason: Params, words: Words = ENGLISH) -> str:
    case = reason["case"]
    if case == "off-leg":
        days = reason["days"]
        return words.ngettext(
            "%(days)s lies outside the %(city)s leg of %(venue)s (%(first_day)s–%(last_day)s, %(source)s)",
            "%(days)s lie outside the %(city)s leg of %(venue)s (%(first_day)s–%(last_day)s, %(source)s)",
            len(days)) % {"days": ", ".join(days), "city": reason["city"], "venue": reason["venue"],
                          "first_day": reason["first_day"], "last_day": reason["last_day"],
                          "source": reason["source"]}
    if case == "venue-hours":
        # "that time": the activity's own (fixed, windows, working day), which its phrase has just named.
        hours = {"venue": reason["venue"], "hours": ", ".join(daily_range(h) for h in reason["hours"]),
                 "source": reason["source"], "duration": duration_text(reason["left"], words)}
        if reason["left"]:
            return words.gettext("%(venue)s is open %(hours)s (%(source)s), which leaves at most "
                                 "%(duration)s of that time") % hours
        return words.gettext("%(venue)s is open %(hours)s (%(source)s), which leaves none of that "
                             "time") % hours
    return _leaves(words, reason)


def _room(p: Params, words: Words = ENGLISH) -> str:
    said = {"activity": activity_phrase(p["activity"], words),
            "reasons": "; ".join(unique([_room_reason(reason, words) for reason in p["reasons"]])),
            "grain": p["grain"]}
    if p["grain"]:
        return words.gettext("%(activity)s has no room: %(reasons)s on the %(grain)s-minute grain") % said
    return words.gettext("%(activity)s has no room: %(reasons)s") % said


def _capacity(p: Params, words: Words = ENGLISH) -> str:
    listing = " + ".join(f"{d['name']} {d['size']}" for d in p["shown"])
    if p["others"] is not None:
        listing += " + " + words.gettext("%(count)s others %(size)s") % {
            "count": p["others"]["count"], "size": p["others"]["size"]}
    brought = "".join(words.gettext("; companions added by %(rule)s") % {"rule": rule_phrase(rule, words)}
                      for rule in p["rules"])
    venues = ", ".join(words.gettext("%(venue)s holds %(capacity)s (%(source)s)") % {
        "venue": v["name"], "capacity": v["capacity"], "source": v["source"]} for v in p["venues"])
    return words.gettext("%(activity)s needs room for %(headcount)s people (%(listing)s%(brought)s), but "
                         "%(venues)s") % {
        "activity": activity_phrase(p["activity"], words), "headcount": p["headcount"], "listing": listing,
        "brought": brought, "venues": venues}


def _who_brought(p: Params, words: Words = ENGLISH) -> str:
    """'Odoo team (brought by rule accompany-1, …)': the delegates, and the rules that bring them."""
    delegates = (" and ".join(p["delegates"]) if words.language == SOURCE_LANGUAGE
                 else words.join(p["delegates"]))
    return delegates + "".join(words.gettext(" (brought by %(rule)s)") % {"rule": rule_phrase(r, words)}
                               for r in p["rules"])


def _unavailable(p: Params, words: Words = ENGLISH) -> str:
    said = {"who": _who_brought(p, words), "activity": activity_phrase(p["activity"], words),
            "windows": ", ".join(f"{span_text(w['span'])} ({w['source']})" for w in p["windows"])}
    return words.ngettext(
        "%(who)s must attend %(activity)s, but is unavailable %(windows)s, which leaves no room for it; to "
        "hold it without them, take them out of its `attendees`, or out of the group that lists them there",
        "%(who)s must attend %(activity)s, but are unavailable %(windows)s, which leaves no room for it; to "
        "hold it without them, take them out of its `attendees`, or out of the group that lists them there",
        len(p["delegates"])) % said


def _lodging(p: Params, words: Words = ENGLISH) -> str:
    said = {"who": _who_brought(p, words), "activity": activity_phrase(p["activity"], words),
            "hotel": p["hotel"], "leave": format_clock(p["leave"]), "source": p["source"],
            "trips": ", ".join(trips(p["hotel"], p["trips"], words))}
    return words.ngettext(
        "%(who)s must attend %(activity)s, but leaves %(hotel)s no earlier than %(leave)s (%(source)s) and "
        "%(trips)s",
        "%(who)s must attend %(activity)s, but leave %(hotel)s no earlier than %(leave)s (%(source)s) and "
        "%(trips)s",
        len(p["delegates"])) % said


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

TRANSLATED_CONFLICTS: dict[str, Callable[[Params, Words], str]] = {
    "room": _room,
    "capacity": _capacity,
    "unavailable": _unavailable,
    "lodging": _lodging,
}
"""The conflicts that also speak the reader's language: those of the pre-checks that say why an optional
activity can never take place (a left-out reason, planner.text.left_out)."""

BASELINE_NOTES = {"kept": KEPT, "pinned": PINNED}
"""A re-plan's note on an activity of a conflict → its words (planner.domain.replan)."""


def _baseline_note(note: str, words: Words) -> str:
    if words.language == SOURCE_LANGUAGE:
        return BASELINE_NOTES[note]
    if note == "kept":
        return words.gettext("kept from the baseline")
    if note == "pinned":
        return words.gettext("pinned at its baseline time")
    raise KeyError(note)


def baseline_notes(notes: Sequence[Params], words: Words = ENGLISH) -> str:
    """' (visit-jpl kept from the baseline)': what a re-plan kept of the activities a conflict names."""
    if not notes:
        return ""
    said = [f"{note['activity']} {_baseline_note(note['note'], words)}" for note in notes]
    return f" ({'; '.join(said)})"


def conflict_message(code: str, params: Params, words: Words = ENGLISH) -> str:
    """The sentence of one conflict, in English unless `words` say otherwise; nothing for a conflict only
    counted (code ''). KeyError for a conflict that speaks English only (TRANSLATED_CONFLICTS)."""
    if not code:
        return ""
    if words.language == SOURCE_LANGUAGE:
        return CONFLICTS[code](params) + baseline_notes(params.get("baseline", ()))
    return TRANSLATED_CONFLICTS[code](params, words) + baseline_notes(params.get("baseline", ()), words)
