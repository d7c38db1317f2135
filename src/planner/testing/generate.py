"""Synthetic missions of any size, built around a planted valid schedule, and any Mission back to YAML.

`generate_mission` places every activity first (leg, date, time block, venue, attendees), then derives
from that planted programme what the mission says: timing statements (`fixed`, `windows`, `dates` or
nothing) that contain the planted times, venue opening hours, `parallel` and `capacity` that the planted
programme respects, `after` links that it satisfies, unavailable windows where delegates are free, and
rules (`accompany`, `max_per_day`, `min_gap`, `lunch`) that hold in it. The planted schedule is returned
beside the mission, so that a mission is feasible by construction and a checker can prove it.

Why the planted programme is valid without search: each date of a leg is cut into time blocks separated by
`BLOCK_BREAK` minutes, longer than the largest travel time between two venues of a city plus the largest
protocol gap; a delegate attends at most one activity per block; so travel, gaps and a lunch break between
the second and third block always fit.

`mission_to_yaml` (from `planner.mission.write`) writes any `Mission` in the mission format, so that generated
missions can be saved, loaded by `planner.mission.load` and run by the command line.

`planner.testing` is a public helper for tests and benchmarks (docs/testing.md); the generator is split into
`generate_plan` (the frame), `generate_people`, `generate_placing` and `generate_statements`.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Iterable, Sequence

from planner.domain import (
    Delegate,
    Lunch,
    Mission,
    Rule,
    TravelSettings,
)
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.domain.travel import computed_travel_minutes
from planner.mission.write import mission_to_yaml
from planner.testing.generate_people import make_groups, make_people, make_teams, make_unavailable
from planner.testing.generate_placing import (
    add_optional,
    free_person,
    free_team,
    make_legs,
    mark_busy,
    pick_venue,
    place_leftovers,
    scatter_venues,
    title_of,
)
from planner.testing.generate_plan import (
    ACCOMPANY_KINDS,
    BLOCKS,
    DURATIONS,
    GRAIN,
    ROYAL_KINDS,
    RULE_KINDS,
    TEAM_KINDS,
    WORKING_DAY,
    Planted,
    Slot,
)
from planner.testing.generate_statements import make_activities, make_rules, make_venues

__all__ = ["RULE_KINDS", "generate_mission", "main", "mission_to_yaml"]


def generate_mission(
    activities: int,
    delegates: int,
    seed: int = 0,
    *,
    legs: int = 2,
    days_per_leg: int | None = None,
    rules: Iterable[str] = RULE_KINDS,
    optional_share: float = 0.15,
    alternative_share: float = 0.2,
    after_share: float = 0.1,
    contended_share: float = 0.05,
) -> tuple[Mission, Schedule]:
    """A mission of `activities` activities and `delegates` delegates around a planted valid schedule.

    Deterministic for a seed. `rules` chooses the rule kinds to include (each when the mission is big
    enough for it); `optional_share` of the activities get a priority, `alternative_share` candidate
    venues, `after_share` an `after` link; `contended_share` an optional attendee who is busy elsewhere in
    the planted programme (the solver then has to choose where they go).
    """
    if activities < 1 or delegates < 1 or legs < 1:
        raise ValueError("a mission needs at least one activity, one delegate and one leg")
    rng = random.Random(seed)
    wanted_rules = set(rules)
    unknown = wanted_rules - set(RULE_KINDS)
    if unknown:
        raise ValueError(f"unknown rule kinds {sorted(unknown)}; choose among {RULE_KINDS}")

    people = make_people(rng, delegates)
    teams = make_teams(rng, people)
    # Activities one block can hold: each takes a team or a delegate, and optional attendees take more.
    per_block_capacity = max(1, min(len(teams.ids) or delegates, delegates) // 2)
    if days_per_leg is None:
        days_per_leg = max(2, min(6, math.ceil(activities / (legs * len(BLOCKS) * per_block_capacity))))
        while legs * days_per_leg * len(BLOCKS) * per_block_capacity < activities:
            days_per_leg += 1
    mission_legs = make_legs(legs, days_per_leg)
    slots = [Slot(leg, day, block)
             for leg in mission_legs for day in leg.days() for block in range(len(BLOCKS))]
    per_slot = math.ceil(activities / len(slots))
    venues_per_leg = max(2, min(60, math.ceil(per_slot / 2) + 1))
    settings = TravelSettings(speed_kmh=35.0, detour=1.3, buffer=10, default=None)
    venue_points = scatter_venues(rng, mission_legs, venues_per_leg)

    principal = people.royal
    companion = people.ministers[0] if people.ministers else None
    accompany = "accompany" in wanted_rules and principal is not None and companion is not None

    # 1. Place: spread the activities over the blocks, then fill each block.
    counts = [activities // len(slots)] * len(slots)
    for index in rng.sample(range(len(slots)), activities % len(slots)):
        counts[index] += 1
    planted: list[Planted] = []
    number = 0
    for slot, count in zip(slots, counts):
        leg_venues = venue_points[slot.leg.city]
        team_order = list(teams.ids)
        rng.shuffle(team_order)
        royal_done = False
        for _ in range(count):
            number += 1
            activity_id = f"a{number:04d}"
            royal_here = (principal is not None and not royal_done and principal not in slot.busy
                          and rng.random() < 0.6)
            kind = rng.choice(ROYAL_KINDS) if royal_here else rng.choice(TEAM_KINDS)
            venue_id = pick_venue(rng, slot, leg_venues)
            duration = rng.choice(DURATIONS)
            latest = slot.end_minute - duration
            offset = rng.randrange(0, (latest - slot.start_minute) // GRAIN + 1) * GRAIN
            start = slot.leg.local_instant(slot.day, slot.start_minute + offset)
            item = Planted(activity_id, kind, slot, venue_id, start, duration)
            if royal_here:
                assert principal is not None  # royal_here needs a principal
                royal_done = True
                item.attendee_refs.append(principal)
                item.attending.add(principal)
                if (accompany and companion is not None and kind in ACCOMPANY_KINDS
                        and companion not in slot.busy):
                    item.attending.add(companion)  # brought by the accompany rule, not listed
                elif accompany and kind in ACCOMPANY_KINDS:
                    item.kind = kind = "press"
            team = free_team(slot, teams, team_order)
            if team is not None:
                item.attendee_refs.append(team if len(teams.members[team]) > 1 else teams.members[team][0])
                item.attending.update(teams.members[team])
            if people.individuals and (not item.attending or rng.random() < 0.35):
                vip = free_person(rng, slot, people.individuals, item.attending)
                if vip is not None and vip != principal:
                    item.attendee_refs.append(vip)
                    item.attending.add(vip)
            if not item.attending:
                anyone = free_person(rng, slot, people.all_ids, item.attending)
                if anyone is None:
                    number -= 1
                    continue  # nobody is free in this block any more: the activity goes to the leftovers
                item.attendee_refs.append(anyone)
                item.attending.add(anyone)
                if anyone == principal and accompany and kind in ACCOMPANY_KINDS:
                    item.kind = kind = "meeting"  # the companion may be busy: no accompanied kind here
            mark_busy(slot, item.attending, teams)
            add_optional(rng, item, slot, people, teams, contended_share)
            slot.venue_use[venue_id] += 1
            item.title = title_of(item, teams)
            planted.append(item)
    leftovers = activities - len(planted)
    if leftovers:
        # Tiny missions (more activities than free delegates per block): one more date per leg would do,
        # but the requested size is honoured by giving those activities the least busy blocks.
        place_leftovers(rng, leftovers, slots, planted, people, teams, venue_points, number)

    # 2. Derive what the mission says from the planted programme.
    venues = make_venues(rng, mission_legs, venue_points, planted, people)
    travel = {
        (a.id, b.id): computed_travel_minutes(a.geo, b.geo, settings)
        for a in venues.values() for b in venues.values()
        if a.id != b.id and a.city == b.city and a.geo is not None and b.geo is not None
    }
    groups = make_groups(people, teams, principal, companion)
    unavailable = make_unavailable(rng, slots, people)
    delegates_map = {
        person_id: Delegate(
            id=person_id, name=people.names[person_id], role=people.roles[person_id],
            organisation=people.organisations.get(person_id), delegation=people.delegations.get(person_id),
            sectors=people.sectors.get(person_id, ()), size=people.sizes[person_id],
            unavailable=tuple(unavailable.get(person_id, ())))
        for person_id in people.all_ids
    }
    activity_map = make_activities(rng, planted, groups, delegates_map, venue_points, optional_share,
                               alternative_share, after_share)
    mission_rules = make_rules(rng, wanted_rules, planted, people, groups, principal, companion, accompany)
    first = mission_legs[0]
    mission = Mission(
        name=f"Synthetic mission: {activities} activities, {delegates} delegates (seed {seed})",
        timezone=first.timezone, grain=GRAIN, day=WORKING_DAY, legs=tuple(mission_legs), venues=venues,
        delegates=delegates_map, activities=activity_map, groups=groups, rules=tuple(mission_rules),
        travel=travel, travel_settings=settings)
    schedule = Schedule(
        mission=mission.name, status="feasible",
        activities=[
            ScheduledActivity(id=item.id, title=item.title, kind=item.kind, venue=item.venue,
                              start=item.start, end=item.end, attendees=tuple(sorted(item.attending)))
            for item in sorted(planted, key=lambda p: (p.start, p.id))
        ],
        extra={"planted": True},
    )
    return lunch_that_holds(mission, schedule), schedule


def lunch_that_holds(mission: Mission, planted: Schedule) -> Mission:
    """The mission with its lunch rules shortened to what the planted programme leaves off the road (the
    75-minute break between blocks holds the lunch only where little travel lies around it), or without a
    rule that nothing fits; the random draws are untouched."""
    from planner.check import check_schedule

    rules = list(mission.rules)
    for _ in range(len(rules) + 1):
        short = [(v.delegates[0], v.params["longest"]) for v in check_schedule(mission, planted)
                 if v.code == "lunch"]
        if not short:
            break
        kept: list[Rule] = []
        for rule in rules:
            found = [longest for delegate_id, longest in short if delegate_id in rule.delegates]
            if not isinstance(rule, Lunch) or not found:
                kept.append(rule)
                continue
            longest = min(found) // GRAIN * GRAIN
            if longest >= GRAIN:
                kept.append(dataclasses.replace(rule, duration=min(rule.duration, longest)))
        rules = kept
        mission = dataclasses.replace(mission, rules=tuple(rules))
    return mission


# --- command line: python -m planner.testing.generate -------------------------------------------------------


def main(arguments: Sequence[str] | None = None) -> int:
    """`python -m planner.testing.generate ACTIVITIES DELEGATES [--seed N] [--legs N] [--out mission.yaml]
    [--schedule planted.json]`: write a synthetic mission (to stdout without --out) and its planted
    schedule."""
    import argparse
    import sys
    from pathlib import Path

    from planner.mission.files import write_atomic

    parser = argparse.ArgumentParser(prog="python -m planner.testing.generate", description=main.__doc__)
    parser.add_argument("activities", type=int)
    parser.add_argument("delegates", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--legs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="mission file to write (default: standard output)")
    parser.add_argument("--schedule", type=Path, help="where to write the planted schedule.json")
    options = parser.parse_args(arguments)
    try:
        mission, schedule = generate_mission(options.activities, options.delegates, options.seed,
                                             legs=options.legs)
    except ValueError as failure:
        parser.error(str(failure))
    text = mission_to_yaml(mission)
    if options.out is None:
        sys.stdout.write(text)
    else:
        write_atomic(options.out, text)
    if options.schedule is not None:
        write_atomic(options.schedule, schedule.dumps())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
