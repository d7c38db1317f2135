"""Tables (Markdown, CSV, JSON) and plots (PNG) of benchmark rows, written atomically."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from planner.mission.files import write_atomic

Row = dict[str, Any]


def seconds(value: Any) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def number(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def ratio(numerator: Any, denominator: Any) -> str:
    if numerator is None or denominator in (None, 0):
        return "—"
    return f"{float(numerator) / float(denominator):.2f}×"


def percent(value: Any) -> str:
    return "—" if value is None else f"{100 * float(value):.2f}%"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_csv(path: Path, rows: list[Row]) -> None:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns and key != "trace":
                columns.append(key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k) for k in columns})
    write_atomic(path, buffer.getvalue())


def write_json(path: Path, document: Any) -> None:
    write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")


def write_png(path: Path, figure: Any) -> None:
    """Render a matplotlib figure to PNG bytes and write them atomically."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120, bbox_inches="tight")
    write_atomic(path, buffer.getvalue())
