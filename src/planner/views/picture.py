"""A matplotlib figure to PNG bytes, with its many small titles written by Pillow.

matplotlib (Agg) draws the figure: axes, hours, row names, bands and bars. The titles inside the bars, up to
thousands on a large mission's day pictures, are written afterwards onto the rendered pixels with Pillow's
FreeType text, in the font matplotlib chose: matplotlib 3.11 lays out each text with libraqm and renders it
glyph by glyph from Python (about 4 ms a title, three quarters of a day picture's time), Pillow renders a
title in C (about 0.3 ms). Each title is clipped to its axes, as matplotlib's `clip_on` would, and the PNG
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
    """A text inside an axes: from (x, y) in data coordinates, left-aligned and centred vertically."""

    axis: Any
    """The matplotlib Axes it belongs to (and is clipped to)."""
    x: float
    y: float
    text: str
    points: float
    line_spacing: float = 1.05


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
    by_axis: dict[int, list[Title]] = {}
    for title in titles:
        by_axis.setdefault(id(title.axis), []).append(title)
    dpi = figure.dpi
    for group in by_axis.values():
        axis = group[0].axis
        # The axes' box in pixels, y downwards as Pillow counts; titles are clipped to it.
        left, bottom, right, top = axis.bbox.extents
        box = (math.floor(left), math.floor(height - top), math.ceil(right), math.ceil(height - bottom))
        region = image.crop(box)
        draw = ImageDraw.Draw(region)
        places = axis.transData.transform([(title.x, title.y) for title in group])
        for title, (x, y) in zip(group, places, strict=True):
            font = _font(title.points, dpi)
            # Between lines as matplotlib spaces them: `line_spacing` times the font's size, less one line.
            spacing = (title.line_spacing - 1) * title.points * dpi / 72 + 1
            draw.multiline_text((x - box[0], height - y - box[1]), title.text, fill="black", font=font,
                                anchor="lm", spacing=spacing)
        image.paste(region, box[:2])
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=PNG_COMPRESSION)
    return buffer.getvalue()
