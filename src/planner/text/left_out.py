"""Why an optional activity was left out: a reason's code and parameters → its sentence, in English (the
sentence schedule.json keeps) or in the reader's language (programme.xlsx's "Left out" sheet).

`planner.diagnosis.reasons` works out the reason as plain data (see planner.text.conflict_phrases for the
values); the words live here, as gettext messages whose English is schedule.json's sentence. Every reason
starts with the activity's priority. Codes: `left-out` (the solver's, before the diagnosis looked), `never`
(a pre-check shows it can never take place: the conflict rides along), `no-slot`, `looks-free` (a slot that
looks free: not proved, or a combination of rules), `blocked` (every slot clashes with the programme: the
few blockers that cover them all) and `unexplained`.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.domain.rules import rule_kinds
from planner.text.conflict_phrases import (
    ENGLISH,
    Params,
    daily_range,
    duration_text,
    join_and,
    plus_gap,
    quoted,
    span_text,
    when,
)
from planner.text.conflicts import conflict_message
from planner.text.format import format_clock
from planner.text.i18n import Words


def _blocker(blocker: Params, words: Words) -> str:
    """What stops the activity at some of its slots."""
    case = blocker["case"]
    if case == "activity":
        return words.gettext("%(delegate)s being at %(title)s %(span)s") % {
            "delegate": blocker["delegate"], "title": quoted(blocker["title"], words),
            "span": span_text(blocker["span"])}
    if case == "gap":
        return words.gettext("the %(gap)s min protocol gap of %(delegate)s around %(title)s "
                             "(rule %(rule)s)") % {
            "gap": blocker["gap"], "delegate": blocker["delegate"], "title": quoted(blocker["title"], words),
            "rule": blocker["rule"]}
    if case == "unavailable":
        return words.gettext("%(delegate)s being unavailable %(span)s (%(source)s)") % {
            "delegate": blocker["delegate"], "span": span_text(blocker["span"]), "source": blocker["source"]}
    if case == "lunch":
        return words.gettext("%(delegate)s's %(duration)s lunch break off the road within %(hours)s on "
                             "%(day)s (rule %(rule)s, %(source)s)") % {
            "delegate": blocker["delegate"], "duration": duration_text(blocker["duration"], words),
            "hours": daily_range(blocker["between"]), "day": blocker["day"], "rule": blocker["rule"],
            "source": blocker["source"]}
    if case == "rule-kind":
        blocked_message = rule_kinds()[blocker["kind"]].blocked_message
        assert blocked_message is not None  # a kind that blocks slots says how
        return blocked_message(blocker["details"], blocker["source"], words.language)
    if case == "lodging":
        # The double space is the English sentence as planner has always written it (its tests quote it).
        return words.gettext("%(delegate)s leaving %(hotel)s no earlier than  %(leave)s, %(duration)s away "
                             "(%(source)s)") % {
            "delegate": blocker["delegate"], "hotel": blocker["hotel"],
            "leave": format_clock(blocker["leave"]), "duration": duration_text(blocker["travel"], words),
            "source": blocker["source"]}
    if case == "after":
        return words.gettext("having to come after %(title)s, which ends %(end)s%(gap)s (%(source)s)") % {
            "title": quoted(blocker["title"], words), "end": when(blocker["end"]),
            "gap": plus_gap(blocker["gap"], words), "source": blocker["source"]}
    if case == "before":
        return words.gettext("having to end before %(title)s starts %(start)s (%(source)s)") % {
            "title": quoted(blocker["title"], words), "start": when(blocker["start"]),
            "source": blocker["source"]}
    return words.gettext("%(venue)s being taken by %(titles)s") % {
        "venue": blocker["venue"],
        "titles": join_and([quoted(title, words) for title in blocker["titles"]], words)}


def _place(place: Params, words: Words) -> str:
    if not place["hours"]:
        return str(place["venue"])
    return words.gettext("%(venue)s, open %(hours)s") % {
        "venue": place["venue"], "hours": ", ".join(daily_range(h) for h in place["hours"])}


def _looks_free(p: Params, words: Words) -> str:
    slot = words.gettext("%(span)s at %(venue)s") % {"span": span_text(p["span"]), "venue": p["venue"]}
    if p["proved"]:
        return words.gettext(
            "no single clash with the programme explains it (%(slot)s looks free), so placing it anywhere "
            "breaks a combination of rules for the people it brings along (travel, min_gap, lunch or "
            "max_per_day of companions)") % {"slot": slot}
    return words.gettext("%(slot)s looks free: the solver stopped at its time limit before placing it; a "
                         "longer --time-limit may fit it in") % {"slot": slot}


def _blocked(p: Params, words: Words) -> str:
    return words.gettext("left out because every slot (%(places)s) clashes with %(blockers)s") % {
        "places": "; ".join(_place(place, words) for place in p["places"]),
        "blockers": join_and([_blocker(blocker, words) for blocker in p["blockers"]], words)}


REASONS: dict[str, Callable[[Params, Words], str]] = {
    "left-out": lambda p, words: words.gettext("left out"),
    "never": lambda p, words: words.gettext("it can never take place: %(conflict)s") % {
        "conflict": conflict_message(p["conflict"]["code"], p["conflict"]["params"], words)},
    "no-slot": lambda p, words: words.gettext("it has no possible slot"),
    "looks-free": _looks_free,
    "blocked": _blocked,
    "unexplained": lambda p, words: words.gettext("left out (no reason could be worked out: %(error)s)") % {
        "error": p["error"]},
}
"""Reason code → its sentence, after the priority."""


def left_out_message(code: str, params: Params, words: Words = ENGLISH) -> str:
    """'priority 2: left out because every slot (…) clashes with …'."""
    return words.gettext("priority %(priority)s: %(reason)s") % {
        "priority": params["priority"], "reason": REASONS[code](params, words)}


def left_out_sentence(code: str, params: Params, words: Words) -> str | None:
    """`left_out_message` in the reader's language; None for a code planner does not know, parameters it
    cannot read, or a part that speaks English only (a conflict of TRANSLATED_CONFLICTS' complement): a
    schedule.json written by another tool, or edited by hand, may hold any of these."""
    try:
        return left_out_message(code, params, words)
    except (KeyError, ValueError, TypeError, IndexError):
        return None
