"""Itineraries: each delegate sees exactly their activities, at the right local time, in text, HTML and PDF;
text typed by people comes out escaped and readable."""

from __future__ import annotations

import io
import os
import re
import sys
import unicodedata
from dataclasses import replace
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from conftest import EXAMPLE_SMALL, FLAGSHIP, VALID_FLAGSHIP_SCHEDULE, VALID_SMALL_SCHEDULE
from pdf_layout import page_lines
from rich.console import Console
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.itinerary import run_itinerary
from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.views.itinerary import (
    LunchBreak,
    Move,
    build_itinerary,
    itinerary_html,
    itinerary_pdf,
    itinerary_text,
    page_names,
    write_itineraries,
)

# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(small_programme) -> tuple[Mission, Schedule]:
    return small_programme


@pytest.fixture(scope="module")
def flagship() -> tuple[Mission, Schedule]:
    if not FLAGSHIP.exists():
        pytest.skip(f"{FLAGSHIP} is not written yet")
    solve_module = pytest.importorskip("planner.pipeline")
    mission = load_mission(FLAGSHIP)
    schedule = solve_module.solve(mission, solve_module.SolveOptions(time_limit=20, workers=2, seed=0,
                                                                     progress=False))
    assert schedule.has_programme, schedule.status
    return mission, schedule


HOSTILE_TITLE = 'Visit <script>alert("x")</script> & Zoë\'s [bold]Café[/bold]'
HOSTILE_NAME = "Éléonore <b>Simonet</b> & Co"


@pytest.fixture(scope="module")
def hostile() -> tuple[Mission, Schedule]:
    """example-small with a title and a principal's name full of markup, ampersands and accents."""
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    text = text.replace("title: Visit to Google,", f"title: {_yaml_quoted(HOSTILE_TITLE)},")
    text = text.replace("name: Eléonore Simonet,", f"name: {_yaml_quoted(HOSTILE_NAME)},")
    assert HOSTILE_TITLE.replace('"', '\\"') in text and "Simonet</b>" in text
    mission = load_mission_text(text, "hostile.yaml")
    assert mission.activities["visit-google"].title == HOSTILE_TITLE
    return mission, read_schedule(VALID_SMALL_SCHEDULE)


def _yaml_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- helpers: what a reader of each format sees ---------------------------------------------------------


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _attended(mission: Mission, schedule: Schedule, delegate_id: str):
    return sorted((a for a in schedule.activities if delegate_id in a.attendees), key=lambda a: a.start)


def _local_range(mission: Mission, activity) -> str:
    zone = mission.leg_of_venue(activity.venue).zone
    return f"{activity.start.astimezone(zone):%H:%M}–{activity.end.astimezone(zone):%H:%M}"


def _foreign_titles(mission: Mission, schedule: Schedule, delegate_id: str) -> list[str]:
    """Titles of activities the delegate does not attend that cannot appear by coincidence (as part of an
    attended title, a venue or a person's name)."""
    attended = _attended(mission, schedule, delegate_id)
    allowed = " ".join([a.title for a in attended] + [v.name for v in mission.venues.values()]
                       + [d.name for d in mission.delegates.values()] + ["Lunch break", "Free time"])
    return [
        mission.activities[a.id].title
        for a in schedule.activities
        if delegate_id not in a.attendees and mission.activities[a.id].title not in allowed
    ]


class _ItineraryPage(HTMLParser):
    """Collects, per delegate section, each activity's id, title and <time> values as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[dict[str, object]]] = {}
        self._section: str | None = None
        self._activity: dict[str, object] | None = None
        self._in_title = self._in_time = False
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "section" and attributes.get("data-delegate"):
            self._section = attributes["data-delegate"]
            self.sections[self._section] = []
        elif tag == "li" and attributes.get("data-activity"):
            self._activity = {"id": attributes["data-activity"], "title": "", "times": []}
            assert self._section is not None
            self.sections[self._section].append(self._activity)
        elif self._activity is not None and tag == "div" and attributes.get("class") == "title":
            self._in_title = True
        elif self._activity is not None and tag == "span":
            self._in_title = False
        elif self._activity is not None and tag == "time":
            self._in_time = True
            self._activity["times"].append([attributes.get("datetime"), ""])  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._activity = None
        if tag == "div":
            self._in_title = False
        if tag == "time":
            self._in_time = False

    def handle_data(self, data: str) -> None:
        if self._activity is None:
            return
        if self._in_title:
            self._activity["title"] += data  # type: ignore[operator]
        if self._in_time:
            self._activity["times"][-1][1] += data  # type: ignore[index]


def _parse(html: str) -> _ItineraryPage:
    page = _ItineraryPage()
    page.feed(html)
    return page


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    # NFKC unfolds ligatures (ﬁ → fi) that a PDF may draw with one glyph.
    pages = PdfReader(io.BytesIO(data)).pages
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in pages]


# --- every activity, only the delegate's, at the right local time -------------------------------------------


def _assert_text_itinerary(mission: Mission, schedule: Schedule, delegate_id: str) -> None:
    text = itinerary_text(mission, schedule, [delegate_id])
    assert all(len(line) <= 80 for line in text.splitlines()), "the text itinerary must fit 80 columns"
    flat = _flat(text)
    assert mission.delegates[delegate_id].name in flat
    for activity in _attended(mission, schedule, delegate_id):
        title = mission.activities[activity.id].title
        assert f"{_local_range(mission, activity)} {title}" in flat, activity.id
    for title in _foreign_titles(mission, schedule, delegate_id):
        assert title not in flat, f"{title!r} is not {delegate_id}'s"


def _assert_html_itinerary(mission: Mission, schedule: Schedule, delegate_id: str) -> None:
    page = _parse(itinerary_html(mission, schedule, [delegate_id]))
    assert list(page.sections) == [delegate_id]
    shown = page.sections[delegate_id]
    attended = _attended(mission, schedule, delegate_id)
    assert [item["id"] for item in shown] == [a.id for a in attended]
    for item, activity in zip(shown, attended):
        assert _flat(str(item["title"])) == _flat(mission.activities[activity.id].title)
        (start_iso, start_text), (end_iso, end_text) = item["times"]  # type: ignore[misc]
        assert f"{start_text}–{end_text}" == _local_range(mission, activity)
        assert start_iso is not None and end_iso is not None
        from datetime import datetime

        assert datetime.fromisoformat(start_iso) == activity.start
        assert datetime.fromisoformat(end_iso) == activity.end


def test_text_itinerary_of_every_delegate_of_example_small(small):
    mission, schedule = small
    for delegate_id in mission.delegates:
        _assert_text_itinerary(mission, schedule, delegate_id)


def test_html_itinerary_of_every_delegate_of_example_small(small):
    mission, schedule = small
    for delegate_id in mission.delegates:
        _assert_html_itinerary(mission, schedule, delegate_id)


def test_pdf_booklet_of_example_small_has_one_delegate_per_page_with_their_activities(small):
    mission, schedule = small
    delegates = list(mission.delegates)
    data = itinerary_pdf(mission, schedule, delegates)
    pages, lines = _pdf_pages(data), page_lines(data)
    # A cover and the table of contents, then each delegate's pages, headed by their name.
    assert mission.name in pages[0] and "8 itineraries" in pages[0]
    assert "Contents" in pages[1] and all(mission.delegates[d].name in pages[1] for d in delegates)
    owner_of_page = []
    for number, page in enumerate(lines[2:], start=3):
        # the running header: the mission's name (top right) and the delegate's (top left)
        heading = [d for d in delegates if mission.delegates[d].name in page[:2]]
        assert len(heading) == 1, f"page {number} is headed by no delegate: {page[:2]!r}"
        assert page[-1].endswith(f"page {number} of {len(pages)}"), page[-1]
        owner_of_page.append(heading[0])
    assert sorted(set(owner_of_page)) == sorted(delegates)
    assert owner_of_page == sorted(owner_of_page, key=delegates.index), "one delegate after the other"
    for delegate_id in delegates:
        text = _flat(" ".join(p for p, owner in zip(pages[2:], owner_of_page) if owner == delegate_id))
        for activity in _attended(mission, schedule, delegate_id):
            assert f"{_local_range(mission, activity)} {mission.activities[activity.id].title}" in text, \
                (delegate_id, activity.id, text)
        for title in _foreign_titles(mission, schedule, delegate_id):
            assert title not in text, (delegate_id, title)


def test_accompanying_minister_sees_the_visit_brought_by_the_rule(small):
    mission, schedule = small
    # simonet is not listed on visit-google; the accompany rule brings her there with astrid.
    assert "simonet" not in mission.activities["visit-google"].attendees
    stops = build_itinerary(mission, schedule, "simonet").stops
    assert "visit-google" in [stop.activity_id for stop in stops]


@pytest.mark.slow
def test_flagship_itineraries_in_every_format(flagship):
    mission, schedule = flagship
    busiest = sorted(mission.delegates, key=lambda d: (-len(_attended(mission, schedule, d)), d))
    sample = busiest[:3] + [d for d in mission.delegates if mission.delegates[d].role == "company"][:2]
    for delegate_id in sample:
        _assert_text_itinerary(mission, schedule, delegate_id)
        _assert_html_itinerary(mission, schedule, delegate_id)
    pages = _pdf_pages(itinerary_pdf(mission, schedule, [busiest[0]]))
    text = _flat(" ".join(pages))
    for activity in _attended(mission, schedule, busiest[0]):
        title = mission.activities[activity.id].title
        assert f"{_local_range(mission, activity)} {title}" in text, activity.id


# --- what lies between activities ---------------------------------------------------------------------------


def test_moves_say_when_to_leave_and_lunch_breaks_fall_in_the_rule_window(small):
    mission, schedule = small
    itinerary = build_itinerary(mission, schedule, "astrid")
    for day in itinerary.days:
        stops = day.stops
        for before, after in zip(stops, stops[1:]):
            if before.venue_id == after.venue_id:
                continue
            moves = [e for e in day.entries if isinstance(e, Move) and before.end <= e.leave <= after.start]
            assert len(moves) == 1
            minutes = mission.travel_minutes(before.venue_id, after.venue_id)
            assert moves[0].minutes == minutes
            # the latest departure that arrives in time, rounded down to 5 minutes (13:29 reads 13:25)
            latest = after.start - timedelta(minutes=minutes)
            assert moves[0].leave <= latest < moves[0].leave + timedelta(minutes=5)
            assert moves[0].leave.minute % 5 == 0 and moves[0].leave >= before.end
        lunches = [e for e in day.entries if isinstance(e, LunchBreak)]
        assert len(lunches) == 1, day.day  # royal-track has a lunch rule; astrid attends something each day
        lunch = lunches[0]
        assert f"{lunch.start:%H:%M}" >= "11:30" and f"{lunch.end:%H:%M}" <= "14:00"
        assert (lunch.end - lunch.start).total_seconds() == 45 * 60
        assert not any(stop.start < lunch.end and lunch.start < stop.end for stop in stops)
    # odoo has no lunch rule: no lunch break in its itinerary.
    odoo = build_itinerary(mission, schedule, "odoo")
    assert not any(isinstance(e, LunchBreak) for day in odoo.days for e in day.entries)
    text = _flat(itinerary_text(mission, schedule, ["odoo"]))
    assert "leave Fairmont San Francisco for Google, Mountain View (1 hr, 15 min)" in text
    assert "09:15 → leave Fairmont" in text  # 10:30 start at Google, 75 minutes away


def test_who_else_names_principals_and_counts_delegations(small):
    mission, schedule = small
    stops = {stop.activity_id: stop for stop in build_itinerary(mission, schedule, "odoo").stops}
    google = stops["visit-google"]
    assert google.principals == (("HRH Princess Astrid", "royal"), ("Eléonore Simonet", "minister"))
    assert (google.other_delegations, google.other_people) == (1, 2)  # csl, a delegation of 2
    text = _flat(itinerary_text(mission, schedule, ["odoo"]))
    assert "with HRH Princess Astrid (royal), Eléonore Simonet (minister) and 1 delegation (2 people)" in text


def test_a_principal_role_written_otherwise_is_still_a_principal_in_every_view(small):
    """A role is free text: "Royal" or " MINISTER" name the same principals in the itinerary, the calendars'
    "who attends" and the index's official party as "royal" and "minister" do."""
    from planner.text.i18n import words_for
    from planner.views.calendars import who_attends
    from planner.views.itinerary_pages import _party_of

    mission, schedule = small
    written = {"royal": "Royal", "minister": " MINISTER"}
    delegates = {key: replace(delegate, role=written.get(delegate.role or "", delegate.role))
                 for key, delegate in mission.delegates.items()}
    typed = replace(mission, delegates=delegates)
    google = {stop.activity_id: stop for stop in build_itinerary(typed, schedule, "odoo").stops}["visit-google"]
    assert google.principals == (("HRH Princess Astrid", "royal"), ("Eléonore Simonet", "minister"))
    assert (google.other_delegations, google.other_people) == (1, 2)
    activity = next(a for a in schedule.activities if a.id == "visit-google")
    assert who_attends(typed, activity) == who_attends(mission, activity)
    words = words_for("en")
    minister = next(d for d in typed.delegates.values() if d.role == " MINISTER")
    assert _party_of(typed, minister, words) == _party_of(mission, mission.delegates[minister.id], words)


# --- escaping -----------------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_html_and_readable_everywhere(hostile):
    mission, schedule = hostile
    html = itinerary_html(mission, schedule, ["odoo", "astrid"])
    assert "<script>alert" not in html and "<b>Simonet" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Zoë&#39;s" in html
    page = _parse(html)
    assert page.scripts == 0
    titles = [item["title"] for item in page.sections["odoo"]]
    assert any(_flat(str(title)) == _flat(HOSTILE_TITLE) for title in titles)
    assert HOSTILE_NAME in html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    text = _flat(itinerary_text(mission, schedule, ["odoo"]))
    assert HOSTILE_TITLE in text, "rich must not read the title as markup"
    assert HOSTILE_NAME in text

    pdf_text = _flat(" ".join(_pdf_pages(itinerary_pdf(mission, schedule, ["odoo"]))))
    assert _flat(HOSTILE_TITLE) in pdf_text
    assert "Éléonore <b>Simonet</b> & Co" in pdf_text


# --- the command --------------------------------------------------------------------------------------------


runner = CliRunner()


def _invoke(*arguments: str):
    return runner.invoke(app, ["itinerary", str(EXAMPLE_SMALL), "--schedule", str(VALID_SMALL_SCHEDULE), *arguments])


def test_a_heading_too_long_for_the_rule_is_written_whole_above_it(small):
    # rich's Rule cuts a title wider than the line with "…": the end of a long company name would be lost.
    _, schedule = small
    long_name = "Manufacture liégeoise de lasers biomédicaux et de systèmes photoniques"
    mission = load_mission_text(EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "{id: lasea, name: LASEA,", f"{{id: lasea, name: {long_name},"), "long.yaml")
    lines = itinerary_text(mission, schedule, ["lasea"], width=80).splitlines()
    rule = next(number for number, line in enumerate(lines) if set(line) == {"─"})
    assert " ".join(lines[:rule]) == f"{long_name} · company, wallonia, 2 people"
    assert all(len(line) <= 80 for line in lines) and "…" not in "".join(lines)
    short = itinerary_text(mission, schedule, ["astrid"], width=80).splitlines()
    assert "HRH Princess Astrid · royal" in short[0] and short[0].startswith("─")


def test_command_prints_text_of_one_delegate(small):
    result = _invoke("--delegate", "jeholet")
    assert result.exit_code == 0, result.output
    assert "Pierre-Yves Jeholet" in result.output and "FN Herstal demonstration to the LAPD" in result.output
    assert "Odoo B2B meetings" not in result.output
    # Into a pipe or a file (`> jeholet.txt`): the text of --out, no line padded with spaces.
    assert [line for line in result.output.splitlines() if line.endswith(" ")] == []


def test_command_with_group_prints_one_itinerary_per_member(small):
    result = _invoke("--group", "royal-track")
    assert result.exit_code == 0, result.output
    assert "HRH Princess Astrid" in result.output and "Eléonore Simonet · minister" in result.output
    assert "Walloon delegation briefing" not in result.output


@pytest.mark.parametrize("option, wrong, closest", [("--delegate", "astrd", "astrid"),
                                                     ("--group", "royal", "royal-track")])
def test_command_names_the_closest_id_of_a_misspelt_one(option, wrong, closest):
    result = _invoke(option, wrong)
    assert result.exit_code == 2
    assert f"'{wrong}'" in result.output and f"did you mean '{closest}'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("option, given, said", [
    ("--delegate", "royal-track", "it is a group; write --group 'royal-track'"),
    ("--group", "astrid", "it is a delegate; write --delegate 'astrid'"),
    ("--delegate", "zzz", "the mission's delegates are astrid, csl, fn-herstal, jeholet, lasea, odoo, "
                          "press-pool, simonet"),
])
def test_command_says_what_an_id_that_is_no_delegate_or_group_is(option, given, said):
    # A far-off id was matched to whatever came closest (cutoff 0): "did you mean 'francois-hulin'?".
    result = _invoke(option, given)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert said in " ".join(result.output.split()), result.output
    assert "did you mean" not in result.output and "planner validate lists them" not in result.output


def test_command_sends_a_counterpart_to_their_meeting_page(tmp_path):
    from test_b2b_mission import MISSION, OPTIONS

    from planner.mission.schedule_file import write_schedule
    from planner.pipeline import plan

    mission_file = tmp_path / "b2b.yaml"
    mission_file.write_text(MISSION, encoding="utf-8")
    write_schedule(plan(load_mission(mission_file), OPTIONS), tmp_path / "schedule.json")
    result = runner.invoke(app, ["itinerary", str(mission_file), "--schedule", str(tmp_path / "schedule.json"),
                                 "--delegate", "acme-ai"])
    assert result.exit_code == 2
    assert "it is a B2B counterpart, who gets no itinerary; `planner solve` writes their meetings to " \
           "counterparts/acme-ai.html and .ics" in " ".join(result.output.split())


def test_command_writes_html_and_pdf(tmp_path):
    html_path, pdf_path = tmp_path / "wallonia.html", tmp_path / "wallonia.pdf"
    assert _invoke("--group", "wallonia", "--format", "html", "--out", str(html_path)).exit_code == 0
    page = _parse(html_path.read_text(encoding="utf-8"))
    assert sorted(page.sections) == ["csl", "fn-herstal", "jeholet", "lasea", "odoo"]
    assert _invoke("--delegate", "lasea", "--format", "pdf", "--out", str(pdf_path)).exit_code == 0
    assert "Signing LASEA & USC" in _flat(" ".join(_pdf_pages(pdf_path.read_bytes())))


def test_pdf_without_weasyprint_says_how_to_install_it(small, tmp_path, monkeypatch):
    mission, schedule = small
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    target = tmp_path / "astrid.pdf"
    # From a folder outside the environment, then from the one that holds it (a clone's .venv/bin/python)
    for folder, relative in ((tmp_path, False), (os.path.dirname(os.path.dirname(sys.executable)), True)):
        monkeypatch.chdir(folder)
        console = Console(file=io.StringIO(), width=200)
        status = run_itinerary(mission, schedule, "astrid", None, "pdf", target, console)
        assert status == 1
        said = console.file.getvalue()  # type: ignore[attr-defined]
        # into the Python planner runs on, and WeasyPrint itself: PyPI's `planner` is another project
        hint = re.search(r"install it with: (\S+) -m pip install 'weasyprint>=62'", said)
        assert hint is not None, said
        assert os.path.abspath(hint.group(1)) == os.path.abspath(sys.executable), said
        assert os.path.isabs(hint.group(1)) is not relative, said
        assert "planner[pdf]" not in said
        assert not target.exists()


# --- what planner solve writes ------------------------------------------------------------------------------


def test_write_itineraries_writes_a_page_per_delegate_and_an_index_linking_them(small, tmp_path):
    mission, schedule = small
    written = write_itineraries(mission, schedule, tmp_path)
    folder = tmp_path / "itineraries"
    assert all(path.parent == folder for path in written)
    index = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    for delegate_id, name in page_names(mission).items():
        assert name in links
        page = _parse((folder / name).read_text(encoding="utf-8"))
        assert list(page.sections) == [delegate_id]
    booklet = _parse((folder / "booklet.html").read_text(encoding="utf-8"))
    assert list(booklet.sections) == list(mission.delegates)


def test_page_names_are_unique_and_never_the_index(small):
    mission, _ = small
    delegates = dict(mission.delegates)
    for odd in ("index", "Index", "ODOO"):
        delegates[odd] = replace(mission.delegates["odoo"], id=odd)
    names = page_names(replace(mission, delegates=delegates))
    assert len(set(names.values())) == len(names)
    assert "index.html" not in names.values() and "booklet.html" not in names.values()


def test_same_input_gives_the_same_pages(small, tmp_path):
    mission, schedule = small
    first = {p.name: p.read_bytes() for p in write_itineraries(mission, schedule, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_itineraries(mission, schedule, tmp_path / "b")}
    assert first == second


def test_a_crowd_of_officials_is_named_up_to_six_then_counted():
    officials = "".join(f"  - {{id: official-{n}, name: Official number {n}, role: official}}\n"
                        for n in range(8))
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace("\ngroups:", "\n" + officials + "\ngroups:", 1)
    text = text.replace("attendees: [royal-track, wallonia], optional_attendees: [press-pool]}",
                        "attendees: [royal-track, wallonia, " + ", ".join(f"official-{n}" for n in range(8))
                        + "], optional_attendees: [press-pool]}", 1)
    mission = load_mission_text(text, "crowd.yaml")
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    opening = next(a for a in schedule.activities if a.id == "opening")
    officials_ids = tuple(f"official-{n}" for n in range(8))
    crowded = replace(opening, attendees=tuple(sorted(opening.attendees + officials_ids)))
    schedule = replace(schedule, activities=[crowded if a.id == "opening" else a
                                             for a in schedule.activities])
    stop = next(s for s in build_itinerary(mission, schedule, "odoo").stops if s.activity_id == "opening")
    # Royal first, then ministers, then officials by name, six in all; the other five officials are counted.
    assert stop.principals == (("HRH Princess Astrid", "royal"), ("Eléonore Simonet", "minister"),
                               ("Pierre-Yves Jeholet", "minister"), ("Official number 0", "official"),
                               ("Official number 1", "official"), ("Official number 2", "official"))
    assert len(stop.more_principals) == 5
    assert "Official number 2 (official), 5 more officials and 4 delegations (13 people)" in _flat(
        itinerary_text(mission, schedule, ["odoo"]))


def _moved(schedule, **moves):
    """The schedule with some activities moved: id=(start, end) as aware datetimes."""
    activities = []
    for activity in schedule.activities:
        if activity.id in moves:
            activity = replace(activity, start=moves[activity.id][0], end=moves[activity.id][1])
        activities.append(activity)
    return replace(schedule, activities=activities)


def test_lunch_is_taken_before_the_drive_when_it_fits(small):
    mission, schedule = small
    google = schedule.by_id()["visit-google"]
    # Google ends 12:30, the opening at the Fairmont (75 min away) starts 15:00: lunch 12:30–13:15, leave 13:45.
    edited = _moved(schedule, opening=(google.end + timedelta(minutes=150), google.end + timedelta(minutes=270)))
    day = build_itinerary(mission, edited, "astrid").days[0]
    lunch = next(e for e in day.entries if isinstance(e, LunchBreak))
    move = next(e for e in day.entries if isinstance(e, Move))
    assert (f"{lunch.start:%H:%M}", f"{move.leave:%H:%M}", lunch.on_the_way) == ("12:30", "13:45", False)
    assert "12:30–13:15 lunch break" in _flat(itinerary_text(mission, edited, ["astrid"]))


def test_lunch_is_taken_after_the_drive_near_the_next_venue(small):
    mission, schedule = small
    google = schedule.by_id()["visit-google"]
    # Google 09:00–11:00, the opening at the Fairmont at 13:30: no room for lunch before the 75 min drive
    # and the 15 min gap, so the lunch comes after them (from 12:30) and the drive leaves at 11:15.
    day_start = google.start - timedelta(minutes=90)
    edited = _moved(schedule, **{"visit-google": (day_start, day_start + timedelta(hours=2)),
                                 "opening": (day_start + timedelta(minutes=270), day_start + timedelta(minutes=390))})
    day = build_itinerary(mission, edited, "astrid").days[0]
    lunch = next(e for e in day.entries if isinstance(e, LunchBreak))
    move = next(e for e in day.entries if isinstance(e, Move))
    assert (f"{move.leave:%H:%M}", f"{lunch.start:%H:%M}", f"{lunch.end:%H:%M}") == ("11:15", "12:30", "13:15")
    assert not lunch.on_the_way


def test_command_refuses_an_unknown_format():
    result = _invoke("--delegate", "astrid", "--format", "htm")
    assert result.exit_code == 2
    assert "--format 'htm'" in result.output and "did you mean 'html'" in result.output


def test_command_on_a_schedule_without_programme_says_so(small, tmp_path):
    mission, schedule = small
    console = Console(file=io.StringIO(), width=200)
    infeasible = replace(schedule, status="infeasible", activities=[])
    assert run_itinerary(mission, infeasible, "astrid", None, "html", tmp_path / "a.html", console) == 1
    assert "no programme" in console.file.getvalue()  # type: ignore[attr-defined]
    assert not (tmp_path / "a.html").exists()


def test_the_flagship_schedule_given_for_another_mission_is_one_error_naming_both(tmp_path):
    """Not one error per activity, each listing hundreds of attendee ids: which mission the schedule is of."""
    result = CliRunner().invoke(app, ["itinerary", str(EXAMPLE_SMALL), "--schedule", str(VALID_FLAGSHIP_SCHEDULE),
                                      "--delegate", "astrid"])
    assert result.exit_code == 2, result.output
    text = VALID_FLAGSHIP_SCHEDULE.read_text(encoding="utf-8")
    line = text[:text.index('"mission"')].count("\n") + 1
    (error,) = [row for row in result.output.splitlines() if row.startswith("error: ")]
    assert error.startswith(f"error: {VALID_FLAGSHIP_SCHEDULE}:{line}:")
    assert ("this is a schedule of 'Belgian Economic Mission — US West Coast 2025', not of 'Small West Coast "
            "mission': give the schedule.json that planner solve wrote for this mission") in error


def test_a_schedule_of_another_mission_is_an_input_error_naming_the_schedule_file(tmp_path):
    foreign = tmp_path / "schedule.json"
    text = VALID_SMALL_SCHEDULE.read_text(encoding="utf-8").replace('"visit-google"', '"visit-amazon"')
    foreign.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["itinerary", str(EXAMPLE_SMALL), "--schedule", str(foreign),
                                      "--delegate", "astrid"])
    assert result.exit_code == 2
    line = text[:text.index('"visit-amazon"')].count("\n") + 1
    assert f"{foreign}:{line}:" in result.output
    assert "'visit-amazon' is not in the mission" in result.output


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_no_line_of_a_text_itinerary_parts_a_number_from_its_unit(flagship_programme, language):
    """At any width: rich wrapped "(1 hr, 15" / "min)" in English, and at CLDR's no-break spaces in
    French (rich breaks at them too); planner.views.terminal.UnbrokenText holds them. The text's spaces
    stay the ones format_duration writes."""
    mission, schedule = flagship_programme
    units = r"(hr|min|h|uur|Std\.|Min\.)"
    for width in range(40, 81, 4):
        text = itinerary_text(mission, schedule, list(mission.delegates)[:4], width=width, language=language)
        parted = re.findall(rf"\d\n[ ]*{units}(?!\w)", text)
        assert not parted, (width, parted)
    assert ("15\u00a0min" if language == "fr" else "15 min" if language != "de" else "15 Min.") in text


def test_the_samples_of_docs_itineraries_are_what_planner_prints(monkeypatch):
    """docs/itineraries.md shows each sample with the command that prints it: run from the clone, the
    command prints the sample (whole, or up to its `…`). The doc's sample had aged: the old way of listing
    guests, a free-time line missing, a duration parted from its unit."""
    from conftest import ROOT

    doc = (ROOT / "docs" / "itineraries.md").read_text(encoding="utf-8")
    samples = re.findall(r"\(`planner (itinerary [^`]+)`\):\n\n```\n(.*?)\n```", doc, flags=re.DOTALL)
    assert len(samples) == 2, samples
    monkeypatch.chdir(ROOT)
    for command, sample in samples:
        result = runner.invoke(app, command.split())
        assert result.exit_code == 0, result.output
        printed = result.output.rstrip("\n")
        if sample.endswith("\n…"):
            sample = sample.removesuffix("…")
            assert printed.startswith(sample), command
        else:
            assert printed == sample, command
