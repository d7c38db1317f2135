"""Pass 3 of the loader, the shared part: what has been resolved so far, and the lookups every section uses.

`Resolution` holds the domain objects built so far (legs, venues, people, activities, rules) and resolves
references between entries: a written date and time to an instant in its leg's zone, ids of people and
venues, duplicate ids. It reads the document only through `planner.mission.positions.Positions` (by way
of the `Report`), never through a file format. The sections are resolved by `planner.mission.resolve`
(mission, legs, and the order of it all), `resolve_places`, `resolve_people`, `resolve_activities` and
`resolve_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from planner.domain import Activity, Delegate, Group, Leg, Rule, Source, Venue, Window
from planner.mission.hints import closest, named_hint
from planner.mission.positions import DocumentPath
from planner.mission.scalars import WrittenDateTime
from planner.mission.shapes import Report, Shapes


class Resolution:
    """Pass 3's state: the domain objects resolved so far, and the lookups between entries."""

    def __init__(self, report: Report, shapes: Shapes, file: str):
        self.report = report
        self.shapes = shapes
        self.file = file
        self.legs: list[Leg] = []
        self.venues: dict[str, Venue] = {}
        self.delegates: dict[str, Delegate] = {}
        self.groups: dict[str, Group] = {}
        self.activities: dict[str, Activity] = {}
        self.rules: list[Rule] = []
        self.explicit_travel: dict[tuple[str, str], int] = {}
        self.explicit_travel_sources: dict[tuple[str, str], Source] = {}
        self.people_paths: dict[str, DocumentPath] = {}
        self.lodging_indexes: list[int] = []
        """The index in `lodging` of each resolved `Lodging`, in order (errors found later point there)."""
        self.broken_cities: set[str] = set()
        """Cities of legs that are in error: their venues are left out without a second error."""

    def source(self, path: DocumentPath) -> Source:
        return self.report.positions.source(path)

    def legs_text(self) -> str:
        return ", ".join(f"{leg.city} {leg.first_day}–{leg.last_day}" for leg in self.legs)

    def leg_of_day(self, day: date) -> Leg | None:
        return next((leg for leg in self.legs if leg.contains(day)), None)

    def leg_of_city(self, city: str) -> Leg | None:
        return next((leg for leg in self.legs if leg.city == city), None)

    def instant(
        self, written: WrittenDateTime, path: DocumentPath, what: str, fallback: Leg | None = None
    ) -> tuple[datetime, Leg] | None:
        """A written datetime → an aware instant, in the zone of the leg whose dates contain it.

        `fallback` (the leg of a window's start) also takes the day after its last date, so that a window
        may end at midnight.
        """
        if written.offset is not None:
            # an explicit offset fixes the instant; its leg is the one whose local date it falls on
            instant = written.naive().replace(tzinfo=written.offset)
            local_day = {leg.city: instant.astimezone(leg.zone).date() for leg in self.legs}
            leg = next((leg for leg in self.legs if leg.contains(local_day[leg.city])), None)
            day = local_day[leg.city] if leg is not None else written.day
        else:
            instant = None
            leg = self.leg_of_day(written.day)
            day = written.day
        if (
            leg is None
            and fallback is not None
            and fallback.first_day <= day <= (fallback.last_day + timedelta(days=1))
        ):
            leg = fallback
        if leg is None:
            self.report.add(
                path,
                f"{what} {written} lies outside every leg ({self.legs_text()}); "
                "use a date of a leg, or add a leg for it",
            )
            return None
        return (instant if instant is not None else leg.local_instant(written.day, written.minute)), leg

    def window(self, written: tuple[WrittenDateTime, WrittenDateTime], path: DocumentPath) -> Window | None:
        """A window: both ends inside legs, end after start."""
        start = self.instant(written[0], path + (0,), "the window's start")
        if start is None:
            return None
        end = self.instant(written[1], path + (1,), "the window's end", fallback=start[1])
        if end is None:
            return None
        if end[0] <= start[0]:
            self.report.add(
                path,
                f"the window ends ({written[1]}) before or when it starts ({written[0]}); "
                + self.report.wording.either("write [start, end] with the end later",
                                             "write start – end with the end later"),
            )
            return None
        return Window(start[0], end[0], self.source(path))

    def people(self, references: Sequence[str], path: DocumentPath) -> set[str]:
        """Delegate and group ids → the delegates they name; a dangling id is reported at its item."""
        found: set[str] = set()
        for position, reference in enumerate(references):
            found |= self.person(reference, path + (position,))
        return found

    def person(self, reference: str, path: DocumentPath) -> set[str]:
        if reference in self.delegates:
            return {reference}
        if reference in self.groups:
            return set(self.groups[reference].delegates)
        self.dangling(path, "delegate or group", reference, "people")
        return set()

    def venue_reference(self, venue_id: str, path: DocumentPath, what: str) -> bool:
        if venue_id in self.venues:
            return True
        if venue_id not in self.shapes.written_ids.get("venues", set()):
            self.dangling(path, what, venue_id, "venues")
        return False

    def dangling(self, path: DocumentPath, what: str, reference: str, namespace: str) -> None:
        """A reference to an id no entry defines; an id whose own entry is broken is reported there."""
        if namespace == "people":
            written = self.shapes.written_ids.get("delegates", set()) | self.shapes.written_ids.get(
                "groups", set()
            )
            defined = list(self.delegates) + list(self.groups)
            sections: tuple[str, ...] = ("delegates", "groups")
        else:
            written = self.shapes.written_ids.get(namespace, set())
            defined = (
                list(self.venues) if namespace == "venues" else [e.id for _, e in self.shapes.activities]
            )
            sections = (namespace,)
        if reference in written:
            return
        suggestion = closest(reference, defined)
        # Only a reference to people may be a person's name or organisation: a venue named `odoo` is no
        # delegate, and suggesting one (planner.mission.references) would make a second mistake.
        named = named_hint(reference, self.delegates.values()) if namespace == "people" else None
        hint = named or (f"did you mean `{suggestion}`?" if suggestion
                         else self.report.wording.define_under(sections))
        self.report.add(path, f"unknown {what} `{reference}`; {hint}")

    def travel_advice(self, venue_a: str, venue_b: str) -> str:
        """What to add so that the loader knows the travel time between two venues of one city."""
        travel = self.report.wording.section("travel")
        return self.report.wording.either(
            f"`[{venue_a}, {venue_b}, 25m]` under travel.times, or `geo` to both venues, or a "
            "`travel.default`",
            f"a row {venue_a} | {venue_b} | 25m to {travel}, or `geo` to both venues, or a `default` in the "
            f"settings of {travel}")

    def duplicate(self, path: DocumentPath, what: str, identifier: str, first_path: DocumentPath) -> None:
        place = self.source(first_path).place()
        shared = " (delegates and groups share one set of ids)" if what in ("delegate", "group") else ""
        self.report.add(
            path,
            f"the {what} id `{identifier}` is already used on {place}; ids are unique"
            f"{shared}: rename one, e.g. `{identifier}-2`",
        )
