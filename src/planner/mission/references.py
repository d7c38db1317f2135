"""Which sections' ids each referring key of a mission document accepts, and what the document defines.

A misspelt or unknown reference is told an id to write instead (`did you mean `astrid`?`); that id must be
one the key accepts, or the advice makes a second error: an attendee pointed to a venue, a venue to a
delegate. Pass 2 (`planner.mission.shapes`, an id that is not valid) and pass 3 (`planner.mission.resolution`
and `resolve_meetings`, a valid id no entry defines) both read the table below, so they suggest alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.mission.scalars import ID_PATTERN, suggest_id

PEOPLE = ("delegates", "groups")
SESSIONS = "sessions"
"""Not a section: the activities that are B2B sessions (with `meetings`), which `sessions` keys name."""

REFERENCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("groups", "members"): PEOPLE,
    ("activities", "venue"): ("venues",),
    ("activities", "venues"): ("venues",),
    ("activities", "attendees"): PEOPLE,
    ("activities", "optional_attendees"): PEOPLE,
    ("activities", "after"): ("activities",),
    ("counterparts", "sessions"): (SESSIONS,),
    ("meetings", "with"): (*PEOPLE, "counterparts"),
    ("meetings", "sessions"): (SESSIONS,),
    ("lodging", "venue"): ("venues",),
    ("lodging", "who"): PEOPLE,
    ("travel", "times"): ("venues",),
    ("rules", "who"): PEOPLE,  # every rule kind's `who`, the registry's too
    ("rules", "with"): PEOPLE,  # accompany
}
"""(section, key) → the sections whose ids the key accepts (docs/mission-format.md, docs/b2b.md)."""


def referred_sections(path: Sequence[Any]) -> tuple[str, ...] | None:
    """The sections whose ids the value at the document path `path` may name; None for an entry's own
    `id` and for anything that is no reference. A rule's key is the last of its path (`rules.1.accompany.
    with`); elsewhere the entry's key is the first (`activities.2.after.0.reference.id` is an `after`)."""
    if not path:
        return None
    keys = [step for step in path[1:] if isinstance(step, str)]
    if not keys:
        return None
    key = keys[-1] if path[0] == "rules" else keys[0]
    return REFERENCES.get((str(path[0]), key))


def defined_in(sections: Sequence[str]) -> tuple[str, ...]:
    """Where the ids of `sections` are defined: a session is an activity."""
    return tuple(dict.fromkeys("activities" if name == SESSIONS else name for name in sections))


@dataclass(frozen=True)
class RawPerson:
    """A delegate or counterpart as written, before validation: what a misspelt reference may name."""

    id: str
    name: str
    organisation: str | None


@dataclass(frozen=True)
class Referable:
    """The ids each section defines and the people it lists, read before any entry is validated, so that an
    invalid reference (`Sonaca`) is told an id that exists rather than the one made of it (`sonaca`)."""

    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    people: dict[str, tuple[RawPerson, ...]] = field(default_factory=dict)

    def ids_of(self, sections: Sequence[str]) -> set[str]:
        return {identifier for name in sections for identifier in self.ids.get(name, ())}

    def people_of(self, sections: Sequence[str]) -> list[RawPerson]:
        return [person for name in sections for person in self.people.get(name, ())]


NOTHING_REFERABLE = Referable()
"""What a section validated without the document's ids (the mission header) may be told: nothing."""

REFERABLE_SECTIONS = ("delegates", "groups", "counterparts", "venues", "activities")


def referable(document: dict[str, Any]) -> Referable:
    ids: dict[str, set[str]] = {}
    people: dict[str, list[RawPerson]] = {}
    for section in REFERABLE_SECTIONS:
        entries = document.get(section)
        for raw in entries if isinstance(entries, list) else ():
            written_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(written_id, str):
                continue
            # An invalid id is told to become its made-up form (`Astrid` → `astrid`): references may say so.
            identifier = written_id if ID_PATTERN.fullmatch(written_id) else suggest_id(written_id)
            ids.setdefault(section, set()).add(identifier)
            if section == "activities" and raw.get("meetings") is not None:
                ids.setdefault(SESSIONS, set()).add(identifier)
            if section in ("delegates", "counterparts"):
                name, organisation = raw.get("name"), raw.get("organisation")
                people.setdefault(section, []).append(RawPerson(
                    identifier, name if isinstance(name, str) else "",
                    organisation if isinstance(organisation, str) else None))
    return Referable({name: frozenset(found) for name, found in ids.items()},
                     {name: tuple(found) for name, found in people.items()})
