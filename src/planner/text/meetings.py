"""B2B reasons for a request left out, in the reader's language (English, as schedule.json writes them, by
default), and the checker's B2B violations in English (the codes and their parameters are the contract)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from planner.domain.meetings import Reason
from planner.text.format import format_clock, format_iso_date
from planner.text.i18n import SOURCE_LANGUAGE, Words, words_for

Params = Mapping[str, Any]
Namer = Callable[[str], str]


def _names(words: Words, ids: str, name: Namer) -> str:
    return words.join(name(part) for part in ids.split())


def _slots_taken(words: Words, params: Params, name: Namer) -> str:
    slots = int(params["slots"])
    return words.ngettext(
        "in the only slot it could take, one of its participants meets someone else (requests of higher "
        "priority, or that fit better, came first)",
        "in each of the %(slots)d slots it could take, one of its participants meets someone else (requests "
        "of higher priority, or that fit better, came first)",
        slots) % {"slots": slots}


_REASONS: dict[str, Callable[[Words, Params, Namer], str]] = {
    "no_common_session": lambda words, p, name: words.gettext(
        "no B2B session is attended by all of %(participants)s") % {
        "participants": _names(words, p["participants"], name)},
    "not_in_allowed_sessions": lambda words, p, name: words.gettext(
        "the sessions it may go to (%(sessions)s) are not among those its participants share "
        "(%(shared)s)") % {
        "sessions": _names(words, p["sessions"], name), "shared": _names(words, p["shared"], name)},
    "participant_unavailable": lambda words, p, name: words.gettext(
        "%(participant)s is unavailable in every slot of %(sessions)s") % {
        "participant": name(p["participant"]), "sessions": _names(words, p["sessions"], name)},
    "no_common_free_slot": lambda words, p, name: words.gettext(
        "its participants are never available at the same time in %(sessions)s") % {
        "sessions": _names(words, p["sessions"], name)},
    "counterpart_full": lambda words, p, name: words.gettext(
        "counterpart %(participant)s is fully booked in every slot it could take") % {
        "participant": name(p["participant"])},
    "delegate_full": lambda words, p, name: words.gettext(
        "delegate %(participant)s is fully booked in every slot it could take") % {
        "participant": name(p["participant"])},
    "tables_full": lambda words, p, name: words.gettext(
        "every table of %(sessions)s is taken in every slot it could take") % {
        "sessions": _names(words, p["sessions"], name)},
    "slots_taken": _slots_taken,
    "before_cutoff": lambda words, p, name: words.gettext(
        "every slot it could take in %(sessions)s starts before now + notice, which the re-plan keeps "
        "as it was") % {"sessions": _names(words, p["sessions"], name)},
}


def _to_reader(words: Words, reason: Reason, reader: str, name: Namer) -> str | None:
    """The reason said to `reader` when it names them (a page of their own addresses them, never them in the
    third person); None when it names someone else, or no one."""
    params = dict(reason.params)
    if reason.code == "participant_unavailable" and params["participant"] == reader:
        return words.gettext("you are unavailable in every slot of %(sessions)s") % {
            "sessions": _names(words, params["sessions"], name)}
    if reason.code in ("counterpart_full", "delegate_full") and params["participant"] == reader:
        return words.gettext("you are fully booked in every slot it could take")
    if reason.code == "no_common_session" and reader in params["participants"].split():
        others = " ".join(person for person in params["participants"].split() if person != reader)
        return words.gettext("you and %(others)s attend no B2B session in common") % {
            "others": _names(words, others, name)}
    return None


def reason_sentence(reason: Reason, name: Namer = str, words: Words | None = None,
                    reader: str | None = None) -> str | None:
    """The reason a request is not scheduled, in a sentence of `words` (English by default); `name` turns
    an id into what the reader calls it, and a reason naming `reader` (the id of whose page it is on) says
    "you". None for a code planner does not know, or parameters it cannot read: a schedule.json written by
    another tool, or edited by hand, may hold either."""
    sentence = _REASONS.get(reason.code)
    if sentence is None:
        return None
    words = words or words_for(SOURCE_LANGUAGE)
    try:
        addressed = _to_reader(words, reason, reader, name) if reader is not None else None
        return addressed or sentence(words, dict(reason.params), name)
    except (KeyError, ValueError):
        return None


def describe_reason(reason: Reason, name: Namer = str, words: Words | None = None) -> str:
    """`reason_sentence`, or the code in words when it has none."""
    return reason_sentence(reason, name, words) or reason.code.replace("_", " ")


def _span(span: tuple[datetime, datetime]) -> str:
    start, end = span
    return f"{format_iso_date(start.date())} {format_clock(start)}–{format_clock(end)}"


def _with(people: Sequence[str]) -> str:
    return " + ".join(people)


def _listing(p: Params, at_: str) -> str:
    problem = p["problem"]
    if problem == "both":
        return f"request {p['request']} ({_with(p['with'])}) is both scheduled and listed as unscheduled{at_}"
    if problem == "missing":
        return (
            f"request {p['request']} ({_with(p['with'])}) is neither scheduled nor listed as unscheduled{at_}"
        )
    if problem == "no reason":
        return f"unscheduled request {p['request']} ({_with(p['with'])}) has no reason{at_}"
    return f"request {p['request']} ({_with(p['with'])}) is listed more than once as unscheduled{at_}"


def _session(p: Params, at_: str) -> str:
    if p["allowed"] is None:
        return f"request {p['request']} meets in {p['session']}, which is not a B2B session{at_}"
    return f"request {p['request']} meets in {p['session']} but may only go to {', '.join(p['allowed'])}{at_}"


B2B_VIOLATIONS: dict[str, Callable[[Params, str], str]] = {
    "b2b-no-meetings": lambda p, at_: (
        f"the mission has {p['requests']} B2B meeting requests but the schedule "
        f"has no `meetings`: solve it again with this planner{at_}"
    ),
    "b2b-unknown-request": lambda p, at_: f"meeting request {p['request']} is not in the mission{at_}",
    "b2b-scheduled-twice": lambda p, at_: (
        f"request {p['request']} ({_with(p['with'])}) is scheduled {p['times']} times{at_}"
    ),
    "b2b-required": lambda p, at_: (
        f"required request {p['request']} ({_with(p['with'])}) is not scheduled{at_}"
    ),
    "b2b-listing": _listing,
    "b2b-session": _session,
    "b2b-slot": lambda p, at_: (
        f"request {p['request']} is in slot {p['slot'] + 1} of {p['session']}, which has "
        f"{p['slots']} slots{at_}"
    ),
    "b2b-slot-times": lambda p, at_: (
        f"request {p['request']} runs {_span(p['span'])}, not the time of slot "
        f"{p['slot'] + 1} of {p['session']} ({_span(p['expected'])}){at_}"
    ),
    "b2b-table-number": lambda p, at_: (
        f"request {p['request']} is at table {p['table']} of {p['session']}, "
        f"which has tables 1 to {p['tables']}{at_}"
    ),
    "b2b-table": lambda p, at_: (
        f"table {p['table']} of {p['session']} holds {len(p['requests'])} meetings in "
        f"slot {p['slot'] + 1}: {', '.join(p['requests'])}{at_}"
    ),
    "b2b-participants": lambda p, at_: (
        f"request {p['request']} is for {_with(p['with'])} but its meeting lists {_with(p['listed'])}{at_}"
    ),
    "b2b-unknown-participant": lambda p, at_: (
        f"request {p['request']} names {p['participant']}, who is neither a delegate nor a counterpart{at_}"
    ),
    "b2b-attendance": lambda p, at_: (
        f"{p['participant']} meets in {p['session']} (request {p['request']}) but "
        f"does not {'attend' if p['kind'] == 'delegate' else 'come to'} it{at_}"
    ),
    "b2b-unavailable": lambda p, at_: (
        f"{p['participant']} meets {_span(p['span'])} (request {p['request']}), "
        f"inside their unavailable window {_span(p['window'])}{at_}"
    ),
    "b2b-overlap": lambda p, at_: (
        f"{p['participant']} has two meetings at once at {format_clock(p['instant'])}: "
        f"requests {p['earlier']} and {p['later']}{at_}"
    ),
}
"""B2B violation code → its English sentence (merged into `planner.text.messages.VIOLATIONS`)."""
