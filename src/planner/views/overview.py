"""The whole programme at a glance: the per-day table of `planner solve`, the timeline picture and page.

Everything here reads a `Mission` and a `Schedule` and never solves anything. Times are shown in the local
time of each activity's leg.
"""

from __future__ import annotations

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
from planner.domain.time import wall_minute
from planner.domain.travel import travel_by_date
from planner.mission.files import write_atomic
from planner.text.format import (
    format_day_month,
    format_day_of_month,
    format_duration,
    format_month,
    format_short_date,
)
from planner.views.common import (
    headcount,
    local_date,
    local_end,
    local_start,
    minutes_between,
    template_environment,
    title_of,
)

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


# --- the timeline: rows, lanes, colours ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineRow:
    key: str
    label: str
    kind: str
    """'track' or 'venue'."""
    city: str | None = None


@dataclass(frozen=True, slots=True)
class Bar:
    """One activity drawn in one row on one day, in lane `lane` of `lanes`."""

    activity: ScheduledActivity
    row: str
    day: date
    start_minute: int
    """Local minutes after midnight of `day`."""
    end_minute: int
    lane: int
    lanes: int


@dataclass(slots=True)
class Timeline:
    rows: list[TimelineRow]
    days: list[date]
    bars: list[Bar]
    first_minute: int
    last_minute: int
    kinds: list[str]
    left_out: list[tuple[str, str, str]]
    """(activity id, title, reason) of every activity the schedule leaves out."""


def build_timeline(mission: Mission, schedule: Schedule) -> Timeline:
    """Rows (one per track, then one per venue used), days side by side, bars in lanes where they overlap."""
    tracks = [group for group in mission.groups.values() if group.kind == "track"]
    used_venues = {activity.venue for activity in schedule.activities}
    city_order = {leg.city: index for index, leg in enumerate(mission.legs)}
    venue_ids = [v for v in mission.venues if v in used_venues] + sorted(used_venues - set(mission.venues))
    venue_ids.sort(key=lambda v: city_order.get(mission.venues[v].city, len(city_order))
                   if v in mission.venues else len(city_order))
    rows = [TimelineRow(f"track:{group.id}", f"track: {group.name or group.id}", "track") for group in tracks]
    rows += [
        TimelineRow(f"venue:{v}", mission.venues[v].name if v in mission.venues else v, "venue",
                    mission.venues[v].city if v in mission.venues else None)
        for v in venue_ids
    ]
    days = sorted({local_date(mission, a) for a in schedule.activities}
                  | {day for leg in mission.legs for day in leg.days()})
    placements: dict[tuple[str, date], list[tuple[ScheduledActivity, int, int]]] = defaultdict(list)
    for activity in sorted(schedule.activities, key=lambda a: (a.start, a.id)):
        start = local_start(mission, activity)
        day = start.date()
        start_minute = wall_minute(start)
        end_minute = start_minute + minutes_between(activity.start, activity.end)
        placements[(f"venue:{activity.venue}", day)].append((activity, start_minute, end_minute))
        for group in tracks:
            if any(delegate in group.delegates for delegate in activity.attendees):
                placements[(f"track:{group.id}", day)].append((activity, start_minute, end_minute))
    bars = []
    for (row, day), items in sorted(placements.items(), key=lambda item: (item[0][0], item[0][1])):
        lanes = _lanes([(start_minute, end_minute) for _, start_minute, end_minute in items])
        count = max(lanes) + 1
        for (activity, start_minute, end_minute), lane in zip(items, lanes):
            bars.append(Bar(activity, row, day, start_minute, end_minute, lane, count))
    first = min([mission.day.start] + [bar.start_minute for bar in bars])
    last = max([mission.day.end] + [bar.end_minute for bar in bars])
    scheduled = {activity.id for activity in schedule.activities}
    reasons = {item.id: item.reason for item in schedule.unscheduled}
    left_out_ids = [a for a in mission.activities if a not in scheduled]
    left_out_ids += [u.id for u in schedule.unscheduled if u.id not in mission.activities]
    left_out = [
        (a, mission.activities[a].title if a in mission.activities else a, reasons.get(a, "not scheduled"))
        for a in left_out_ids
    ]
    return Timeline(rows, days, bars, (first // 60) * 60, -(-last // 60) * 60,
                    sorted({a.kind for a in schedule.activities}), left_out)


def _lanes(intervals: list[tuple[int, int]]) -> list[int]:
    """Greedy interval partitioning (intervals sorted by start): the lowest lane free at each start."""
    lane_ends: list[int] = []
    lanes = []
    for start, end in intervals:
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                lanes.append(lane)
                break
        else:
            lane_ends.append(end)
            lanes.append(len(lane_ends) - 1)
    return lanes


def kind_colours(kinds: list[str]) -> dict[str, str]:
    """A fixed colour per kind (hex), the same in the PNG and the HTML page."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    # Calling a listed colormap with an int gives its colour of that index, as an RGBA tuple.
    palette = [colormap(index) for colormap in (colormaps["tab10"], colormaps["Pastel1"])
               for index in range(colormap.N)]
    return {kind: to_hex(palette[index % len(palette)]) for index, kind in enumerate(sorted(kinds))}


# --- the PNG ----------------------------------------------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> str:
    """Text from the mission as matplotlib draws it literally: cut to `limit` characters before anything is
    measured (the picture's cost never grows with the text), and `$` escaped, so that it is never read as
    mathtext (`Cost $\\frac{$` would stop the drawing with a parse error)."""
    return _shorten(text, limit).replace("$", r"\$")


def overview_png(mission: Mission, schedule: Schedule) -> bytes:
    """The whole programme as one picture (matplotlib, Agg): rows × days, bars coloured by kind."""
    import io
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    timeline = build_timeline(mission, schedule)
    colours = kind_colours(timeline.kinds)
    row_index = {row.key: index for index, row in enumerate(timeline.rows)}
    day_count = max(1, len(timeline.days))
    height = 1.8 + 0.34 * max(1, len(timeline.rows))
    width = 2.2 + 2.7 * day_count + 3.4
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    # Fixed margins in inches rather than constrained layout, which draws the whole figure twice.
    grid = figure.add_gridspec(1, day_count + 1, width_ratios=[1.0] * day_count + [1.25],
                               left=2.0 / width, right=1 - 0.1 / width, top=1 - 0.85 / height,
                               bottom=0.4 / height, wspace=0.06)
    first_axis = None
    for column, day in enumerate(timeline.days or [None]):
        axis = figure.add_subplot(grid[0, column], sharey=first_axis)
        first_axis = first_axis or axis
        axis.set_xlim(timeline.first_minute, timeline.last_minute)
        axis.set_ylim(len(timeline.rows) - 0.5, -0.5)
        ticks = list(range(timeline.first_minute, timeline.last_minute + 1, 120))
        axis.set_xticks(ticks, [f"{tick // 60:02d}" for tick in ticks], fontsize=7)
        axis.grid(axis="x", color="#dddddd", linewidth=0.6)
        axis.set_axisbelow(True)
        axis.tick_params(axis="y", length=0)
        # One collection per axis for the track bands and one for the bars: hundreds of separate patches
        # cost most of the drawing time.
        bands = [[(timeline.first_minute, index - 0.5), (timeline.last_minute, index - 0.5),
                  (timeline.last_minute, index + 0.5), (timeline.first_minute, index + 0.5)]
                 for index, row in enumerate(timeline.rows) if row.kind == "track"]
        if bands:
            axis.add_collection(PolyCollection(bands, facecolors="#f1f4fa", edgecolors="none", zorder=0))
        if day is not None:
            heading = format_day_month(day, weekday=True, padded=False)
            # A fixed title height: placing it automatically measures every tick label of the axis.
            axis.set_title(f"{heading}\n{_plain(_city_label(mission, day), 40)}", fontsize=8, y=1.0, pad=4)
        if column == 0:
            axis.set_yticks(range(len(timeline.rows)),
                            [_plain(row.label, 30) for row in timeline.rows], fontsize=7)
        else:
            axis.tick_params(axis="y", labelleft=False)
        boxes, faces = [], []
        for bar in timeline.bars:
            if bar.day != day:
                continue
            lane_height = 0.84 / bar.lanes
            top = row_index[bar.row] - 0.42 + bar.lane * lane_height
            bottom = top + lane_height * 0.92
            boxes.append([(bar.start_minute, top), (bar.end_minute, top), (bar.end_minute, bottom),
                          (bar.start_minute, bottom)])
            faces.append(colours[bar.activity.kind])
            span = bar.end_minute - bar.start_minute
            # About 0.55 em per character at 5.5 pt on an axis some 2.5 inches wide.
            characters = int(span / (timeline.last_minute - timeline.first_minute) * 2.5 / (5.5 * 0.55 / 72))
            if characters >= 4 and bar.lanes <= 2:
                axis.text(bar.start_minute + 4, top + lane_height * 0.46,
                          _plain(title_of(mission, bar.activity), min(characters, 120)),
                          fontsize=5.5, va="center", ha="left", color="black", clip_on=True)
        if boxes:
            axis.add_collection(PolyCollection(boxes, facecolors=faces, edgecolors="white", linewidths=0.4))
    side = figure.add_subplot(grid[0, day_count])
    side.axis("off")
    handles = [Patch(facecolor=colours[kind], label=_plain(kind, 30)) for kind in timeline.kinds]
    if handles:
        side.legend(handles=handles, loc="upper left", fontsize=7, title="kind", title_fontsize=8,
                    frameon=False)
    lines = [f"Left out ({len(timeline.left_out)})"]
    for _, title, reason in timeline.left_out[:40]:
        lines.append(textwrap.fill(f"• {_plain(title, 60)}: {_plain(reason, 240)}", width=46,
                                   subsequent_indent="  "))
    if len(timeline.left_out) > 40:
        lines.append(f"… and {len(timeline.left_out) - 40} more")
    if not timeline.left_out:
        lines.append("none: every activity is scheduled")
    side.text(0.0, 0.62 if handles else 1.0, "\n".join(lines), fontsize=6.5, va="top", ha="left",
              transform=side.transAxes, wrap=True)
    figure.suptitle(f"{_plain(mission.name, 80)} — {schedule.status}, {len(schedule.activities)} activities",
                    fontsize=10)
    buffer = io.BytesIO()
    # No 'Software' stamp: the file depends only on the programme.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _city_label(mission: Mission, day: date) -> str:
    for leg in mission.legs:
        if leg.contains(day):
            return leg.city
    return ""


# --- the HTML page ----------------------------------------------------------------------------------------


def overview_html(mission: Mission, schedule: Schedule, png: bytes | None = None) -> str:
    """overview.html: the PNG (embedded), an HTML timeline with filters, the day table, what is left out."""
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
                    "top": round(bar.lane / bar.lanes * 100, 3),
                    "height": round(100 / bar.lanes, 3),
                    "start": local_start(mission, bar.activity),
                    "end": local_end(mission, bar.activity),
                    "venue": mission.venues[bar.activity.venue].name if bar.activity.venue in mission.venues
                    else bar.activity.venue,
                    "people": headcount(mission, bar.activity.attendees),
                    "attendees": " ".join(bar.activity.attendees),
                }
                for bar in timeline.bars if bar.day == day and bar.row == row.key
            ]
            if bars or row.kind == "track":  # a venue with nothing that day is left out of that day's block
                rows.append({"row": row, "bars": bars})
        days.append({"day": day, "city": _city_label(mission, day), "rows": rows})
    hours = [
        {"label": f"{minute // 60:02d}", "left": round((minute - timeline.first_minute) / span * 100, 3)}
        for minute in range(timeline.first_minute, timeline.last_minute + 1, 60)
    ]
    return template_environment().get_template("overview.html").render(
        mission=mission,
        schedule=schedule,
        png=base64.b64encode(png).decode("ascii") if png is not None else None,
        days=days,
        hours=hours,
        colours=colours,
        kinds=timeline.kinds,
        left_out=timeline.left_out,
        summaries=day_summaries(mission, schedule),
        delegates=sorted(mission.delegates.values(), key=lambda d: d.name.casefold()),
        b2b_sessions=session_loads(mission, schedule) if schedule.meetings is not None else [],
        unscheduled_meetings=len(schedule.unscheduled_meetings),
    )


def write_overview(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """DIR/overview.png and DIR/overview.html (which embeds the picture, so it can be mailed alone)."""
    out_dir = Path(out_dir)
    png = overview_png(mission, schedule)
    png_path = out_dir / "overview.png"
    html_path = out_dir / "overview.html"
    write_atomic(png_path, png)
    write_atomic(html_path, overview_html(mission, schedule, png))
    return [png_path, html_path]
