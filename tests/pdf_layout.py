"""A PDF's text as it is laid out on each page, top to bottom, by poppler's `pdftotext -layout` (Debian's
poppler-utils, which .ci/run installs): a test reads a running header, a footer, or the last line of a
page's body. Pieces of one line that stand apart (the header's left and right, a time and its title) are
separate items."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata

import pytest


def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must read PDF layouts: install Debian's poppler-utils (.ci/run does)")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    return found


def page_lines(data: bytes) -> list[list[str]]:
    """Each page's items, top first; whitespace collapsed, ligatures unfolded (NFKC)."""
    completed = subprocess.run([pdftotext(), "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                               capture_output=True, check=True, timeout=300)
    text = unicodedata.normalize("NFKC", completed.stdout.decode("utf-8"))
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[" ".join(piece.split()) for line in page.splitlines()
             for piece in re.split(r"\s{3,}", line.strip()) if piece.strip()]
            for page in pages]
