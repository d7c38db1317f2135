"""The printed booklet of the flagship (WeasyPrint), read back from the PDF's layout: a cover, a table of
contents whose page numbers are right, then every page headed by its delegate's name and numbered
"page X of Y", and no day heading left alone at the foot of a page."""

from __future__ import annotations

import re

import pytest
from pdf_layout import page_lines

from planner.text.format import format_long_date
from planner.views.itinerary import build_itinerary, itinerary_pdf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def booklet(flagship_programme):
    pytest.importorskip("weasyprint")
    mission, schedule = flagship_programme
    return mission, schedule, page_lines(itinerary_pdf(mission, schedule, list(mission.delegates)))


def _day_headings(mission) -> set[str]:
    return {f"{format_long_date(day, mission.language_of(d))} · {leg.city}"
            for leg in mission.legs for day in leg.days() for d in list(mission.delegates)[:1]}


def _owner(page: list[str], names: dict[str, str]) -> str | None:
    """The delegate whose name opens the page's running header (the longest name that fits, as the
    mission's name may follow it on the same line)."""
    head = page[0]
    fitting = [name for name in names if head == name or head.startswith(name + " ")]
    return names[max(fitting, key=len)] if fitting else None


def _owners(mission, pages) -> list[str | None]:
    names = {delegate.name: delegate_id for delegate_id, delegate in mission.delegates.items()}
    return [_owner(page, names) for page in pages]


def test_every_delegate_page_names_its_delegate_and_its_number(booklet):
    mission, _, pages = booklet
    total = len(pages)
    assert f"{len(mission.delegates)} itineraries" in pages[0]
    owners = _owners(mission, pages)
    front = next(number for number, owner in enumerate(owners) if owner is not None)
    for number, (page, owner) in enumerate(zip(pages, owners), start=1):
        assert page[-1] == f"page {number} of {total}", (number, page[-2:])
        if number > front:
            assert owner is not None, f"page {number} has no delegate's name at its head: {page[:2]}"
    # The cover and a few pages of contents: a line per delegate, two for those whose details (the name of
    # their delegation's group, "Flemish delegation (Flanders Investment & Trade)") wrap.
    assert 2 <= front <= 2 + len(mission.delegates) // 30, front
    assert list(dict.fromkeys(owners[front:])) == list(mission.delegates), "each delegate, in the file's order"
    print(f"{total} pages: {front} of cover and contents, {total - front} of {len(mission.delegates)} delegates")


def test_the_contents_give_the_page_each_delegate_starts_on(booklet):
    mission, _, pages = booklet
    owners = _owners(mission, pages)
    starts: dict[str, int] = {}
    for number, owner in enumerate(owners, start=1):
        if owner is not None:
            starts.setdefault(owner, number)
    front = min(starts.values()) - 1
    # The entries of the contents, an entry's wrapped lines joined: "12. Name details ........ 45".
    entries: list[str] = []
    for item in (item for page in pages[1:front] for item in page[1:-2]):  # no running header, no footer
        if re.match(r"\d+\. ", item) or not entries:
            entries.append(item)
        else:
            entries[-1] += " " + item
    for position, (delegate_id, delegate) in enumerate(mission.delegates.items(), start=1):
        entry = next((e for e in entries if e.startswith(f"{position}. {delegate.name}")), None)
        assert entry is not None, (position, delegate.name)
        listed = re.search(r"(\d+)$", entry)
        assert listed is not None and int(listed.group(1)) == starts[delegate_id], entry


def test_no_page_ends_with_a_day_heading(booklet):
    mission, schedule, pages = booklet
    headings = _day_headings(mission)
    assert headings
    seen = 0
    for number, page in enumerate(pages, start=1):
        body = page[:-2]  # the footer: the stamp and "page X of Y"
        seen += sum(item in headings for item in body)
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"
    # every day of every itinerary has its heading somewhere: the check above looked at all of them
    assert seen == sum(len(build_itinerary(mission, schedule, d).days) for d in mission.delegates)
