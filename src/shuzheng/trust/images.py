"""The picture of a seal when none was uploaded: a red round seal as Chinese official seals
look (GA 241-2000 印章制作规范 (rescinded but still the common picture) and 国务院关于国家行政
机关和企业事业单位社会团体印章管理的规定: a round seal, the unit's name along the upper arc, a
five-pointed star in the centre, the kind of seal below it), drawn with Pillow in the
platform's Chinese font (the one the PDFs embed), on a transparent background.
"""

from __future__ import annotations

import math
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from shuzheng.pdf import font_path

SIZE = 420
RED = (206, 17, 38, 255)
RING = 12
#: The name runs over this much of the circle, centred on the top (GA 241: about 240°).
ARC_DEGREES = 250


def draw_seal(name: str, caption: str = "") -> bytes:
    """A PNG of the seal of ``name`` with ``caption`` (e.g. 合同专用章) under the star."""
    scale = 2  # drawn large and shrunk: smooth edges without anti-aliased primitives
    size = SIZE * scale
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    outer = centre - 2 * scale
    draw.ellipse(
        (centre - outer, centre - outer, centre + outer, centre + outer),
        outline=RED,
        width=RING * scale,
    )
    _draw_star(draw, centre, centre, size * 0.14)
    _draw_arc_text(image, name, centre, outer - (RING + 44) * scale, size)
    if caption:
        font = ImageFont.truetype(str(font_path()), 34 * scale)
        draw.text((centre, centre + size * 0.25), caption, font=font, fill=RED, anchor="mm")
    out = BytesIO()
    image.resize((SIZE, SIZE), Image.Resampling.LANCZOS).save(out, format="PNG")
    return out.getvalue()


def _draw_star(draw: ImageDraw.ImageDraw, x: float, y: float, radius: float) -> None:
    points = []
    for index in range(10):
        angle = math.pi / 2 + index * math.pi / 5
        length = radius if index % 2 == 0 else radius * 0.382
        points.append((x + length * math.cos(angle), y - length * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _draw_arc_text(image: Image.Image, text: str, centre: float, radius: float, size: int) -> None:
    """Each character upright to the circle, read clockwise along the upper arc."""
    characters = list(text) or [" "]
    font_size = int(min(size * 0.12, 2 * math.pi * radius * ARC_DEGREES / 360 / len(characters)))
    font = ImageFont.truetype(str(font_path()), max(font_size, 8))
    step = ARC_DEGREES / max(len(characters), 1)
    start = 90 + ARC_DEGREES / 2 - step / 2  # degrees, counter-clockwise from the right
    for index, character in enumerate(characters):
        angle = math.radians(start - index * step)
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (font_size, font_size), character, font=font, fill=RED, anchor="mm"
        )
        glyph = glyph.rotate(math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(angle) - glyph.width / 2
        y = centre - radius * math.sin(angle) - glyph.height / 2
        image.alpha_composite(glyph, (int(x), int(y)))
