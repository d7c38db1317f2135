"""The programme as pictures (matplotlib, Agg): `overview.png`, the whole mission rows × days, and for a
large mission one picture per day (`overview-YYYY-MM-DD.png`) wide enough for titles to be read.

Label strategy: a title is written from the start of its bar as far as the next bar of the same lane (or
the end of the day), on one line or two, in full when it fits and shortened with "…" when it does not;
`day_labels` says which titles a day's picture shows in full, so the choice of size can be measured. Rows
grow with their lanes: overlapping activities never share a lane, so no bar is thinner than its text.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.text.format import format_day_month, format_long_date
from planner.views.common import title_of
from planner.views.picture import Title, figure_png
from planner.views.timeline import Bar, Timeline, TimelineRow, build_timeline, city_label, kind_colours

LARGE_MISSION = 40
"""Scheduled activities above which the whole-mission picture carries no titles and each day gets its own."""
DAY_INCHES_PER_HOUR = 1.15
LANE_INCHES = 0.36
LABEL_POINTS = 6.5
LABEL_LINES = 2
"""A day's picture writes a title on two lines when one is too short (a lane holds two lines of text)."""
AXIS_POINTS = 7.0
"""Size of the hours and row names along the axes."""
AXIS_GAP = 3.5
"""Points between the axes and their hours and row names (matplotlib's gap for a tick label)."""
CHARACTER_EM = 0.56
"""Average width of a character of DejaVu Sans, in em (what a label of n characters needs)."""


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def _plain(text: str, limit: int) -> str:
    """Text from the mission as matplotlib draws it literally: cut to `limit` characters before anything is
    measured (the picture's cost never grows with the text), and `$` escaped, so that it is never read as
    mathtext (`Cost $\\frac{$` would stop the drawing with a parse error)."""
    return _shorten(text, limit).replace("$", r"\$")


@dataclass(frozen=True, slots=True)
class Label:
    """A title as a day's picture writes it: on one or two lines."""

    bar: Bar
    title: str
    shown: str

    @property
    def full(self) -> bool:
        return " ".join(self.shown.split()) == " ".join(self.title.split())


def _fitted(title: str, characters: int, lines: int) -> str:
    """`title` in at most `lines` lines of `characters`, broken between words; the last line shortened
    with "…" when the title does not fit."""
    if len(title) <= characters or lines == 1:
        return _shorten(title, characters)
    wrapped = textwrap.wrap(title, width=max(1, characters), break_long_words=True)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    rest = " ".join(wrapped[lines - 1:])
    return "\n".join([*wrapped[: lines - 1], _shorten(rest, characters)])


def _row_heights(timeline: Timeline, rows: list[TimelineRow], day: date | None) -> dict[str, int]:
    """Lanes per row: the most that row needs (on `day`, or on any day)."""
    heights = {row.key: 1 for row in rows}
    for bar in timeline.bars:
        if bar.row in heights and (day is None or bar.day == day):
            heights[bar.row] = max(heights[bar.row], bar.lanes)
    return heights


def _row_tops(rows: list[TimelineRow], heights: dict[str, int]) -> dict[str, int]:
    tops, top = {}, 0
    for row in rows:
        tops[row.key] = top
        top += heights[row.key]
    return tops


def day_labels(mission: Mission, timeline: Timeline, day: date, first: int, last: int,
               inches_per_hour: float = DAY_INCHES_PER_HOUR, points: float = LABEL_POINTS,
               lines: int = LABEL_LINES) -> list[Label]:
    """Each bar of `day` with its title as the day's picture writes it: up to the next bar of its lane, on
    up to `lines` lines."""
    per_minute = inches_per_hour / 60 / (points * CHARACTER_EM / 72)
    bars = sorted((bar for bar in timeline.bars if bar.day == day),
                  key=lambda bar: (bar.row, bar.lane, bar.start_minute))
    labels = []
    for index, bar in enumerate(bars):
        following = bars[index + 1] if index + 1 < len(bars) else None
        same_lane = following is not None and (following.row, following.lane) == (bar.row, bar.lane)
        room = (following.start_minute if same_lane and following is not None else last) - bar.start_minute
        title = title_of(mission, bar.activity)
        labels.append(Label(bar, title, _fitted(title, int(room * per_minute) - 1, lines)))
    return labels


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _hours(axis, minutes: range, words: str, edge: float, above: bool) -> list[Title]:
    """A line across the axes at each of `minutes` (an hour), above the bands' colours as matplotlib's
    grid was, and its hour written in `words` (a format of the hour) above or below the axes' `edge`.
    The axes get no ticks at all: matplotlib builds and measures two lines and two texts per tick."""
    from matplotlib.collections import LineCollection

    axis.set_xticks([])
    axis.set_yticks([])
    bottom, top = axis.get_ylim()
    axis.add_collection(LineCollection([[(minute, bottom), (minute, top)] for minute in minutes],
                                       colors="#dddddd", linewidths=0.6, zorder=0.5))
    anchor, gap = ("md", -AXIS_GAP) if above else ("ma", AXIS_GAP)
    return [Title(axis, minute, edge, words.format(minute // 60), AXIS_POINTS, anchor=anchor,
                  shift=(0.0, gap), clipped=False) for minute in minutes]


def _row_names(axis, left: int, rows: list[TimelineRow], heights: dict[str, int], tops: dict[str, int],
               limit: int) -> list[Title]:
    """Each row's name, cut to `limit` characters, to the left of the axes (at minute `left`)."""
    return [Title(axis, left, tops[row.key] + heights[row.key] / 2, _shorten(row.label, limit), AXIS_POINTS,
                  anchor="rm", shift=(-AXIS_GAP, 0.0), clipped=False) for row in rows]


def _draw_rows(axis, rows: list[TimelineRow], heights: dict[str, int], tops: dict[str, int],
               first: int, last: int) -> None:
    """The shaded bands of tracks and sectors and a line between rows, as one collection each: hundreds of
    separate patches cost most of the drawing time."""
    from matplotlib.collections import LineCollection, PolyCollection

    bands, colours = [], []
    for row in rows:
        if row.kind in ("track", "sector"):
            top, bottom = tops[row.key], tops[row.key] + heights[row.key]
            bands.append([(first, top), (last, top), (last, bottom), (first, bottom)])
            colours.append("#f1f4fa" if row.kind == "track" else "#f6f3fa")
    if bands:
        axis.add_collection(PolyCollection(bands, facecolors=colours, edgecolors="none", zorder=0))
    lines = [[(first, tops[row.key]), (last, tops[row.key])] for row in rows]
    axis.add_collection(LineCollection(lines, colors="#e3e6ee", linewidths=0.5, zorder=0))


def _draw_bars(axis, boxes: list[tuple[Bar, float, float]], colours: dict[str, str]) -> None:
    """Every bar of an axis as one collection: (bar, top, height) in lanes."""
    from matplotlib.collections import PolyCollection

    if boxes:
        polygons = [[(bar.start_minute, top), (bar.end_minute, top), (bar.end_minute, top + height),
                     (bar.start_minute, top + height)] for bar, top, height in boxes]
        faces = [colours[bar.activity.kind] for bar, _, _ in boxes]
        axis.add_collection(PolyCollection(polygons, facecolors=faces, edgecolors="white", linewidths=0.4))


def overview_png(mission: Mission, schedule: Schedule) -> bytes:
    """The whole programme as one picture: rows × days, bars coloured by kind, rows as tall as their lanes;
    titles in the bars of a small mission (a large one has a picture per day for them: `day_pngs`)."""
    timeline = build_timeline(mission, schedule)
    colours = kind_colours(timeline.kinds)
    heights = _row_heights(timeline, timeline.rows, None)
    tops = _row_tops(timeline.rows, heights)
    lanes = max(1, sum(heights.values()))
    titled = len(schedule.activities) <= LARGE_MISSION
    day_count = max(1, len(timeline.days))
    height = 1.8 + 0.2 * lanes + 0.08 * len(timeline.rows)
    width = 2.4 + 2.7 * day_count + 3.4
    figure = _figure(width, height)
    # Fixed margins in inches rather than constrained layout, which draws the whole figure twice.
    grid = figure.add_gridspec(1, day_count + 1, width_ratios=[1.0] * day_count + [1.25],
                               left=2.3 / width, right=1 - 0.1 / width, top=1 - 0.85 / height,
                               bottom=0.4 / height, wspace=0.06)
    titles: list[Title] = []
    for column, day in enumerate(timeline.days or [None]):
        # Not sharing the y axis: a shared one gives every column a tick per row, hidden but still built.
        axis = figure.add_subplot(grid[0, column])
        axis.set_xlim(timeline.first_minute, timeline.last_minute)
        axis.set_ylim(lanes, 0)
        titles.extend(_hours(axis, range(timeline.first_minute, timeline.last_minute + 1, 120), "{:02d}",
                             lanes, above=False))
        _draw_rows(axis, timeline.rows, heights, tops, timeline.first_minute, timeline.last_minute)
        if day is not None:
            heading = format_day_month(day, mission.language, weekday=True, padded=False)
            # A fixed title height: placing it automatically measures every tick label of the axis.
            axis.set_title(f"{heading}\n{_plain(city_label(mission, day), 40)}", fontsize=8, y=1.0, pad=4)
        if column == 0:
            titles.extend(_row_names(axis, timeline.first_minute, timeline.rows, heights, tops, 34))
        labels = {id(label.bar): label for label in day_labels(
            mission, timeline, day, timeline.first_minute, timeline.last_minute,
            inches_per_hour=2.6 / max(1, (timeline.last_minute - timeline.first_minute) / 60),
            points=5.5, lines=1)} if day is not None and titled else {}
        boxes = []
        for bar in timeline.bars:
            if bar.day != day:
                continue
            top = tops[bar.row] + bar.lane * heights[bar.row] / bar.lanes
            lane = heights[bar.row] / bar.lanes
            boxes.append((bar, top + 0.04, lane - 0.08))
            label = labels.get(id(bar))
            if label is not None and len(label.shown) >= 4:
                titles.append(Title(axis, bar.start_minute + 4, top + lane / 2, _shorten(label.shown, 120),
                                    5.5))
        _draw_bars(axis, boxes, colours)
    _legend(figure.add_subplot(grid[0, day_count]), timeline, colours, titled)
    figure.suptitle(f"{_plain(mission.name, 80)} — {schedule.status}, {len(schedule.activities)} activities",
                    fontsize=10)
    return figure_png(figure, titles)


def _legend(side, timeline: Timeline,
            colours: dict[str, str], titled: bool) -> None:
    from matplotlib.patches import Patch

    side.axis("off")
    handles = [Patch(facecolor=colours[kind], label=_plain(kind, 30)) for kind in timeline.kinds]
    if handles:
        side.legend(handles=handles, loc="upper left", fontsize=7, title="kind", title_fontsize=8,
                    frameon=False)
    lines = [] if titled else ["Titles: one picture per day", "(overview-YYYY-MM-DD.png)", ""]
    lines.append(f"Left out ({len(timeline.left_out)})")
    for _, title, reason in timeline.left_out[:40]:
        lines.append(textwrap.fill(f"• {_plain(title, 60)}: {_plain(reason, 240)}", width=46,
                                   subsequent_indent="  "))
    if len(timeline.left_out) > 40:
        lines.append(f"… and {len(timeline.left_out) - 40} more")
    if not timeline.left_out:
        lines.append("none: every activity is scheduled")
    side.text(0.0, 0.62 if handles else 1.0, "\n".join(lines), fontsize=6.5, va="top", ha="left",
              transform=side.transAxes, wrap=True)


def day_window(timeline: Timeline, day: date) -> tuple[int, int]:
    """The hours a day's picture shows: from the hour before its first bar to the hour after its last."""
    bars = [bar for bar in timeline.bars if bar.day == day]
    if not bars:
        return timeline.first_minute, timeline.last_minute
    first = min(bar.start_minute for bar in bars)
    last = max(bar.end_minute for bar in bars)
    return (first // 60) * 60, -(-last // 60) * 60


def day_png(mission: Mission, timeline: Timeline, day: date) -> bytes:
    """One day of the programme, wide enough to read its titles: the rows with a bar that day (and the
    tracks), as tall as their lanes."""
    colours = kind_colours(timeline.kinds)
    used = {bar.row for bar in timeline.bars if bar.day == day}
    rows = [row for row in timeline.rows if row.key in used or row.kind == "track"]
    heights = _row_heights(timeline, rows, day)
    tops = _row_tops(rows, heights)
    lanes = max(1, sum(heights.values()))
    first, last = day_window(timeline, day)
    hours = max(1, (last - first) / 60)
    width = 3.0 + DAY_INCHES_PER_HOUR * hours + 0.2
    height = 1.0 + LANE_INCHES * lanes
    figure = _figure(width, height)
    plot_width = DAY_INCHES_PER_HOUR * hours / width
    axis = figure.add_axes((2.9 / width, 0.35 / height, plot_width, 1 - 0.85 / height))
    axis.set_xlim(first, last)
    axis.set_ylim(lanes, 0)
    titles = _hours(axis, range(first, last + 1, 60), "{:02d}:00", 0, above=True)
    _draw_rows(axis, rows, heights, tops, first, last)
    titles.extend(_row_names(axis, first, rows, heights, tops, 48))
    boxes = []
    for label in day_labels(mission, timeline, day, first, last):
        bar = label.bar
        if bar.row not in tops:
            continue
        lane = heights[bar.row] / bar.lanes
        top = tops[bar.row] + bar.lane * lane
        boxes.append((bar, top + 0.05, lane - 0.1))
        titles.append(Title(axis, bar.start_minute + 3, top + lane / 2, _shorten(label.shown, 240),
                            LABEL_POINTS))
    _draw_bars(axis, boxes, colours)
    title = (f"{_plain(mission.name, 80)} — {format_long_date(day, mission.language)} · "
             f"{_plain(city_label(mission, day), 40)}")
    figure.text(0.01, 1 - 0.12 / height, title, fontsize=9, va="top", ha="left", weight="bold")
    return figure_png(figure, titles)


def day_pngs(mission: Mission, schedule: Schedule) -> dict[date, bytes]:
    """A picture per day with an activity, for a mission larger than `LARGE_MISSION`; none for a small one
    (overview.png carries its titles)."""
    if len(schedule.activities) <= LARGE_MISSION:
        return {}
    timeline = build_timeline(mission, schedule)
    days = sorted({bar.day for bar in timeline.bars})
    return {day: day_png(mission, timeline, day) for day in days}
