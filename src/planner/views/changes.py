"""The change report: what a re-plan changed, per delegate, for the terminal and as `changes.html`.

Built from two schedules of one mission (and the mission, when known, for names and local times); it never
solves anything. Each delegate's section lists what changed for them, the old and new time and place,
sorted by date. HTML goes through Jinja2 with autoescape on, so names and titles typed by people come out
as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from markupsafe import Markup
from rich import box
from rich.console import Group as RenderGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from planner.domain import Mission
from planner.domain.change import ChangeSet, DelegateChange, Placement, compare, disruption
from planner.domain.schedule import Schedule
from planner.mission.files import write_atomic
from planner.text.format import format_clock, format_day_month
from planner.text.i18n import Words, words_for

FILE_NAME = "changes.html"
ENGLISH = Words("en")


def change_label(words: Words, kind: str) -> str:
    """How each kind of `DelegateChange` is named to the person it concerns."""
    labels = {
        "moved": words.pgettext("change", "moved"),
        "added": words.pgettext("change", "new"),
        "joined": words.pgettext("change", "now attending"),
        "cancelled": words.pgettext("change", "cancelled"),
        "left": words.pgettext("change", "no longer attending"),
    }
    return labels[kind]


# --- the model ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Where:
    """One side of a change, as a person reads it: local date and times, and the venue's name."""

    start: datetime
    """Local to the venue's leg when the mission knows the venue; else as schedule.json wrote it."""
    end: datetime
    venue: str

    @property
    def when(self) -> str:
        return self.when_in(ENGLISH)

    def when_in(self, words: Words) -> str:
        """`Mon 6 Oct 09:00–10:30`, `lun. 6 oct. 09:00–10:30`."""
        language = words.language
        return (f"{format_day_month(self.start, language, weekday=True, padded=False)} "
                f"{format_clock(self.start, language)}–{format_clock(self.end, language)}")

    def text_in(self, words: Words) -> str:
        return f"{self.when_in(words)}, {self.venue}"

    def __str__(self) -> str:
        return self.text_in(ENGLISH)


@dataclass(frozen=True, slots=True)
class ReportLine:
    activity: str
    title: str
    kind: str
    """The kind of `DelegateChange`: moved, added, joined, cancelled, left."""
    before: Where | None
    after: Where | None

    @property
    def label(self) -> str:
        return change_label(ENGLISH, self.kind)

    @property
    def text(self) -> str:
        return self.text_in(ENGLISH)

    def text_in(self, words: Words) -> str:
        """One line of plain text: what changed, then the old and the new time and place."""
        # The whole line is one message: where the colon goes, and the space before it, is the language's.
        label = change_label(words, self.kind)
        if self.before is not None and self.after is not None:
            return words.gettext("%(title)s — %(change)s: %(before)s → %(after)s") % {
                "title": self.title, "change": label, "before": self.before.text_in(words),
                "after": self.after.text_in(words)}
        side = self.after or self.before
        return words.gettext("%(title)s — %(change)s: %(where)s") % {
            "title": self.title, "change": label, "where": side.text_in(words) if side is not None else ""}


@dataclass(frozen=True, slots=True)
class DelegateReport:
    id: str
    name: str
    size: int
    email: str | None
    lines: tuple[ReportLine, ...]
    language: str = "en"
    """What the delegate reads (the mission's language for a delegate it no longer has)."""

    @property
    def words(self) -> Words:
        return words_for(self.language)


@dataclass(frozen=True, slots=True)
class ActivityLine:
    """One activity whose programme changed, as the terminal summary lists it."""

    activity: str
    title: str
    change: str
    before: Where | None
    after: Where | None
    joined: int
    left: int
    affected: int
    """Delegates whose programme this change touches."""

    @property
    def who(self) -> str:
        """'12 (+2 −1)': delegates affected, of whom some joined and some left."""
        if self.change in ("added", "removed"):
            return str(self.affected)
        parts = ([f"+{self.joined}"] if self.joined else []) + ([f"−{self.left}"] if self.left else [])
        return f"{self.affected} ({' '.join(parts)})" if parts else str(self.affected)


@dataclass(frozen=True, slots=True)
class ChangeReport:
    mission: str
    changes: ChangeSet
    delegates: tuple[DelegateReport, ...]
    disruption: int
    now: datetime | None = None
    activities: tuple[ActivityLine, ...] = ()
    language: str = "en"
    """The mission's language: the organiser's page around the delegates' sections."""
    kept: tuple[str, ...] = ()
    """What the mission file now says that the re-plan did not apply (an activity that began before now +
    notice keeps its time, venue and attendees), in the words the terminal gave it."""

    @property
    def people_affected(self) -> int:
        return sum(delegate.size for delegate in self.delegates)

    def counts(self) -> dict[str, int]:
        return {kind: self.changes.count(kind) for kind in ("moved", "added", "removed", "attendees")}

    def headline(self, words: Words = ENGLISH) -> str:
        """'2 moved, 1 removed; 14 delegates (31 people) affected; disruption 33', or 'no change'."""
        if not self.changes:
            return words.gettext("no change; disruption 0")
        count = self.changes.count
        counted = {
            "moved": words.ngettext("%(count)d moved", "%(count)d moved", count("moved")),
            "added": words.ngettext("%(count)d added", "%(count)d added", count("added")),
            "removed": words.ngettext("%(count)d removed", "%(count)d removed", count("removed")),
            "attendees": words.ngettext("%(count)d with other attendees", "%(count)d with other attendees",
                                        count("attendees")),
        }
        parts = [counted[kind] % {"count": number} for kind, number in self.counts().items() if number]
        who = words.ngettext("%(count)d delegate", "%(count)d delegates", len(self.delegates))
        people = words.ngettext("%(count)d person", "%(count)d people", self.people_affected)
        headline = words.gettext("%(changes)s; %(delegates)s (%(people)s) affected; "
                                 "disruption %(disruption)d")
        return headline % {
            "changes": ", ".join(parts), "delegates": who % {"count": len(self.delegates)},
            "people": people % {"count": self.people_affected}, "disruption": self.disruption}


def _where(mission: Mission | None, placement: Placement | None) -> Where | None:
    if placement is None:
        return None
    start, end, venue_name = placement.start, placement.end, placement.venue
    venue = mission.venues.get(placement.venue) if mission is not None else None
    if mission is not None and venue is not None:
        venue_name = venue.name
        try:
            zone = mission.leg_of_city(venue.city).zone
            start, end = start.astimezone(zone), end.astimezone(zone)
        except KeyError:
            pass  # a venue in no leg keeps the offset schedule.json wrote
    return Where(start, end, venue_name)


def _title(mission: Mission | None, activity_id: str, title: str) -> str:
    if mission is not None and activity_id in mission.activities:
        return mission.activities[activity_id].title
    return title or activity_id


def _line(mission: Mission | None, item: DelegateChange) -> ReportLine:
    return ReportLine(item.activity, _title(mission, item.activity, item.title), item.kind,
                      _where(mission, item.before), _where(mission, item.after))


def build_report(changes: ChangeSet, disruption_value: int, mission: Mission | None = None,
                 mission_name: str = "", now: datetime | None = None,
                 kept: Sequence[str] = ()) -> ChangeReport:
    """The report of a change set; names, sizes, e-mail addresses and local times from `mission` when given.

    Delegates come in the mission file's order (principals first, as organisers write them), then any
    delegate the mission no longer has, by id.
    """
    by_delegate = changes.by_delegate()
    order = list(mission.delegates) if mission is not None else []
    ordered = [d for d in order if d in by_delegate] + sorted(d for d in by_delegate if d not in set(order))
    delegates = []
    for delegate_id in ordered:
        known = mission.delegates.get(delegate_id) if mission is not None else None
        delegates.append(DelegateReport(
            id=delegate_id,
            name=known.name if known is not None else delegate_id,
            size=known.size if known is not None else 1,
            email=known.email if known is not None else None,
            lines=tuple(_line(mission, item) for item in by_delegate[delegate_id]),
            language=mission.language_of(delegate_id) if mission is not None else "en",
        ))
    activities = tuple(
        ActivityLine(change.activity, _title(mission, change.activity, change.title), change.change,
                     _where(mission, change.before), _where(mission, change.after), len(change.joined),
                     len(change.left), len(change.joined) + len(change.left)
                     + (len(change.stayed) if change.change == "moved" else 0))
        for change in sorted(changes.changes, key=lambda c: (min(p.start for p in (c.before, c.after) if p),
                                                              c.activity)))
    return ChangeReport(mission=mission.name if mission is not None else mission_name, changes=changes,
                        delegates=tuple(delegates), disruption=disruption_value, now=now,
                        activities=activities, language=mission.language if mission is not None else "en",
                        kept=tuple(kept))


def compare_report(baseline: Schedule, new: Schedule, mission: Mission | None = None,
                   now: datetime | None = None) -> ChangeReport:
    """The report of what changed from `baseline` to `new`, its disruption recomputed from the two."""
    sizes: Mapping[str, int] = ({d.id: d.size for d in mission.delegates.values()} if mission is not None
                                else {})
    return build_report(compare(baseline, new), disruption(baseline, new, sizes), mission, new.mission, now)


# --- the terminal ---------------------------------------------------------------------------------------


def report_renderable(report: ChangeReport, most: int | None = None) -> RenderableType:
    """The headline, then one table row per change of each delegate (the first `most` delegates)."""
    parts: list[RenderableType] = [Text(f"Changes: {report.headline()}", style="bold")]
    if not report.delegates:
        return RenderGroup(*parts)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("delegate", "activity", "change", "before", "after"):
        table.add_column(column, overflow="fold")
    shown = report.delegates if most is None else report.delegates[:most]
    for delegate in shown:
        for number, line in enumerate(delegate.lines):
            # Text() cells: titles and names are shown as written, never read as rich markup.
            table.add_row(Text(delegate.name if number == 0 else ""), Text(line.title), Text(line.label),
                          _cell(line.before), _cell(line.after))
    parts.append(table)
    hidden = len(report.delegates) - len(shown)
    if hidden > 0:
        parts.append(Text(f"… and {hidden} more delegate{'s' if hidden != 1 else ''}: see {FILE_NAME}"))
    return RenderGroup(*parts)


def activities_renderable(report: ChangeReport) -> RenderableType:
    """The headline, then one row per activity whose programme changed, by date (the terminal summary of
    a re-plan; each delegate's own changes are in changes.html)."""
    parts: list[RenderableType] = [Text(f"Changes: {report.headline()}", style="bold")]
    if not report.activities:
        return RenderGroup(*parts)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("activity", "change", "before", "after", "delegates"):
        table.add_column(column, overflow="fold")
    for line in report.activities:
        table.add_row(Text(line.title), Text(line.change), _cell(line.before), _cell(line.after),
                      Text(line.who))
    parts.append(table)
    parts.append(Text(f"what changed for each delegate: {FILE_NAME}"))
    return RenderGroup(*parts)


def _cell(where: Where | None) -> Text:
    return Text(f"{where.when}\n{where.venue}") if where is not None else Text("—")


def delegate_text(delegate: DelegateReport) -> str:
    """One delegate's changes as plain text lines in their language (the body of their mail)."""
    return "\n".join(f"- {line.text_in(delegate.words)}" for line in delegate.lines)


# --- HTML ---------------------------------------------------------------------------------------------


def report_html(report: ChangeReport) -> str:
    """The organiser's page in the mission's language; each delegate's section in the delegate's."""
    from planner.views.common import template_environment

    sections = [
        Markup(template_environment(delegate.language).get_template("changes_section.html").render(
            delegate=delegate, number=number, words=delegate.words,
            label=partial(change_label, delegate.words)))
        for number, delegate in enumerate(report.delegates, start=1)
    ]
    return template_environment(report.language).get_template(FILE_NAME).render(
        report=report, counts=report.counts(), sections=sections, headline=report.headline(
            words_for(report.language)))


def write_report(report: ChangeReport, out_dir: Path) -> list[Path]:
    path = Path(out_dir) / FILE_NAME
    write_atomic(path, report_html(report))
    return [path]
