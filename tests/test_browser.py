"""A real browser reads the itineraries: headless Chromium opens the pages over localhost, takes a screenshot
and prints to PDF; the pages log nothing to the console and the PDF holds the delegate's activities.

Skipped when Chromium is not installed, except under CI (env var CI set), where it must run.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cdp import Browser
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE

from planner.mission.load import load_mission
from planner.mission.schedule_file import read_schedule
from planner.views.itinerary import page_names, write_itineraries
from planner.views.overview import write_overview

pytestmark = pytest.mark.browser

CONSOLE_LINE = re.compile(r":CONSOLE[:(\]]|Uncaught")


def chromium_path() -> str | None:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: install Debian's chromium (.ci/run does)")
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def served(folder: Path) -> Iterator[tuple[str, Path]]:
    """`folder` served over http://127.0.0.1 on a free port while the caller (a fixture) holds it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """example-small's itineraries and overview, served over http://127.0.0.1 on a free port."""
    folder = tmp_path_factory.mktemp("site")
    mission, schedule = load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL_SCHEDULE)
    write_itineraries(mission, schedule, folder)
    write_overview(mission, schedule, folder)
    yield from served(folder)


def run_chromium(chromium: str, url: str, work: Path, *, screenshot: Path | None = None,
                 pdf: Path | None = None, dom: Path | None = None, window: str = "1200,1600") -> list[str]:
    """Open `url` headless, write a screenshot, a PDF or the DOM after scripts ran; return the console
    lines the page logged."""
    work.mkdir(parents=True, exist_ok=True)
    # Without the background-networking flags Chromium keeps dialling Google's hosts on a closed network.
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--no-default-browser-check", "--hide-scrollbars",
        f"--user-data-dir={work / 'profile'}", "--enable-logging=stderr", "--v=0", f"--window-size={window}",
    ]
    if screenshot is not None:
        command.append(f"--screenshot={screenshot}")
    if pdf is not None:
        command += [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"]
    if dom is not None:
        command.append("--dump-dom")
    completed = subprocess.run(command + [url], capture_output=True, text=True, timeout=120)
    if dom is not None:
        dom.write_text(completed.stdout, encoding="utf-8")
    target = screenshot or pdf or dom
    assert target is not None and target.exists() and target.stat().st_size > 0, completed.stderr[-2000:]
    return [line for line in completed.stderr.splitlines() if CONSOLE_LINE.search(line)]


def _pdf_text(path: Path) -> str:
    """The PDF's text as a reader sees it: ligatures (ﬁ) unfolded by NFKC, whitespace collapsed."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    text = " ".join(page.extract_text() or "" for page in pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_console_check_catches_a_page_that_fails(chromium, site, tmp_path):
    """The console scan below must be able to fail: a page that throws is caught."""
    base, folder = site
    (folder / "broken.html").write_text(
        "<!DOCTYPE html><html><body><p>broken</p><script>console.error('boom'); notDefined();</script>"
        "</body></html>", encoding="utf-8")
    lines = run_chromium(chromium, f"{base}/broken.html", tmp_path, screenshot=tmp_path / "broken.png")
    assert any("Uncaught ReferenceError" in line for line in lines), lines


def test_index_page_opens_without_console_errors_and_links_every_delegate(chromium, site, tmp_path):
    base, folder = site
    screenshot = tmp_path / "index.png"
    assert run_chromium(chromium, f"{base}/itineraries/index.html", tmp_path, screenshot=screenshot) == []
    width, height = _png_size(screenshot)
    assert (width, height) == (1200, 1600)
    pdf = tmp_path / "index.pdf"
    assert run_chromium(chromium, f"{base}/itineraries/index.html", tmp_path, pdf=pdf) == []
    text = _pdf_text(pdf)
    mission = load_mission(EXAMPLE_SMALL)
    for delegate in mission.delegates.values():
        assert delegate.name in text


@pytest.mark.parametrize("delegate_id", ["astrid", "odoo"])
def test_itinerary_page_prints_the_delegates_activities(chromium, site, tmp_path, delegate_id):
    base, _ = site
    mission, schedule = load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL_SCHEDULE)
    url = f"{base}/itineraries/{page_names(mission)[delegate_id]}"
    assert run_chromium(chromium, url, tmp_path, screenshot=tmp_path / "page.png") == []
    pdf = tmp_path / "page.pdf"
    assert run_chromium(chromium, url, tmp_path, pdf=pdf) == []
    text = _pdf_text(pdf)
    assert mission.delegates[delegate_id].name in text
    assert "All itineraries" not in text, "the print stylesheet hides the navigation"
    for activity in schedule.activities:
        title = mission.activities[activity.id].title
        zone = mission.leg_of_venue(activity.venue).zone
        when = f"{activity.start.astimezone(zone):%H:%M}–{activity.end.astimezone(zone):%H:%M}"
        if delegate_id in activity.attendees:
            assert f"{when} {title}" in text, (activity.id, text)
        else:
            assert title not in text, activity.id


def test_overview_page_runs_its_script_without_console_errors(chromium, site, tmp_path):
    base, _ = site
    screenshot = tmp_path / "overview.png"
    assert run_chromium(chromium, f"{base}/overview.html", tmp_path, screenshot=screenshot,
                        window="1400,1800") == []
    assert _png_size(screenshot) == (1400, 1800)


def test_overview_follows_the_delegate_named_in_the_address(chromium, site, tmp_path):
    """The page's script ran: with #delegate=odoo, odoo's bars are picked and every other bar dimmed."""
    base, _ = site
    schedule = read_schedule(VALID_SMALL_SCHEDULE)
    dom = tmp_path / "overview.dom.html"
    assert run_chromium(chromium, f"{base}/overview.html#delegate=odoo", tmp_path, dom=dom) == []
    bars = re.findall(r'<div class="bar ?([^"]*)"[^>]*data-activity="([^"]+)"',
                      dom.read_text(encoding="utf-8"))
    assert bars, "no bar in the DOM"
    odoo = {a.id for a in schedule.activities if "odoo" in a.attendees}
    for classes, activity_id in bars:
        expected = "picked" if activity_id in odoo else "dimmed"
        assert expected in classes.split(), (activity_id, classes)


# --- the flagship on a phone and a desktop (DevTools protocol: a real 390 px viewport) -------------------

SCREENS = {"phone": (390, 844, True), "desktop": (1280, 900, False)}
FLAGSHIP_PAGES = {"overview": "overview.html#day=2025-10-07", "index": "itineraries/index.html",
                  "itinerary": "itineraries/astrid.html"}

MEASURE = """(() => {
  // Open every day of the overview, as a reader opening them one after the other would.
  document.querySelectorAll("details").forEach((block) => { block.open = true; });
  const bars = Array.from(document.querySelectorAll(".bar")).map((bar) => {
    const range = document.createRange();
    range.selectNodeContents(bar);
    const text = Array.from(range.getClientRects()).reduce((most, r) => Math.max(most, r.height), 0);
    const style = getComputedStyle(bar);
    const line = style.lineHeight === "normal" ? 1.2 * parseFloat(style.fontSize) : parseFloat(style.lineHeight);
    return {id: bar.dataset.activity, height: bar.getBoundingClientRect().height, line: Math.max(text, line)};
  });
  return {viewport: window.innerWidth, page: document.documentElement.scrollWidth,
          body: document.body.scrollWidth, bars: bars};
})()"""


@pytest.fixture(scope="module")
def flagship_site(tmp_path_factory, flagship_programme) -> Iterator[tuple[str, Path]]:
    """What planner solve writes for the flagship (schedule.json, calendars, itineraries, overview), served."""
    from planner.mission.schedule_file import write_schedule
    from planner.views.calendar_files import write_calendars

    mission, schedule = flagship_programme
    folder = tmp_path_factory.mktemp("flagship")
    write_schedule(schedule, folder / "schedule.json")
    write_calendars(mission, schedule, folder)
    write_itineraries(mission, schedule, folder)
    write_overview(mission, schedule, folder)
    assert page_names(mission)["astrid"] == "astrid.html"
    yield from served(folder)


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory) -> Iterator[Browser]:
    opened = Browser(chromium, tmp_path_factory.mktemp("devtools") / "profile")
    try:
        yield opened
    finally:
        opened.close()


def test_the_devtools_driver_sees_console_messages_and_errors(browser, site):
    """The console check below can fail: a page that logs and throws is caught."""
    base, folder = site
    (folder / "noisy.html").write_text(
        "<!DOCTYPE html><html><body><script>console.warn('careful'); notDefined();</script></body></html>",
        encoding="utf-8")
    browser.console.clear()
    browser.open(f"{base}/noisy.html", 390, 844, mobile=True)
    assert any("careful" in line for line in browser.console), browser.console
    assert any("Uncaught ReferenceError" in line for line in browser.console), browser.console


def test_the_measure_sees_a_page_wider_than_a_phone_and_a_squashed_bar(browser, site):
    """The measurements below can fail: overflow and a bar thinner than its text are seen."""
    base, folder = site
    (folder / "wide.html").write_text(
        '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">'
        '</head><body><div style="width: 600px">wide</div><div class="bar" data-activity="x" '
        'style="height: 6px; overflow: hidden; font-size: 12px; line-height: 16px">Visit</div></body></html>',
        encoding="utf-8")
    browser.open(f"{base}/wide.html", 390, 844, mobile=True)
    measured = browser.evaluate(MEASURE)
    # A phone zooms a page wider than itself out: the layout viewport grows to the page.
    assert measured["viewport"] > 390 or measured["page"] > 390
    (bar,) = measured["bars"]
    assert bar["height"] < bar["line"]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("page", FLAGSHIP_PAGES)
def test_flagship_pages_fit_a_phone_and_a_desktop_and_log_nothing(browser, flagship_site, tmp_path, page, screen):
    """No horizontal overflow (measured from the page), every overview bar at least one line of its label
    tall (measured from the DOM), nothing on the console; screenshots (PLANNER_SCREENSHOTS=docs/img keeps
    them for the documentation)."""
    base, _ = flagship_site
    width, height, mobile = SCREENS[screen]
    browser.console.clear()
    browser.open(f"{base}/{FLAGSHIP_PAGES[page]}", width, height, mobile=mobile)
    shot = tmp_path / f"{page}-{screen}.png"
    browser.screenshot(shot)
    assert _png_size(shot) == (width, height)
    measured = browser.evaluate(MEASURE)
    assert measured["viewport"] == width, "a phone zoomed the page out: something is wider than the screen"
    assert measured["page"] <= width and measured["body"] <= width, measured["page"]
    if page == "overview":
        assert len(measured["bars"]) >= 85 * 2  # every activity in its venue's row, and in tracks and sectors
        thin = [bar for bar in measured["bars"] if bar["height"] + 0.5 < bar["line"]]
        assert not thin, thin[:5]
        print(f"{screen}: {len(measured['bars'])} bars, lowest {min(b['height'] for b in measured['bars']):.1f}"
              f" px for a line of {max(b['line'] for b in measured['bars']):.1f} px; page {measured['page']} px")
    else:
        print(f"{screen}: {page} page {measured['page']} px wide in a {width} px viewport")
    if page == "index":
        # The search box filters as one types; accents are ignored ('eleonore' finds Eléonore Simonet).
        found = browser.evaluate("""(() => {
          const box = document.getElementById("search");
          box.value = "eleonore simonet";
          box.dispatchEvent(new Event("input"));
          return Array.from(document.querySelectorAll("li[data-delegate]"))
            .filter((item) => !item.hidden).map((item) => item.dataset.delegate);
        })()""")
        assert found == ["simonet"], found
    assert browser.console == []
    keep = os.environ.get("PLANNER_SCREENSHOTS")
    if keep:
        shutil.copyfile(shot, Path(keep) / f"flagship-{page}-{screen}.png")


def test_the_change_report_reads_on_a_phone(browser, site):
    """changes.html on a 390 px phone: each change a block whose cells span the screen (as four table columns,
    the nowrap change label left the title and the times a few letters wide, one syllable a line), nothing
    wider than the screen, nothing on the console; a desktop keeps the table."""
    from dataclasses import replace
    from datetime import timedelta

    from planner.views.changes import compare_report, report_html

    base, folder = site
    mission, schedule = load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL_SCHEDULE)
    moved = [replace(a, start=a.start + timedelta(hours=1), end=a.end + timedelta(hours=1))
             if a.id == "visit-nasa" else a for a in schedule.activities if a.id != "visit-stanford"]
    (folder / "changes.html").write_text(
        report_html(compare_report(schedule, replace(schedule, activities=moved), mission)), encoding="utf-8")
    cells = """(() => ({viewport: window.innerWidth, page: document.documentElement.scrollWidth,
      widths: Array.from(document.querySelectorAll("table.changes td")).map((td) => td.getBoundingClientRect().width)
    }))()"""
    browser.console.clear()
    browser.open(f"{base}/changes.html", 390, 844, mobile=True)
    measured = browser.evaluate(cells)
    assert measured["viewport"] == 390 and measured["page"] <= 390, measured
    assert len(measured["widths"]) >= 8 and min(measured["widths"]) > 390 / 2, measured["widths"]
    browser.open(f"{base}/changes.html", 1280, 900, mobile=False)
    assert max(browser.evaluate(cells)["widths"]) < 1280 / 2, "a desktop shows the changes as a table"
    assert browser.console == []


def test_the_day_by_day_table_reads_on_a_phone(browser, flagship_site):
    """overview.html's Day by day on a 390 px phone: each day a block with nothing scrolled sideways
    (as six columns it was wider than the screen, under a header row of words broken a syllable a line),
    each figure named by its column's heading; a desktop keeps the table with its header."""
    base, _ = flagship_site
    days = """(() => {
      const table = document.querySelector("table.day-by-day");
      const scroll = table.closest(".table-scroll");
      const cells = Array.from(table.querySelectorAll("td[data-label]"));
      return {viewport: window.innerWidth, page: document.documentElement.scrollWidth,
              scrolls: scroll.scrollWidth - scroll.clientWidth,
              header: table.querySelector("thead").getBoundingClientRect().height,
              widths: cells.map((td) => td.getBoundingClientRect().width),
              labels: cells.slice(0, 4).map((td) => getComputedStyle(td, "::before").content)};
    })()"""
    browser.console.clear()
    browser.open(f"{base}/overview.html", 390, 844, mobile=True)
    phone = browser.evaluate(days)
    assert phone["viewport"] == 390 and phone["page"] <= 390, phone
    assert phone["scrolls"] <= 0 and phone["header"] == 0, phone
    assert len(phone["widths"]) >= 4 * 6 and min(phone["widths"]) > 390 * 0.8, phone["widths"]
    assert [label.split('"')[1].strip() for label in phone["labels"]] == [
        "activities", "busiest delegate", "travel (person-min)", "peak headcount per venue"], phone["labels"]
    browser.open(f"{base}/overview.html", 1280, 900, mobile=False)
    desktop = browser.evaluate(days)
    assert desktop["header"] > 0 and max(desktop["widths"]) < 1280 / 2, desktop
    assert desktop["labels"] == ["none"] * 4, desktop["labels"]
    assert browser.console == []
