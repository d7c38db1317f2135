"""What an itinerary says, in its reader's language: who else attends, the move to the next venue, the
lunch break, free time, who the delegate is. The text, HTML and PDF renderings (planner.views.itinerary,
planner.views.itinerary_pages) all say it with these functions.
"""

from __future__ import annotations

from functools import lru_cache

from planner.domain import Delegate, Mission
from planner.text.format import format_clock, format_duration
from planner.text.i18n import Words, words_for
from planner.text.vocabulary import more_principals, role_label
from planner.views.itinerary_model import LunchBreak, Move, Stop


def reader_words(mission: Mission, delegate_id: str, language: str | None = None) -> Words:
    """The words of whoever reads this itinerary: `language` when given (`--lang`), else the delegate's."""
    return words_for(language or mission.language_of(delegate_id))


def who_else(words: Words, stop: Stop) -> str:
    """'with A (royal), B (minister), 3 more officials and 2 delegations (5 people)', in `words`."""
    return _guest_list(words, stop.principals, stop.more_principals, stop.other_delegations,
                       stop.other_people)


@lru_cache(maxsize=4096)  # a reception's list reads the same for its hundreds of attendees, bar the few named
def _guest_list(words: Words, principals: tuple[tuple[str, str], ...], others: tuple[str, ...],
                delegations: int, people: int) -> str:
    parts = [f"{name} ({role_label(words, role)})" if role else name for name, role in principals]
    if others:
        roles = sorted(set(others))
        parts.append(more_principals(words, roles[0] if len(roles) == 1 else None, len(others)))
    if delegations:
        counted = words.ngettext("%(count)d delegation", "%(count)d delegations",
                                 delegations) % {"count": delegations}
        counted_people = words.ngettext("%(count)d person", "%(count)d people", people) % {"count": people}
        parts.append(f"{counted} ({counted_people})")
    if not parts:
        return ""
    return words.gettext("with %(who)s") % {"who": words.join(parts)}


def lunch_text(words: Words, lunch: LunchBreak) -> str:
    return words.gettext("lunch break (on the way)") if lunch.on_the_way else words.gettext("lunch break")


def move_text(words: Words, move: Move) -> str:
    places = {"origin": move.from_venue, "destination": move.to_venue}
    if move.hotel == "leave":
        return words.gettext("leave the hotel at %(leave)s: %(origin)s → %(destination)s (%(travel)s)") % {
            **places, "leave": format_clock(move.leave, words.language),
            "travel": format_duration(move.minutes or 0, "clock", words.language)}
    if move.hotel == "return":
        return words.gettext("back to the hotel: %(origin)s → %(destination)s (%(travel)s)") % {
            **places, "travel": format_duration(move.minutes or 0, "clock", words.language)}
    if move.minutes is None:
        return words.gettext("leave %(origin)s for %(destination)s (travel time unknown)") % places
    travel = format_duration(move.minutes, "clock", words.language)
    return words.gettext("leave %(origin)s for %(destination)s (%(travel)s)") % {**places, "travel": travel}


def free_text(words: Words, minutes: int) -> str:
    return words.gettext("free time, %(duration)s") % {
        "duration": format_duration(minutes, "clock", words.language)}


def delegation_name(mission: Mission, delegation_id: str) -> str:
    """A delegation as its reader knows it: the name of the group of that id (`Wallonie`, as
    `planner import --groups` names a region), the id only when no group names it."""
    group = mission.groups.get(delegation_id)
    return group.name if group is not None and group.name else delegation_id


def delegate_details(words: Words, mission: Mission, delegate: Delegate) -> str:
    details = [role_label(words, delegate.role)] if delegate.role else []
    if delegate.organisation:
        details.append(delegate.organisation)
    if delegate.delegation:
        details.append(delegation_name(mission, delegate.delegation))
    if delegate.size > 1:
        details.append(words.ngettext("%(count)d person", "%(count)d people", delegate.size)
                       % {"count": delegate.size})
    return ", ".join(details)


def delegate_heading(words: Words, mission: Mission, delegate: Delegate) -> str:
    details = delegate_details(words, mission, delegate)
    return delegate.name + (f" · {details}" if details else "")


def others_count(stop: Stop) -> int:
    """How many other parties attend: named and counted principals, and other delegations."""
    return len(stop.principals) + len(stop.more_principals) + stop.other_delegations


SHORT_GUEST_LIST = 70
"""Characters of a guest list shown as it is; a longer one is collapsed behind its summary on a screen."""


def who_summary(words: Words, stop: Stop) -> str:
    """'with Eléonore Simonet and 3 others': what a phone shows before a long guest list is opened;
    '' when the list is short enough to show whole."""
    if len(who_else(words, stop)) <= SHORT_GUEST_LIST:
        return ""
    count = others_count(stop)
    if stop.principals:
        first = stop.principals[0][0]
        return words.ngettext("with %(first)s and %(count)d other", "with %(first)s and %(count)d others",
                              count - 1) % {"first": first, "count": count - 1}
    return words.ngettext("with %(count)d other", "with %(count)d others", count) % {"count": count}
