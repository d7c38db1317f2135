"""Hypothesis strategies: small generated missions, planted-feasible ones and perturbed ones.

`planted_missions` are built by `planner.testing.generate.generate_mission` around a valid schedule, so that they
are feasible by construction. `perturbed_missions` take such a mission and tighten it at random (a fixed
start moved, a capacity cut, a daily limit of one, a long protocol gap, a lunch for everyone): they may or
may not stay feasible, which is what a property "whatever the solver returns is valid" needs.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from planner.domain import (
    UNKNOWN_SOURCE,
    Lunch,
    MaxPerDay,
    MinGap,
    Mission,
    Source,
    TimeOfDayRange,
)
from planner.domain.schedule import Schedule
from planner.testing.generate import RULE_KINDS, generate_mission

# CI runs derandomized (the same examples every time); `PLANNER_PROPERTIES=explore` draws 200 new ones.
# A settings object applied to these tests only: loading a profile would change other files' fuzz tests.
settings.register_profile("planner", max_examples=30, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("explore", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROPERTIES = settings.get_profile(os.environ.get("PLANNER_PROPERTIES", "planner"))

SOLVE_SECONDS = 5.0
"""Time limit of each property-test solve: small missions are proved optimal far sooner."""


@st.composite
def planted_missions(draw, min_activities: int = 3, max_activities: int = 15, min_delegates: int = 2,
                     max_delegates: int = 10) -> tuple[Mission, Schedule]:
    """A small mission with random rules, and the valid schedule it was built around."""
    activities = draw(st.integers(min_activities, max_activities))
    delegates = draw(st.integers(min_delegates, max_delegates))
    seed = draw(st.integers(0, 2**31 - 1))
    legs = draw(st.integers(1, 4))
    rules = draw(st.one_of(st.just(list(RULE_KINDS)),
                           st.lists(st.sampled_from(RULE_KINDS), unique=True, max_size=len(RULE_KINDS))))
    return generate_mission(activities, delegates, seed, legs=legs, rules=rules,
                            optional_share=draw(st.sampled_from((0.0, 0.2, 0.5))),
                            alternative_share=draw(st.sampled_from((0.0, 0.3))),
                            after_share=draw(st.sampled_from((0.0, 0.2, 0.5))),
                            contended_share=draw(st.sampled_from((0.0, 0.3))))


def _with_rule(mission: Mission, rule) -> Mission:
    return dataclasses.replace(mission, rules=mission.rules + (rule,))


@st.composite
def perturbed_missions(draw) -> Mission:
    """A planted mission tightened at random: feasible or not, the solver's answer must hold."""
    mission, _ = draw(planted_missions())
    activity_ids = sorted(mission.activities)
    delegate_ids = sorted(mission.delegates)
    for _ in range(draw(st.integers(1, 3))):
        change = draw(st.sampled_from(("fix", "capacity", "daily-limit", "long-gap", "everyone-lunch")))
        if change == "fix":
            activity = mission.activities[draw(st.sampled_from(activity_ids))]
            leg = mission.leg_of_activity(activity.id)
            day = draw(st.sampled_from(leg.days()))
            minute = draw(st.integers(7 * 12, 20 * 12)) * mission.grain
            fixed = leg.local_instant(day, minute)
            changed = dataclasses.replace(activity, fixed=fixed, windows=(), dates=())
            mission = dataclasses.replace(mission, activities={**mission.activities, activity.id: changed})
        elif change == "capacity":
            venue = mission.venues[draw(st.sampled_from(sorted(mission.venues)))]
            changed = dataclasses.replace(venue, capacity=draw(st.integers(1, 6)))
            mission = dataclasses.replace(mission, venues={**mission.venues, venue.id: changed})
        elif change == "daily-limit":
            who = draw(st.sampled_from(delegate_ids))
            mission = _with_rule(mission, MaxPerDay(id=f"max_per_day-{len(mission.rules) + 1}", who=who,
                                                    delegates=(who,), count=1))
        elif change == "long-gap":
            who = draw(st.sampled_from(delegate_ids))
            mission = _with_rule(mission, MinGap(id=f"min_gap-{len(mission.rules) + 1}", who=who,
                                                 delegates=(who,), gap=draw(st.sampled_from((60, 120, 240)))))
        else:
            for who in delegate_ids:
                mission = _with_rule(mission, Lunch(id=f"lunch-{len(mission.rules) + 1}", who=who,
                                                    delegates=(who,), between=TimeOfDayRange(720, 810),
                                                    duration=draw(st.sampled_from((30, 60)))))
    return mission


def without_sources(value):
    """The same domain object with every `Source` (and the file name) forgotten: what a round trip keeps."""
    if isinstance(value, Source):
        return UNKNOWN_SOURCE
    if isinstance(value, Mission):
        fields = {f.name: without_sources(getattr(value, f.name)) for f in dataclasses.fields(value)}
        fields["file"] = "<generated>"
        return Mission(**fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: without_sources(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, dict):
        return {key: without_sources(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(without_sources(item) for item in value)
    return value


def shifted(schedule: Schedule, activity_id: str, minutes: int) -> Schedule:
    """The schedule with one activity moved by `minutes` (to show the checker is not blind)."""
    delta = timedelta(minutes=minutes)
    moved = [dataclasses.replace(a, start=a.start + delta, end=a.end + delta) if a.id == activity_id else a
             for a in schedule.activities]
    return dataclasses.replace(schedule, activities=moved)
