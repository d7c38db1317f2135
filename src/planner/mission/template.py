"""`planner template`: an empty mission workbook, with drop-down lists, notes on every column, and a short
"How to" sheet; the same guidance goes into every workbook `planner convert` writes."""

from __future__ import annotations

import zoneinfo

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from planner.domain import DEFAULT_LANGUAGE, LANGUAGES
from planner.domain.mission import CONVENTIONAL_KINDS
from planner.mission.schema import RULE_KINDS
from planner.mission.workbook_layout import COLUMNS, SETTINGS, SHEETS, TRAVEL_SETTINGS_COLUMN, TRAVEL_TIMES

ACTIVITY_KINDS = CONVENTIONAL_KINDS
ROLES = ("royal", "minister", "official", "company", "academic", "press", "staff")
GROUP_KINDS = ("track", "delegation", "sector")
RULE_WORDS = ", ".join(RULE_KINDS[:-1]) + f" or {RULE_KINDS[-1]}"
"""Every rule kind the loader accepts (the registry's too), as the Rules sheet's note and alert say them."""
ROWS = 2000
"""Rows that carry the drop-down lists."""

NOTES = {
    "name": "Free text, shown in calendars and itineraries.",
    "timezone": "IANA time zone, e.g. America/Los_Angeles (pick from the list).",
    "grain": "Time resolution: 5m (default), 15m …",
    "day": "Working day, e.g. 08:00–22:00.",
    "city": "Free text; each venue names a leg's city.",
    "from": "First date, e.g. 2025-10-06.",
    "to": "Last date, inclusive.",
    "id": "Lower-case letters, digits, - and _; unique.",
    "address": "Copied into calendars.",
    "geo": "Latitude, longitude, e.g. 37.7924, -122.4102.",
    "open": "Daily opening hours, e.g. 09:00–18:00 (several: 09:00–12:00, 14:00–18:00).",
    "parallel": "Activities at the same time (default 1).",
    "capacity": "Largest headcount of one activity.",
    "role": "royal, minister, official, company, academic, press, staff (or your own).",
    "organisation": "Free text.",
    "delegation": "e.g. wallonia.",
    "sectors": "A list: digital, ai.",
    "size": "Headcount of this delegate (a company's delegation: its number of people).",
    "email": "Contact address.",
    "unavailable": "Windows: 2025-10-06 08:00 – 2025-10-06 12:00 (several: separate with commas).",
    "language": f"What itineraries, calendars and mails speak: {', '.join(LANGUAGES)} "
                f"(default {DEFAULT_LANGUAGE}).",
    "kind": "Pick from the list, or your own word.",
    "members": "Delegate and group ids: astrid, simonet.",
    "title": "Free text.",
    "venue": "A venue id, or candidate ids the solver picks from: stanford, usc.",
    "duration": "90m, 1h30m, 2h or minutes (90).",
    "attendees": "Delegate and group ids: astrid, official-party.",
    "optional_attendees": "Delegate and group ids who come if their day allows.",
    "fixed": "Fixed start: 2025-10-06 09:30.",
    "windows": "The activity lies inside one: 2025-10-06 09:00 – 2025-10-06 12:00.",
    "dates": "Dates: 2025-10-06, 2025-10-07.",
    "after": "Activity ids this one follows; a gap with +: welcome +30m.",
    "priority": "required (default), or a weight 1–1000 if it may be left out.",
    "description": "Copied into calendars and itineraries.",
    "rule": f"{RULE_WORDS}.",
    "hours": "max_hours: most hours busy per date (activities and travel), e.g. 9, 8.5 or 8h30m.",
    "pinned": "TRUE: re-planning keeps the activity at its baseline start (empty: FALSE).",
    "meetings": "Makes it a B2B session: slot 20m, tables 18.",
    "leave": "Earliest departure from the hotel, e.g. 07:30 (default: the working day's start).",
    "who": "A delegate or group id.",
    "with": "accompany: the delegate or group accompanied.",
    "kinds": "Activity kinds the rule applies to (empty: all).",
    "count": "max_per_day: most activities per date.",
    "gap": "min_gap: protocol gap, e.g. 15m.",
    "between": "lunch: e.g. 11:30–14:00.",
    "venue_a": "A venue id.",
    "venue_b": "Another venue id of the same city.",
    "speed_kmh": "Average door-to-door speed (default 35).",
    "detour": "Road distance / straight distance (default 1.3).",
    "buffer": "Added to every computed time (default 10m).",
    "default": "Time used when a pair has no explicit time and no geo.",
}

SECTION_NOTES = {
    ("meetings", "with"): "Two or more delegate, group or counterpart ids who meet: odoo, toyota.",
    ("meetings", "priority"): "A weight 1–1000 (default 1).",
    ("meetings", "sessions"): "B2B session ids it may go to (empty: any they all attend).",
    ("counterparts", "sessions"): "B2B session ids they come to (empty: every session).",
    ("lodging", "who"): "A delegate or group id (empty: everyone on the leg).",
}
"""Notes of a column whose key means something else on that sheet than on the others."""

HOW_TO = [
    ("How to fill in this mission workbook", True),
    ("One sheet per section of the mission format; in each, one row per entry under the header row.", False),
    ("Mission: name, time zone, grain and working day, as key | value rows.", False),
    ("Legs: one row per city stay (city, first and last date).", False),
    ("Venues: one row per place, in a leg's city.", False),
    ("Travel: explicit times between venues in columns A–C; the settings for computed times in E–F.", False),
    ("Delegates: one row per person, or per company delegation moving as one (size = its headcount).", False),
    ("Groups: tracks, delegations, sectors; members are delegate or group ids.", False),
    ("Activities: one row per activity; attendees are delegate or group ids.", False),
    ("Rules: one row per rule; the rule column names it, the other columns are its keys.", False),
    ("Counterparts: the people met in B2B sessions who are not delegates (left empty: no B2B).", False),
    ("Meetings: one row per 1:1 meeting request; with = the delegates, groups or counterparts who meet.",
     False),
    ("Lodging: one row per hotel: a leg's city, the hotel's venue id, who stays there (left empty: none).",
     False),
    ("", False),
    ("How to write a cell", True),
    ("A list: astrid, simonet  (use ; or one item per line when an item holds a comma).", False),
    ("A duration: 90m, 1h30m, 2h or minutes.  A time range: 09:00–18:00.", False),
    ("A window: 2025-10-06 09:00 – 2025-10-06 12:00, or whole days: 2025-10-06 – 2025-10-07.  Several "
     "windows: separate them with commas.", False),
    ("After: welcome, briefing +30m  (the activity starts 30 minutes after briefing ends).", False),
    ("Hover over a column's header for its note; pick kinds, roles and ids from the drop-down lists.", False),
    ("", False),
    ("Then", True),
    ("planner validate mission.xlsx   checks it; each error names its cell: mission.xlsx:Delegates!E14.",
     False),
    ("planner solve mission.xlsx --out out   plans the programme.", False),
    ("planner convert mission.xlsx mission.yaml   writes the same mission as YAML (and back; --force to "
     "replace a file already there).", False),
    ("planner import registrations.csv --into mission.yaml   adds registered companies as delegates.", False),
]


def _lists_sheet(book: Workbook) -> dict[str, str]:
    """A hidden sheet of the values the drop-down lists offer; name → range."""
    sheet = book.create_sheet("Lists")
    zones = sorted(zoneinfo.available_timezones())
    columns = {"activity kinds": ACTIVITY_KINDS, "roles": ROLES, "group kinds": GROUP_KINDS,
               "rules": RULE_KINDS, "priority": ("required",), "time zones": tuple(zones),
               "languages": LANGUAGES, "true or false": (True, False)}
    ranges = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = chr(ord("A") + index - 1)
        sheet.cell(row=1, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    return ranges


def _validation(book: Workbook, sheet_name: str, cells: str, source: str, strict: bool = False,
                message: str | None = None) -> None:
    validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    # Free-text columns (kinds, roles) offer their list without refusing other words; the loader checks ids.
    validation.showErrorMessage = strict
    if strict and message:
        validation.error = message
        validation.errorTitle = "planner"
    book[sheet_name].add_data_validation(validation)
    validation.add(cells)


def _column_letter(section: str, key: str) -> str:
    return chr(ord("A") + COLUMNS[section].index(key))


def _drop_downs(book: Workbook, lists: dict[str, str]) -> None:
    def column(section: str, key: str) -> str:
        letter = _column_letter(section, key)
        return f"{letter}2:{letter}{ROWS}"

    ids = {section: f"{SHEETS[section]}!$A$2:$A${ROWS}" for section in ("venues", "delegates", "activities")}
    _validation(book, "Activities", column("activities", "kind"), lists["activity kinds"])
    _validation(book, "Activities", column("activities", "venue"), ids["venues"])
    _validation(book, "Activities", column("activities", "priority"), lists["priority"])
    _validation(book, "Delegates", column("delegates", "role"), lists["roles"])
    _validation(book, "Groups", column("groups", "kind"), lists["group kinds"])
    _validation(book, "Rules", column("rules", "rule"), lists["rules"], strict=True,
                message=f"A rule is {RULE_WORDS}.")
    _validation(book, "Rules", column("rules", "who"), ids["delegates"])
    _validation(book, "Rules", column("rules", "with"), ids["delegates"])
    _validation(book, "Venues", column("venues", "city"), f"Legs!$A$2:$A${ROWS}")
    _validation(book, "Legs", column("legs", "timezone"), lists["time zones"])
    _validation(book, "Mission", f"B{2 + SETTINGS['mission'].index('timezone')}", lists["time zones"])
    _validation(book, "Mission", f"B{2 + SETTINGS['mission'].index('language')}", lists["languages"])
    _validation(book, "Delegates", column("delegates", "language"), lists["languages"])
    _validation(book, "Counterparts", column("counterparts", "language"), lists["languages"])
    _validation(book, "Activities", column("activities", "pinned"), lists["true or false"])
    _validation(book, "Travel", f"A2:B{ROWS}", ids["venues"])


def _notes(book: Workbook) -> None:
    for section, name in SHEETS.items():
        if name not in book.sheetnames:
            continue  # an optional addition the workbook does not use (Lodging)
        sheet = book[name]
        if section in SETTINGS:
            column = TRAVEL_SETTINGS_COLUMN if section == "travel" else 1
            for row, key in enumerate(SETTINGS[section], start=2):
                sheet.cell(row=row, column=column).comment = Comment(NOTES[key], "planner")
        keys = TRAVEL_TIMES if section == "travel" else COLUMNS.get(section, ())
        for index, key in enumerate(keys, start=1):
            note = SECTION_NOTES.get((section, key)) or NOTES.get(key)
            if note:
                sheet.cell(row=1, column=index).comment = Comment(note, "planner")


def add_guidance(book: Workbook) -> None:
    """Drop-down lists, a note on every header, and the "How to" sheet."""
    _drop_downs(book, _lists_sheet(book))
    _notes(book)
    how_to = book.create_sheet("How to")
    how_to.column_dimensions["A"].width = 110
    for row, (text, heading) in enumerate(HOW_TO, start=1):
        cell = how_to.cell(row=row, column=1, value=text)
        cell.font = Font(bold=heading, size=13 if heading else 11)
        cell.alignment = Alignment(wrap_text=True)
