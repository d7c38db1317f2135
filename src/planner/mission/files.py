"""Writing outputs safely: atomic writes and file names that stay inside the output folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from slugify import slugify


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
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


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def slug(text: str) -> str:
    """A file-name-safe slug of an id or name; never empty, never a path."""
    return slugify(text, max_length=80) or "unnamed"


def inside(folder: Path, name: str, suffix: str = "") -> Path:
    """`folder/slug(name)suffix`, guaranteed to lie inside `folder`."""
    folder = Path(folder).resolve()
    path = (folder / f"{slug(name)}{suffix}").resolve()
    if path.parent != folder:
        raise ValueError(f"refusing to write outside {folder}: {name!r}")
    return path
