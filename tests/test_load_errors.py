"""Every kind of bad input: exit status 2 from the CLI, the FILE:LINE:COLUMN pointer, and the message.

Each case edits example-small and names the text the error must point at (`at`: a string that occurs once in
the edited file; the pointer is its first character) and fragments the message must contain.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import EXAMPLE_SMALL
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.errors import InputErrors
from planner.mission.load import load_mission, load_mission_text

BASE = EXAMPLE_SMALL.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Case:
    name: str
    edits: tuple[tuple[str, str], ...]
    at: str
    says: tuple[str, ...]

    def text(self) -> str:
        text = BASE
        for old, new in self.edits:
            assert text.count(old) >= 1, f"{self.name}: `{old}` is not in example-small"
            text = text.replace(old, new, 1)
        return text

    def pointer(self, text: str) -> tuple[int, int]:
        """`at` occurs once in the edited file; the pointer is its first character, or the one after `|`."""
        needle = self.at.replace("|", "")
        assert text.count(needle) == 1, f"{self.name}: `{needle}` must occur once in the edited file"
        offset = text.index(needle) + max(self.at.find("|"), 0)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return line, column


def case(name: str, old: str, new: str, at: str, *says: str) -> Case:
    return Case(name, ((old, new),), at, says)


CASES = [
    # unknown keys, with the closest valid one
    case(
        "unknown top-level key",
        "rules:\n",
        "rulez:\n",
        "rulez",
        "unknown section `rulez`",
        "did you mean `rules`?",
    ),
    case(
        "unknown key in an entry",
        "kind: visit, venue: google",
        "kind: visit, venu: google",
        "venu:",
        "activity `visit-google`: unknown key `venu`",
        "did you mean `venue`?",
    ),
    case(
        "unknown key in the header",
        "  grain: 5m",
        "  grian: 5m",
        "grian",
        "unknown key `grian`",
        "did you mean `grain`?",
    ),
    case(
        "unknown key in a rule body",
        "{who: astrid, count: 3}",
        "{who: astrid, cout: 3}",
        "cout",
        "unknown key `cout`",
        "did you mean `count`?",
    ),
    # dangling ids, with the closest existing id
    case(
        "dangling attendee",
        "attendees: [astrid, tech]",
        "attendees: [astrid, tecj]",
        "tecj]",
        "unknown delegate or group `tecj`",
        "did you mean `tech`?",
    ),
    case(
        "dangling venue", "venue: usc,", "venue: uscc,", "uscc", "unknown venue `uscc`", "did you mean `usc`?"
    ),
    case(
        "dangling after",
        "after: [wallonia-briefing]",
        "after: [walonia-briefing]",
        "walonia-briefing]",
        "unknown activity `walonia-briefing`",
        "did you mean `wallonia-briefing`?",
    ),
    case(
        "dangling group member",
        "members: [odoo, csl]",
        "members: [odoo, cls]",
        "cls]",
        "unknown member `cls`",
        "did you mean `csl`?",
    ),
    case(
        "dangling rule who",
        "min_gap: {who: royal-track",
        "min_gap: {who: royal-trak",
        "royal-trak",
        "unknown delegate or group `royal-trak`",
        "did you mean `royal-track`?",
    ),
    case(
        "dangling travel venue",
        "[fairmont, google, 75m]",
        "[fairmont, gogle, 75m]",
        "gogle, 75m]",
        "unknown venue `gogle`",
        "did you mean `google`?",
    ),
    # duplicate ids
    case(
        "duplicate id across delegates and groups",
        "  - {id: tech,",
        "  - {id: odoo, members: [csl]}\n  - {id: tech,",
        "{id: odoo, members",
        "the group id `odoo` is already used on line 33",
    ),
    case(
        "duplicate activity id",
        "{id: visit-nasa,",
        "{id: visit-google,",
        "{id: visit-google, title: Visit to NASA",
        "the activity id `visit-google` is already used on line 47",
    ),
    case(
        "duplicate venue id",
        "  - {id: stanford, name",
        "  - {id: google, name: Googleplex, city: Los Angeles}\n  - {id: stanford, name",
        "{id: google, name: Googleplex",
        "the venue id `google` is already used on line 14",
    ),
    # times
    case(
        "window end not after start",
        '["2025-10-06 08:00", "2025-10-06 10:00"]',
        '["2025-10-06 10:00", "2025-10-06 08:00"]',
        '["2025-10-06 10:00"',
        "the window ends (2025-10-06 08:00) before or when it starts (2025-10-06 10:00)",
    ),
    case(
        "date outside every leg",
        "dates: [2025-10-07]",
        "dates: [2025-10-08]",
        "2025-10-08]",
        "date 2025-10-08 lies outside every leg",
        "San Francisco 2025-10-06–2025-10-07",
    ),
    case(
        "window date outside every leg",
        '"2025-10-09 18:30", "2025-10-09 23:00"',
        '"2025-10-12 18:30", "2025-10-12 23:00"',
        '"2025-10-12 18:30"',
        "the window's start 2025-10-12 18:30 lies outside every leg",
    ),
    case(
        "duration in words",
        "duration: 2h,\n     fixed",
        "duration: ninety,\n     fixed",
        "ninety",
        "`ninety` is not a duration; write 90m, 1h30m or 90",
    ),
    case(
        "duration off the grain",
        "duration: 45m,",
        "duration: 47m,",
        "47m",
        "duration 47m is not a multiple of the grain (5m)",
        "write 45m or 50m",
    ),
    case(
        "fixed start off the grain",
        '"2025-10-06 18:00"',
        '"2025-10-06 18:02"',
        '"2025-10-06 18:02"',
        "the fixed start 18:02 is not on the 5-minute grain",
        "write 18:00 or 18:05",
    ),
    case(
        "fixed start outside its leg",
        '"2025-10-06 18:00"',
        '"2025-10-09 18:00"',
        '"2025-10-09 18:00"',
        "lies outside the leg of its venue `fairmont` (San Francisco, 2025-10-06–2025-10-07)",
    ),
    case(
        "bad time of day",
        'between: ["11:30", "14:00"]',
        'between: ["11:30", "25:00"]',
        '["11:30"',
        "`25:00` is not a time of day",
        '"HH:MM"',
    ),
    case(
        "working day ends before it starts",
        'day: {start: "08:00", end: "21:00"}',
        'day: {start: "08:00", end: "07:00"}',
        '"07:00"',
        "the working day ends (07:00) before or when it starts",
    ),
    case(
        "seconds in a datetime",
        '"2025-10-06 18:00"',
        '"2025-10-06 18:00:30"',
        '"2025-10-06 18:00:30"',
        "has seconds",
    ),
    case(
        "year out of range",
        "from: 2025-10-09, to: 2025-10-09",
        "from: 2025-10-09, to: 9999-12-31",
        "9999-12-31",
        "`9999-12-31` is not a year planner plans for; write a date from 1900 to 2999",
    ),
    case(
        "grain longer than a day", "  grain: 5m", "  grain: 25h", "25h", "a grain of 25h is longer than a day"
    ),
    case(
        "duration longer than a year",
        "duration: 45m,",
        "duration: 9999999,",
        "9999999",
        "9999999 is longer than a year",
    ),
    case(
        "speed out of range",
        "speed_kmh: 40",
        "speed_kmh: 1e308",
        "1e308",
        "`1e+308` is not a number from 1 to 1000",
    ),
    case(
        "impossible date",
        "dates: [2025-10-07]",
        "dates: [2025-02-30]",
        "2025-02-30",
        "`2025-02-30` is no day of the calendar",
    ),
    # venues, cities, legs and time zones
    case(
        "venue city is no leg",
        "city: Los Angeles, geo: [34.0224",
        "city: Los Angelos, geo: [34.0224",
        "Los Angelos",
        "city `Los Angelos` is no leg's city",
        "did you mean `Los Angeles`?",
        "`San Francisco`, `Los Angeles`",
    ),
    case(
        "invalid timezone",
        "timezone: America/Los_Angeles",
        "timezone: America/Los_Angles",
        "America/Los_Angles",
        "`America/Los_Angles` is not a known IANA time zone",
        "did you mean `America/Los_Angeles`?",
    ),
    case(
        "overlapping legs",
        "from: 2025-10-09, to: 2025-10-09",
        "from: 2025-10-07, to: 2025-10-09",
        "2025-10-07, to: 2025-10-09",
        "leg `Los Angeles` (2025-10-07–2025-10-09) overlaps leg `San Francisco`",
        "start `Los Angeles` on 2025-10-08 or later",
    ),
    case(
        "leg to before from",
        "from: 2025-10-09, to: 2025-10-09",
        "from: 2025-10-09, to: 2025-10-08",
        "2025-10-08}",
        "`to` (2025-10-08) is before `from` (2025-10-09)",
    ),
    case(
        "two legs in one city",
        "  - {city: Los Angeles, from",
        "  - {city: San Francisco, from: 2025-10-11, to: 2025-10-11}\n  - {city: Los Angeles, from",
        "San Francisco, from: 2025-10-11",
        "a second leg in `San Francisco`",
    ),
    case(
        "geo out of range",
        "geo: [37.4220, -122.0841]",
        "geo: [137.4220, -122.0841]",
        "[137.4220",
        "latitude 137.422 is out of range",
        "between -90 and 90",
    ),
    case(
        "geo not a pair",
        "geo: [37.4220, -122.0841]",
        "geo: 37.4220",
        "37.4220",
        "geo is [latitude, longitude]",
    ),
    case(
        "candidate venues in different cities",
        "venues: [fairmont, stanford]",
        "venues: [fairmont, usc]",
        "[fairmont, usc]",
        "candidate venues lie in different cities (`fairmont` in San Francisco, `usc` in Los Angeles)",
    ),
    case(
        "venue and venues both",
        "venues: [fairmont, stanford]",
        "venue: fairmont, venues: [fairmont, stanford]",
        "{id: b2b-odoo",
        "has both `venue` and `venues`",
    ),
    case(
        "venue and venues neither",
        "venue: nasa-ames, ",
        "",
        "{id: visit-nasa",
        "has no venue",
        "`venue: <id>`",
    ),
    case(
        "travel between cities",
        "[fairmont, google, 75m]",
        "[fairmont, usc, 75m]",
        "[fairmont, usc",
        "lie in different cities",
        "remove this entry",
    ),
    case(
        "travel twice for one pair",
        "    - [fairmont, google, 75m]",
        "    - [fairmont, google, 75m]\n    - [google, fairmont, 70m]",
        "[google, fairmont",
        "a second travel time between `fairmont` and `google` (the first is on line 26)",
    ),
    case(
        "no way to know a travel time",
        "city: San Francisco, geo: [37.4143, -122.0513], ",
        "city: San Francisco, ",
        "{id: nasa-ames",
        "no travel time between venues `fairmont` and `nasa-ames`",
        "`nasa-ames` without `geo`",
        "add `[fairmont, nasa-ames, 25m]` under travel.times, or `geo` to both venues, or a `travel.default`",
    ),
    # ranges and counts
    case(
        "priority out of range",
        "priority: 50",
        "priority: 5000",
        "5000",
        "priority `5000` is neither `required` nor a weight from 1 to 1000",
    ),
    case(
        "pinned neither true nor false",
        "priority: 50",
        "priority: 50, pinned: yes",
        "yes}",
        "`pinned`: `yes` is not true or false; write true or false",
    ),
    case(
        "priority a word",
        "priority: 50",
        "priority: optional",
        "optional}",
        "neither `required` nor a weight",
    ),
    case("parallel below 1", "parallel: 3", "parallel: 0", "parallel: |0", "`parallel`: 0 is below 1"),
    case("capacity below 1", "capacity: 40", "capacity: 0", "capacity: |0", "`capacity`: 0 is below 1"),
    case("size below 1", "size: 6", "size: 0", "size: |0", "`size`: 0 is below 1"),
    case(
        "email without @",
        "role: press,",
        "role: press, email: press.example.org,",
        "press.example.org",
        "is not an e-mail address",
    ),
    case(
        "lunch longer than its range",
        "duration: 45m}",
        "duration: 3h}",
        "3h}",
        "a lunch of 3h does not fit between 11:30 and 14:00",
    ),
    # rules
    case(
        "rule with several keys",
        "  - max_per_day: {who: astrid, count: 3}",
        "  - max_per_day: {who: astrid, count: 3}\n    min_gap: {who: astrid, gap: 5m}",
        "max_per_day: {who",
        "rule 2 has several rule keys (`max_per_day`, `min_gap`)",
    ),
    case(
        "rule with no key",
        "  - max_per_day: {who: astrid, count: 3}",
        "  - {id: daily-limit}",
        "{id: daily-limit}",
        "rule 2 has no rule key",
    ),
    case(
        "misspelt activity kind in a rule",
        "kinds: [visit, signing]",
        "kinds: [vist, signing]",
        "vist,",
        "rule `accompany-1`: no activity has the kind `vist`; did you mean `visit`?",
    ),
    case(
        "unknown rule kind",
        "  - max_per_day:",
        "  - max_per_dya:",
        "max_per_dya",
        "unknown rule `max_per_dya`",
        "did you mean `max_per_day`?",
    ),
    case(
        "rule kind read as a number",
        "  - max_per_day:",
        "  - 7:",
        "7: {who: astrid",
        "rule 2: unknown rule `7`; a rule is one of `accompany`",
    ),
    case(
        "key read as a number",
        "{id: astrid, name: HRH",
        "{id: astrid, 7: HRH",
        "7: HRH",
        "delegate `astrid`: unknown key `7`; valid keys: `id`, `name`",
    ),
    case(
        "rule id equal to an automatic one",
        "  - max_per_day: {who: astrid, count: 3}",
        "  - {id: lunch-4, max_per_day: {who: astrid, count: 3}}",
        "lunch-4, max",
        "the rule id `lunch-4` is the automatic id of rule 4",
    ),
    case(
        "duplicate rule id",
        "  - max_per_day: {who: astrid, count: 3}\n",
        "  - {id: daily, max_per_day: {who: astrid, count: 3}}\n"
        "  - {id: daily, min_gap: {who: astrid, gap: 5m}}\n",
        "{id: |daily, min",
        "the rule id `daily` is already used on line 66",
    ),
    # structure
    case(
        "after naming itself",
        "after: [wallonia-briefing]",
        "after: [b2b-odoo]",
        "b2b-odoo]",
        "activity `b2b-odoo` is `after` itself",
    ),
    case(
        "group membership cycle",
        "{id: tech, kind: sector, members: [odoo, csl]}",
        "{id: tech, kind: sector, members: [odoo, csl, inner]}\n  - {id: inner, members: [tech]}",
        "[odoo, csl, inner]",
        "group membership cycle: tech → inner → tech",
    ),
    case(
        "bad id pattern",
        "{id: astrid,",
        "{id: Astrid,",
        "Astrid, name",
        "`Astrid` is not a valid id",
        "e.g. `astrid`",
    ),
    case(
        "missing required key",
        "title: Visit to Stanford, ",
        "",
        "{id: visit-stanford",
        "activity `visit-stanford` lacks the required key `title`: add `title: …`",
    ),
    case(
        "missing required key in a rule",
        "{who: astrid, count: 3}",
        "{who: astrid}",
        "{who: astrid}",
        "lacks the required key `count`",
    ),
    case(
        "list expected",
        "attendees: [csl]",
        "attendees: csl",
        "csl, optional",
        "expected a list",
        "write [csl]",
    ),
    # a list or mapping where one value belongs is quoted as written (YAML flow style, not Python's repr)
    case(
        "a one-item list where a duration belongs",
        "venue: stanford, duration: 90m,",
        "venue: stanford, duration: [90m],",
        "[90m]",
        "activity `visit-stanford`, `duration`: `[90m]` is a list; write the duration alone, without "
        "brackets: 90m",
    ),
    case(
        "a list of several numbers where one belongs",
        "speed_kmh: 40",
        "speed_kmh: [40, 50]",
        "[40, 50]",
        "`travel`, `speed_kmh`: `[40, 50]` is a list; write one number, e.g. 35",
    ),
    case(
        "a mapping where a whole number belongs",
        "size: 6}",
        "size: {people: 6, quoted: 'a, b'}}",
        "{people",
        '`size`: `{people: 6, quoted: "a, b"}` is a mapping; write one whole number, e.g. 1',
    ),
    case(
        "a one-item list of a datetime that does not read",
        'fixed: "2025-10-06 18:00"',
        'fixed: ["2025-10-06 99:00"]',
        '["2025-10-06 99',
        "`fixed`: `[2025-10-06 99:00]` is a list; write one datetime, e.g. \"2025-10-06 09:30\"",
    ),
    case(
        "mapping expected",
        "  - {id: astrid, name: HRH Princess Astrid, role: royal}",
        "  - astrid",
        "astrid\n",
        "delegate 1: expected a mapping",
    ),
    case(
        "section not a list",
        BASE[BASE.index("rules:") :],
        "rules: {min_gap: {who: astrid, gap: 5m}}\n",
        "{min_gap",
        "`rules` is a list of entries",
    ),
    case(
        "YAML syntax",
        "{id: csl, name",
        "{id: csl name",
        ": Centre Spatial",
        "YAML syntax",
        "expected `,` or `}` here, inside the `{` opened at column 5",
    ),
    # a bracket left open is noticed at the next entry; the error points at the bracket
    case(
        "flow mapping not closed",
        "delegation: federal}",
        "delegation: federal",
        "{id: simonet",
        "the `{` opened here is not closed: end it with `}` on the same entry",
        "(the parser expected `,` or `}` at line 31, column 5)",
    ),
    case(
        "flow list not closed, after accented text",  # `Liège`: columns count characters, not bytes
        "sectors: [aerospace], size: 2}",
        "sectors: [aerospace",
        "[aerospace",
        "the `[` opened here is not closed: end it with `]` on the same entry",
        "(the parser expected `,` or `]` at line 33, column 5)",
    ),
    case(
        "duplicate key",
        "venues: [fairmont, stanford]",
        "venues: [fairmont, stanford], duration: 1h",
        "duration: 2h,\n     attendees: [odoo]",
        "the key `duration` appears twice in this mapping (first on line 55); keep one",
    ),
]


def _run(tmp_path, text: str):
    path = tmp_path / "mission.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    return path, result


@pytest.mark.parametrize("bad", CASES, ids=[c.name for c in CASES])
def test_bad_input_exits_2_with_pointer_and_message(tmp_path, bad: Case):
    text = bad.text()
    line, column = bad.pointer(text)
    path, result = _run(tmp_path, text)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    printed = [row for row in result.output.splitlines() if row.startswith("error: ")]
    expected_prefix = f"error: {path}:{line}:{column}: "
    matching = [row for row in printed if row.startswith(expected_prefix)]
    assert matching, f"no error at {line}:{column}; got:\n" + "\n".join(printed)
    assert any(all(fragment in row for fragment in bad.says) for row in matching), "\n".join(printed)
    assert "nothing was written" in result.output


@pytest.mark.parametrize("bad", CASES, ids=[c.name for c in CASES])
def test_each_case_reports_only_its_own_error(bad: Case):
    """No cascade: an edit that breaks one statement yields errors about that statement only."""
    with pytest.raises(InputErrors) as caught:
        load_mission_text(bad.text(), "m.yaml")
    line, _ = bad.pointer(bad.text())
    lines = {error.source.line for error in caught.value.errors}
    # the travel case reports each pair of venues, all at the venue lacking geo
    assert lines == {line}, [str(e) for e in caught.value.errors]


@pytest.mark.parametrize(("written_as", "defined", "says"), [
    ("Astrid", "", "write `astrid`"),
    ("Astri", "", "did you mean `astrid`?"),
    ("Centre Spatial", "", "Centre Spatial de Liège is `csl`: write `csl`"),
    ("Sonaca", "  - {id: sonaca-sa, name: Sonaca, role: company}\n", "Sonaca is `sonaca-sa`: write `sonaca-sa`"),
    ("Sonaca", "", "no entry of the file has an id like it"),
])
def test_an_invalid_reference_is_told_only_an_id_the_file_defines(written_as, defined, says):
    """`attendees: [Sonaca]`: the id made of it (`sonaca`) may be no one's, so the message names the id
    itself only when the file defines it, else the person it names or the closest id, else none; an entry's
    own invalid `id` is still told its made-up form (nothing defines it yet)."""
    text = BASE.replace("attendees: [astrid, tech]", f"attendees: [{written_as}, tech]", 1)
    text = text.replace("delegates:\n", "delegates:\n" + defined, 1)
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text, "m.yaml")
    (message,) = [str(error) for error in caught.value.errors]
    assert f"`{written_as}` is not a valid id" in message and says in message, message
    assert "e.g." not in message, message


@pytest.mark.parametrize(("old", "new", "says"), [
    # the closest id of any kind would be the venue `google`, the delegate `odoo`, the venue `stanford`
    ("attendees: [astrid, tech]", "attendees: [Googl, tech]",
     "no entry of the file has an id like it: write the id of one, or define it under `delegates` or `groups`"),
    ("venue: stanford,", "venue: Odoo,", "no entry of the file has an id like it: write the id of one, or "
     "define it under `venues`"),
    ("members: [odoo, csl]", "members: [odoo, Stanford]", "define it under `delegates` or `groups`"),
    ("venue: stanford,", "venue: Stanfor d,", "did you mean `stanford`?"),
    ("after: [wallonia-briefing]", "after: [Wallonia Briefin]", "did you mean `wallonia-briefing`?"),
    ("after: [{id: sign-lasea-usc, gap: 30m}]", "after: [{id: Sign Lasea, gap: 30m}]",
     "did you mean `sign-lasea-usc`?"),
    ("- [fairmont, google, 75m]", "- [fairmont, Googl, 75m]", "did you mean `google`?"),
    ("{who: astrid, count: 3}", "{who: Tec h, count: 3}", "did you mean `tech`?"),
])
def test_an_invalid_reference_is_told_only_an_id_of_the_kind_its_key_accepts(old, new, says):
    """An attendee is told a delegate or group, never a venue that happens to be closer; a venue a venue;
    `after` an activity (before, it was told the id made of it, which no entry may define)."""
    assert BASE.count(old) == 1
    with pytest.raises(InputErrors) as caught:
        load_mission_text(BASE.replace(old, new), "m.yaml")
    (message,) = [str(error) for error in caught.value.errors]
    assert says in message and "e.g." not in message, message


@pytest.mark.parametrize(("old", "new", "says"), [
    ("venue: stanford,", "venue: odoo,", "unknown venue `odoo`; define it under `venues`"),
    ("venue: stanford,", "venue: standford,", "unknown venue `standford`; did you mean `stanford`?"),
    ("attendees: [astrid, tech]", "attendees: [googlx, tech]",
     "unknown delegate or group `googlx`; define it under `delegates` or `groups`"),
    ("after: [wallonia-briefing]", "after: [fairmont]", "unknown activity `fairmont`; define it under `activities`"),
])
def test_an_unknown_reference_is_told_only_an_id_of_the_kind_its_key_accepts(old, new, says):
    """A valid id no entry defines, as pass 3 finds it: the same restriction as pass 2's (a venue written
    `odoo` was told the delegate Odoo)."""
    assert BASE.count(old) == 1
    with pytest.raises(InputErrors) as caught:
        load_mission_text(BASE.replace(old, new), "m.yaml")
    (message,) = [str(error) for error in caught.value.errors]
    assert says in message, message


@pytest.mark.parametrize("old, new, says", [
    ("venue: stanford, duration: 90m,", "venue: stanford, durration: 90m,",
     "activity `visit-stanford`: unknown key `durration`; did you mean `duration`?"),
    ("{who: astrid, count: 3}", "{who: astrid, cout: 3}", "unknown key `cout`; did you mean `count`?"),
    ("{id: astrid, name: HRH Princess Astrid,", "{id: astrid, nmae: HRH Princess Astrid,",
     "delegate `astrid`: unknown key `nmae`; did you mean `name`?"),
])
def test_a_misspelt_required_key_is_one_error(old, new, says):
    """`durration` for `duration` is one mistake: the unknown key and its `did you mean`, not also a
    `lacks the required key` at the same entry."""
    assert BASE.count(old) == 1
    with pytest.raises(InputErrors) as caught:
        load_mission_text(BASE.replace(old, new), "m.yaml")
    messages = [error.message for error in caught.value.errors]
    assert len(messages) == 1 and says in messages[0], messages


def test_all_errors_of_a_file_at_once(tmp_path):
    text = BASE
    for old, new in [
        ("grain: 5m", "grian: 5m"),
        ("attendees: [astrid, tech]", "attendees: [astrid, tecj]"),
        ("duration: 45m,", "duration: forty,"),
        ("parallel: 3", "parallel: 0"),
        ("dates: [2025-10-07]", "dates: [2025-10-08]"),
    ]:
        text = text.replace(old, new, 1)
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text, "m.yaml")
    messages = [str(error) for error in caught.value.errors]
    assert len(messages) == 5, messages
    assert [error.source.line for error in caught.value.errors] == sorted(
        e.source.line for e in caught.value.errors
    )
    path, result = _run(tmp_path, text)
    assert result.exit_code == 2 and "5 errors; nothing was written." in result.output


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "the file is empty"),
        ("- mission\n- legs\n", "the file is a list, not a mapping"),
        ("just a sentence\n", "the file is `just a sentence`, not a mapping"),
    ],
)
def test_file_that_is_not_a_mapping(tmp_path, text, says):
    path, result = _run(tmp_path, text)
    assert result.exit_code == 2
    assert f"error: {path}:1:1: {says}" in result.output


def test_missing_sections_are_named(tmp_path):
    path, result = _run(tmp_path, "mission: {name: x, timezone: UTC}\n")
    assert result.exit_code == 2
    for section in ("legs", "venues", "delegates", "activities"):
        assert f"{path}:1:1: the file lacks the required section `{section}`" in result.output


def test_unreadable_files(tmp_path):
    with pytest.raises(InputErrors, match="the file does not exist: .* holds no `absent.yaml`; check the name"):
        load_mission(tmp_path / "absent.yaml")
    (tmp_path / "mission.yaml").write_text(BASE, encoding="utf-8")
    with pytest.raises(InputErrors, match="holds no `misison.yaml`; did you mean `mission.yaml`?"):
        load_mission(tmp_path / "misison.yaml")
    with pytest.raises(InputErrors, match="the file does not exist: there is no folder .*nowhere; check the path"):
        load_mission(tmp_path / "nowhere" / "mission.xlsx")
    with pytest.raises(InputErrors, match="this is a folder, not a mission file: give the mission.yaml inside it"):
        load_mission(tmp_path)
    with pytest.raises(InputErrors, match="this is a folder, not a mission file: give the path of the file"):
        load_mission((tmp_path / "empty").mkdir() or tmp_path / "empty")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("mission: {name: Li\xe8ge}\n".encode("latin-1"))
    with pytest.raises(InputErrors, match="not UTF-8"):
        load_mission(latin)
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 2


def test_reference_to_a_broken_entry_is_not_reported_twice():
    text = BASE.replace(
        "{id: usc, name: University of Southern California, city: Los Angeles, geo: [34.0224, -118.2851]}",
        "{id: usc, name: University of Southern California, city: Los Angeles, geo: [34.0224]}",
    )
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text, "m.yaml")
    assert len(caught.value.errors) == 1 and "geo is [latitude, longitude]" in caught.value.errors[0].message


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcdef", "bcdefg", strict=True)
)


@pytest.mark.parametrize(
    "text, line, column, says",
    [
        ("mission: &m {name: [*m]}\n", 1, 21, "the alias `*m` refers to the node that contains it"),
        ("mission: {name: *nowhere}\n", 1, 17, "the alias `*nowhere` names no anchor"),
        (LAUGHS, 1, 1, "more than 1,000,000 values once its aliases are expanded"),
        (
            "mission: !!python/object:os.system x\n",
            1,
            10,
            "the YAML tag `!!python/object:os.system` is not part",
        ),
        ("mission: {name: !secret x}\n", 1, 17, "the YAML tag `!secret` is not part of the mission format"),
        ('mission: {name: "a\x07b"}\n', 1, 19, "YAML syntax: unacceptable character #x0007"),
        ("mission:\n\t- name: x\n", 2, 1, "YAML syntax"),
        (
            'mission: {name: x}\nlegs: [Liège, "Namur\n',
            2,
            15,
            'the `"` opened here is not closed: end the text with `"` (the parser reached line 3, column 1',
        ),
        (
            "mission: {name: x}\n---\nlegs: []\n",
            2,
            1,
            "a second YAML document (`---`); a mission is one document",
        ),
        ("mission: {? [a, b]: x}\n", 1, 13, "a key must be a word"),
        ("mission: {<<: 5, name: x}\n", 1, 15, "`<<` merges a mapping"),
    ],
)
def test_yaml_layer_errors(tmp_path, text, line, column, says):
    path, result = _run(tmp_path, text)
    assert result.exit_code == 2, result.output
    assert f"error: {path}:{line}:{column}: " in result.output, result.output
    assert says in result.output, result.output


TWO_VENUES = """\
mission: {name: Travel, timezone: Europe/Brussels}
legs:
  - {city: Brussels, from: 2025-10-24, to: 2025-10-25}
venues:
  - {id: palace, name: Royal Palace, city: Brussels}
  - {id: egmont, name: Egmont Palace, city: Brussels, geo: [50.8405, 4.3553]}
delegates:
  - {id: astrid, name: Astrid}
  - {id: aide, name: Aide}
activities:
  - {id: audience, title: Audience, venue: palace, duration: 1h, attendees: [aide]}
  - {id: lunch, title: Lunch, venue: egmont, duration: 1h, attendees: [astrid]}
"""


@pytest.mark.parametrize(
    "addition",
    [
        "rules:\n  - accompany: {who: aide, with: astrid}\n",  # brought by an accompany rule
        "",  # optional attendee (edited below)
    ],
)
def test_travel_is_required_only_where_a_delegate_may_move(addition):
    assert load_mission_text(TWO_VENUES).travel == {}  # nobody moves between the two palaces
    text = TWO_VENUES + addition
    if not addition:
        text = text.replace("attendees: [astrid]}", "attendees: [astrid], optional_attendees: [aide]}")
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text, "m.yaml")
    (error,) = caught.value.errors
    assert (error.source.line, error.source.column) == (5, 5)  # the venue without geo
    assert "no travel time between venues `palace` and `egmont`" in error.message
    assert "delegate `aide` may attend `audience` at one and `lunch` at the other" in error.message
    assert load_mission_text(text.replace("city: Brussels}", "city: Brussels, geo: [50.8417, 4.3620]}"))
    assert load_mission_text(text + "travel: {default: 20m}\n").travel[("palace", "egmont")] == 20


def test_travel_is_required_where_chained_accompany_rules_move_a_delegate():
    """aide accompanies the chamberlain, who accompanies astrid: aide comes to astrid's lunch too (as the
    model and the checker read it), so the palaces need a travel time."""
    text = TWO_VENUES.replace("  - {id: aide, name: Aide}\n",
                              "  - {id: aide, name: Aide}\n  - {id: chamberlain, name: Chamberlain}\n") + (
        "rules:\n  - accompany: {who: aide, with: chamberlain}\n  - accompany: {who: chamberlain, with: astrid}\n")
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text, "m.yaml")
    (error,) = caught.value.errors
    assert "no travel time between venues `palace` and `egmont`" in error.message
    assert "delegate `aide` may attend `audience` at one and `lunch` at the other" in error.message
    mission = load_mission_text(text + "travel: {default: 20m}\n")
    assert mission.accompaniments["lunch"] == {"chamberlain": ("astrid",), "aide": ("chamberlain",)}


@pytest.mark.parametrize("before", ["", "café Genève, ", "日本語 "])
def test_a_raw_control_character_is_placed_in_characters_not_in_utf8_bytes(before: str) -> None:
    # libyaml counts the refused character's place in bytes: each accent before it shifted the column, and
    # enough of them the line
    text = f'mission: {{name: "{before}x"}}\nlegs: []\nnotes: "a\x1bb"\n'
    with pytest.raises(InputErrors) as raised:
        load_mission_text(text, "m.yaml")
    (error,) = raised.value.errors
    assert (error.source.line, error.source.column) == (3, 10), str(error)
    assert "remove it" in error.message and "indentation" not in error.message
