"""`Source`: where a statement stands, in a text file or a spreadsheet cell."""

from planner.domain import Source


def test_a_text_file_place_reads_file_line_column():
    source = Source("mission.yaml", 12, 5)
    assert str(source) == "mission.yaml:12:5"
    assert source.place() == "line 12"


def test_a_cell_reads_sheet_and_cell_name():
    source = Source("mission.xlsx", 14, 5, "Delegates")
    assert str(source) == "mission.xlsx:Delegates!E14"
    assert source.place() == "Delegates!E14"


def test_column_letters_past_z():
    assert Source("f.xlsx", 1, 26, "S").cell == "Z1"
    assert Source("f.xlsx", 1, 27, "S").cell == "AA1"
    assert Source("f.xlsx", 3, 703, "S").cell == "AAA3"


def test_sort_key_orders_files_then_sheets_then_rows_and_columns():
    places = [Source("b", 1, 1), Source("a", 2, 1, "Venues"), Source("a", 9, 9), Source("a", 1, 2, "Venues")]
    assert sorted(places, key=Source.sort_key) == [places[2], places[3], places[1], places[0]]
