"""Conflicts in words: a conflict's code and parameters (planner.diagnosis) → the sentence a person reads, in
English (schedule.json's `message`, the terminal) or in the reader's language (the page of a mission with
no programme, programme.xlsx's "Left out" sheet).

One render function per code, as `planner.text.messages` does for the checker's violations: the diagnosis
finds which statements clash and says so in plain data; the words live here. The codes are the pre-checks'
(`room`, `capacity`, `unavailable`, `lodging`, `overlap`, `travel`, `after-cycle`, `after-chain`,
`daily-hours`), `diagnosis` (a minimal set from CP-SAT's infeasibility proof), `diagnosis-failed`,
`diagnosis-incomplete` and `more` (conflicts of one check left unlisted); docs/schedule-format.md lists
their parameters. Every sentence is a gettext message whose English is the sentence schedule.json has
always written; the minimal sets of the diagnosis are worded in planner.text.conflict_diagnosis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.domain.replan import KEPT, PINNED
from planner.text.conflict_diagnosis import diagnosis, travel_takes
from planner.text.conflict_phrases import (
    ENGLISH,
    Params,
    activity_phrase,
    daily_range,
    duration_text,
    minutes_text,
    plus_gap,
    quoted,
    rule_phrase,
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


def _and_names(names: Sequence[str], words: Words) -> str:
    """'A and B and C' as schedule.json's sentences name the people of a clash; a CLDR list otherwise."""
    return " and ".join(names) if words.language == SOURCE_LANGUAGE else words.join(names)


def _who_brought(p: Params, words: Words = ENGLISH) -> str:
    """'Odoo team (brought by rule accompany-1, …)': the delegates, and the rules that bring them."""
    return _and_names(p["delegates"], words) + "".join(
        words.gettext(" (brought by %(rule)s)") % {"rule": rule_phrase(rule, words)} for rule in p["rules"])


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


def _brought(who: str | None, rules: Sequence[Params], words: Words) -> str:
    """'; brought by rule accompany-1, …' for each rule that brings the delegate (`who`, when named)."""
    if who is None:
        return "".join(words.gettext("; brought by %(rule)s") % {"rule": rule_phrase(rule, words)}
                       for rule in rules)
    return "".join(words.gettext("; %(delegate)s is brought by %(rule)s") % {
        "delegate": who, "rule": rule_phrase(rule, words)} for rule in rules)


def _overlap(p: Params, words: Words = ENGLISH) -> str:
    return words.ngettext("%(who)s must attend %(first)s and %(second)s, which overlap",
                          "%(who)s must attend %(first)s and %(second)s, which overlap",
                          len(p["delegates"])) % {
        "who": _and_names(p["delegates"], words), "first": activity_phrase(p["first"], words),
        "second": activity_phrase(p["second"], words)} + _brought(None, p["rules"], words)


def _travel(p: Params, words: Words = ENGLISH) -> str:
    parts = []
    travel = p["travel"]
    if travel is not None:
        parts.append(travel_takes(travel["from"], travel["to"], travel["minutes"], words)
                     if travel["from"] is not None else
                     words.gettext("moving between their venues takes at least %(duration)s") % {
                         "duration": minutes_text(travel["minutes"], words)})
    if p["gap"] is not None:
        parts.append(words.gettext("the %(gap)s protocol gap (%(rule)s)") % {
            "gap": minutes_text(p["gap"]["minutes"], words), "rule": rule_phrase(p["gap"]["rule"], words)})
    delegate = p["delegate"]
    return words.gettext("%(delegate)s must attend %(first)s and %(second)s, %(free)s apart, but "
                         "%(reasons)s") % {
        "delegate": delegate, "first": activity_phrase(p["first"], words),
        "second": activity_phrase(p["second"], words), "free": minutes_text(p["free"], words),
        "reasons": words.gettext(" plus ").join(parts)} + _brought(delegate, p["rules"], words)


def _after_cycle(p: Params, words: Words = ENGLISH) -> str:
    links = [words.gettext("%(follower)s comes after %(predecessor)s%(gap)s (%(source)s)") % {
        "follower": quoted(link["follower"], words), "predecessor": quoted(link["predecessor"], words),
        "gap": plus_gap(link["gap"], words), "source": link["source"]} for link in p["links"]]
    return words.gettext("the after statements run in a circle, so none of them can start first: "
                         "%(links)s") % {"links": "; ".join(links)}


def _after_chain(p: Params, words: Words = ENGLISH) -> str:
    links = [words.gettext("%(follower)s after %(predecessor)s%(gap)s (%(source)s)") % {
        "follower": quoted(link["follower"], words), "predecessor": quoted(link["predecessor"], words),
        "gap": plus_gap(link["gap"], words), "source": link["source"]} for link in p["links"]]
    return words.gettext("the chain %(links)s needs at least %(duration)s, but %(first)s cannot start before "
                         "%(earliest)s and %(last)s must end by %(latest)s") % {
        "links": "; ".join(links), "duration": duration_text(p["needed"], words),
        "first": activity_phrase(p["first"], words), "earliest": when(p["earliest"]),
        "last": activity_phrase(p["last"], words), "latest": when(p["latest_end"])}


def _daily_hours(p: Params, words: Words = ENGLISH) -> str:
    delegate = p["delegate"]
    return words.gettext("on %(day)s %(delegate)s must attend %(activities)s: %(total)s in all, but these "
                         "can only take place within %(available)s of that day") % {
        "day": p["day"], "delegate": delegate,
        "activities": ", ".join(activity_phrase(activity, words) for activity in p["activities"]),
        "total": duration_text(p["total"], words),
        "available": duration_text(p["available"], words)} + _brought(delegate, p["rules"], words)


# --- the diagnosis's own ----------------------------------------------------------------------------------


def _diagnosis_failed(p: Params, words: Words = ENGLISH) -> str:
    return words.gettext("no programme satisfies every statement of the mission together; the diagnosis "
                         "failed (%(error)s) — please report it") % {"error": p["error"]}


def _diagnosis_incomplete(p: Params, words: Words = ENGLISH) -> str:
    return words.gettext("no programme satisfies every statement of the mission together, but the diagnosis "
                         "could not isolate a smaller set within %(seconds)s s; run planner solve with a "
                         "longer --time-limit to let it look further") % {"seconds": f"{p['seconds']:.0f}"}


def _more(p: Params, words: Words = ENGLISH) -> str:
    # English says "1 more conflicts" as schedule.json always has; the plural form lets others say it right.
    return words.ngettext("… and %(count)s more conflicts of the same kind (%(check)s); fix those above "
                          "first",
                          "… and %(count)s more conflicts of the same kind (%(check)s); fix those above "
                          "first", p["count"]) % {"count": p["count"], "check": p["check"]}


CONFLICTS: dict[str, Callable[[Params, Words], str]] = {
    "room": _room,
    "capacity": _capacity,
    "unavailable": _unavailable,
    "lodging": _lodging,
    "overlap": _overlap,
    "travel": _travel,
    "after-cycle": _after_cycle,
    "after-chain": _after_chain,
    "daily-hours": _daily_hours,
    "diagnosis": diagnosis,
    "diagnosis-failed": _diagnosis_failed,
    "diagnosis-incomplete": _diagnosis_incomplete,
    "more": _more,
}
"""Conflict code → its sentence, in English (schedule.json's) or in the reader's language: every message
is gettext's, its English the sentence schedule.json has always written."""

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
    counted (code ''). KeyError for a code planner does not know."""
    if not code:
        return ""
    return CONFLICTS[code](params, words) + baseline_notes(params.get("baseline", ()), words)


def conflict_sentence(code: str, params: Params, words: Words) -> str | None:
    """`conflict_message` in the reader's language; None for a code planner does not know or parameters it
    cannot read (a schedule.json another tool wrote, or edited by hand): the reader is shown its message."""
    try:
        return conflict_message(code, params, words)
    except (KeyError, ValueError, TypeError, IndexError):
        return None
