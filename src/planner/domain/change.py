"""What changed between two schedules of one mission, and the disruption it causes (`shared/spec/replan.md`).

Everything here is plain Python over two `Schedule`s: the change set that schedule.json's `changes` key
holds, each delegate's own view of it (what the change report and the mail tell them), and the contract's
`disruption` recomputed from the two files alone. The solver's disruption term is built separately; this
plain recomputation is what it is checked against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from planner.domain.schedule import Schedule, ScheduledActivity

CHANGE_KINDS = ("moved", "added", "removed", "attendees")
"""The values of `changes[].change`, as the contract names them."""


@dataclass(frozen=True, slots=True)
class Placement:
    """When and where an activity takes place: `before` and `after` of a change."""

    start: datetime
    end: datetime
    venue: str

    @classmethod
    def of(cls, activity: ScheduledActivity) -> Placement:
        return cls(activity.start, activity.end, activity.venue)

    def same_as(self, other: Placement) -> bool:
        """The same instants (whatever the offset written) and the same venue."""
        return self.start == other.start and self.end == other.end and self.venue == other.venue

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "venue": self.venue}

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Placement:
        return cls(datetime.fromisoformat(document["start"]), datetime.fromisoformat(document["end"]),
                   str(document["venue"]))


@dataclass(frozen=True, slots=True)
class ActivityChange:
    """One entry of schedule.json's `changes`: how one activity's programme changed."""

    activity: str
    change: str
    """One of `CHANGE_KINDS`."""
    before: Placement | None
    after: Placement | None
    joined: tuple[str, ...] = ()
    """Delegates who attend it now and did not before (all its attendees when `added`), sorted."""
    left: tuple[str, ...] = ()
    """Delegates who attended it before and no longer do (all its former attendees when `removed`), sorted."""
    stayed: tuple[str, ...] = ()
    """Delegates who attend it before and after, sorted; not written to `changes` (the new schedule's
    attendees less `joined` give it back: see `ChangeSet.from_json`)."""
    title: str = ""
    """The activity's title (the new one when both schedules have it): a key planner adds to each entry,
    so that a removed activity can still be named once the baseline file is gone."""

    def to_json(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "change": self.change,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
            "joined": list(self.joined),
            "left": list(self.left),
            "title": self.title,
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> ActivityChange:
        before, after = document.get("before"), document.get("after")
        return cls(
            activity=str(document["activity"]),
            change=str(document["change"]),
            before=Placement.from_json(before) if before else None,
            after=Placement.from_json(after) if after else None,
            joined=tuple(document.get("joined", ())),
            left=tuple(document.get("left", ())),
            title=str(document.get("title") or ""),
        )


@dataclass(frozen=True, slots=True)
class DelegateChange:
    """What changed for one delegate in one activity, as the change report and the mail tell it."""

    delegate: str
    activity: str
    title: str
    kind: str
    """`moved` (they still attend, at another time or place), `added` (a new activity they attend),
    `joined` (an existing activity they now attend), `cancelled` (an activity that was removed) or `left`
    (an activity they no longer attend)."""
    before: Placement | None
    after: Placement | None

    @property
    def disrupts(self) -> bool:
        """Whether the contract's disruption counts it: every kind does, but a move counts only when the
        start or the venue changed (an end that alone changed follows from an edited duration)."""
        if self.kind != "moved" or self.before is None or self.after is None:
            return True
        return self.before.start != self.after.start or self.before.venue != self.after.venue

    @property
    def first_instant(self) -> datetime:
        """The earlier of the old and the new start: the report is sorted by it."""
        instants = [p.start for p in (self.before, self.after) if p is not None]
        return min(instants)


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Every activity whose programme changed between a baseline and a new schedule, sorted by id."""

    changes: tuple[ActivityChange, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def to_json(self) -> list[dict[str, Any]]:
        return [change.to_json() for change in self.changes]

    @classmethod
    def from_json(cls, entries: Iterable[Mapping[str, Any]], new: Schedule, baseline: Schedule | None = None
                  ) -> ChangeSet:
        """The change set a schedule.json's `changes` holds; titles and who stayed come from the schedules."""
        new_by_id = new.by_id()
        old_by_id = baseline.by_id() if baseline is not None else {}
        changes = []
        for entry in entries:
            change = ActivityChange.from_json(entry)
            now, old = new_by_id.get(change.activity), old_by_id.get(change.activity)
            stayed = tuple(sorted(set(now.attendees) - set(change.joined))) if now is not None else ()
            title = (now.title if now is not None else old.title if old is not None
                     else change.title or change.activity)
            changes.append(replace(change, stayed=stayed if change.after else (), title=title))
        return cls(tuple(sorted(changes, key=lambda c: c.activity)))

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.change == kind)

    def by_delegate(self) -> dict[str, list[DelegateChange]]:
        """Delegate id → what changed for them, sorted by date (then activity id); delegates sorted by id."""
        result: dict[str, list[DelegateChange]] = {}
        for change in self.changes:
            for item in _delegate_items(change):
                result.setdefault(item.delegate, []).append(item)
        return {delegate: sorted(items, key=lambda i: (i.first_instant, i.activity))
                for delegate, items in sorted(result.items())}

    def affected(self) -> list[str]:
        """The delegates whose programme changed, sorted by id."""
        return list(self.by_delegate())


def _delegate_items(change: ActivityChange) -> Iterable[DelegateChange]:
    def item(delegate: str, kind: str, before: Placement | None, after: Placement | None) -> DelegateChange:
        return DelegateChange(delegate, change.activity, change.title, kind, before, after)

    if change.change == "added":
        for delegate in change.joined:
            yield item(delegate, "added", None, change.after)
        return
    if change.change == "removed":
        for delegate in change.left:
            yield item(delegate, "cancelled", change.before, None)
        return
    for delegate in change.joined:
        yield item(delegate, "joined", None, change.after)
    for delegate in change.left:
        yield item(delegate, "left", change.before, None)
    if change.change == "moved":
        for delegate in change.stayed:
            yield item(delegate, "moved", change.before, change.after)


def compare(baseline: Schedule, new: Schedule) -> ChangeSet:
    """The change set from `baseline` to `new` (two schedules of one mission)."""
    old_by_id, new_by_id = baseline.by_id(), new.by_id()
    changes: list[ActivityChange] = []
    for activity_id in sorted(old_by_id.keys() | new_by_id.keys()):
        old, now = old_by_id.get(activity_id), new_by_id.get(activity_id)
        if old is None and now is not None:
            changes.append(ActivityChange(activity_id, "added", None, Placement.of(now),
                                          joined=tuple(sorted(now.attendees)), title=now.title))
            continue
        if now is None and old is not None:
            changes.append(ActivityChange(activity_id, "removed", Placement.of(old), None,
                                          left=tuple(sorted(old.attendees)), title=old.title))
            continue
        assert old is not None and now is not None
        before, after = Placement.of(old), Placement.of(now)
        joined = tuple(sorted(set(now.attendees) - set(old.attendees)))
        left = tuple(sorted(set(old.attendees) - set(now.attendees)))
        stayed = tuple(sorted(set(now.attendees) & set(old.attendees)))
        if not before.same_as(after):
            changes.append(ActivityChange(activity_id, "moved", before, after, joined, left, stayed,
                                          now.title))
        elif joined or left:
            changes.append(ActivityChange(activity_id, "attendees", before, after, joined, left, stayed,
                                          now.title))
    return ChangeSet(tuple(changes))


def disruption(baseline: Schedule, new: Schedule, sizes: Mapping[str, int] | None = None) -> int:
    """The contract's disruption, recomputed from the two schedules alone (`shared/spec/replan.md`).

    For every delegate, weighted by `sizes` (1 when absent): each baseline activity of theirs that moved
    (another start or venue) or that they no longer attend, and each activity they newly attend. Frozen
    activities are identical in a valid re-plan, so they add nothing without being told apart here.
    """
    weight = sizes or {}
    new_by_id = new.by_id()
    total = 0
    attended_before: set[tuple[str, str]] = set()
    for old in baseline.activities:
        now = new_by_id.get(old.id)
        for delegate in old.attendees:
            attended_before.add((delegate, old.id))
            if (now is None or delegate not in now.attendees
                    or now.start != old.start or now.venue != old.venue):
                total += weight.get(delegate, 1)
    for now in new.activities:
        for delegate in now.attendees:
            if (delegate, now.id) not in attended_before:
                total += weight.get(delegate, 1)
    return total
