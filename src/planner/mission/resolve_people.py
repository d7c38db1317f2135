"""Pass 3, people: delegates, and groups of delegates and groups expanded to their delegates.
"""

from __future__ import annotations

from planner.domain import Delegate, Group
from planner.mission.resolution import Resolution
from planner.mission.schema import GroupEntry


def resolve_delegates(resolution: Resolution) -> None:
    """delegates: ids unique across delegates and groups; unavailable windows inside legs."""
    for index, entry in resolution.shapes.delegates:
        path = ("delegates", index)
        if entry.id in resolution.people_paths:
            resolution.duplicate(path, "delegate", entry.id, resolution.people_paths[entry.id])
            continue
        resolution.people_paths[entry.id] = path
        windows = [resolution.window(w, path + ("unavailable", k)) for k, w in enumerate(entry.unavailable)]
        resolution.delegates[entry.id] = Delegate(
            id=entry.id,
            name=entry.name,
            role=entry.role,
            organisation=entry.organisation,
            delegation=entry.delegation,
            sectors=tuple(entry.sectors),
            size=entry.size,
            email=entry.email,
            unavailable=tuple(w for w in windows if w is not None),
            source=resolution.source(path),
            language=entry.language,
        )


def resolve_groups(resolution: Resolution) -> None:
    """groups: ids unique with delegates; members defined; no membership cycle; expanded and sorted."""
    entries: dict[str, tuple[int, GroupEntry]] = {}
    for index, entry in resolution.shapes.groups:
        path = ("groups", index)
        if entry.id in resolution.people_paths:
            resolution.duplicate(path, "group", entry.id, resolution.people_paths[entry.id])
            continue
        resolution.people_paths[entry.id] = path
        entries[entry.id] = (index, entry)
    for index, entry in entries.values():
        for position, member in enumerate(entry.members):
            if member not in resolution.delegates and member not in entries:
                resolution.dangling(("groups", index, "members", position), "member", member, "people")

    expanded: dict[str, set[str]] = {}
    reported_cycles: set[frozenset[str]] = set()

    def expand(group_id: str, trail: list[str]) -> set[str]:
        if group_id in expanded:
            return expanded[group_id]
        if group_id in trail:
            cycle = trail[trail.index(group_id) :] + [group_id]
            if frozenset(cycle) not in reported_cycles:
                reported_cycles.add(frozenset(cycle))
                resolution.report.add(
                    ("groups", entries[group_id][0], "members"),
                    f"group membership cycle: {' → '.join(cycle)}; a group cannot contain itself, "
                    "directly or through other groups: remove one of these memberships",
                )
            return set()
        found: set[str] = set()
        for member in entries[group_id][1].members:
            if member in resolution.delegates:
                found.add(member)
            elif member in entries:
                found |= expand(member, trail + [group_id])
        expanded[group_id] = found
        return found

    for group_id, (index, entry) in entries.items():
        delegates = expand(group_id, [])
        resolution.groups[group_id] = Group(
            id=group_id,
            members=tuple(entry.members),
            delegates=tuple(sorted(delegates)),
            name=entry.name,
            kind=entry.kind,
            source=resolution.source(("groups", index)),
        )
