"""People of a synthetic mission: delegates (a royal, ministers, officials, press, company teams), their
teams, the groups the mission names them by, and the windows when some are unavailable.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.domain import (
    Group,
    Window,
)
from planner.testing.generate_plan import (
    REGIONS,
    SECTORS,
    Slot,
)

# --- people ---------------------------------------------------------------------------------------------


@dataclass
class People:
    all_ids: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)
    delegations: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    royal: str | None = None
    ministers: list[str] = field(default_factory=list)
    individuals: list[str] = field(default_factory=list)
    """Royal, ministers, officials and press: they attend one by one, never as part of a team."""
    companies: list[str] = field(default_factory=list)

    def add(self, person_id: str, name: str, role: str, size: int = 1, *, organisation: str | None = None,
            delegation: str | None = None, sectors: tuple[str, ...] = ()) -> str:
        self.all_ids.append(person_id)
        self.names[person_id] = name
        self.roles[person_id] = role
        self.sizes[person_id] = size
        if organisation:
            self.organisations[person_id] = organisation
        if delegation:
            self.delegations[person_id] = delegation
        if sectors:
            self.sectors[person_id] = sectors
        return person_id


def make_people(rng: random.Random, count: int) -> People:
    people = People()
    if count >= 2:
        people.royal = people.add("royal", "HRH the Princess", "royal", delegation="federal")
        people.individuals.append(people.royal)
        ministers = 1 if count < 100 else min(6, count // 100)
        for n in range(1, ministers + 1):
            region = REGIONS[(n - 1) % len(REGIONS)][0] if n > 1 else "federal"
            minister = people.add(f"minister-{n}", f"Minister {n}", "minister", delegation=region)
            people.ministers.append(minister)
        people.individuals.extend(people.ministers)
    remaining = count - len(people.all_ids)
    officials = min(12, remaining // 40)
    for n in range(1, officials + 1):
        official = people.add(f"official-{n}", f"Official {n}", "official", delegation="federal")
        people.individuals.append(official)
    remaining = count - len(people.all_ids)
    if remaining >= 20:
        people.individuals.append(people.add("press", "Press pool", "press", size=rng.randint(6, 12)))
    remaining = count - len(people.all_ids)
    for n in range(1, remaining + 1):
        region, adjective = REGIONS[rng.randrange(len(REGIONS))]
        sector, label = SECTORS[rng.randrange(len(SECTORS))]
        size = rng.choices((1, 2, 3, 4, 5), weights=(30, 35, 20, 10, 5))[0]
        role = "academic" if rng.random() < 0.07 else "company"
        people.companies.append(people.add(
            f"c{n:04d}", f"{adjective} {label} {'institute' if role == 'academic' else 'company'} {n}", role,
            size=size, delegation=region, sectors=(sector,), organisation=f"Organisation {n}"))
    return people


@dataclass
class Teams:
    ids: list[str] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    of: dict[str, str] = field(default_factory=dict)
    region: dict[str, str] = field(default_factory=dict)
    sector: dict[str, str] = field(default_factory=dict)


def make_teams(rng: random.Random, people: People) -> Teams:
    """Companies of one region and sector, in teams of a few: the groups that attend activities together."""
    teams = Teams()
    by_kind: dict[tuple[str, str], list[str]] = defaultdict(list)
    for company in people.companies:
        by_kind[(people.delegations[company], people.sectors[company][0])].append(company)
    for (region, sector), members in sorted(by_kind.items()):
        size = max(1, min(12, len(people.companies) // 40 or 1))
        for n, start in enumerate(range(0, len(members), size), start=1):
            team_id = f"{region}-{sector}-{n}"
            teams.ids.append(team_id)
            teams.members[team_id] = members[start:start + size]
            teams.region[team_id], teams.sector[team_id] = region, sector
            for member in teams.members[team_id]:
                teams.of[member] = team_id
    return teams


def make_groups(people: People, teams: Teams, principal: str | None,
                companion: str | None) -> dict[str, Group]:
    groups: dict[str, Group] = {}

    def add(group_id: str, members: list[str], name: str, kind: str) -> None:
        if not members:
            return
        expanded: set[str] = set()
        for member in members:
            expanded |= set(groups[member].delegates) if member in groups else {member}
        groups[group_id] = Group(id=group_id, members=tuple(members), delegates=tuple(sorted(expanded)),
                                 name=name, kind=kind)

    for team_id in teams.ids:
        if len(teams.members[team_id]) > 1:
            add(team_id, teams.members[team_id], f"{team_id.replace('-', ' ').capitalize()}", "delegation")

    def team_refs(selected: list[str]) -> list[str]:
        return [t if t in groups else teams.members[t][0] for t in selected]

    for sector, label in SECTORS:
        add(f"sector-{sector}", team_refs([t for t in teams.ids if teams.sector[t] == sector]),
            f"Sector: {label}", "sector")
    for region, adjective in REGIONS:
        add(f"delegation-{region}", team_refs([t for t in teams.ids if teams.region[t] == region]),
            f"{adjective} delegation", "delegation")
    if principal is not None:
        add("royal-track", [principal] + ([companion] if companion else []), "Royal track", "track")
    if people.ministers:
        add("ministers", list(people.ministers), "Ministers", "track")
    return groups


def make_unavailable(rng: random.Random, slots: list[Slot], people: People) -> dict[str, list[Window]]:
    """Some delegates are unavailable during a whole block in which the planted programme leaves them free."""
    result: dict[str, list[Window]] = {}
    for person in people.all_ids:
        if rng.random() >= 0.05:
            continue
        free = [s for s in slots if person not in s.busy]
        if not free:
            continue
        slot = rng.choice(free)
        result[person] = [Window(slot.leg.local_instant(slot.day, slot.start_minute),
                                 slot.leg.local_instant(slot.day, slot.end_minute))]
    return result


def expand(refs: Iterable[str], groups: dict[str, Group]) -> set[str]:
    found: set[str] = set()
    for ref in refs:
        found |= set(groups[ref].delegates) if ref in groups else {ref}
    return found
