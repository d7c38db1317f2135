"""Writing outputs safely: atomic writes and file names that stay inside the output folder."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from slugify import slugify


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file. Inside
    `output_batch` the flush to disk waits for the batch's end, and a file that already holds these bytes
    is not written again."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    batch = _BATCH.get()
    if batch is not None and batch.holds(path):
        batch.write(path, data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file owner-only; outputs are meant to be shared (served, mailed, imported).
        os.fchmod(handle, 0o666 & ~_current_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class OutputBatch:
    """The files of one output folder, written together (see `output_batch`)."""

    def __init__(self, root: Path, previous: Path | None = None, private: bool = False) -> None:
        self.root = Path(os.path.abspath(root))
        self.private = private
        """`root` is a staging folder, which nobody reads before it is swapped in whole."""
        self.previous = Path(os.path.abspath(previous)) if previous is not None else self.root
        self.pending: list[str] = []
        """Files written, to flush to disk at the end."""
        self.unchanged = 0
        self._lock = threading.Lock()
        self._mode = 0o666 & ~_current_umask()
        self.reserve = self.root / RESERVE
        """Empty files made ahead in a staging folder (`reserve_files`), numbered from 0."""
        reserved = len(os.listdir(self.reserve)) if private and self.reserve.is_dir() else 0
        self._next, self._last = 0, reserved - 1
        self._from_the_end = False

    def holds(self, path: Path) -> bool:
        return Path(os.path.abspath(path)).is_relative_to(self.root)

    def write(self, path: Path, data: bytes) -> None:
        path = Path(os.path.abspath(path))
        before = self.previous / path.relative_to(self.root)
        if _holds_bytes(before, data):
            with self._lock:
                self.unchanged += 1
            if before != path:
                path.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(before, path)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.private and self._write_new(path, data):
            return
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(handle, self._mode)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            # In place at once (a later view may read it: itineraries link the calendars written before
            # them); its flush to disk waits for the batch's end.
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        with self._lock:
            self.pending.append(str(path))

    def _write_new(self, path: Path, data: bytes) -> bool:
        """Write a file that does not exist yet in place, without a temporary file and a rename (half the
        work of the folder's directory, which holds thousands of files): in a staging folder nobody can
        read it half written. False when something is already there (never written through: a link
        from the previous folder, say), for a temporary file to replace it."""
        if self._take_reserved(path):
            descriptor = os.open(path, os.O_WRONLY)
        else:
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self._mode)
            except FileExistsError:
                return False
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        with self._lock:
            self.pending.append(str(path))
        return True

    def take_reserved_from_the_end(self) -> None:
        """Take the reserve's files from the last: what a writer forked inside this batch does (see
        `_take_reserved`)."""
        self._from_the_end = True

    def _take_reserved(self, path: Path) -> bool:
        """Rename a file of the reserve to `path` (which replaces whatever is there, as a temporary file
        would); False when the reserve is spent. This process takes them from the first, a forked writer
        from the last (`take_reserved_from_the_end`): a rename is atomic, so a file one side finds gone
        was the other's, and every file beyond it too."""
        with self._lock:
            if self._next > self._last:
                return False
            if self._from_the_end:
                number, self._last = self._last, self._last - 1
            else:
                number, self._next = self._next, self._next + 1
        reserved = self.reserve / str(number)
        try:
            os.rename(reserved, path)
        except FileExistsError:  # where a rename never replaces (Windows): the caller writes it otherwise
            return False
        except FileNotFoundError:
            if reserved.exists():  # the folder of `path` is missing, not the reserved file
                raise
            with self._lock:
                self._next, self._last = 1, 0
            return False
        return True

    def commit(self) -> None:
        """Flush every new file to disk, in parallel: each flush mostly waits on the disk."""
        with ThreadPoolExecutor(max_workers=FLUSH_THREADS) as pool:
            list(pool.map(_flush, self.pending))
        self.pending = []


RESERVE = ".planner-reserve"
"""The folder of a staging folder's reserve (`reserve_files`), removed before the staging folder is swapped
in."""


def reserve_files(root: Path, count: int, stopping: threading.Event | None = None) -> int:
    """Make up to `count` empty files in the reserve of the staging folder `root`, until `stopping` is set;
    how many were made. `planner solve` does it while the solver works: where creating a file is slow
    (a filesystem without a journal that steps over every inode freed in the last minutes, a network
    share), each new output file is then a rename of one of these (`output_batch`), not a creation."""
    folder = Path(root) / RESERVE
    folder.mkdir(exist_ok=True)
    made = len(os.listdir(folder))
    while made < count and not (stopping is not None and stopping.is_set()):
        # 0o666 less the umask, as every output file
        os.close(os.open(folder / str(made), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        made += 1
    return made


def take_reserved_from_the_end() -> None:
    """In a writer forked inside a batch: take the reserve's files from the last (see
    `OutputBatch._take_reserved`)."""
    batch = _BATCH.get()
    if batch is not None:
        batch.take_reserved_from_the_end()


def flush_batch() -> None:
    """Flush the files the current batch wrote so far: what a forked writer does before it exits (its
    writes went to its own copy of the batch)."""
    batch = _BATCH.get()
    if batch is not None:
        batch.commit()


FLUSH_THREADS = 16
"""Files flushed to disk at once at the end of a batch: each flush mostly waits on the disk."""

_BATCH: ContextVar[OutputBatch | None] = ContextVar("output_batch", default=None)


@contextmanager
def output_batch(root: Path, previous: Path | None = None, private: bool = False) -> Iterator[OutputBatch]:
    """Write the files under `root` together: each `write_atomic` inside still replaces its file whole (a
    temporary file renamed), but the flushes to disk wait for the batch's end and then run side by side. A
    file whose bytes equal those of the same path under `previous` (default: `root` itself, the previous
    run's folder) is left as it is, or hard-linked from there. The whole folder appears at once only when a
    staging folder is swapped in (the caller's part); `private`: `root` is such a folder, and a file new
    to it is written in place (`OutputBatch._write_new`)."""
    batch = OutputBatch(root, previous, private)
    token = _BATCH.set(batch)
    try:
        yield batch
        batch.commit()
        # What the output did not take: gone before the folder is swapped in.
        shutil.rmtree(batch.reserve, ignore_errors=True)
    finally:
        _BATCH.reset(token)


def _holds_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _flush(temporary: str) -> None:
    descriptor = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _link_or_copy(source: Path, destination: Path) -> None:
    destination.unlink(missing_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """A file-name-safe slug of an id or name; never empty, never a path."""
    return slugify(text, max_length=80) or "unnamed"


def inside(folder: Path, name: str, suffix: str = "") -> Path:
    """`folder/slug(name)suffix`, guaranteed to lie inside `folder`."""
    return inside_of(folder)(name, suffix)


def inside_of(folder: Path) -> Callable[..., Path]:
    """`inside` for many files of one folder, the folder resolved once: `inside_of(folder)(name, suffix)`.
    A slug holds no separator and no dot-name, so its path is the resolved folder's child unless the file
    is a symbolic link, which is followed and must stay inside too."""
    resolved = Path(folder).resolve()

    def place(name: str, suffix: str = "") -> Path:
        path = resolved / f"{slug(name)}{suffix}"
        if path.is_symlink():
            path = path.resolve()
        if path.parent != resolved:
            raise ValueError(f"refusing to write outside {resolved}: {name!r}")
        return path

    return place
