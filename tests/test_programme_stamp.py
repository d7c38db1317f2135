"""The stamp of the pages: when the programme was first written, in which zone, and kept by a rerun that
writes the same programme (so that the pages are not rewritten)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner.text.i18n import words_for
from planner.views.common import PROGRAMME_WRITTEN, ProgrammeStamp, programme_stamp
from planner.views.outputs import write_outputs

LONG_AGO = "2025-10-01T10:00:00+00:00"
"""03:00 in Los Angeles (summer time), the zone of example-small."""


@pytest.mark.parametrize(("language", "city"), [("en", "Brussels"), ("fr", "Bruxelles"), ("nl", "Brussel"),
                                                ("de", "Brüssel")])
def test_the_stamp_names_the_zone_by_its_city_in_the_readers_language(language, city):
    written = datetime(2025, 10, 6, 14, 5, tzinfo=ZoneInfo("Europe/Brussels"))
    text = ProgrammeStamp(2, written).text(words_for(language))
    assert f"14:05 ({city})" in text and "2" in text


@pytest.mark.parametrize(("language", "when"), [
    ("en", "Monday 6 October 2025 14:05 (Brussels)"),
    ("fr", "lundi 6 octobre 2025, 14:05 (Bruxelles)"),
    ("nl", "maandag 6 oktober 2025, 14:05 (Brussel)"),
    ("de", "Montag, 6. Oktober 2025, 14:05 (Brüssel)"),
])
def test_the_stamp_joins_date_and_time_as_the_readers_language_does(language, when):
    # "Montag, 6. Oktober 2025 14:05" runs the year into the hour: German, Dutch and French put a comma
    # between them (CLDR's date-time pattern)
    written = datetime(2025, 10, 6, 14, 5, tzinfo=ZoneInfo("Europe/Brussels"))
    assert when in ProgrammeStamp(2, written).text(words_for(language))


def _rewrite_written(folder, value: str) -> None:
    path = folder / "schedule.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document[PROGRAMME_WRITTEN] = value
    path.write_text(json.dumps(document), encoding="utf-8")


def test_a_rerun_of_the_same_programme_keeps_its_time_and_its_pages(small_programme, tmp_path):
    mission, schedule = small_programme
    out = tmp_path / "out"
    write_outputs(mission, schedule, out)
    _rewrite_written(out, LONG_AGO)  # as if the first run had been long ago
    write_outputs(mission, schedule, out)
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert document[PROGRAMME_WRITTEN] == LONG_AGO
    astrid = (out / "itineraries" / "astrid.html").read_text(encoding="utf-8")
    assert "programme of Wednesday 1 October 2025 03:00 (Los Angeles), version 1" in astrid
    pages = {path.name: path.stat().st_ino for path in (out / "itineraries").glob("*.html")}
    write_outputs(mission, schedule, out)  # the same pages again: linked from the folder replaced, not written
    assert {path.name: path.stat().st_ino for path in (out / "itineraries").glob("*.html")} == pages
    assert len(pages) > 3


def test_another_programme_is_stamped_with_the_time_it_is_written(small_programme, tmp_path):
    mission, schedule = small_programme
    out = tmp_path / "out"
    write_outputs(mission, schedule, out)
    _rewrite_written(out, LONG_AGO)
    replanned = dataclasses.replace(schedule, extra={**schedule.extra, "version": 2})
    before = datetime.now(ZoneInfo("UTC")).replace(microsecond=0)
    write_outputs(mission, replanned, out)
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert datetime.fromisoformat(document[PROGRAMME_WRITTEN]) >= before
    assert "version 2" in (out / "itineraries" / "astrid.html").read_text(encoding="utf-8")


def test_the_recorded_time_wins_over_the_files_and_a_zoneless_one_is_ignored(small_programme, tmp_path):
    mission, schedule = small_programme
    recorded = dataclasses.replace(schedule, extra={PROGRAMME_WRITTEN: LONG_AGO})
    stamp = programme_stamp(mission, recorded, tmp_path / "absent.json")
    assert stamp.written == datetime(2025, 10, 1, 3, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    zoneless = dataclasses.replace(schedule, extra={PROGRAMME_WRITTEN: "2025-10-01T10:00:00"})
    assert programme_stamp(mission, zoneless, tmp_path / "absent.json") == ProgrammeStamp(1, None)
