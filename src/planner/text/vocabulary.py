"""The conventional words of a mission file, as a reader of another language reads them.

`kind` and `role` are free text in the mission format; the conventional values (docs/mission-format.md)
have a translation, anything else an organiser wrote is shown as written, like titles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from planner.text.i18n import Words, words_for


def _kinds(words: Words) -> dict[str, str]:
    return {
        "b2b": words.pgettext("activity kind", "B2B"),
        "briefing": words.pgettext("activity kind", "briefing"),
        "ceremony": words.pgettext("activity kind", "ceremony"),
        "meal": words.pgettext("activity kind", "meal"),
        "meeting": words.pgettext("activity kind", "meeting"),
        "press": words.pgettext("activity kind", "press"),
        "reception": words.pgettext("activity kind", "reception"),
        "seminar": words.pgettext("activity kind", "seminar"),
        "signing": words.pgettext("activity kind", "signing"),
        "transfer": words.pgettext("activity kind", "transfer"),
        "visit": words.pgettext("activity kind", "visit"),
    }


def _roles(words: Words) -> dict[str, str]:
    return {
        "academic": words.pgettext("delegate role", "academic"),
        "company": words.pgettext("delegate role", "company"),
        "federation": words.pgettext("delegate role", "federation"),
        "minister": words.pgettext("delegate role", "minister"),
        "official": words.pgettext("delegate role", "official"),
        "press": words.pgettext("delegate role", "press"),
        "royal": words.pgettext("delegate role", "royal"),
        "staff": words.pgettext("delegate role", "staff"),
    }


def _statuses(words: Words) -> dict[str, str]:
    return {
        "optimal": words.pgettext("schedule status", "optimal"),
        "feasible": words.pgettext("schedule status", "feasible"),
        "infeasible": words.pgettext("schedule status", "infeasible"),
        "unknown": words.pgettext("schedule status", "unknown"),
    }


def more_principals(words: Words, role: str | None, count: int) -> str:
    """`3 more officials`: principals beyond those an itinerary names, by role when they share one."""
    if role == "royal":
        return words.ngettext("%(count)d more royal", "%(count)d more royals", count) % {"count": count}
    if role == "minister":
        return words.ngettext("%(count)d more minister", "%(count)d more ministers", count) % {"count": count}
    if role == "official":
        return words.ngettext("%(count)d more official", "%(count)d more officials", count) % {"count": count}
    return words.ngettext("%(count)d more principal", "%(count)d more principals", count) % {"count": count}


@cache
def _table(language: str, which: Callable[[Words], dict[str, str]]) -> dict[str, str]:
    return which(words_for(language))


def kind_label(words: Words, kind: str) -> str:
    """`visit` → `visite` (fr); a kind of the organiser's own stays as written."""
    return _table(words.language, _kinds).get(kind.casefold(), kind)


def meeting_category(words: Words) -> str:
    """`b2b-meeting` → `rendez-vous B2B` (fr): the label a calendar app shows on a B2B meeting's event, as
    an activity's event shows its kind (English keeps the word its calendars have always carried)."""
    return words.pgettext("calendar category", "b2b-meeting")


def role_label(words: Words, role: str) -> str:
    """`minister` → `ministre` (fr); a role of the organiser's own stays as written."""
    return _table(words.language, _roles).get(role.casefold(), role)


def status_label(words: Words, status: str) -> str:
    """`feasible` → `réalisable` (fr): a schedule's status (schedule.json keeps the English code)."""
    return _table(words.language, _statuses).get(status, status)
