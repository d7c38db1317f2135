"""A PDF's text as it is laid out: per page, its lines from top to bottom (pypdf's positions), so that a
test can read a running header, a footer, or the last line of a page's body."""

from __future__ import annotations

import io
import re
import unicodedata


def page_lines(data: bytes) -> list[list[str]]:
    """Each page's lines, top first; fragments on one baseline joined by a space; ligatures unfolded."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        fragments: dict[int, list[tuple[float, str]]] = {}

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  fragments: dict[int, list[tuple[float, str]]] = fragments) -> None:
            if text.strip():
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                fragments.setdefault(round(y), []).append((x, text))

        page.extract_text(visitor_text=visit)
        lines = []
        for _, parts in sorted(fragments.items(), key=lambda item: -item[0]):
            text = " ".join(part for _, part in sorted(parts))
            lines.append(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip())
        pages.append([line for line in lines if line])
    return pages
