"""A matplotlib figure to PNG bytes, with its many small texts written by Pillow.

matplotlib (Agg) draws the figure: axes, hour lines, bands and bars. The texts, the titles inside the bars
(up to thousands on a large mission's day pictures) and the hours and row names along the axes, are written
afterwards onto the rendered pixels with Pillow's FreeType text, in the font matplotlib chose: matplotlib
3.11 lays out each text with libraqm and renders it glyph by glyph from Python (about 4 ms a title, three
quarters of a day picture's time), and builds two lines and two texts for each tick of an axis, measured
again at each drawing (half of the flagship's pictures' time); Pillow renders a text in C (about 0.3 ms).
A title is clipped to its axes, as matplotlib's `clip_on` would; the axes' labels lie outside them. The PNG
is encoded by Pillow from the RGB pixels (a white figure has no transparency to keep): the same programme
gives the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

PNG_COMPRESSION = 3
"""zlib level of the PNG: 6 (the default) takes a third more time for files 2 % smaller."""


@dataclass(frozen=True, slots=True)
class Title:
    """A text placed at (x, y) in an axes' data coordinates: by default left-aligned and centred vertically
    there, and clipped to the axes (a title inside a bar)."""

    axis: Any
    """The matplotlib Axes whose coordinates place it (and which clips it)."""
    x: float
    y: float
    text: str
    points: float
    line_spacing: float = 1.05
    anchor: str = "lm"
    """Which point of the text lies at (x, y), as Pillow names it: `lm` left middle, `rm` right middle,
    `md` middle of its descender line (the text above the point), `ma` of its ascender line (below it)."""
    shift: tuple[float, float] = (0.0, 0.0)
    """Points to the right and downwards from (x, y): the gap between an axis and its labels."""
    clipped: bool = True
    """Clipped to its axes; otherwise (a label along an axis) to the figure."""


def prepare() -> None:
    """Import what drawing needs (matplotlib, Pillow) and find matplotlib's font: half a second, done ahead
    (planner.views.outputs.prepare) so that the processes that draw inherit it."""
    import matplotlib.backends.backend_agg
    import matplotlib.collections
    import matplotlib.figure
    import matplotlib.patches  # noqa: F401 - imported for the processes that draw
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont  # noqa: F401

    font_manager.findfont(font_manager.FontProperties())


@cache
def _font(points: float, dpi: float) -> Any:
    from matplotlib import font_manager
    from PIL import ImageFont

    path = font_manager.findfont(font_manager.FontProperties())
    return ImageFont.truetype(path, size=points * dpi / 72)


def figure_png(figure: Any, titles: Sequence[Title] = ()) -> bytes:
    """The PNG of `figure` (drawn by Agg) with `titles` written onto it."""
    from PIL import Image, ImageDraw

    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = image.convert("RGB")
    by_region: dict[tuple[int, bool], list[Title]] = {}
    for title in titles:
        by_region.setdefault((id(title.axis), title.clipped), []).append(title)
    dpi = figure.dpi
    for group in by_region.values():
        axis = group[0].axis
        if group[0].clipped:
            # The axes' box in pixels, y downwards as Pillow counts: written on a copy of it, pasted back.
            left, bottom, right, top = axis.bbox.extents
            box = (math.floor(left), math.floor(height - top), math.ceil(right), math.ceil(height - bottom))
            region = image.crop(box)
        else:  # the whole figure: written in place, nothing to copy
            box, region = (0, 0, width, height), image
        draw = ImageDraw.Draw(region)
        places = axis.transData.transform([(title.x, title.y) for title in group])
        for title, (x, y) in zip(group, places, strict=True):
            font = _font(title.points, dpi)
            across, down = (shift * dpi / 72 for shift in title.shift)
            place = (x + across - box[0], height - y + down - box[1])
            if "\n" in title.text:
                # Between lines as matplotlib spaces them: `line_spacing` times the size, less one line.
                spacing = (title.line_spacing - 1) * title.points * dpi / 72 + 1
                draw.multiline_text(place, title.text, fill="black", font=font, anchor=title.anchor,
                                    spacing=spacing)
            else:  # Pillow anchors a single line at its top or bottom too (not a multiline text)
                draw.text(place, title.text, fill="black", font=font, anchor=title.anchor)
        if region is not image:
            image.paste(region, box[:2])
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=PNG_COMPRESSION)
    return buffer.getvalue()
