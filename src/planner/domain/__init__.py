"""The domain: a mission and its rules as plain, frozen data, and the schedule that answers it.

The lowest layer: it imports nothing else of planner and does no input or output.
"""

from planner.domain.mission import (  # noqa: F401 - the domain's public names
    DEFAULT_LANGUAGE,
    LANGUAGES,
    REQUIRED,
    UNKNOWN_SOURCE,
    Accompany,
    Activity,
    After,
    Delegate,
    Group,
    Leg,
    Lodging,
    Lunch,
    MaxPerDay,
    MinGap,
    Mission,
    Rule,
    Source,
    TimeOfDayRange,
    TravelSettings,
    Venue,
    Window,
)
