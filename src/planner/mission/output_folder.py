"""An output folder written whole or not at all: everything goes into a staging folder beside the target,
which then takes the target's place in one step (docs/limits.md, "No half-written output").

The target is checked before any work starts (`stage_folder`), so that a folder that cannot be written is
said at once, not after a long solve. Only a missing folder, an empty one or one that planner wrote (it
holds the marker file, e.g. schedule.json) is replaced: a folder of other files is refused, never swapped
away. Entries of the previous folder that the new output does not write (an itinerary PDF saved there, say)
are carried over as hard links, so that the previous folder stays intact until the swap.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from planner.domain import Source
from planner.domain.errors import InputError, InputErrors

STAGING_PREFIX = ".planner-staging-"
"""Staging and retired folders are hidden siblings of the target, named with this prefix."""


def _refuse(option: str, message: str) -> InputErrors:
    return InputErrors([InputError(Source.command_line(option), message)])


def refuse_to_replace(target: Path, option: str, named_by: str | None = None, force: bool = False) -> None:
    """A file the command would write in place of one already there: refused, unless the person said
    `option` (`--force`: `force`); a folder of that name always. `named_by`: the option that names
    `target`, if one does. A workbook or mission file is a person's work, edited since planner wrote it,
    if planner wrote it at all; nothing tells an edited one from an untouched one."""
    where = Source.command_line(named_by) if named_by is not None else Source.command_line(str(target))
    shown = f"{target}: " if named_by is not None else ""
    if os.path.isdir(target):
        raise InputErrors([InputError(where, (
            f"{shown}a folder of that name is already there; name the file to write, e.g. "
            f"{Path(target) / 'mission.xlsx'}"))])
    if os.path.lexists(target) and not force:
        raise InputErrors([InputError(where, (
            f"{shown}a file of that name is already there, and planner does not write over it (what it "
            f"holds would be lost): name a new file, or add {option} to replace it"))])


class StagedFolder:
    """A staging folder beside `target`; `commit` puts it in the target's place, `discard` removes it.

    As a context manager: committed by the caller, discarded on leaving if it was not (an error, Ctrl-C).
    """

    def __init__(self, target: Path, staging: Path, marker: str) -> None:
        self.target = target
        self.path = staging
        self.marker = marker
        self.done = False

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if not self.done:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.done = True

    def commit(self) -> None:
        """Carry over what only the previous folder holds, then swap the staging folder in."""
        if self.target.is_dir():
            _carry_over(self.target, self.path)
            if _exchange(self.path, self.target):
                # the staging path now holds the previous folder
                shutil.rmtree(self.path, ignore_errors=True)
            else:
                retired = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.target.parent)) / "previous"
                os.rename(self.target, retired)
                os.rename(self.path, self.target)
                shutil.rmtree(retired.parent, ignore_errors=True)
        else:
            os.rename(self.path, self.target)
        self.done = True


def stage_folder(target: Path, marker: str, option: str = "--out") -> StagedFolder:
    """Check that `target` can be written (before any work) and make its staging folder.

    `marker`: a file that only planner's output holds at the top of such a folder (`schedule.json`,
    `mission.ics`); a folder that holds other files and not the marker is refused. Problems raise
    `InputErrors` naming the option, exit status 2.
    """
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise _refuse(option, f"{target} is a file, not a folder; name a folder (it is created if need be)")
    if target.is_dir():
        entries = [entry.name for entry in target.iterdir()]
        if entries and marker not in entries:
            raise _refuse(option, f"{target} holds files that planner did not write (no {marker}); "
                                  "name a new or empty folder, or a previous output of this command")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    except OSError as failure:
        raise _refuse(option, f"the folder {target} cannot be created {_refusal(failure, parent)}; name a "
                              "folder in a place you may write to, e.g. out beside the mission") from None
    return StagedFolder(target, staging, marker)


def _refusal(failure: OSError, parent: Path) -> str:
    """Where and why the system refused to make a folder, in its own words: `in /proc (the system says: No
    such file or directory)`. `parent` is where planner made it; when one of its own parents was missing
    and could not be made, the refusal is there."""
    refused = Path(failure.filename) if isinstance(failure.filename, str) else None
    place = parent if refused is None or refused.parent == parent else refused.parent
    return f"in {place} (the system says: {failure.strerror or failure})"


def check_writable_file(path: Path, option: str = "--out") -> None:
    """Refuse, before any work, a file that cannot be written: a folder, or a place the system refuses."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise _refuse(option, f"{path} is a folder; name a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=STAGING_PREFIX, dir=path.parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as failure:
        raise _refuse(option, f"the file {path} cannot be written {_refusal(failure, path.parent)}; name a "
                              "file in a folder you may write to") from None


def _carry_over(previous: Path, staging: Path) -> None:
    """Hard-link into `staging` the top-level entries of `previous` that the new output does not hold."""
    for entry in previous.iterdir():
        destination = staging / entry.name
        if destination.exists() or destination.is_symlink() or entry.name.startswith(STAGING_PREFIX):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), destination)
        elif entry.is_dir():
            shutil.copytree(entry, destination, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(destination))


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))
