"""How large an input may be: files, text fields, ids and nesting (docs/limits.md).

The limits are far above any real mission (the flagship's file is 75 kB, its longest title 80 characters)
and low enough that no input can make planner use gigabytes or minutes before it says what is wrong.
Files are read up to their limit and no further, so that `/dev/zero` or a runaway file is refused fast.
"""

from __future__ import annotations

from pathlib import Path

from planner.domain import Source
from planner.domain.errors import InputError, InputErrors
from planner.mission.hints import missing_file
from planner.text.control import visible

MEGABYTE = 1024 * 1024
MAX_MISSION_BYTES = 16 * MEGABYTE
"""A mission file (YAML) or spreadsheet."""
MAX_SCHEDULE_BYTES = 64 * MEGABYTE
"""A schedule.json (the largest benchmark's, 5,000 activities, is about 3 MB)."""
MAX_ID_LENGTH = 64
"""An id of a leg, venue, delegate, group, activity or rule."""
LONG_TEXT_LIMIT = 5_000
"""Characters of a description or an address."""
DEFAULT_TEXT_LIMIT = 200
"""Characters of a name, title, city, role, kind, sector… (a title of 200 characters is two lines)."""
MESSAGE_LIMIT = 100_000
"""Characters of a reason or a conflict in a schedule.json (planner writes them; a conflict may list many
statements)."""
MAX_NESTING = 16
"""Levels of lists and objects in a schedule.json (the format needs 4)."""


def too_long_message(length: int, limit: int) -> str | None:
    """A message for a person when text of `length` characters is longer than `limit`, else None."""
    if length <= limit:
        return None
    return f"the text is {length:,} characters long; it may hold at most {limit:,}: shorten it"


def folder_given(folder: Path, what: str) -> str:
    """Why a folder cannot be read as a file, naming the file inside it the person most likely meant: a
    re-plan's `--baseline out/replan-1` for `out/replan-1/schedule.json`, written in a hurry."""
    usual = {"schedule": ("schedule.json",), "mission file": ("mission.yaml", "mission.xlsx")}
    for name in usual.get(what, ()):
        if (folder / name).is_file():
            return f"this is a folder, not a {what}: give the {name} inside it, {visible(str(folder / name))}"
    return f"this is a folder, not a {what}: give the path of the file"


def read_limited(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of a file of at most `limit` bytes; larger, unreadable: `InputErrors` at the file.

    Reads `limit + 1` bytes at most, whatever the file claims to be (a device, a pipe, a growing file).
    """
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise InputErrors([InputError(Source(name, 1, 1), missing_file(path))]) from None
    except IsADirectoryError:
        raise InputErrors([InputError(Source(name, 1, 1), folder_given(Path(path), what))]) from None
    except OSError as failure:
        raise InputErrors([InputError(Source(name, 1, 1),
                                      f"cannot read the file: {failure.strerror or failure}")]) from None
    if len(data) > limit:
        raise InputErrors([InputError(
            Source(name, 1, 1),
            f"the {what} is larger than {limit // MEGABYTE} MB, the most planner reads; "
            "check that this is the right file")])
    return data


def read_text_limited(path: str | Path, limit: int, what: str) -> str:
    """`read_limited`, decoded as UTF-8 (a byte-order mark is dropped); other bytes: `InputErrors`."""
    data = read_limited(path, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise InputErrors([InputError(
            Source(str(path), 1, 1),
            f"the {what} is not UTF-8 text ({failure.reason} at byte {failure.start}); "
            "save it as UTF-8")]) from None
