"""A date typed in a local order (`16/10/2017`, `16.10.2025`) is an error that says what to write: the ISO
date when only one reading makes a date, both readings when either could be meant; at its place in the
file (`FILE:LINE:COLUMN` or `FILE:Sheet!CELL`), exit 2, as every input error."""

from __future__ import annotations

import shutil

import pytest
from conftest import JAPAN
from openpyxl import load_workbook
from pydantic_core import PydanticCustomError
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.convert import convert
from planner.mission.scalars import parse_date, parse_datetime


@pytest.mark.parametrize(("written", "says"), [
    ("16/10/2017", "`16/10/2017` is not in the form planner reads; write 2017-10-16 (YYYY-MM-DD)"),
    ("16.10.2025", "write 2025-10-16 (YYYY-MM-DD)"),
    ("16-10-2025", "write 2025-10-16 (YYYY-MM-DD)"),
    ("10/16/2025", "write 2025-10-16 (YYYY-MM-DD)"),  # month first, as in the United States
    ("2025/10/16", "write 2025-10-16 (YYYY-MM-DD)"),
    ("05/05/2025", "write 2025-05-05 (YYYY-MM-DD)"),  # both readings are the same day
    ("05/10/2025", "it could be 5 October 2025 (day first) or 10 May 2025 (month first); write the date as "
                   "YYYY-MM-DD: 2025-10-05 or 2025-05-10"),
    ("31/02/2025", "`31/02/2025` is not a date; write YYYY-MM-DD, e.g. 2025-10-06"),  # no reading is a day
])
def test_a_date_in_a_local_order_says_what_to_write(written, says):
    with pytest.raises(PydanticCustomError) as raised:
        parse_date(written)
    assert says in raised.value.message()


def test_a_datetime_in_a_local_order_says_what_to_write():
    with pytest.raises(PydanticCustomError) as raised:
        parse_datetime("16/10/2017 9:30")
    assert "write 2017-10-16 09:30 (YYYY-MM-DD HH:MM)" in raised.value.message()
    with pytest.raises(PydanticCustomError) as raised:
        parse_datetime("05/10/2025 09:30")
    assert "2025-10-05 09:30 or 2025-05-10 09:30" in raised.value.message()


def test_in_a_mission_file_at_its_line_and_column(tmp_path):
    mission = tmp_path / "mission.yaml"
    text = JAPAN.read_text(encoding="utf-8").replace(
        "{city: Tokyo, from: 2017-10-16, to: 2017-10-18}", "{city: Tokyo, from: 16/10/2017, to: 05.10.2017}")
    mission.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - {city: Tokyo, from: 16/10/2017, to: 05.10.2017}") + 1
    result = CliRunner().invoke(app, ["validate", str(mission)])
    assert result.exit_code == 2
    assert (f"{mission}:{line}:25: leg `Tokyo`, `from`: `16/10/2017` is not in the form planner reads; "
            "write 2017-10-16 (YYYY-MM-DD)") in result.stderr
    assert (f"{mission}:{line}:41: leg `Tokyo`, `to`: `05.10.2017` is not in the form planner reads; it could "
            "be 5 October 2017 (day first) or 10 May 2017 (month first)") in result.stderr


def test_in_a_workbook_at_its_cell(tmp_path):
    workbook = tmp_path / "mission.xlsx"
    shutil.copyfile(JAPAN, tmp_path / "mission.yaml")
    convert(tmp_path / "mission.yaml", workbook)
    book = load_workbook(workbook)
    book["Legs"]["B2"].value = "16/10/2017"
    book.save(workbook)
    result = CliRunner().invoke(app, ["validate", str(workbook)])
    assert result.exit_code == 2
    assert (f"{workbook}:Legs!B2: leg `Tokyo`, column `from`: `16/10/2017` is not in the form planner reads; "
            "write 2017-10-16 (YYYY-MM-DD)") in result.stderr
