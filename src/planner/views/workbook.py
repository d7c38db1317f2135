"""programme.xlsx: the programme as a workbook, for caterers, venues, drivers and organisers.

Sheets: "Programme" (one row per activity), one grid per day (time × venue), "Venues" (per venue and day,
with the peak headcount), "Delegates" (one row per delegate and activity), "Left out" and, when the mission
has B2B requests, "B2B meetings" and "B2B not scheduled" (`planner.views.workbook_meetings`). Dates and
times are real spreadsheet dates and times in the local time of each activity's leg (a spreadsheet knows no
time zones, so a column names the zone). Sheet names, headings and the workbook's own words speak the
mission's language (`planner.views.workbook_words`). Written with openpyxl, atomically.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from math import gcd
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import Mission
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled
from planner.mission.cells import printable, reads_as_formula, set_cell, workbook_bytes
from planner.mission.files import write_atomic
from planner.text.collation import alphabetical
from planner.text.i18n import SOURCE_LANGUAGE, Words, words_for
from planner.text.left_out import left_out_sentence
from planner.text.vocabulary import kind_label
from planner.views.overview import headcount, kind_colours, local_end, local_start, title_of
from planner.views.timeline import interval_lanes
from planner.views.workbook_meetings import b2b_sheets
from planner.views.workbook_words import (
    DELEGATE_COLUMNS,
    ENGLISH,
    LEFT_OUT_COLUMNS,
    PROGRAMME_COLUMNS,
    VENUE_COLUMNS,
    attends_as,
    day_sheet_name,
    headers,
    heading,
    people,
    sheet_names,
)

__all__ = ["PROGRAMME_HEADERS", "day_sheet_name", "programme_workbook", "workbook_bytes",
           "write_programme_workbook"]

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
THIN = Side(style="thin", color="999999")
WIDEST_COLUMN = 60
"""Characters; longer text wraps (attendee lists run to thousands of characters)."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A scheduled activity with its local wall times."""

    activity: ScheduledActivity
    start: datetime
    end: datetime
    people: int

    @property
    def day(self) -> date:
        return self.start.date()


def _placed(mission: Mission, schedule: Schedule) -> list[Placed]:
    placed = [
        Placed(a, local_start(mission, a), local_end(mission, a), headcount(mission, a.attendees))
        for a in schedule.activities
    ]
    return sorted(placed, key=lambda p: (p.start.replace(tzinfo=None), p.activity.venue, p.activity.id))


def _wall(instant: datetime) -> datetime:
    """A spreadsheet date-time: the local wall time, without zone (openpyxl refuses aware ones)."""
    return instant.replace(tzinfo=None)


def _zone_name(instant: datetime) -> str:
    return instant.tzname() or instant.strftime("%z")


def _venue_label(mission: Mission, venue_id: str) -> str:
    venue = mission.venues.get(venue_id)
    return venue.name if venue is not None else venue_id


def _names(mission: Mission, delegate_ids: tuple[str, ...]) -> str:
    return ", ".join(
        mission.delegates[d].name if d in mission.delegates else d
        for d in sorted(delegate_ids, key=lambda d: alphabetical(mission.delegates[d].name if d in
                                                           mission.delegates else d))
    )


def _kind(words: Words, kind: str) -> str:
    """A conventional kind in the mission's language; in English the kind exactly as written, as the
    workbook always showed it (`Visit` stays `Visit`)."""
    return kind if words.language == SOURCE_LANGUAGE else kind_label(words, kind)


# --- tabular sheets -------------------------------------------------------------------------------------


def _table(sheet: Worksheet, headers: list[str], rows: list[list[object]],
           formats: dict[int, str] | None = None) -> None:
    """Header row (bold, frozen, with filters), rows, number formats by column index, column widths."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for row_number, row in enumerate(rows, start=2):
        sheet.append(row)  # a whole row at once: a third faster than cell by cell
        for column, value in enumerate(row, start=1):
            if reads_as_formula(value):
                set_cell(sheet.cell(row=row_number, column=column), value)  # a title `=…` stays text
    for column, number_format in (formats or {}).items():
        _style_column(sheet, column + 1, partial(_number_format, number_format=number_format))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    _fit_columns(sheet, headers, rows, formats or {})
    printable(sheet)


def _fit_columns(sheet: Worksheet, headers: list[str], rows: list[list[object]],
                 formats: dict[int, str]) -> None:
    for index, header in enumerate(headers):
        if index in formats:
            width = max(len(header), len(formats[index])) + 2
        else:
            longest = max((len(str(row[index])) for row in rows if row[index] is not None), default=0)
            width = min(max(len(header), longest) + 2, WIDEST_COLUMN)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
        if width == WIDEST_COLUMN:
            _style_column(sheet, index + 1, lambda cell: setattr(cell, "alignment", WRAPPED))


WRAPPED = Alignment(wrap_text=True, vertical="top")


def _number_format(cell: Any, number_format: str) -> None:
    cell.number_format = number_format


def _style_column(sheet: Worksheet, column: int, style: Callable[[Any], None]) -> None:
    """Style the first data cell of a column, then give the others its style: openpyxl registers a style
    set cell by cell anew (hashing it against every style of the book), thousands of times per column."""
    cells = [cell for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column)]
    if not cells:
        return
    style(cells[0])
    for cell in cells[1:]:
        cell._style = copy(cells[0]._style)


PROGRAMME_HEADERS = headers(ENGLISH, PROGRAMME_COLUMNS)


def _programme_sheet(sheet: Worksheet, mission: Mission, placed: list[Placed], words: Words) -> None:
    rows: list[list[object]] = []
    for item in placed:
        activity = item.activity
        venue = mission.venues.get(activity.venue)
        rows.append([
            item.day, item.start.time().replace(tzinfo=None), item.end.time().replace(tzinfo=None),
            _zone_name(item.start), activity.id, title_of(mission, activity), _kind(words, activity.kind),
            _venue_label(mission, activity.venue), venue.address if venue is not None else None,
            item.people, len(activity.attendees), _names(mission, activity.attendees),
        ])
    _table(sheet, headers(words, PROGRAMME_COLUMNS), rows, {0: DATE_FORMAT, 1: TIME_FORMAT, 2: TIME_FORMAT})


def _peak(items: list[Placed]) -> int:
    """The most people present at once; ends sort before starts at one instant (back to back: no overlap)."""
    events = sorted([(p.start, p.people) for p in items] + [(p.end, -p.people) for p in items])
    present = peak = 0
    for _, change in events:
        present += change
        peak = max(peak, present)
    return peak


def _venues_sheet(sheet: Worksheet, mission: Mission, placed: list[Placed], words: Words) -> None:
    by_venue_day: dict[tuple[str, date], list[Placed]] = defaultdict(list)
    for item in placed:
        by_venue_day[(item.activity.venue, item.day)].append(item)
    order = {venue_id: index for index, venue_id in enumerate(mission.venues)}
    rows: list[list[object]] = []
    for (venue_id, day), items in sorted(by_venue_day.items(), key=lambda kv: (order.get(kv[0][0], 1 << 30),
                                                                              kv[0][0], kv[0][1])):
        venue = mission.venues.get(venue_id)
        rows.append([
            venue_id, _venue_label(mission, venue_id), venue.address if venue is not None else None, day,
            len(items), min(i.start for i in items).time().replace(tzinfo=None),
            max(i.end for i in items).time().replace(tzinfo=None), _peak(items),
            "; ".join(title_of(mission, i.activity) for i in items),
        ])
    _table(sheet, headers(words, VENUE_COLUMNS), rows, {3: DATE_FORMAT, 5: TIME_FORMAT, 6: TIME_FORMAT})


def _attends_as(mission: Mission, activity_id: str, delegate_id: str, words: Words) -> str:
    planned = mission.activities.get(activity_id)
    return attends_as(words, planned is None or delegate_id in planned.attendees,
                      planned is not None and delegate_id in planned.optional_attendees)


def _delegates_sheet(sheet: Worksheet, mission: Mission, placed: list[Placed], words: Words) -> None:
    by_delegate: dict[str, list[Placed]] = defaultdict(list)
    for item in placed:
        for delegate_id in item.activity.attendees:
            by_delegate[delegate_id].append(item)
    order = {delegate_id: index for index, delegate_id in enumerate(mission.delegates)}
    rows: list[list[object]] = []
    for delegate_id in sorted(by_delegate, key=lambda d: (order.get(d, 1 << 30), d)):
        delegate = mission.delegates.get(delegate_id)
        for item in by_delegate[delegate_id]:
            venue = mission.venues.get(item.activity.venue)
            rows.append([
                delegate_id, delegate.name if delegate else delegate_id,
                delegate.organisation if delegate else None, delegate.delegation if delegate else None,
                delegate.size if delegate else 1, delegate.email if delegate else None,
                item.day, item.start.time().replace(tzinfo=None), item.end.time().replace(tzinfo=None),
                item.activity.id, title_of(mission, item.activity),
                _venue_label(mission, item.activity.venue),
                venue.address if venue is not None else None,
                _attends_as(mission, item.activity.id, delegate_id, words),
            ])
    _table(sheet, headers(words, DELEGATE_COLUMNS), rows, {6: DATE_FORMAT, 7: TIME_FORMAT, 8: TIME_FORMAT})


def _left_out_reason(item: Unscheduled, words: Words) -> str:
    """Why an activity was left out: schedule.json's sentence in English; worded afresh from its code and
    parameters in another language, or as the file words it when planner cannot (a code or a conflict it
    does not say in that language, a file of another tool)."""
    if words.language == SOURCE_LANGUAGE or not item.code:
        return item.reason
    return left_out_sentence(item.code, item.params, words) or item.reason


def _left_out_sheet(sheet: Worksheet, mission: Mission, schedule: Schedule, words: Words) -> None:
    rows: list[list[object]] = []
    for item in schedule.unscheduled:
        planned = mission.activities.get(item.id)
        rows.append([
            item.id, planned.title if planned else item.id, _kind(words, planned.kind) if planned else None,
            planned.priority if planned else None, _left_out_reason(item, words),
        ])
    _table(sheet, headers(words, LEFT_OUT_COLUMNS), rows)


# --- one grid per day -----------------------------------------------------------------------------------


def _minute(instant: datetime) -> int:
    return instant.hour * 60 + instant.minute


def _slot_minutes(items: list[Placed]) -> int:
    """Rows of 30, 15, 10 or 5 minutes: the longest on which every start and end of the day falls."""
    step = 0
    for item in items:
        step = gcd(step, _minute(item.start), _minute(item.end) if item.end.date() == item.day else 0)
    for slot in (30, 15, 10, 5):
        if step % slot == 0:
            return slot
    return 5


def _fill(hex_colour: str) -> PatternFill:
    """The kind's colour of the overview, lightened so that black text stays readable."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    light = "".join(f"{round(channel + (255 - channel) * 0.6):02X}" for channel in (red, green, blue))
    return PatternFill("solid", fgColor=light)


def _day_sheet(sheet: Worksheet, mission: Mission, items: list[Placed],
               fills: dict[str, PatternFill], words: Words) -> None:
    slot = _slot_minutes(items)
    day = items[0].day
    first = min(_minute(i.start) for i in items) // 60 * 60

    def end_minute(item: Placed) -> int:
        return _minute(item.end) if item.end.date() == day else 24 * 60

    last = -(-max(end_minute(i) for i in items) // 60) * 60
    order = {venue_id: index for index, venue_id in enumerate(mission.venues)}
    venues = sorted({i.activity.venue for i in items}, key=lambda v: (order.get(v, 1 << 30), v))
    columns: list[tuple[str, int]] = []
    placements: list[tuple[Placed, int, int, int]] = []  # item, column, first row, last row
    for venue_id in venues:
        here = [i for i in items if i.activity.venue == venue_id]
        spans = [((_minute(i.start) - first) // slot, -(-(end_minute(i) - first) // slot)) for i in here]
        lanes = interval_lanes(spans)
        base = len(columns) + 2
        for lane in range(max(lanes) + 1):
            columns.append((venue_id, lane))
        for item, (top, bottom), lane in zip(here, spans, lanes):
            placements.append((item, base + lane, top + 2, max(bottom, top + 1) + 1))

    sheet.cell(row=1, column=1, value=heading(words, "time")).font = HEADER_FONT
    sheet.column_dimensions["A"].width = 8
    for index, (venue_id, lane) in enumerate(columns):
        label = _venue_label(mission, venue_id) if lane == 0 else None
        cell = sheet.cell(row=1, column=index + 2, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index + 2)].width = 24
    sheet.cell(row=1, column=1).fill = HEADER_FILL
    for venue_id in venues:
        spanned = [index + 2 for index, (other, _) in enumerate(columns) if other == venue_id]
        if len(spanned) > 1:  # activities in parallel at one venue: one header over its columns
            sheet.merge_cells(start_row=1, start_column=spanned[0], end_row=1, end_column=spanned[-1])
    for row in range((last - first) // slot):
        minute = first + row * slot
        cell = sheet.cell(row=row + 2, column=1, value=time(minute // 60, minute % 60))
        cell.number_format = TIME_FORMAT
    edges: dict[str, Any] = {}
    for item, column, top, bottom in placements:
        text = (f"{item.start:%H:%M}–{item.end:%H:%M} {title_of(mission, item.activity)} "
                f"{people(words, item.people)}")
        cell = sheet.cell(row=top, column=column)
        set_cell(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = fills[item.activity.kind]
        cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
        if bottom > top:
            _merge_down(sheet, column, top, bottom, edges)
    sheet.freeze_panes = "B2"
    printable(sheet)


def _merge_down(sheet: Worksheet, column: int, top: int, bottom: int, edges: dict[str, Any]) -> None:
    """`sheet.merge_cells` over rows `top`..`bottom` of `column`, whose first cell has a thin border all
    round. openpyxl gives each merged cell its side of the border, registering the style cell by cell
    against every style of the book (half of a large workbook's time); every such merge gives its middle
    cells and its bottom cell the same styles, so after openpyxl has made each once, they are copied."""
    if "middle" not in edges or "bottom" not in edges:
        sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        if bottom > top + 1:
            edges["middle"] = sheet._cells[(top + 1, column)]._style
        edges["bottom"] = sheet._cells[(bottom, column)]._style
        return
    sheet.merged_cells.add(MergedCellRange(sheet, f"{get_column_letter(column)}{top}:"
                                                  f"{get_column_letter(column)}{bottom}"))
    for row in range(top + 1, bottom + 1):
        cell = MergedCell(sheet, row=row, column=column)
        cell._style = copy(edges["bottom" if row == bottom else "middle"])
        sheet._cells[(row, column)] = cell


# --- the workbook ---------------------------------------------------------------------------------------


def programme_workbook(mission: Mission, schedule: Schedule) -> Workbook:
    placed = _placed(mission, schedule)
    words = words_for(mission.language)
    names = sheet_names(words)
    book = Workbook()
    programme = book.active
    programme.title = names.programme
    _programme_sheet(programme, mission, placed, words)
    by_day: dict[date, list[Placed]] = defaultdict(list)
    for item in placed:
        by_day[item.day].append(item)
    fills = {kind: _fill(colour) for kind, colour in
             kind_colours(sorted({p.activity.kind for p in placed})).items()}
    for day in sorted(by_day):
        _day_sheet(book.create_sheet(day_sheet_name(day, words)), mission, by_day[day], fills, words)
    _venues_sheet(book.create_sheet(names.venues), mission, placed, words)
    _delegates_sheet(book.create_sheet(names.delegates), mission, placed, words)
    _left_out_sheet(book.create_sheet(names.left_out), mission, schedule, words)
    for sheet in b2b_sheets(mission, schedule, words):
        _table(book.create_sheet(sheet.name), sheet.headers, sheet.rows,
               {**dict.fromkeys(sheet.dates, DATE_FORMAT), **dict.fromkeys(sheet.times, TIME_FORMAT)})
    book.properties.title = mission.name
    book.properties.creator = "planner"
    return book


def write_programme_workbook(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """DIR/programme.xlsx."""
    path = Path(out_dir) / "programme.xlsx"
    write_atomic(path, workbook_bytes(programme_workbook(mission, schedule)))
    return [path]
