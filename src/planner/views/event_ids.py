"""The UIDs of planner's calendar events: `<activity id>@<mission slug>.planner`, the same in every file and
every run, so that a refresh or a re-import replaces an event instead of duplicating it.

Its own module because the programme's calendars, the B2B meetings' events and publishing all make or
recognise these UIDs.
"""

from __future__ import annotations

import functools

from planner.domain import Mission
from planner.mission.files import slug


def mission_slug(mission: Mission) -> str:
    return _slug_of_name(mission.name)


@functools.lru_cache(maxsize=32)
def _slug_of_name(name: str) -> str:
    return slug(name)


def event_uid(mission: Mission, activity_id: str) -> str:
    """The event's UID: from the mission and the activity only, never from the title or the time."""
    return f"{activity_id}@{mission_slug(mission)}.planner"


def is_own_uid(mission: Mission, uid: str) -> bool:
    """Whether an event UID was made by `event_uid` for this mission (publish removes only those)."""
    return uid.endswith(f"@{mission_slug(mission)}.planner")
