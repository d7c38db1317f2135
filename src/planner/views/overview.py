"""The whole programme at a glance: the per-day table of `planner solve`, the timeline picture and page.

Everything here reads a `Mission` and a `Schedule` and never solves anything. Times are shown in the local
time of each activity's leg.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.domain import Mission
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.domain.travel import travel_by_date
from planner.mission.files import write_atomic
from planner.text.collation import alphabetical
from planner.text.format import (
    format_day_month,
    format_day_of_month,
    format_duration,
    format_month,
    format_short_date,
)
from planner.text.i18n import words_for
from planner.text.vocabulary import kind_label, status_label
from planner.views.common import (
    headcount,
    local_date,
    local_end,
    local_start,
    minutes_between,
    template_environment,
    title_of,
)
from planner.views.overview_png import LARGE_MISSION, day_png, day_pngs, overview_png
from planner.views.timeline import build_timeline, city_label, kind_colours

__all__ = [
    "build_timeline",
    "day_pngs",
    "day_summaries",
    "day_table",
    "kind_colours",
    "overview_html",
    "overview_png",
    "DrawAhead",
    "day_pictures",
    "write_day_picture",
    "write_overview",
    "write_overview_page",
]

OPEN_EVERY_DAY_UP_TO = 30
"""Scheduled activities up to which the page opens every day; a larger programme opens the first day only."""

# --- the per-day table ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DaySummary:
    day: date
    city: str
    activities: int
    busiest_delegate: str | None
    busiest_count: int
    busiest_minutes: int
    travel_minutes: int
    """Person-minutes on the road: minutes × size, as the solver's `objectives.travel_minutes` counts them
    (planner.domain.travel); the days add up to it."""
    peak_headcount: dict[str, int]
    """venue id → the most people present at once at that venue that day."""

    @property
    def busiest_venue(self) -> tuple[str, int] | None:
        """The venue with the highest peak (ties: the first id) and that peak."""
        if not self.peak_headcount:
            return None
        return min(self.peak_headcount.items(), key=lambda item: (-item[1], item[0]))


def day_summaries(mission: Mission, schedule: Schedule) -> list[DaySummary]:
    """One summary per day of the mission (every leg day and every day with an activity), in date order."""
    by_day: dict[date, list[ScheduledActivity]] = defaultdict(list)
    for activity in schedule.activities:
        by_day[local_date(mission, activity)].append(activity)
    days = sorted(set(by_day) | {day for leg in mission.legs for day in leg.days()})
    travel = travel_by_date(mission, schedule)
    summaries = []
    for day in days:
        activities = sorted(by_day.get(day, []), key=lambda a: (a.start, a.id))
        busiest, count, minutes = _busiest_delegate(activities)
        summaries.append(DaySummary(
            day=day,
            city=_city_of_day(mission, day, activities),
            activities=len(activities),
            busiest_delegate=busiest,
            busiest_count=count,
            busiest_minutes=minutes,
            travel_minutes=travel.get(day, 0),
            peak_headcount=_peak_headcount_by_venue(mission, activities),
        ))
    return summaries


def _city_of_day(mission: Mission, day: date, activities: list[ScheduledActivity]) -> str:
    for leg in mission.legs:
        if leg.contains(day):
            return leg.city
    cities = sorted({mission.venues[a.venue].city for a in activities if a.venue in mission.venues})
    return ", ".join(cities) if cities else "—"


def _busiest_delegate(activities: list[ScheduledActivity]) -> tuple[str | None, int, int]:
    """The delegate with the most activities that day, then the most hours, then the first id."""
    counts: dict[str, int] = defaultdict(int)
    minutes: dict[str, int] = defaultdict(int)
    for activity in activities:
        for delegate in activity.attendees:
            counts[delegate] += 1
            minutes[delegate] += minutes_between(activity.start, activity.end)
    if not counts:
        return None, 0, 0
    best = min(counts, key=lambda d: (-counts[d], -minutes[d], d))
    return best, counts[best], minutes[best]


def _peak_headcount_by_venue(mission: Mission, activities: list[ScheduledActivity]) -> dict[str, int]:
    """For each venue, the largest number of people present at the same time (activities may run in
    parallel at a venue with `parallel` > 1)."""
    peaks: dict[str, int] = {}
    for venue in sorted({a.venue for a in activities}):
        events: list[tuple[datetime, int]] = []
        for activity in activities:
            if activity.venue == venue:
                people = headcount(mission, activity.attendees)
                events.append((activity.start, people))
                events.append((activity.end, -people))
        # Ends sort before starts at the same instant: back-to-back activities do not overlap.
        events.sort(key=lambda event: (event[0], event[1]))
        present = peak = 0
        for _, change in events:
            present += change
            peak = max(peak, present)
        peaks[venue] = peak
    return peaks


DELEGATE_NAME_SHOWN = 17
VENUE_NAME_SHOWN = 15
"""Characters of the busiest delegate's and venue's names in the terminal table, so that a day fits on one
line of an 80-column terminal; overview.html names them in full, with every venue's peak."""


def day_table(mission: Mission, schedule: Schedule) -> Table:
    """The per-day table of the `planner solve` summary, one line a day in 80 columns: date, activities,
    travel in person-minutes, the busiest delegate and the most crowded venue; the title says which days
    each city has, a rule separates the cities."""
    summaries = day_summaries(mission, schedule)
    runs: list[list[DaySummary]] = []
    for summary in summaries:
        if runs and runs[-1][0].city == summary.city:
            runs[-1].append(summary)
        else:
            runs.append([summary])
    # Cities and names come from the mission: escaped or given as Text, so that `[x]` is not read as markup.
    days = ", ".join(_span_of_days(run) for run in runs)
    table = Table(title=escape(f"Day by day: {days}"), title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0), pad_edge=False,
                  caption_justify="left",
                  caption="travel: minutes on the road between venues × people (a delegation counts its "
                          "size), as `travel minutes` above, which the days add up to. busiest delegate: "
                          "most activities, then most hours. busiest venue: most people present at once.")
    table.add_column("date", no_wrap=True)
    table.add_column("acts", justify="right", no_wrap=True)
    table.add_column("travel\nperson-min", justify="right", no_wrap=True)
    table.add_column("busiest delegate\n(acts, hours)", no_wrap=True, overflow="ellipsis")
    table.add_column("busiest venue\n(people)", no_wrap=True, overflow="ellipsis")
    for run in runs:
        for summary in run:
            table.add_row(
                format_short_date(summary.day),
                str(summary.activities),
                f"{summary.travel_minutes:,}",
                Text(_busiest_delegate_cell(mission, summary)),
                Text(_busiest_venue_cell(mission, summary)),
                end_section=summary is run[-1] and run is not runs[-1],
            )
    return table


def _span_of_days(run: list[DaySummary]) -> str:
    first, last = run[0].day, run[-1].day
    if first == last:
        return f"{run[0].city} {format_day_month(first)}"
    first_month = "" if first.month == last.month else f" {format_month(first)}"
    return f"{run[0].city} {format_day_of_month(first)}{first_month}–{format_day_month(last)}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _busiest_delegate_cell(mission: Mission, summary: DaySummary) -> str:
    if summary.busiest_delegate is None:
        return "—"
    delegate = mission.delegates.get(summary.busiest_delegate)
    name = delegate.name if delegate else summary.busiest_delegate
    hours = format_duration(summary.busiest_minutes, "compact")
    return f"{_shorten(name, DELEGATE_NAME_SHOWN)} ({summary.busiest_count}, {hours})"


def _busiest_venue_cell(mission: Mission, summary: DaySummary) -> str:
    if summary.busiest_venue is None:
        return "—"
    venue_id, people = summary.busiest_venue
    venue = mission.venues.get(venue_id)
    return f"{_shorten(venue.name if venue else venue_id, VENUE_NAME_SHOWN)} {people:,}"


# --- the HTML page ----------------------------------------------------------------------------------------


def overview_html(mission: Mission, schedule: Schedule, png: bytes | None = None,
                  day_pictures: dict[date, str] | None = None) -> str:
    """overview.html: the day table, the timeline (a block per day, opened one at a time; rows as tall as
    their lanes, scrolling sideways inside the block on a phone), filters, what is left out, the picture.

    `day_pictures`: date → file name of that day's picture written beside the page (a large mission)."""
    import base64

    from planner.views.meetings import session_loads

    timeline = build_timeline(mission, schedule)
    colours = kind_colours(timeline.kinds)
    span = max(1, timeline.last_minute - timeline.first_minute)
    days = []
    for day in timeline.days:
        rows = []
        for row in timeline.rows:
            bars = [
                {
                    "activity": bar.activity,
                    "title": title_of(mission, bar.activity),
                    "left": round((bar.start_minute - timeline.first_minute) / span * 100, 3),
                    "width": round((bar.end_minute - bar.start_minute) / span * 100, 3),
                    "lane": bar.lane,
                    "start": local_start(mission, bar.activity),
                    "end": local_end(mission, bar.activity),
                    "venue": mission.venues[bar.activity.venue].name if bar.activity.venue in mission.venues
                    else bar.activity.venue,
                    "people": headcount(mission, bar.activity.attendees),
                    "attendees": " ".join(bar.activity.attendees),
                }
                for bar in timeline.bars if bar.day == day and bar.row == row.key
            ]
            lanes = max((bar.lanes for bar in timeline.bars if bar.day == day and bar.row == row.key),
                        default=1)
            if bars or row.kind == "track":  # a venue or sector with nothing that day is left out of that day
                rows.append({"row": row, "bars": bars, "lanes": lanes})
        count = len({bar.activity.id for bar in timeline.bars if bar.day == day})
        days.append({"day": day, "city": city_label(mission, day), "rows": rows, "count": count,
                     "picture": (day_pictures or {}).get(day)})
    hours = [
        {"label": f"{minute // 60:02d}", "left": round((minute - timeline.first_minute) / span * 100, 3)}
        for minute in range(timeline.first_minute, timeline.last_minute + 1, 60)
    ]
    return template_environment(mission.language).get_template("overview.html").render(
        mission=mission,
        schedule=schedule,
        status=status_label(words_for(mission.language), schedule.status),
        png=base64.b64encode(png).decode("ascii") if png is not None else None,
        days=days,
        open_days=1 if len(schedule.activities) > OPEN_EVERY_DAY_UP_TO else len(days),
        hours=hours,
        hour_count=span // 60,
        colours=colours,
        kinds=timeline.kinds,
        kind_labels={kind: kind_label(words_for(mission.language), kind) for kind in timeline.kinds},
        left_out=timeline.left_out,
        summaries=day_summaries(mission, schedule),
        delegates=sorted(mission.delegates.values(), key=lambda d: alphabetical(d.name)),
        b2b_sessions=session_loads(mission, schedule) if schedule.meetings is not None else [],
        unscheduled_meetings=len(schedule.unscheduled_meetings),
    )


def write_overview(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """DIR/overview.png and DIR/overview.html (which embeds the picture, so it can be mailed alone); for a
    large mission also DIR/overview-YYYY-MM-DD.png, one readable picture per day, linked from the page."""
    days = [path for day in day_pictures(mission, schedule)
            for path in write_day_picture(mission, schedule, out_dir, day)]
    png_path, html_path = write_overview_page(mission, schedule, out_dir)
    return [png_path, *days, html_path]


def day_pictures(mission: Mission, schedule: Schedule) -> dict[date, str]:
    """date → the file name of that day's picture, for a large mission (none for a small one)."""
    if len(schedule.activities) <= LARGE_MISSION:
        return {}
    days = sorted({local_date(mission, activity) for activity in schedule.activities})
    return {day: f"overview-{day.isoformat()}.png" for day in days}


def write_overview_page(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """DIR/overview.png and DIR/overview.html, which links the day pictures (`write_day_picture`); apart
    from them so that they can be drawn side by side (planner.views.outputs)."""
    out_dir = Path(out_dir)
    png = _drawn(mission, schedule, "overview") or overview_png(mission, schedule)
    png_path = out_dir / "overview.png"
    html_path = out_dir / "overview.html"
    write_atomic(png_path, png)
    write_atomic(html_path, overview_html(mission, schedule, png, day_pictures(mission, schedule)))
    return [png_path, html_path]


def write_day_picture(mission: Mission, schedule: Schedule, out_dir: Path, day: date) -> list[Path]:
    """DIR/overview-YYYY-MM-DD.png: one day of a large mission, wide enough to read its titles."""
    path = Path(out_dir) / day_pictures(mission, schedule)[day]
    picture = _drawn(mission, schedule, day) or day_png(mission, build_timeline(mission, schedule), day)
    write_atomic(path, picture)
    return [path]


_AHEAD: dict[tuple[int, str, date | str], bytes] = {}
"""Pictures drawn ahead (`DrawAhead`): (the mission's id, the programme's key, a date or "overview") →
the PNG."""


def _programme_key(schedule: Schedule) -> str:
    """All that the pictures show of a schedule: its status, the activities placed and those left out."""
    return repr((schedule.status, schedule.activities, schedule.unscheduled))


def _drawn(mission: Mission, schedule: Schedule, picture: date | str) -> bytes | None:
    if not _AHEAD:
        return None
    return _AHEAD.get((id(mission), _programme_key(schedule), picture))


class DrawAhead:
    """The overview's pictures of a programme, drawn by a thread of this process while the work that
    follows runs elsewhere (`planner solve`: the B2B meetings matched in the solver's process, which move
    nothing the pictures show); the writers above take them instead of drawing them again."""

    def __init__(self, mission: Mission) -> None:
        self.mission = mission
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, schedule: Schedule) -> None:
        """Draw `schedule`'s pictures, one after the other, until `stop`."""
        _AHEAD.clear()
        self.thread = threading.Thread(target=self._draw, args=(schedule,), name="planner-draw-ahead",
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop after the picture being drawn, and wait for it: before this process forks (a fork must not
        copy a drawing half done)."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()

    def _draw(self, schedule: Schedule) -> None:
        try:
            key = (id(self.mission), _programme_key(schedule))
            timeline = build_timeline(self.mission, schedule)
            pictures: list[date | str] = ["overview", *day_pictures(self.mission, schedule)]
            for picture in pictures:
                if self.stopping.is_set():
                    return
                drawn = (day_png(self.mission, timeline, picture) if isinstance(picture, date)
                         else overview_png(self.mission, schedule))
                _AHEAD[(*key, picture)] = drawn
        except Exception:  # noqa: BLE001, S110 - the writer draws it again, and reports what goes wrong
            pass
