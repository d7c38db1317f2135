"""Synthetic missions for the benchmarks when `planner.generate` is not installed.

planner's own generator (`planner.generate.generate_mission`, which also plants a valid schedule) is used
whenever it exists; this stand-in only makes missions of the same shape as the flagship so that the
benchmark can run on any checkout: two legs (San Francisco 3 days, Los Angeles 2 days), venues scattered
around each city with opening hours and `parallel`, delegations of several sizes, sector groups, about a
quarter of the activities optional with a priority, optional attendees, candidate venues, windows, `after`
chains, and the protocol rules of a royal track (accompany, max_per_day, min_gap, lunch). The mission is
written as YAML and read by the real loader, so that travel times come from the spec's formula.
"""

from __future__ import annotations

import random
from pathlib import Path

CITIES = (
    ("San Francisco", "2025-10-05", "2025-10-07", (37.60, -122.25)),
    ("Los Angeles", "2025-10-09", "2025-10-10", (34.05, -118.30)),
)
KINDS = ("visit", "b2b", "seminar", "signing", "reception", "press", "meeting")
SECTORS = ("aerospace", "digital", "life-sciences", "cleantech", "creative", "logistics")


def mission_yaml(activities: int, delegates: int, seed: int) -> str:
    """A mission of `activities` activities and `delegates` delegates, the same for the same seed."""
    rng = random.Random(seed)
    lines = [
        f"mission: {{name: Generated mission {activities}/{delegates} seed {seed}, timezone: America/Los_Angeles, "
        'grain: 5m, day: {start: "08:00", end: "20:00"}}',
        "legs:",
    ]
    for city, first, last, _ in CITIES:
        lines.append(f"  - {{city: {city}, from: {first}, to: {last}}}")
    lines.append("venues:")
    venues_of: dict[str, list[str]] = {}
    per_city = max(4, activities // 12)
    for city, _, _, (lat, lon) in CITIES:
        count = per_city if city == "San Francisco" else max(3, per_city * 2 // 3)
        for index in range(count):
            venue_id = f"{city[:2].lower()}-venue-{index}"
            venues_of.setdefault(city, []).append(venue_id)
            geo = f"[{lat + rng.uniform(-0.25, 0.25):.4f}, {lon + rng.uniform(-0.25, 0.25):.4f}]"
            extra = ""
            if rng.random() < 0.5:
                extra += ', open: [["09:00", "18:00"]]'
            if rng.random() < 0.3:
                extra += f", parallel: {rng.randint(2, 4)}"
            lines.append(f"  - {{id: {venue_id}, name: Venue {index} {city}, city: {city}, geo: {geo}{extra}}}")
    lines.append("delegates:")
    lines.append("  - {id: royal, name: Royal, role: royal}")
    lines.append("  - {id: minister, name: Minister, role: minister}")
    people = ["royal", "minister"]
    for index in range(delegates - 2):
        delegate_id = f"d{index}"
        people.append(delegate_id)
        size = rng.choice((1, 1, 1, 2, 2, 3, 4))
        sector = SECTORS[index % len(SECTORS)]
        lines.append(f"  - {{id: {delegate_id}, name: Delegate {index}, role: company, size: {size}, "
                     f"sectors: [{sector}]}}")
    lines.append("groups:")
    lines.append("  - {id: royal-track, kind: track, members: [royal, minister]}")
    companies = people[2:]
    lines.append("activities:")
    ids: list[str] = []
    for index in range(activities):
        city = CITIES[0] if index < activities * 3 // 5 else CITIES[1]
        name, first, last, _ = city
        activity_id = f"a{index}"
        kind = rng.choice(KINDS)
        candidates = rng.sample(venues_of[name], k=1 if rng.random() < 0.7 else 2)
        venue = f"venue: {candidates[0]}" if len(candidates) == 1 else f"venues: [{', '.join(candidates)}]"
        duration = rng.choice((30, 45, 60, 60, 90, 120))
        attendees = rng.sample(companies, k=min(len(companies), rng.randint(1, 4)))
        if rng.random() < 0.08:
            attendees.append("royal-track")
        optional = rng.sample(companies, k=min(len(companies), rng.randint(0, 3)))
        optional = [d for d in optional if d not in attendees]
        fields = [f"id: {activity_id}", f"title: Activity {index}", f"kind: {kind}", venue,
                  f"duration: {duration}m", f"attendees: [{', '.join(attendees)}]"]
        if optional:
            fields.append(f"optional_attendees: [{', '.join(optional)}]")
        if rng.random() < 0.25:
            fields.append(f"priority: {rng.choice((10, 20, 50, 100, 200))}")
        if ids and rng.random() < 0.05 and ids[-1] in _same_city_ids(ids, index, activities):
            fields.append(f"after: [{ids[-1]}]")
        lines.append("  - {" + ", ".join(fields) + "}")
        ids.append(activity_id)
    lines += [
        "rules:",
        "  - accompany: {who: minister, with: royal, kinds: [visit, signing]}",
        "  - max_per_day: {who: royal, count: 6}",
        "  - min_gap: {who: royal-track, gap: 15m}",
        '  - lunch: {who: royal-track, between: ["11:30", "14:00"], duration: 45m}',
    ]
    return "\n".join(lines) + "\n"


def _same_city_ids(ids: list[str], index: int, activities: int) -> set[str]:
    boundary = activities * 3 // 5
    return {i for i in ids if (int(i[1:]) < boundary) == (index < boundary)}


def generate(activities: int, delegates: int, seed: int, directory: Path):
    """Write the mission into `directory` and load it with planner's loader."""
    from planner.load import load_mission

    path = directory / f"generated-{activities}-{delegates}-{seed}.yaml"
    path.write_text(mission_yaml(activities, delegates, seed), encoding="utf-8")
    return load_mission(path)
